"""Letter versions: ``generate`` freezes a kind's snapshot of the case into a
Letter version, ``html_for`` gives the HTML it prints as, and the names its PDFs
are kept under in private storage (one per content hash and variant: draft or
final, with or without the evidence bundle)."""

import hashlib

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .. import audit
from ..models import Letter, private_storage
from ..lenders import Lender, find_lender
from .context import build_snapshot, case_for_letters, case_lenders, chosen_proposal
from .kinds import KINDS, Missing


class MissingData(Exception):
    def __init__(self, missing: list[Missing]):
        super().__init__(", ".join(str(m.what) for m in missing))
        self.missing = missing


def render_html(snapshot: dict, *, final: bool) -> str:
    """The letter as HTML, from its snapshot only: preview and PDF share it."""
    return render_to_string(KINDS[snapshot["kind"]].template, {"s": snapshot, "final": final})


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


def generate(case, slug: str, lender=None, by=None) -> Letter:
    """The current Letter version of ``slug`` to ``lender`` for ``case``, made from the case as it is now.

    Same content as the latest version: that version is returned unchanged. A
    latest version still in draft is refreshed in place; one that was submitted,
    approved, sent or sent back is never touched: a new version follows it.
    """
    kind = KINDS[slug]
    case = case_for_letters(case.pk)
    try:
        lender = lender_for(case, lender)
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
        fields = {"snapshot": snapshot, "html": html, "content_hash": digest, "proposal": proposal, "pdf": ""}
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
    return letter


# Exactly what letters/base.html prints for a draft. User text is escaped, so it
# can never contain this markup.
WATERMARK = '<div class="watermark" aria-hidden="true">草稿</div>'


def html_for(letter: Letter) -> str:
    """The HTML of this version as it prints now: the HTML frozen when it was
    generated, without the draft mark once the letter is final."""
    if not letter.is_final:
        return letter.html
    if WATERMARK in letter.html:
        return letter.html.replace(WATERMARK, "", 1)
    return render_html(letter.snapshot, final=True)



# --- Where its PDFs are kept -------------------------------------------------

def _stored_name(case_id: int, content_hash: str, *, final: bool, bundle: bool) -> str:
    variant = "final" if final else "draft"
    suffix = "-bundle" if bundle else ""
    return f"letters/{case_id}/{content_hash}-{variant}{suffix}.pdf"


def pdf_name(letter: Letter, *, bundle: bool = False) -> str:
    return _stored_name(letter.case_id, letter.content_hash, final=letter.is_final, bundle=bundle)


def storage():
    return private_storage()


def pdf_ready(letter: Letter, *, bundle: bool = False) -> bool:
    return storage().exists(pdf_name(letter, bundle=bundle))


def _names_for(case_id: int, content_hash: str) -> list[str]:
    return [_stored_name(case_id, content_hash, final=final, bundle=bundle)
            for final in (False, True) for bundle in (False, True)]


def drop_unowned_pdfs(case_id: int, content_hash: str) -> None:
    """Delete the cached PDFs of this content unless some version of the case still has it."""
    if Letter.objects.filter(case_id=case_id, content_hash=content_hash).exists():
        return
    for name in _names_for(case_id, content_hash):
        storage().delete(name)
