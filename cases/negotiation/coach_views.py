"""The negotiation coach's pages (issue 18): the call card per lender (HTML and PDF), accepting an
offer, and the monthly check-in. HTTP only: the content is ``coach``'s, the writes are
``Agreement`` methods; every object is looked up through ``cases.access``."""

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ..access import Can, get_case_for, get_in_case
from ..letters.pdf import render_pdf
from ..lenders import find_lender
from ..models import Agreement, CheckIn, Contact
from ..pages.views import dashboard_context
from ..templatetags.form_tags import SummaryError
from .coach import call_card as build_call_card
from .coach import lender_debts, offer_checks
from .coach_forms import AcceptForm, CheckInForm
from .views import log_context


def _card(request, case_id: int, lender: str):
    case = get_case_for(request, case_id, need=Can.READ, require_consent=True)
    debts = lender_debts(case)
    found = find_lender(debts, lender)
    if found is None:
        raise Http404
    card = build_call_card(case, found, debts, timezone.localdate())
    log_url = reverse("log", args=[case.pk]) + "?" + urlencode({"lender": found.slug, "round": card.round}) + "#quick-add"
    return case, card, log_url


@require_GET
def call_card(request, case_id: int, lender: str):
    if request.GET.get("format") == "pdf":
        return call_card_pdf(request, case_id, lender)
    case, card, log_url = _card(request, case_id, lender)
    return render(request, "cases/negotiation/call_card.html", {"case": case, "card": card, "log_url": log_url})


@require_GET
def call_card_pdf(request, case_id: int, lender: str):
    case, card, _log_url = _card(request, case_id, lender)
    html = render_to_string("cases/negotiation/call_card_print.html", {"case": case, "card": card}, request=request)
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="call-card-{card.lender.slug}-{card.round}.pdf"'
    return response


def _log_again(request, case, form, *, attach: tuple[str, str, int], status: int = 400,
               summary: list[SummaryError] | None = None):
    """The log page again with a refused form in its place (issue 17): the error summary first in <main>, the
    field's own error beside it, and what was typed still in it. ``attach`` names where the form stands: the list
    in the page's context, the item's pk and the attribute the template reads the form from. ``summary``: the
    summary's own entries, when the form is not on the page to link to."""
    context = log_context(request, case)
    _attach(context, form, attach)
    context["refused_form"] = form
    if summary is not None:
        context["error_summary_entries"] = summary
    return render(request, "cases/negotiation/log.html", context, status=status)


def _attach(context: dict, form, attach: tuple[str, str, int]) -> None:
    lists, attribute, pk = attach
    for name in lists.split():
        for item in context[name]:
            if item.pk == pk:
                setattr(item, attribute, form)


@require_POST
def offer_accept(request, case_id: int, pk: int, *, form_id: str = "accept"):
    case, contact = get_in_case(request, Contact, case_id, pk, require_consent=True, need=Can.EDIT)
    # The entry's offer check and the "record the plan" box can stand on one page: each its own field ids.
    form = AcceptForm(request.POST, auto_id=f"{form_id}-{contact.pk}-%s")
    attach = ("contacts unrecorded", f"{form_id}_form", contact.pk)
    checks = offer_checks(case, [contact], lender_debts(case))
    found = checks.get(contact.pk, {})
    if "lender" not in found:
        # The entry shows "correct this entry", not the form: the summary links to the entry itself.
        return _log_again(request, case, form, attach=attach, summary=[SummaryError(
            f"#contact-{contact.pk}", "", _("This offer cannot be recorded as agreed: it needs the lender, the "
                                             "monthly amount, the months and the first due date."))])
    if not form.is_valid():
        return _log_again(request, case, form, attach=attach)
    lender = found["lender"]
    try:
        Agreement.objects.accept(contact, lender.name, lender.slug, form.cleaned_data["first_due"], by=request.user)
    except ValueError:
        form.add_error(None, _("This offer is already recorded as an agreed plan."))
        return _log_again(request, case, form, attach=attach, status=409)
    check = found.get("check")
    if check is not None and not check.fits:
        messages.warning(request, _("Recorded. Warning: %(monthly)s yuan a month is more than the %(share)s yuan your "
                                    "budget leaves for this lender. If you cannot keep it, ask the lender to change "
                                    "the plan before you miss a payment.")
                         % {"monthly": check.monthly, "share": check.share})
    messages.info(request, _("Agreeing a plan counts as agreeing to pay: the three-year time limit on this lender's "
                             "debts starts again today. Keep every payment receipt, and ask for the agreement in "
                             "writing."))
    return redirect(reverse("log", args=[case.pk]) + "#agreements")


@require_POST
def contact_agree(request, case_id: int, pk: int):
    """An entry logged as "Agreed" becomes that lender's plan, exactly as accepting an offer does:
    there is no case-wide "agreed" apart from the plans per lender."""
    case, contact = get_in_case(request, Contact, case_id, pk, require_consent=True, need=Can.EDIT)
    if contact.outcome != Contact.Outcome.AGREED:
        messages.error(request, _("Only a contact with the outcome “Agreed” can record the agreement."))
        return redirect("log", case_id=case.pk)
    return offer_accept(request, case_id, pk, form_id="agree")


@require_POST
def check_in(request, case_id: int, agreement_id: int):
    case, agreement = get_in_case(request, Agreement, case_id, agreement_id, require_consent=True, need=Can.EDIT)
    form = CheckInForm(request.POST, agreement=agreement, auto_id=f"check-in-{agreement.pk}-%s")
    back = reverse("log", args=[case.pk]) + "#agreements"
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        back = next_url  # the dashboard's check-in returns to the dashboard
    if not form.is_valid():
        attach = ("check_ins" if back == reverse("dashboard") else "agreements", "check_in_form", agreement.pk)
        if attach[0] == "agreements":
            return _log_again(request, case, form, attach=attach)
        context = dashboard_context(request)
        _attach(context, form, attach)
        context["refused_form"] = form
        return render(request, "cases/pages/dashboard.html", context, status=400)
    data = form.cleaned_data
    agreement.check_in(date.fromisoformat(data["due_on"]), data["result"], data.get("paid"), by=request.user)
    if data["result"] == CheckIn.Result.PAID:
        messages.success(request, _("Payment recorded."))
    else:
        messages.warning(request, _("Recorded. This plan is now at risk: contact the lender before the next payment "
                                    "is due and ask to adjust it. The call card below helps."))
    return redirect(back)
