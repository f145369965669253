"""Append-only audit trail with pseudonymous references.

References are keyed hashes (``pseudonym``), so an entry still says "the same case
as entry X" after the case and its owner are deleted, without keeping who they were.
The entries are written by ``AuditEvent.objects`` (cases/models.py), inside the
method that makes the change they record; these names are the same for the
feature modules that record a view or an export.
"""

from .models import AuditEvent, pseudonym

__all__ = ["event", "pseudonym", "record"]


def event(actor, action: str, case=None, target: str = "", **detail) -> AuditEvent:
    """An unsaved entry: ``record`` saves one, ``AuditEvent.objects.bulk_create`` many."""
    return AuditEvent.objects.entry(actor, action, case=case, target=target, **detail)


def record(actor, action: str, case=None, target: str = "", **detail) -> AuditEvent:
    return AuditEvent.objects.record(actor, action, case=case, target=target, **detail)
