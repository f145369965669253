"""The proposal page: what is owed, what is contestable, what is affordable, and
the plan the user chooses (saved as a Proposal snapshot that letters cite)."""

from datetime import date

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ..access import Can, get_case_for, get_in_case
from ..finance.codec import quote_dict
from ..models import Case, Debt, Proposal
from .chart import balance_chart
from .forms import BillForm, ChoosePlanForm, IncludeDebtForm, OwnAmountForm
from .quote import PLAN_TITLES, engine_input_for, present_quote, quote_fingerprint, today_in_china


def missing_for_proposal(case: Case, debt_count: int) -> list[str]:
    """What the case lacks before plans can be worked out, in plain words."""
    missing = []
    if case.status == Case.Status.DRAFT:
        missing.append(_("Finish “My situation” so your case is marked ready."))
    if not debt_count:
        missing.append(_("Add at least one debt: the lender, how much you owe and since when you are behind."))
    return missing


def _without_date(engine_input: dict) -> dict:
    return {key: value for key, value in engine_input.items() if key != "as_of"}


def _selected_plan(request, quote: dict, latest: Proposal | None) -> tuple[dict | None, str]:
    """The plan whose schedule and chart are shown, and why it is the one shown."""
    raw = request.GET.get("plan", "")
    # ASCII digits only, and short: "²".isdigit() is true but int("²") fails, and int() refuses 4300+ digits.
    if raw.isascii() and raw.isdigit() and len(raw) <= 3 and int(raw) < len(quote["plans"]):
        return quote["plans"][int(raw)], "previewed"
    if latest is not None:
        return present_quote(latest.engine_output)["plans"][latest.chosen_plan], "chosen"
    if quote["recommended"] is not None:
        return quote["plans"][quote["recommended"]], "recommended"
    return None, ""


def _render(request, case: Case, engine_input: dict, quote: dict, form: ChoosePlanForm | None = None, status=200,
            own_amount_form: OwnAmountForm | None = None):
    latest = case.proposals.first()
    missing = missing_for_proposal(case, len(quote["debts"]))
    quote = present_quote(quote)
    selected, selected_because = _selected_plan(request, quote, latest)
    # A chosen plan's schedule starts from the day it was chosen, not from today.
    chart_start = quote["as_of"] if selected_because != "chosen" else latest.engine_output["as_of"]
    context = {
        "case": case,
        "quote": quote,
        "missing": missing,
        "latest": latest,
        "latest_title": PLAN_TITLES.get(latest.plan["kind"]) if latest else None,
        "latest_outdated": latest is not None and _without_date(latest.engine_input) != _without_date(engine_input),
        "selected": selected,
        "selected_because": selected_because,
        "chart": balance_chart(selected, date.fromisoformat(chart_start)) if selected and selected["schedule"] else None,
        "fingerprint": quote_fingerprint(engine_input),
        "form": form or ChoosePlanForm(plans=quote["plans"], fingerprint=""),
        "own_amount_form": own_amount_form or OwnAmountForm(initial={"monthly_offer": case.monthly_offer}),
        "flagged": [d for d in quote["debts"] if d.get("limitation", "ok") != "ok"],
        "needs_reason": any(p.get("needs_reason") for p in quote["plans"]),
    }
    template = "cases/proposal/proposal.html"
    if request.htmx and "plan" in request.GET and not missing:
        template += "#plan-detail"
    return render(request, template, context, status=status)


@require_safe
def proposal(request, case_id: int):
    case = get_case_for(request, case_id, need=Can.READ)
    engine_input = engine_input_for(case, today_in_china())
    return _render(request, case, engine_input, quote_dict(engine_input))


@require_POST
def proposal_choose(request, case_id: int):
    case = get_case_for(request, case_id, need=Can.EDIT)
    engine_input = engine_input_for(case, today_in_china())
    quote = quote_dict(engine_input)
    if missing_for_proposal(case, len(quote["debts"])):
        messages.error(request, _("Plans can be chosen once your case is ready and has its debts."))
        return redirect("proposal", case_id=case.pk)
    form = ChoosePlanForm(request.POST, plans=quote["plans"], fingerprint=quote_fingerprint(engine_input))
    if not form.is_valid():
        return _render(request, case, engine_input, quote, form=form, status=400)
    chosen = form.cleaned_data["plan"]
    Proposal.objects.choose(case, engine_input, quote, chosen, by=request.user,
                             reason=form.cleaned_data["reason"])
    messages.success(request, _("Your choice is saved: letters will use this plan and these figures."))
    return redirect("proposal", case_id=case.pk)



@require_POST
def proposal_own_amount(request, case_id: int):
    case = get_case_for(request, case_id, need=Can.EDIT)
    form = OwnAmountForm(request.POST)
    if not form.is_valid():
        # The page again with what was typed and the error summary (issue 17), not a redirect that loses it.
        engine_input = engine_input_for(case, today_in_china())
        return _render(request, case, engine_input, quote_dict(engine_input), own_amount_form=form, status=400)
    case.set_monthly_offer(form.cleaned_data["monthly_offer"], by=request.user)
    messages.success(request, _("Saved: the plans below now include your own monthly amount.")
                     if case.monthly_offer is not None else _("Your own monthly amount is removed."))
    return redirect("proposal", case_id=case.pk)



@require_POST
def proposal_include_debt(request, case_id: int):
    case = get_case_for(request, case_id, need=Can.EDIT)
    form = IncludeDebtForm(request.POST)
    if not form.is_valid():
        for error in form.non_field_errors() or [_("Choose one of your debts.")]:
            messages.error(request, error)
        return redirect("proposal", case_id=case.pk)
    debt = case.debts.filter(pk=form.cleaned_data["debt"]).first()
    if debt is None:
        raise Http404
    debt.set_included_despite_limitation(form.cleaned_data["include"], by=request.user)
    messages.success(request, _("Saved."))
    return redirect("proposal", case_id=case.pk)


@require_http_methods(["GET", "HEAD", "POST"])
def debt_charges(request, case_id: int, debt_id: int):
    """The charges on one debt's bill, line by line: the owner's own figures (staff read them on the proposal)."""
    case, debt = get_in_case(request, Debt, case_id, debt_id, need=Can.OWNER)
    if request.method != "POST":
        return render(request, "cases/proposal/debt_charges.html", {"case": case, "debt": debt, "form": BillForm(debt=debt)})
    form = BillForm(request.POST, debt=debt)
    if not form.is_valid():
        return render(request, "cases/proposal/debt_charges.html", {"case": case, "debt": debt, "form": form},
                      status=400)
    debt.set_billed_charges(**form.cleaned(), by=request.user)
    messages.success(request, _("Saved: your figures now use the charges on your bill."))
    if "add_line" in request.POST:
        return redirect("debt_charges", case_id=case.pk, debt_id=debt.pk)
    return redirect(reverse("proposal", args=[case.pk]) + f"#debt-{debt.pk}")
