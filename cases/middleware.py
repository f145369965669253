import time

from django.conf import settings
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
        # The privacy page is the owner's alone: a helper or adviser is told why, with no link to it (issue 20).
        helper = exception.case.owner_id != request.user.pk
        if getattr(request, "htmx", False):
            # htmx swaps nothing on a 403; send the whole page to the case's privacy page (a helper: its hub) instead.
            return HttpResponseClientRedirect(reverse("case_detail" if helper else "case_privacy",
                                                      args=[exception.case.pk]))
        return render(request, "cases/privacy/consent_required.html", {"case": exception.case, "helper": helper},
                      status=403)


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


class SessionRenewalMiddleware:
    """Sessions end after ``SESSION_COOKIE_AGE`` seconds without activity.

    Django's ``SESSION_SAVE_EVERY_REQUEST`` would renew them with a database
    write (and a commit) on every request. Here a request renews its session
    only when the last renewal is ``SESSION_RENEW_INTERVAL`` seconds old or
    more, so an idle session ends between ``SESSION_COOKIE_AGE`` minus that
    interval and ``SESSION_COOKIE_AGE`` after the last request. Requests without
    a session (anonymous visitors) never get one from here.
    """

    KEY = "_renewed_at"

    @classmethod
    def stamp_login(cls, sender, request, user, **kwargs):
        """A login saves the session anyway: it counts as its first renewal."""
        if request is not None and hasattr(request, "session"):
            request.session[cls.KEY] = time.time()

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = request.session
        renewed_at = session.get(self.KEY, 0)  # loads the session; an unknown or expired one has no key after
        if session.session_key is not None:
            now = time.time()
            if now - renewed_at >= settings.SESSION_RENEW_INTERVAL:
                session[self.KEY] = now  # modified: SessionMiddleware saves it and renews the cookie
        return response
