"""What the reviewer's case page opens on (issue 17): the letters waiting for a decision and the plan the
debtor chose, the one those letters propose, beside the recommended one; the rest of the page is collapsed."""

from ..models import Case, Letter, Proposal
from ..review_access import reviewable
from .workplace import PLAN_LABELS, review_queue


def chosen_plan_of(proposal: Proposal) -> dict | None:
    plans = (proposal.engine_output or {}).get("plans") or []
    if proposal.chosen_plan is None or not 0 <= proposal.chosen_plan < len(plans):
        return None
    plan = plans[proposal.chosen_plan]
    return {**plan, "label": PLAN_LABELS.get(plan.get("kind"), plan.get("kind")),
            "is_recommended": proposal.engine_output.get("recommended") == proposal.chosen_plan}


def chosen_plan(case: Case, pending: list[Letter]) -> dict | None:
    """The plan of the proposal the first waiting letter cites, else of the case's latest proposal."""
    proposal_id = next((letter.proposal_id for letter in pending if letter.proposal_id), None)
    proposals = Proposal.objects.filter(case=case).only("engine_output", "chosen_plan")
    proposal = (proposals.filter(pk=proposal_id) if proposal_id else proposals).first()
    return None if proposal is None else chosen_plan_of(proposal)


def desk(case: Case, letters: list[Letter]) -> dict:
    pending = [letter for letter in letters if letter.status == Letter.Status.IN_REVIEW]
    return {"pending": pending, "chosen": chosen_plan(case, pending)}


def attach_waiting_letters(cases: list[Case]) -> list[Case]:
    """Each case of a queue page with the titles of its letters waiting for review (one query)."""
    waiting: dict[int, list[str]] = {case.pk: [] for case in cases}
    rows = (Letter.objects.filter(case__in=list(waiting), status=Letter.Status.IN_REVIEW)
            .order_by("submitted_at", "pk").only("case_id", "kind", "version"))
    for letter in rows:
        waiting[letter.case_id].append(str(letter))
    for case in cases:
        case.waiting_letters = waiting[case.pk]
    return cases


def queue_count(user) -> int:
    """How many cases of ``user``'s review queue have a letter waiting: the number the admin home
    leads with, counted as the queue its link opens is (``CaseInReviewAdmin.get_queryset``)."""
    return review_queue(reviewable(user, Case.objects.all())).count()
