"""The other roads' information pages (issue 19): read-only, one case's region decides what the
bankruptcy page shows."""

from django.http import Http404
from django.shortcuts import render

from ..access import get_case_for
from ..letters.kinds import TITLES
from . import rules
from .forms import ShenzhenSelfCheckForm
from .pages import BANKRUPTCY_FACTS, ROAD_BY_SLUG, ROADS


def roads_index(request, case_id: int):
    case = get_case_for(request, case_id)
    regime = rules.bankruptcy_regime(case.province, case.city)
    return render(request, "cases/roads/index.html", {"case": case, "roads": ROADS, "regime": regime})


def road(request, case_id: int, road: str):
    case = get_case_for(request, case_id)
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
        context["scam_signs"] = rules.SCAM_SIGNS
    return render(request, page.template, context)
