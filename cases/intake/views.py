"""The intake wizard: six steps, each saved on submit, resumable, guarded by
optimistic locking (a stale tab is refused, its input shown again, nothing lost)."""

from decimal import Decimal
from functools import cache

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.forms import modelformset_factory
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..access import Can, get_case_for, read_or_edit
from .steps import (
    STEP_TITLES,
    STEPS,
    budget_totals,
    can_open,
    evidence_checklist,
    first_incomplete_step,
    progress,
    review_warnings,
    with_step_done,
)
from .forms import (
    DEFAULT_LENDERS,
    BaseDebtFormSet,
    BudgetForm,
    CaseAboutForm,
    ConsentForm,
    DebtForm,
    DebtorForm,
    EvidenceDetailsForm,
    EvidenceForm,
    HardshipForm,
    ReadyForm,
    VersionForm,
)
from .keep import save_valid_debt_rows
from ..models import BudgetLine, Case, Debt, Debtor, Evidence, StaleCaseError

STALE_MESSAGE = gettext_lazy(
    "This case was changed in another tab or on another device after you opened this page. "
    "Your changes below are not saved yet. Check them, then save again to keep them, "
    "or reload the page to see the other changes."
)


def _guard(case: Case, step: str):
    """A redirect if the step cannot be opened yet (without consent only "about" can), else None."""
    if not can_open(case, step):
        return redirect(f"intake_{first_incomplete_step(case)}", case_id=case.pk)
    return None


def _next(case: Case):
    """After a save: the first step still to do, so an edit made from the review page returns there."""
    return redirect(f"intake_{first_incomplete_step(case)}", case_id=case.pk)


def render_step(request, template: str, case: Case, step: str, context: dict, status: int = 200):
    context = {
        "case": case,
        "step": step,
        "step_title": STEP_TITLES[step],
        "step_number": STEPS.index(step) + 1,
        "step_count": len(STEPS),
        "progress": progress(case, step),
        "consent_version": settings.CONSENT_TEXT_VERSION,
        **context,
    }
    return render(request, template, context, status=status)


def _version_form(request, case: Case) -> VersionForm:
    if request.method == "POST":
        return VersionForm(request.POST)
    return VersionForm(initial={"version": case.version})


def _refuse_stale(request, case: Case, version_form: VersionForm) -> None:
    case.refresh_from_db()
    version_form.data = version_form.data.copy()
    version_form.data["version"] = str(case.version)
    messages.error(request, STALE_MESSAGE)


def _commit_step(request, case: Case, step: str, version_form, update_fields=(), write=None) -> bool:
    """Mark ``step`` done and save it in one transaction, unless another tab saved
    the case first: then nothing is written, the form is shown again with a message,
    and False is returned."""
    try:
        with transaction.atomic():
            case.completed_steps = with_step_done(case, step)
            case.save_if_current(
                version_form.cleaned_data["version"], update_fields=[*update_fields, "completed_steps"]
            )
            if write:
                write()
    except StaleCaseError:
        _refuse_stale(request, case, version_form)
        return False
    return True


@require_GET
def intake_start(request, case_id: int):
    return _next(get_case_for(request, case_id, need=Can.READ))


@require_POST
def intake_consent(request, case_id: int):
    case = get_case_for(request, case_id, need=Can.OWNER)
    form = ConsentForm(request.POST)
    if not form.is_valid():
        return render_step(request, "cases/intake/about.html", case, "about", {"consent_form": form}, status=400)
    if not case.has_consent:
        case.give_consent(settings.CONSENT_TEXT_VERSION, by=request.user)
    return redirect("intake_about", case_id=case.pk)


@require_http_methods(["GET", "POST"])
def intake_about(request, case_id: int):
    case = get_case_for(request, case_id, need=read_or_edit(request))
    if not case.has_consent:
        return render_step(request, "cases/intake/about.html", case, "about", {"consent_form": ConsentForm()})
    debtor = Debtor.objects.filter(case=case).first() or Debtor(case=case)
    data = request.POST if request.method == "POST" else None
    version_form = _version_form(request, case)
    debtor_form = DebtorForm(data, instance=debtor, prefix="debtor", sensitive=case.access.sees_sensitive)
    case_form = CaseAboutForm(data, instance=case, prefix="case")
    status = 200
    if request.method == "POST":
        if version_form.is_valid() & debtor_form.is_valid() & case_form.is_valid():
            if _commit_step(request, case, "about", version_form,
                            ["province", "city", "household_size", "dependants"], debtor_form.save):
                return _next(case)
            status = 409
        else:
            status = 400
    return render_step(request, "cases/intake/about.html", case, "about", {
        "version_form": version_form, "debtor_form": debtor_form, "case_form": case_form,
    }, status=status)


def _debt_formset_class(extra: int):
    return _debt_formset_class_for(extra, settings.FORMSET_MAX_FORMS)


@cache  # one formset class per number of blank rows (0-30), built once: modelformset_factory makes classes
def _debt_formset_class_for(extra: int, absolute_max: int):
    # absolute_max: a TOTAL_FORMS above it is refused before any form is built (Django's default,
    # max_num + 1000, built 1,030 forms for TOTAL_FORMS=10000: ~4 s of CPU per request).
    return modelformset_factory(
        Debt, form=DebtForm, formset=BaseDebtFormSet, extra=extra, can_delete=True, max_num=30, validate_max=True,
        absolute_max=max(absolute_max, 30),
    )


@require_http_methods(["GET", "POST"])
def intake_debts(request, case_id: int):
    case = get_case_for(request, case_id, need=read_or_edit(request))
    if blocked := _guard(case, "debts"):
        return blocked
    debts = Debt.objects.filter(case=case)
    version_form = _version_form(request, case)
    status = 200
    if request.method == "POST":
        formset = _debt_formset_class(0)(request.POST, queryset=debts, prefix="debts")
        if version_form.is_valid() & formset.is_valid():
            if _commit_step(request, case, "debts", version_form, write=lambda: formset.save_to(case)):
                if "add_row" in request.POST:
                    return redirect(reverse("intake_debts", args=[case.pk]) + "?add=1#debt-rows")
                return _next(case)
            status = 409
        else:
            status = 400
            # Rows are kept only when the errors are in rows: a page whose formset itself is wrong (too many rows,
            # a tampered management form) saves nothing.
            kept = (version_form.is_valid() and not formset.non_form_errors()
                    and save_valid_debt_rows(case, formset, version_form.cleaned_data["version"]))
            if kept:
                count, data = kept
                formset = _debt_formset_class(0)(data, queryset=Debt.objects.filter(case=case), prefix="debts")
                formset.is_valid()
                version_form = VersionForm(data)
                version_form.is_valid()
                messages.success(request, ngettext(
                    "The debt without errors is saved. Correct the marked fields and save again.",
                    "The %(count)s debts without errors are saved. Correct the marked fields and save again.",
                    count) % {"count": count})
    else:
        extra = 1 if request.GET.get("add") or not debts.exists() else 0
        formset = _debt_formset_class(extra)(queryset=debts, prefix="debts")
    return render_step(request, "cases/intake/debts.html", case, "debts", {
        "version_form": version_form, "formset": formset, "lender_defaults": DEFAULT_LENDERS,
        "totals": _debt_totals(formset),
    }, status=status)


def _debt_totals(formset) -> dict:
    principal = overdue = 0
    for form in formset.forms:
        if form.instance.pk:
            principal += form.instance.principal or 0
            overdue += form.instance.overdue_amount or 0
    return {"principal": f"{principal:.2f}", "overdue": f"{overdue:.2f}"}


@require_GET
def intake_debt_row(request, case_id: int):
    """One empty debt row for the formset (htmx), with the form count bumped out of band."""
    case = get_case_for(request, case_id, need=Can.EDIT)
    try:
        index = int(request.GET.get("debts-TOTAL_FORMS", "0"))
    except ValueError:
        index = 0
    index = max(0, min(index, 29))
    formset = _debt_formset_class(index + 1)(queryset=Debt.objects.none(), prefix="debts")
    return render(request, "cases/intake/debts.html#new-row", {
        "case": case, "form": formset.forms[index], "total_forms": index + 1,
    })


@require_http_methods(["GET", "POST"])
def intake_budget(request, case_id: int):
    case = get_case_for(request, case_id, need=read_or_edit(request))
    if blocked := _guard(case, "budget"):
        return blocked
    lines = list(BudgetLine.objects.filter(case=case))
    version_form = _version_form(request, case)
    form = BudgetForm(request.POST if request.method == "POST" else None, lines=lines, case=case)
    status = 200
    if request.method == "POST":
        if version_form.is_valid() & form.is_valid():
            case.savings = form.cleaned_data.get("savings") or 0
            if _commit_step(request, case, "budget", version_form, ["savings"], lambda: BudgetLine.objects.replace_for(case, form.entered())):
                return _next(case)
            status = 409
        else:
            status = 400
    return render_step(request, "cases/intake/budget.html", case, "budget", {
        "version_form": version_form, "form": form, "totals": budget_totals(lines),
    }, status=status)


@require_http_methods(["GET", "POST"])
def intake_hardship(request, case_id: int):
    case = get_case_for(request, case_id, need=read_or_edit(request))
    if blocked := _guard(case, "hardship"):
        return blocked
    version_form = _version_form(request, case)
    form = HardshipForm(request.POST if request.method == "POST" else None, instance=case)
    status = 200
    if request.method == "POST":
        if version_form.is_valid() & form.is_valid():
            if _commit_step(request, case, "hardship", version_form, form.Meta.fields):
                return _next(case)
            status = 409
        else:
            status = 400
    return render_step(request, "cases/intake/hardship.html", case, "hardship", {
        "version_form": version_form, "form": form,
    }, status=status)


def evidence_panel_context(case: Case, form: EvidenceForm | None = None, edit_form=None) -> dict:
    """What the evidence panel shows; a fixed number of queries however many rows. ``edit_form``: a file's
    details form sent back with its errors, shown in place of that file's blank one."""
    debts = list(Debt.objects.filter(case=case))
    lines = list(BudgetLine.objects.filter(case=case))
    evidence = list(Evidence.objects.filter(case=case).select_related("debt"))
    for item in evidence:
        if edit_form is not None and edit_form.instance.pk == item.pk:
            item.details_form = edit_form
        else:
            item.details_form = EvidenceDetailsForm(instance=item, debts=debts)
    used = sum(e.size for e in evidence)
    checklist = evidence_checklist(case, debts, lines, evidence)
    if form is None:
        form = EvidenceForm(case=case, debts=debts, used_bytes=used)
    return {
        "case": case, "evidence": evidence, "checklist": checklist, "upload_form": form,
        "used_mb": f"{used / 1048576:.1f}", "quota_mb": f"{settings.EVIDENCE_CASE_QUOTA_BYTES / 1048576:.0f}",
        "max_mb": f"{settings.EVIDENCE_MAX_FILE_BYTES / 1048576:.0f}",
    }


@require_http_methods(["GET", "POST"])
def intake_evidence(request, case_id: int):
    case = get_case_for(request, case_id, need=read_or_edit(request))
    if blocked := _guard(case, "evidence"):
        return blocked
    version_form = _version_form(request, case)
    status = 200
    if request.method == "POST":
        if version_form.is_valid():
            if _commit_step(request, case, "evidence", version_form):
                return _next(case)
            status = 409
        else:
            status = 400
    return render_step(request, "cases/intake/evidence.html", case, "evidence", {
        "version_form": version_form, **evidence_panel_context(case),
    }, status=status)


@require_http_methods(["GET", "POST"])
def intake_review(request, case_id: int):
    case = get_case_for(request, case_id, need=read_or_edit(request))
    if blocked := _guard(case, "review"):
        return blocked
    debtor = Debtor.objects.filter(case=case).first()
    debts = list(Debt.objects.filter(case=case))
    lines = list(BudgetLine.objects.filter(case=case))
    evidence = list(Evidence.objects.filter(case=case))
    form = ReadyForm(request.POST if request.method == "POST" else None, initial={"version": case.version})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            if _commit_step(request, case, "review", form, write=lambda: case.mark_ready(by=request.user)):
                messages.success(request, _("Your case is ready. Next: work out a plan you can keep."))
                return redirect("case_detail", case_id=case.pk)
            status = 409
        else:
            status = 400
    for debt in debts:
        debt.rate_percent = (debt.annual_rate * 100).quantize(Decimal("0.01"))
    income = [ln for ln in lines if ln.kind == BudgetLine.Kind.INCOME]
    expenses = [ln for ln in lines if ln.kind == BudgetLine.Kind.EXPENSE]
    return render_step(request, "cases/intake/review.html", case, "review", {
        "form": form, "debtor": debtor, "debts": debts, "income": income, "expenses": expenses,
        "totals": budget_totals(lines), "evidence": evidence,
        "warnings": review_warnings(case, debts, lines, evidence),
        "reasons": [label for value, label in Case.Hardship.choices if value in (case.hardship_reasons or [])],
        "debt_total": sum((d.principal for d in debts), 0),
    }, status=status)
