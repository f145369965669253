"""Limits that keep one user from exhausting the service for others (issue 16).

Each limit is a setting (``negotiator/settings.py``, with an environment variable
of the same name) and each refusal is a ``LimitReached`` whose message names the
limit and says what to do. Counting happens under a row lock on the case (or the
user) where two requests could otherwise both pass the check: see ``lock_case``.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Case, Contact, Evidence


class LimitReached(Exception):
    """A per-case or per-user limit; ``str(exc)`` is the translated message for the user."""


def lock_case(case: Case) -> None:
    """Take the case's row lock for the rest of the transaction: parallel uploads and log
    entries of one case then count and insert one after the other (PostgreSQL ``FOR UPDATE``;
    SQLite's IMMEDIATE transactions already run writers one at a time)."""
    Case.objects.select_for_update().filter(pk=case.pk).values_list("pk", flat=True).get()


def lock_user(user) -> None:
    get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).get()


def check_contact_allowed(case: Case) -> None:
    limit = settings.CASE_MAX_CONTACTS
    if Contact.objects.filter(case=case).count() >= limit:
        raise LimitReached(
            _("This case's log already has %(limit)s entries, the most one case can keep. Delete entries you no "
              "longer need, or note several similar calls in one entry.") % {"limit": limit})


def check_evidence_allowed(case: Case, size: int) -> None:
    """Files per case, files per user and the case's byte quota, counted in one query."""
    totals = Evidence.objects.filter(case__owner_id=case.owner_id).aggregate(
        user_files=Count("pk"),
        case_files=Count("pk", filter=Q(case=case)),
        case_bytes=Sum("size", filter=Q(case=case)),
    )
    if totals["case_files"] >= settings.CASE_MAX_EVIDENCE_FILES:
        raise LimitReached(
            _("This case already has %(limit)s files, the most one case can keep. Delete files you do not need "
              "first, or combine several pages into one PDF.") % {"limit": settings.CASE_MAX_EVIDENCE_FILES})
    if totals["user_files"] >= settings.USER_MAX_EVIDENCE_FILES:
        raise LimitReached(
            _("Your cases already hold %(limit)s files, the most one account can keep. Delete files you do not "
              "need first.") % {"limit": settings.USER_MAX_EVIDENCE_FILES})
    used = totals["case_bytes"] or 0
    quota = settings.EVIDENCE_CASE_QUOTA_BYTES
    if used + size > quota:
        raise LimitReached(
            _("This case already stores %(used)s MB of evidence; the limit is %(quota)s MB. Delete files you do not need first.")
            % {"used": f"{used / 1048576:.1f}", "quota": f"{quota / 1048576:.0f}"})


def check_case_allowed(user) -> None:
    hour_ago = timezone.now() - timedelta(hours=1)
    counts = Case.objects.filter(owner=user).aggregate(total=Count("pk"), recent=Count("pk", filter=Q(created_at__gte=hour_ago)))
    if counts["total"] >= settings.USER_MAX_CASES:
        raise LimitReached(
            _("You already have %(limit)s cases, the most one account can open. Close or delete a case you no "
              "longer need first.") % {"limit": settings.USER_MAX_CASES})
    if counts["recent"] >= settings.USER_MAX_CASES_PER_HOUR:
        raise LimitReached(
            _("You opened %(limit)s cases in the last hour. Please continue with one of them, or try again later.")
            % {"limit": settings.USER_MAX_CASES_PER_HOUR})


def open_case(user) -> Case:
    """A new case for ``user`` within the limits above; two clicks at once count one after the other."""
    with transaction.atomic():
        lock_user(user)
        check_case_allowed(user)
        return Case.objects.create(owner=user)
