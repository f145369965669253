"""Which cases a member of staff may open in the reviewers' workplace.

Debtor pages are the owner's alone (``cases.access``); staff see a case only
here, through the admin's review page and its file views, every view audited
and sensitive fields masked behind an audited reveal.

With ``REVIEW_ASSIGNED_ONLY`` (on by default when ``DEBUG`` is off) a reviewer
sees only the cases assigned to them; superusers, who assign cases, see all.
A case outside a reviewer's reach is a 404, as for a stranger on a debtor page.
"""

from django.conf import settings
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from .models import Case


def restricted_to_assigned(user) -> bool:
    return bool(settings.REVIEW_ASSIGNED_ONLY) and not user.is_superuser


def reviewable(user, queryset, *, case_field: str = ""):
    """``queryset`` narrowed to what ``user`` may review; ``case_field`` is the path
    from the queryset's model to its case ("" for cases themselves)."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return queryset.none()
    if restricted_to_assigned(user):
        prefix = f"{case_field}__" if case_field else ""
        return queryset.filter(**{f"{prefix}assigned_reviewer": user})
    return queryset


def get_case_for_review(request: HttpRequest, case_id: int, queryset=None) -> Case:
    qs = reviewable(request.user, queryset if queryset is not None else Case.objects.all())
    return get_object_or_404(qs, pk=case_id)


def get_in_case_for_review(request: HttpRequest, model, case_id: int, pk: int, queryset=None):
    """An object of ``model`` in a case the staff user may review, and that case (one query)."""
    if not request.user.is_authenticated:
        raise Http404
    qs = reviewable(request.user, (queryset if queryset is not None else model.objects.all()).select_related("case"),
                    case_field="case")
    obj = get_object_or_404(qs, case_id=case_id, pk=pk)
    return obj.case, obj
