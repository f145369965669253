"""``Cache-Control: no-store, private`` on every page served to a signed-in user.

Every such page shows personal data (the dashboard's cases, the wizard's name,
phone and address, the log, the account, the admin). Without the header a
browser or a shared proxy may keep a copy on disk, where the next person at a
shared or borrowed computer finds it with the back button (issue 16).
"""

from django.utils.cache import patch_cache_control


class NoStoreForSignedInMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
