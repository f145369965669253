from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from .access import ConsentRequired


class StaffOnlyAdminMiddleware:
    """Signed-in users who are not staff never see that the admin exists."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/admin/"):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated and not user.is_staff:
                raise Http404
        return self.get_response(request)


class ConsentRequiredMiddleware:
    """Turns ``ConsentRequired`` into a clear page: processing has stopped, here is why and what you can do."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ConsentRequired):
            return None
        if getattr(request, "htmx", False):
            # htmx swaps nothing on a 403; send the whole page to the case's privacy page instead.
            return HttpResponseClientRedirect(reverse("case_privacy", args=[exception.case.pk]))
        return render(request, "cases/consent_required.html", {"case": exception.case}, status=403)


class RejectNulMiddleware:
    """A NUL character in the URL or its query string is a 400 before any view runs.

    Forms refuse NUL themselves, but query strings go straight into ORM filters (the admin's filters and search);
    PostgreSQL refuses NUL in text, so ``?kind=%00`` on an admin changelist was a 500 there (and not on SQLite)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any("\x00" in key or any("\x00" in v for v in values)
                                         for key, values in request.GET.lists()):
            return HttpResponseBadRequest("Bad Request: NUL character in the address.", content_type="text/plain")
        return self.get_response(request)
