"""Login lockout by username + address, and by account across all addresses (issue 16);
the same for guessing recovery codes, plus a limit per address across accounts.

django-axes applies one failure limit to every combination in
``AXES_LOCKOUT_PARAMETERS``. We want two: ``AXES_FAILURE_LIMIT`` (5) failures for
one username from one address, and ``AXES_ACCOUNT_FAILURE_LIMIT`` (20) for the
account from anywhere, so guessing spread over many addresses is stopped too,
while a few typos from a shared (NAT) address do not lock the owner out
elsewhere. Both cool down after ``AXES_COOLOFF_TIME``; choosing a new password
through a reset link lifts both at once (``views.account.PasswordResetConfirmView``).
A successful login (``AXES_RESET_ON_SUCCESS``) clears the account's failures from
every address: whoever logged in knows the password.

Wrong recovery codes (``accounts.preference_views.recover``) are counted by the same
machinery under their own name, ``recovery:<username>``, so the two never lock each
other: someone who forgot the password and was locked out of logging in can still use
the code written down at sign-up, which is what it is for. The code's guesses get the
same two limits, and one more: ``RECOVERY_ADDRESS_FAILURE_LIMIT`` wrong codes from one
address for any accounts pause that address's recovery page (guessing many accounts'
codes from one place); it touches only the recovery page, never logging in.

Accounts made are counted the same way (``signup:<log-in name>``): after
``SIGNUP_ADDRESS_LIMIT`` of them in ``AXES_COOLOFF_TIME`` one address's sign-up pauses, so
one person cannot make accounts without end (each with its own cases and storage quota).
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from axes.utils import reset as reset_failures
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

# A colon is never in a username (Django's validator), so these names collide with no account's.
RECOVERY = "recovery:"
SIGNUP = "signup:"


class AccountAwareAxesHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        # One queryset per AXES_LOCKOUT_PARAMETERS entry: [username + address, username].
        counts = [qs.aggregate(total=Sum("failures_since_start"))["total"] or 0
                  for qs in self.get_user_attempts(request, credentials)]
        pair = counts[0] if counts else 0
        account = counts[1] if len(counts) > 1 else 0
        if account >= settings.AXES_ACCOUNT_FAILURE_LIMIT:
            return max(pair, get_failure_limit(request, credentials))
        return pair


def record_names(username: str) -> list[str]:
    """Every name django-axes keeps an account's records under: its log-ins, its recovery codes and the
    sign-up that made it (an account deleted has all three forgotten)."""
    name = username.strip().lower()
    return [username, RECOVERY + name, SIGNUP + name]


def _recovery_credentials(username: str) -> dict:
    return {"username": record_names(username)[1]}


def _failures_from_here(request, prefix: str) -> int:
    AxesProxyHandler.update_request(request)
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(
        ip_address=request.axes_ip_address, username__startswith=prefix, attempt_time__gte=since,
    ).aggregate(total=Sum("failures_since_start"))["total"] or 0


def _count_failure(request, credentials: dict) -> None:
    AxesProxyHandler.user_login_failed(sender=_count_failure, credentials=credentials, request=request)
    # The page answers a pause itself, in its own words: axes's flag for its login lockout page is put back.
    request.axes_locked_out = False


def recovery_paused(request, username: str) -> bool:
    """Whether this address may not try a recovery code for this username now."""
    if AxesProxyHandler.is_locked(request, _recovery_credentials(username)):
        return True
    return _failures_from_here(request, RECOVERY) >= settings.RECOVERY_ADDRESS_FAILURE_LIMIT


def recovery_failed(request, username: str) -> None:
    """Count one wrong recovery code."""
    _count_failure(request, _recovery_credentials(username))


def recovery_succeeded(username: str) -> None:
    """A right code (and so a new password) lifts the login lockout and the code's own."""
    reset_failures(username=username)
    reset_failures(username=_recovery_credentials(username)["username"])


def signup_paused(request) -> bool:
    """Whether this address made ``SIGNUP_ADDRESS_LIMIT`` accounts lately: asked before any
    name is looked up, so a pause says nothing about the name typed."""
    return _failures_from_here(request, SIGNUP) >= settings.SIGNUP_ADDRESS_LIMIT


def signup_made(request, username: str) -> None:
    """Count one account made from this address."""
    _count_failure(request, {"username": record_names(username)[2]})
