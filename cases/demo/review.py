"""Demo part for the review (issue 7): one letter of the demo case waits for the reviewer."""

from ..models import Case, Letter


def put_a_letter_in_review(case: Case) -> Letter | None:
    """Send the newest draft to review, unless a letter already waits there."""
    letters = case.letters.defer("snapshot", "html")
    if letters.filter(status=Letter.Status.IN_REVIEW).exists():
        return None
    draft = letters.filter(status=Letter.Status.DRAFT).order_by("-created_at", "-id").first()
    if draft is None:
        return None
    draft.submit_for_review()
    return draft
