"""Demo part for letters: one letter of every kind to every lender the demo case has the data for,
and the negotiation request approved by the demo reviewer."""

from django.contrib.auth import get_user_model

from ..letters import versions
from ..letters.context import case_for_letters, case_lenders
from ..letters.kinds import KINDS, NEGOTIATION_REQUEST
from ..models import Case, Letter
from ..review import workplace
from .accounts import REVIEWER_USERNAME


def add_letters(case: Case) -> list[Letter]:
    # Only (kind, lender) pairs without any letter yet: running seed_demo again (even on
    # another day, when the letter date would differ) adds nothing.
    existing = set(Letter.objects.filter(case=case).values_list("kind", "lender_slug"))
    loaded = case_for_letters(case.pk)
    made = []
    for lender in case_lenders(loaded):
        for slug, kind in KINDS.items():
            if kind.case_wide or (slug, lender.slug) in existing or not kind.applies(loaded, lender) or kind.missing(loaded, lender):
                continue
            made.append(versions.generate(case, slug, lender, by=case.owner))
    for slug, kind in KINDS.items():  # the case-wide documents, once
        if kind.case_wide and (slug, "") not in existing and not kind.missing(loaded, None):
            made.append(versions.generate(case, slug, by=case.owner))
    reviewer = get_user_model().objects.filter(username=REVIEWER_USERNAME, is_staff=True).first()
    request = next((letter for letter in made if letter.kind == NEGOTIATION_REQUEST), None)
    if reviewer and request and request.status == Letter.Status.DRAFT:
        request.submit_for_review()
        # As a reviewer decides it: audited, and the approved letter's own PDF (no draft mark) queued.
        workplace.decide(request.pk, case, reviewer, workplace.APPROVE, "内容与材料一致，可以寄出。")
    return made
