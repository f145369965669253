"""Negotiation log (issue 6): quick add, inline edit/delete, follow-ups, the
escalation ladder, the agreement and the timeline. Thin views: the rules live in
``cases.negotiation``; every object is looked up through ``cases.access``."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import F
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from .. import limits
from ..access import Can, get_case_for, get_in_case
from ..lenders import lenders_of
from ..letters.kinds import TITLES
from ..models import Case, Contact, Debt, Evidence
from . import rules
from .calendar import follow_up_ics
from .case_log import CaseLog
from .coach import agreements_with_check_ins, call_prefill, lender_debts, offer_checks
from .forms import ContactForm
from .timeline import KINDS, timeline_page

LOG_PAGE_SIZE = 30
FOLLOW_UPS_SHOWN = 20


def _attach_debts_and_evidence(contacts: list[Contact]) -> None:
    """Each contact's debts and evidence as plain lists (``debt_list``, ``evidence_list``), from
    one small query each; prefetch_related would build two managers per contact on the page."""
    by_id = {contact.pk: contact for contact in contacts}
    for contact in contacts:
        contact.debt_list, contact.evidence_list = [], []
    if not by_id:
        return
    for debt in Debt.objects.filter(contacts__in=list(by_id)).annotate(contact=F("contacts")).only("product", "lender"):
        by_id[debt.contact].debt_list.append(debt)
    for item in Evidence.objects.filter(contacts__in=list(by_id)).annotate(contact=F("contacts")).only("original_name"):
        by_id[item.contact].evidence_list.append(item)


def log_context(request, case: Case, form: ContactForm | None = None, saved_id: int | None = None) -> dict:
    # One query reads the whole log: the rules need all of it, and the page, its
    # follow-ups and the agreement are taken from it.
    oldest_first = list(case.contacts.order_by("occurred_at", "id"))
    agreements = agreements_with_check_ins(case)
    recorded = {a.contact_id for a in agreements}
    caselog = CaseLog(case, oldest_first, recorded)
    contacts = Paginator(oldest_first[::-1], LOG_PAGE_SIZE).get_page(request.GET.get("page"))  # Contact's ordering
    _attach_debts_and_evidence(contacts.object_list)
    for contact in contacts:
        contact.flags = caselog.flags(contact.pk)
        contact.late_call = rules.late_call(contact.channel, contact.direction, contact.occurred_at)
    follow_ups = sorted(
        (c for c in oldest_first if c.follow_up_on is not None and not c.follow_up_done),
        key=lambda c: (c.follow_up_on, c.pk),
    )
    start, end = rules.PERMITTED_CALL_HOURS
    debts = lender_debts(case)
    # "Agreed" entries not yet a lender's plan, wherever they are in the log: each gets its form.
    unrecorded = [c for c in oldest_first if c.outcome == Contact.Outcome.AGREED and c.pk not in recorded]
    checks = offer_checks(case, list(contacts.object_list) + [c for c in unrecorded if c not in contacts.object_list],
                          debts)
    for contact in contacts:
        contact.offer_check = checks.get(contact.pk)
        contact.recorded = contact.pk in recorded
    for contact in unrecorded:
        contact.offer_check = checks.get(contact.pk)
    if form is None:
        form = ContactForm(case=case, last_logged=caselog.last_logged(), repeat_last="same" in request.GET,
                           prefill=call_prefill(debts, request.GET.get("lender", ""), request.GET.get("round", "")))
    return {
        "case": case,
        "form": form,
        "can_repeat_last": caselog.last_logged() is not None,
        "saved": _saved_contact(request, oldest_first, saved_id),
        "lenders": lenders_of(debts),
        "agreements": agreements,
        "unrecorded": unrecorded,
        "first_due_default": rules.add_months(timezone.localdate(), 1),
        "contacts": contacts,
        "suggestions": [
            {"rule": r, "letters": [(slug, TITLES[slug]) for slug in r.letters]} for r in caselog.suggestions()
        ],
        "defence_due": caselog.defence_due(),
        "follow_ups": follow_ups[:FOLLOW_UPS_SHOWN],
        "today": timezone.localdate(),
        "hours": f"{start:%H:%M}–{end:%H:%M}",
        "hours_verified": rules.PERMITTED_HOURS_VERIFIED,
        "breach_hours": "{:%H:%M}–{:%H:%M}".format(*rules.BREACH_CALL_HOURS),
        "late_window": f"{end:%H:%M}–{rules.BREACH_CALL_HOURS[1]:%H:%M}",
        "repeated_limit": rules.REPEATED_CALLS_PER_DAY,
    }


def _saved_contact(request, contacts: list[Contact], saved_id: int | None) -> Contact | None:
    """The entry just saved, confirmed beside the form (issue 17): from the view, or ``?saved=`` after the
    redirect a browser without JS follows; an id not in this case's log confirms nothing."""
    if saved_id is None:
        try:
            saved_id = int(request.GET.get("saved", ""))
        except ValueError:
            return None
    return next((c for c in contacts if c.pk == saved_id), None)


def _log_response(request, case: Case, form: ContactForm | None = None, saved_id: int | None = None):
    if request.htmx:
        return render(request, "cases/negotiation/log.html#log_body", log_context(request, case, form, saved_id))
    if saved_id is not None:
        return redirect(reverse("log", args=[case.pk]) + f"?saved={saved_id}#quick-title")
    return redirect("log", case_id=case.pk)


@require_GET
def log(request, case_id: int):
    case = get_case_for(request, case_id, require_consent=True, need=Can.READ)
    return render(request, "cases/negotiation/log.html", log_context(request, case))


@require_POST
def contact_add(request, case_id: int):
    case = get_case_for(request, case_id, require_consent=True, need=Can.EDIT)
    form = ContactForm(request.POST, case=case)
    if not form.is_valid():
        template = "cases/negotiation/log.html#log_body" if request.htmx else "cases/negotiation/log.html"
        return render(request, template, log_context(request, case, form))
    try:
        contact = form.save(by=request.user)
    except limits.LimitReached as exc:
        form.add_error(None, str(exc))
        template = "cases/negotiation/log.html#log_body" if request.htmx else "cases/negotiation/log.html"
        return render(request, template, log_context(request, case, form), status=200 if request.htmx else 400)
    except (ContactForm.AlreadySaved, IntegrityError):
        # The same form again (a double click), or its twin request won the race for the token:
        # one entry, as asked.
        return _log_response(request, case)
    if contact.deadline and contact.follow_up_on == contact.deadline:
        messages.info(request, _("Deadline added to your follow-ups: %(date)s.") % {"date": contact.deadline})
    return _log_response(request, case, saved_id=contact.pk)


@require_http_methods(["GET", "POST"])
def contact_edit(request, case_id: int, pk: int):
    case, contact = get_in_case(request, Contact, case_id, pk, require_consent=True, need=Can.EDIT)
    form = ContactForm(request.POST or None, instance=contact, case=case)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            form.save(by=request.user)
        except Contact.Stale:
            # Another tab saved this entry after this form was loaded: nothing is written, the
            # user's input is shown again with the current version, so saving again is deliberate.
            form.refresh_version()
            form.add_error(None, _("This entry was changed in another tab or device after you opened it. "
                                   "Your changes are not saved yet: check them and save again to replace "
                                   "the other version."))
            status = 409
        else:
            return _log_response(request, case)
    context = {"case": case, "form": form, "contact": contact}
    if request.htmx:
        # htmx swaps only 2xx answers: the conflict comes back as 200 to be shown in place.
        response = render(request, "cases/negotiation/log_edit.html#edit_form", context)
        if request.method == "POST":
            # The form was aimed at the whole log; on errors, swap only the form back.
            response = reswap(retarget(response, f"#contact-{contact.pk}"), "outerHTML")
        return response
    return render(request, "cases/negotiation/log_edit.html", context, status=status)


@require_POST
def contact_delete(request, case_id: int, pk: int):
    case, contact = get_in_case(request, Contact, case_id, pk, require_consent=True, need=Can.EDIT)
    contact.remove(by=request.user)
    return _log_response(request, case)


@require_POST
def follow_up_done(request, case_id: int, pk: int):
    case, contact = get_in_case(request, Contact, case_id, pk, require_consent=True, need=Can.EDIT)
    contact.mark_follow_up_done(by=request.user)
    next_url = request.POST.get("next", "")
    if not request.htmx and url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return redirect(next_url)
    return _log_response(request, case)


@require_GET
def follow_up_calendar(request, case_id: int, pk: int):
    case, contact = get_in_case(request, Contact, case_id, pk, require_consent=True, need=Can.READ)
    if contact.follow_up_on is None:
        raise Http404
    url = request.build_absolute_uri(reverse("log", args=[case.pk]) + f"#contact-{contact.pk}")
    response = HttpResponse(follow_up_ics(contact, url), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="follow-up-{contact.pk}.ics"'
    return response


@require_GET
def timeline(request, case_id: int):
    case = get_case_for(request, case_id, require_consent=True, need=Can.READ)
    debts = list(case.debts.only("id", "product", "lender"))
    kind = request.GET.get("kind", "")
    kind = kind if kind in KINDS else ""
    debt = next((d for d in debts if str(d.pk) == request.GET.get("debt")), None)
    page = timeline_page(case, kind=kind, debt=debt, page=request.GET.get("page", 1))
    contacts = [entry for entry in page if entry.kind == "contact"]
    if contacts:  # a repeated call counts the whole log's calls that day, so the flags need all of it
        caselog = CaseLog(case)
        for entry in contacts:
            entry.obj.flags = caselog.flags(entry.pk)
    query = urlencode({k: v for k, v in (("kind", kind), ("debt", debt.pk if debt else "")) if v})
    return render(request, "cases/negotiation/timeline.html", {
        "case": case, "page": page, "debts": debts, "kinds": KINDS.items(), "kind": kind, "debt": debt,
        "query": query,
    })
