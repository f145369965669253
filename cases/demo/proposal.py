"""Demo part: the demo case's chosen plan (the recommended one), once it has debts."""

from datetime import date

from ..finance.codec import quote_dict
from ..models import Case, Proposal
from ..proposal.quote import engine_input_for

# A fixed date keeps the demo's figures stable from one run to the next.
DEMO_AS_OF = date(2026, 11, 22)


def add_proposal(case: Case) -> Proposal | None:
    """Save the recommended plan as the demo case's proposal; nothing if the case
    has no debts yet, has a proposal already, or there is no plan to recommend."""
    if case.proposals.exists() or not case.debts.exists():
        return None
    engine_input = engine_input_for(case, DEMO_AS_OF)
    quote = quote_dict(engine_input)
    if quote["recommended"] is None:
        return None
    # The recommended plan is always within the available amount (here the arrangement), so no reason is needed.
    return Proposal.objects.create(
        case=case, engine_input=engine_input, engine_output=quote, chosen_plan=quote["recommended"], as_of=DEMO_AS_OF
    )
