"""The other roads' information pages (issue 19): read-only, one case's region decides what the
bankruptcy page shows."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ..access import Can, get_case_for, read_or_edit
from ..letters.kinds import TITLES
from . import rules
from ..models import Case
from .forms import CreditRecordErrorForm, ShenzhenSelfCheckForm
from .pages import BANKRUPTCY_FACTS, ROAD_BY_SLUG, ROADS


@require_safe
def roads_index(request, case_id: int):
    case = get_case_for(request, case_id, need=Can.READ)
    regime = rules.bankruptcy_regime(case.province, case.city)
    return render(request, "cases/roads/index.html", {"case": case, "roads": ROADS, "regime": regime})


@require_safe
def road(request, case_id: int, road: str):
    case = get_case_for(request, case_id, need=Can.READ)
    page = ROAD_BY_SLUG.get(road)
    if page is None:
        raise Http404
    context = {
        "case": case,
        "road": page,
        "sections": [(section.heading, rules.facts(*section.facts)) for section in page.sections],
        "letters": [(slug, TITLES[slug]) for slug in page.letters if slug in TITLES],
    }
    if page.slug == "bankruptcy":
        regime = rules.bankruptcy_regime(case.province, case.city)
        context.update(regime=regime, bankruptcy_facts=rules.facts(*BANKRUPTCY_FACTS[regime]))
        if regime == rules.SHENZHEN:
            form = ShenzhenSelfCheckForm(request.GET if "check" in request.GET else None)
            context.update(form=form, result=form.result() if form.is_bound and form.is_valid() else None)
    if page.slug == "credit-report":
        context.update(_credit_report_context(case), letters=[])  # its letter is per wrong record, below
    return render(request, page.template, context)


def _credit_report_context(case, form=None) -> dict:
    errors = list(case.credit_record_errors.all())
    return {"scam_signs": rules.SCAM_SIGNS, "credit_form": form or CreditRecordErrorForm(case=case),
            "credit_errors": errors}


@require_POST
def credit_record_error(request, case_id: int):
    """Save what is wrong in a lender's credit-report record; the objection letter to it is then offered."""
    case = get_case_for(request, case_id, queryset=Case.objects.prefetch_related("debts", "credit_record_errors"), need=read_or_edit(request))
    form = CreditRecordErrorForm(request.POST, case=case)
    if not form.is_valid():
        messages.error(request, _("Please correct the fields marked below. Nothing was saved."))
        page = ROAD_BY_SLUG["credit-report"]
        context = {"case": case, "road": page,
                   "sections": [(section.heading, rules.facts(*section.facts)) for section in page.sections],
                   "letters": [], **_credit_report_context(case, form)}
        return render(request, page.template, context, status=400)
    row = form.save(case, by=request.user)
    messages.success(request, _("Saved. The objection letter to this lender is ready to write."))
    return redirect(reverse("letter_page", args=[case.pk, "credit_report_objection", row.lender_slug]))
