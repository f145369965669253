"""A letter version as it prints (``html_for``) and where its PDFs are kept: one
name per content hash and variant (draft or final, with or without the evidence
bundle). A leaf of ``letters``: the renderer, the render queue and ``versions``
all read it, so ``versions.generate`` can queue a render without an import cycle."""

from django.template.loader import render_to_string

from ..models import Letter, private_storage
from .kinds import KINDS


def render_html(snapshot: dict, *, final: bool) -> str:
    """The letter as HTML, from its snapshot only: preview and PDF share it."""
    return render_to_string(KINDS[snapshot["kind"]].template, {"s": snapshot, "final": final})


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


def pdf_recorded(letter: Letter) -> bool:
    """Whether the row names this version's current PDF (draft or final), without asking the storage:
    ``pdf.ensure_pdf`` sets ``Letter.pdf`` only once the file is stored whole, and ``generate`` clears
    it when the content changes. For lists of letters, where a storage lookup each would cost an
    object-storage round trip."""
    return bool(letter.pdf.name) and letter.pdf.name == pdf_name(letter)


def _names_for(case_id: int, content_hash: str) -> list[str]:
    return [_stored_name(case_id, content_hash, final=final, bundle=bundle)
            for final in (False, True) for bundle in (False, True)]


def drop_unowned_pdfs(case_id: int, content_hash: str) -> None:
    """Delete the cached PDFs of this content unless some version of the case still has it."""
    if Letter.objects.filter(case_id=case_id, content_hash=content_hash).exists():
        return
    for name in _names_for(case_id, content_hash):
        storage().delete(name)
