"""The one place that decides who may see which case (IDOR safety).

Every view that names a case, or an object inside one, looks it up here: the
owner gets it, everyone else (staff included) gets a 404 and learns nothing.
Staff are reviewers, not owners: they see a case only through the reviewers'
workplace (``cases.review_access``), masked and audited, never through these pages.
"""

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from .models import Case


class ConsentRequired(Exception):
    """The case may not be processed: consent was never given or was withdrawn.

    ``cases.middleware.ConsentRequiredMiddleware`` answers with a page that says
    so and links to the case's privacy page (the one place that stays open).
    """

    def __init__(self, case: Case):
        super().__init__(case.pk)
        self.case = case


def get_case_for(
    request: HttpRequest,
    case_id: int,
    queryset=None,
    *,
    require_consent: bool = False,
    allow_withdrawn: bool = False,
) -> Case:
    """The case, if the user may see it; 404 otherwise.

    ``require_consent``: pages that read or change the case's data raise
    ``ConsentRequired`` while consent is missing or withdrawn (PIPL Arts 15, 29).
    Every debtor page is the owner's alone: staff reach cases only through the review workplace.
    A case whose owner withdrew consent is frozen everywhere by default, so a new
    view cannot forget it; only the hub and the privacy pages pass ``allow_withdrawn``.
    """
    if not request.user.is_authenticated:
        raise Http404
    qs = (queryset if queryset is not None else Case.objects.all()).filter(owner=request.user)
    case = get_object_or_404(qs, pk=case_id)
    _check_consent(case, require_consent=require_consent, allow_withdrawn=allow_withdrawn)
    return case


def _check_consent(case: Case, *, require_consent: bool, allow_withdrawn: bool) -> None:
    if (require_consent and not case.has_consent) or (case.consent_withdrawn and not allow_withdrawn):
        raise ConsentRequired(case)


def get_in_case(request: HttpRequest, model, case_id: int, pk: int | None = None, queryset=None, *,
                require_consent: bool = False, **lookups):
    """An object of ``model`` (by ``pk`` or other ``lookups``) that belongs to a case
    the user owns, and that case: one query, the same rules as ``get_case_for``."""
    if not request.user.is_authenticated:
        raise Http404
    qs = (queryset if queryset is not None else model.objects.all()).select_related("case")
    qs = qs.filter(case__owner=request.user)
    if pk is not None:
        lookups["pk"] = pk
    obj = get_object_or_404(qs, case_id=case_id, **lookups)
    _check_consent(obj.case, require_consent=require_consent, allow_withdrawn=False)
    return obj.case, obj
