from django.http import Http404


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
