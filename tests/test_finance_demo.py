"""The demo part for the proposal: the recommended plan, once the case has debts."""

from cases.demo import DEMO_CASE_TITLE, seed
from cases.demo.proposal import add_proposal
from cases.models import Proposal

from .factories import make_budget_line, make_debt


def test_seed_demo_without_debts_creates_no_proposal(db):
    seed()
    assert not Proposal.objects.exists()


def test_demo_proposal_is_the_recommended_plan_and_is_made_once(db):
    case = seed()["case"]
    assert case.title == DEMO_CASE_TITLE
    make_debt(case)
    make_budget_line(case, "income", "salary", "6800.00")
    make_budget_line(case, "expense", "housing", "2200.00")
    proposal = add_proposal(case)
    assert proposal.chosen_plan == proposal.engine_output["recommended"]
    assert proposal.engine_output["as_of"] == "2026-11-22"
    seed()
    assert Proposal.objects.count() == 1
