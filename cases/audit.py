"""Append-only audit trail with pseudonymous references.

References are keyed hashes, so an entry still says "the same case as entry X"
after the case and its owner are deleted, without keeping who they were.
"""

import hashlib
import hmac

from django.conf import settings

from .models import AuditEvent


def pseudonym(kind: str, pk) -> str:
    if pk is None:
        return ""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{kind}:{pk}".encode(), hashlib.sha256).hexdigest()
    return f"{kind}:{digest[:16]}"


def event(actor, action: str, case=None, target: str = "", **detail) -> AuditEvent:
    """An unsaved entry: ``record`` saves one, ``AuditEvent.objects.bulk_create`` many."""
    actor_id = getattr(actor, "pk", None)
    return AuditEvent(
        actor=actor if actor_id else None,
        actor_ref=pseudonym("user", actor_id),
        case_ref=pseudonym("case", getattr(case, "pk", None)),
        action=action,
        target=target,
        detail=detail,
    )


def record(actor, action: str, case=None, target: str = "", **detail) -> AuditEvent:
    entry = event(actor, action, case=case, target=target, **detail)
    entry.save(force_insert=True)
    return entry
