"""Demo part for letters: one letter of every kind the demo case has the data for,
and the negotiation request approved by the demo reviewer."""

from django.contrib.auth import get_user_model

from ..letters import versions
from ..letters.context import case_for_letters
from ..letters.kinds import KINDS, NEGOTIATION_REQUEST
from ..models import Case, Letter
from .accounts import REVIEWER_USERNAME


def add_letters(case: Case) -> list[Letter]:
    # Only kinds without any letter yet: running seed_demo again (even on another
    # day, when the letter date would differ) adds nothing.
    existing = set(Letter.objects.filter(case=case).values_list("kind", flat=True))
    loaded = case_for_letters(case.pk)
    made = []
    for slug, kind in KINDS.items():
        if slug in existing or kind.missing(loaded):
            continue
        made.append(versions.generate(case, slug, by=case.owner))
    reviewer = get_user_model().objects.filter(username=REVIEWER_USERNAME, is_staff=True).first()
    request = next((letter for letter in made if letter.kind == NEGOTIATION_REQUEST), None)
    if reviewer and request and request.status == Letter.Status.DRAFT:
        request.submit_for_review()
        request.approve(reviewer, "内容与材料一致，可以寄出。")
    return made
