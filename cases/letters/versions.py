"""Letter versions: ``generate`` freezes a kind's snapshot of the case into a
Letter version and queues its PDF at once (issue 21). ``html_for`` (the HTML it
prints as) and the names its PDFs are kept under live in ``letters.stored`` and
are named here too."""

import hashlib
from functools import partial

from django.db import transaction
from django.utils import timezone

from .. import audit
from ..models import Letter
from ..lenders import CASE_WIDE, Lender, find_lender
from .context import build_snapshot, case_for_letters, case_lenders, chosen_proposal
from .kinds import KINDS, Missing
from .renders import queue_render
from .stored import WATERMARK, drop_unowned_pdfs, html_for, pdf_name, pdf_ready, render_html, storage

__all__ = ["MissingData", "UnknownLender", "WATERMARK", "case_wide_lender", "content_hash_of", "drop_unowned_pdfs",
           "generate", "html_for", "lender_for", "pdf_name", "pdf_ready", "render_html", "storage"]


class MissingData(Exception):
    def __init__(self, missing: list[Missing]):
        super().__init__(", ".join(str(m.what) for m in missing))
        self.missing = missing


def content_hash_of(html: str) -> str:
    return hashlib.sha256(html.encode()).hexdigest()


class UnknownLender(Exception):
    """The value names none of the case's lenders (``valid``: the ones it could name)."""

    def __init__(self, value: str, valid: list[Lender]):
        super().__init__(value)
        self.value = value
        self.valid = valid


def lender_for(case, value) -> Lender:
    """The case's lender ``value`` names (a Lender, its slug, its name or one of its debts' ids); with no
    value, the case's only lender. UnknownLender otherwise."""
    if isinstance(value, Lender):
        return value
    lenders = case_lenders(case)
    if not value:
        if len(lenders) == 1:
            return lenders[0]
        raise UnknownLender("", lenders)
    found = find_lender(case.debts.all(), str(value))
    if found is None:
        raise UnknownLender(str(value), lenders)
    return found


def case_wide_lender(value) -> Lender:
    """A case-wide document has no addressee: ``value`` must name none (None, "" or "-")."""
    if value in (None, "", "-", CASE_WIDE):
        return CASE_WIDE
    raise UnknownLender(value.name if isinstance(value, Lender) else str(value), [])


def generate(case, slug: str, lender=None, by=None) -> Letter:
    """The current Letter version of ``slug`` to ``lender`` for ``case``, made from the case as it is now.

    Same content as the latest version: that version is returned unchanged. A
    latest version still in draft is refreshed in place; one that was submitted,
    approved, sent or sent back is never touched: a new version follows it. A new
    or refreshed version's PDF is queued once the row is committed (``renders``),
    so it is rendered in the background before anyone asks for it.
    """
    kind = KINDS[slug]
    case = case_for_letters(case.pk)
    try:
        lender = case_wide_lender(lender) if kind.case_wide else lender_for(case, lender)
    except UnknownLender as exc:
        if not exc.valid and kind.missing(case, None):  # no lender yet: say what to fill in first
            raise MissingData(kind.missing(case, None)) from None
        raise
    missing = kind.missing(case, lender)
    if missing:
        raise MissingData(missing)
    snapshot = build_snapshot(case, kind, lender)
    html = render_html(snapshot, final=False)
    digest = content_hash_of(html)
    proposal = chosen_proposal(case)
    with transaction.atomic():
        latest = (Letter.objects.select_for_update().filter(case=case, kind=slug, lender_slug=lender.slug)
                  .order_by("-version").first())
        if latest is not None and latest.content_hash == digest:
            return latest
        fields = {"snapshot": snapshot, "html": html, "content_hash": digest, "proposal": proposal, "pdf": "",
                  "generated_by": by}
        if latest is not None and latest.status == Letter.Status.DRAFT:
            old_hash = latest.content_hash
            for name, value in fields.items():
                setattr(latest, name, value)
            latest.created_at = timezone.now()
            latest.save(update_fields=[*fields, "created_at"])
            letter = latest
            # The refreshed draft's old PDFs would otherwise stay in storage with no row for them.
            transaction.on_commit(lambda: drop_unowned_pdfs(case.pk, old_hash))
        else:
            letter = Letter.objects.create(
                case=case, kind=slug, lender=lender.name, lender_slug=lender.slug,
                version=(latest.version + 1) if latest else 1, **fields
            )
        audit.record(by, "letter_generated", case=case, target=f"letter:{letter.pk}", kind=slug,
                     lender=lender.slug, version=letter.version)
        # robust: the version is saved whatever happens to the queueing (the status poll queues it again).
        transaction.on_commit(partial(queue_render, letter), robust=True)
    return letter
