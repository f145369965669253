"""What the letter pages hand out: a version's PDF once it is in storage (the
worker is asked to render it otherwise, once: ``letters.renders``) and the file name it downloads as."""

from ..models import Letter
from .kinds import KINDS
from .renders import pdf_or_queue


def prepare_pdf(letter: Letter, *, bundle: bool = False) -> bool:
    """Whether the PDF is in storage now; if not, the worker is asked to render it, once
    however often it is asked for (the immediate backend renders it before this returns,
    a real worker later)."""
    return pdf_or_queue(letter, bundle=bundle) is not None


def download_name(letter: Letter, *, bundle: bool = False) -> str:
    """The name the PDF downloads as: the letter's printed title, its version, and
    a mark on a bundle and on a draft, so a draft is never mistaken for the letter."""
    title = KINDS[letter.kind].document_title
    if letter.lender:
        title = f"{title}-{''.join(letter.lender.split())}"
    return f"{title}-v{letter.version}{'-证据合订本' if bundle else ''}{'' if letter.is_final else '-草稿'}.pdf"

