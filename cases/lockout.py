"""Login lockout by username + address, and by account across all addresses (issue 16).

django-axes applies one failure limit to every combination in
``AXES_LOCKOUT_PARAMETERS``. We want two: ``AXES_FAILURE_LIMIT`` (5) failures for
one username from one address, and ``AXES_ACCOUNT_FAILURE_LIMIT`` (20) for the
account from anywhere, so guessing spread over many addresses is stopped too,
while a few typos from a shared (NAT) address do not lock the owner out
elsewhere. Both cool down after ``AXES_COOLOFF_TIME``; choosing a new password
through a reset link lifts both at once (``views.account.PasswordResetConfirmView``).
A successful login (``AXES_RESET_ON_SUCCESS``) clears the account's failures from
every address: whoever logged in knows the password.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.db.models import Sum


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
