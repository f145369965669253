"""Account preferences of issue 17 that pages read: the large-text setting put into the session at log-in, and
the new recovery code shown once on the next page."""

from ..models import AccountSettings

NEW_CODE_KEY = "new_recovery_code"


def remember_display(sender, request, user, **kwargs) -> None:
    """At log-in, the account's large-text setting goes into the session, so pages read it for free."""
    request.session["large_text"] = AccountSettings.objects.filter(user=user, large_text=True).exists()


def issue_code_for(request, user) -> None:
    """A new recovery code, to be shown once on the next page (``shown_code``)."""
    request.session[NEW_CODE_KEY] = AccountSettings.of(user).new_recovery_code()


def show_once(request, code: str) -> None:
    request.session[NEW_CODE_KEY] = code


def shown_code(request) -> str | None:
    return request.session.pop(NEW_CODE_KEY, None)
