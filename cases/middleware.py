from django.http import Http404
from django.shortcuts import render

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
        if isinstance(exception, ConsentRequired):
            template = "cases/consent_required.html#notice" if getattr(request, "htmx", False) else "cases/consent_required.html"
            return render(request, template, {"case": exception.case}, status=403)
        return None
