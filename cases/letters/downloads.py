"""What the letter pages hand out: a version's PDF once it is in storage (the
worker is asked to render it otherwise) and the file name it downloads as."""

from .. import audit
from ..models import Case, Letter
from ..tasks import render_letter_pdf
from .kinds import KINDS
from .versions import pdf_ready


def prepare_pdf(letter: Letter, *, bundle: bool = False) -> bool:
    """Whether the PDF is in storage now; if not, the worker is asked to render it
    (the immediate backend renders it before this returns, a real worker later)."""
    if pdf_ready(letter, bundle=bundle):
        return True
    render_letter_pdf.enqueue(letter.pk, bundle=bundle)
    return pdf_ready(letter, bundle=bundle)


def download_name(letter: Letter, *, bundle: bool = False) -> str:
    """The name the PDF downloads as: the letter's printed title, its version, and
    a mark on a bundle and on a draft, so a draft is never mistaken for the letter."""
    title = KINDS[letter.kind].document_title
    if letter.lender:
        title = f"{title}-{''.join(letter.lender.split())}"
    return f"{title}-v{letter.version}{'-证据合订本' if bundle else ''}{'' if letter.is_final else '-草稿'}.pdf"


def record_staff_view(user, case: Case, letter: Letter, action: str) -> None:
    """Staff reading a user's letter leave an entry in the audit trail; the owner does not."""
    if user.pk != case.owner_id:
        audit.record(user, action, case=case, target=f"letter:{letter.pk}")
