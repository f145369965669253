"""The demo part for the proposal: the recommended plan, once the case has debts."""

from cases.demo import DEMO_CASE_TITLE, seed
from cases.demo.proposal import add_proposal
from cases.models import Proposal

from ..factories import make_case


def test_a_case_without_debts_gets_no_demo_proposal(db):
    assert add_proposal(make_case()) is None
    assert not Proposal.objects.exists()


def test_demo_proposal_is_the_recommended_plan_and_is_made_once(db):
    # The intake demo part gives the demo case its debts and budget first.
    case = seed()["case"]
    assert case.title == DEMO_CASE_TITLE
    proposal = Proposal.objects.get(case=case)
    assert proposal.chosen_plan == proposal.engine_output["recommended"]
    assert proposal.engine_output["as_of"] == "2026-11-22"
    seed()
    assert Proposal.objects.count() == 1
