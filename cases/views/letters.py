"""Letters (issue 5). Placeholder views so other features can link by URL name."""

from django.http import Http404
from django.shortcuts import render

from ..access import get_case_for
from ..letters.kinds import TITLES


def letters_index(request, case_id: int):
    case = get_case_for(request, case_id)
    return render(request, "cases/letters_index.html", {"case": case, "kinds": TITLES.items()})


def letter_kind(request, case_id: int, kind: str):
    case = get_case_for(request, case_id)
    if kind not in TITLES:
        raise Http404
    return render(request, "cases/letters_index.html", {"case": case, "kinds": [(kind, TITLES[kind])]})
