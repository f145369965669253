"""What the reviewer's case page opens on (issue 17): the letters waiting for a decision and the plan the
debtor chose, the one those letters propose, beside the recommended one; the rest of the page is collapsed."""

from .models import Case, Letter, Proposal
from .review import PLAN_LABELS


def chosen_plan(case: Case, pending: list[Letter]) -> dict | None:
    """The plan of the proposal the first waiting letter cites, else of the case's latest proposal."""
    proposal_id = next((letter.proposal_id for letter in pending if letter.proposal_id), None)
    proposals = Proposal.objects.filter(case=case).only("engine_output", "chosen_plan")
    proposal = (proposals.filter(pk=proposal_id) if proposal_id else proposals).first()
    if proposal is None:
        return None
    plans = proposal.engine_output.get("plans") or []
    if not 0 <= proposal.chosen_plan < len(plans):
        return None
    plan = plans[proposal.chosen_plan]
    return {**plan, "label": PLAN_LABELS.get(plan.get("kind"), plan.get("kind")),
            "is_recommended": proposal.engine_output.get("recommended") == proposal.chosen_plan}


def desk(case: Case, letters: list[Letter]) -> dict:
    pending = [letter for letter in letters if letter.status == Letter.Status.IN_REVIEW]
    return {"pending": pending, "chosen": chosen_plan(case, pending)}
