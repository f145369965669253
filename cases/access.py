"""The one place that decides who may see which case (IDOR safety).

Every view that names a case, or an object inside one, looks it up here: the
owner gets it, staff get it, everyone else gets a 404 and learns nothing.
"""

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from .models import Case


def cases_visible_to(user):
    if user.is_staff:
        return Case.objects.all()
    return Case.objects.owned_by(user)


def get_case_for(request: HttpRequest, case_id: int, queryset=None) -> Case:
    if not request.user.is_authenticated:
        raise Http404
    qs = queryset if queryset is not None else Case.objects.all()
    if not request.user.is_staff:
        qs = qs.filter(owner=request.user)
    return get_object_or_404(qs, pk=case_id)


def get_in_case(request: HttpRequest, model, case_id: int, pk: int, queryset=None):
    """An object of ``model`` that belongs to a case the user may see."""
    case = get_case_for(request, case_id)
    qs = queryset if queryset is not None else model.objects.all()
    return case, get_object_or_404(qs, case=case, pk=pk)
