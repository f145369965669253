"""An audit entry as a superuser reads it (issue 17): the action, what it is about and its details in words,
from the codes ``cases/audit_words.py`` explains. References stay exact (a lender's key, a pseudonym) and are
marked ``translate="no"``: they are data to compare, not words to read."""

from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext, gettext_lazy as _

from ..audit_words import DELETION_REASONS, TARGETS
from ..letters.choices import LetterKind
from ..models import AuditEvent, CheckIn
from ..proposal.quote import PLAN_TITLES
from .workplace import sensitive_label

DETAIL_LABELS = {
    "version": _("version"),
    "amount": _("amount (yuan)"),
    "codes": _("statements confirmed"),
    "lines": _("lines on the bill"),
    "content_type": _("file type"),
    "size": _("size"),
    "kind": _("kind"),
    "lender": _("lender's key"),
    "result": _("result"),
    "count": _("cases"),
    "sensitive": _("with masked fields"),
    "reason": _("why"),
}


def reference(text: str) -> SafeString:
    return format_html('<span class="ref" translate="no">{}</span>', text)


def target(value: str) -> SafeString:
    """"letter:18" as "letter 18"; a masked field by its name; a pseudonym's hash as it is."""
    if not value:
        return format_html("{}", "—")
    prefix, _sep, rest = value.partition(":")
    if prefix in TARGETS and rest:
        return format_html("{} {}", TARGETS[prefix], reference(rest))
    label = sensitive_label(value)
    return format_html("{}", label) if label is not None else reference(value)


def _value(event: AuditEvent, key: str, value):
    if value is None or value == "":
        return "—"
    if key == "kind" and event.action == "proposal_chosen":
        return str(PLAN_TITLES.get(value, value))
    if key == "kind" and value in LetterKind.values:
        return LetterKind(value).label
    if key == "result" and value in CheckIn.Result.values:
        return CheckIn.Result(value).label
    if key == "reason":
        return str(DELETION_REASONS.get(value, value))
    if key == "size" and isinstance(value, int):
        return filesizeformat(value)
    if key == "codes" and isinstance(value, list):
        return str(len(value))
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if key == "lender":
        return reference(value)
    return value


def details(event: AuditEvent) -> SafeString:
    """"kind: Statement of financial hardship; version: 2" in the admin's words; nothing → "—"."""
    if not event.detail:
        return format_html("{}", "—")
    return format_html_join("; ", "{}: {}", (
        (DETAIL_LABELS.get(key, key), _value(event, key, value)) for key, value in event.detail.items()))
