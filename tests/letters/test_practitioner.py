"""What a consumer-finance lawyer struck when reading the demo case's printed letters and call cards
(PRACTITIONER.md; DOMAIN.md "Citations", "Limitation", "How the ceiling test is done"). Each test renders the
real PDF from the seeded demo (two lenders, a lawsuit, a possibly time-barred loan, an arrangement plan) and
reads its text back."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.lenders import lender_slug
from cases.letters import pdf, versions
from cases.letters.kinds import (
    COURT_DEFENCE,
    DEMAND_LETTER,
    DOCUMENTS_REQUEST,
    HARDSHIP_STATEMENT,
    LAWYER_SUMMARY,
    MEDIATION_APPLICATION,
    NEGOTIATION_REQUEST,
)
from cases.models import Case

from ..letters_fixtures import ANT, CMB, make_letter_case
from ..letters_pdf import plain_text, printed_letter, read_pdf

pytestmark = pytest.mark.django_db


def printed(case: Case, kind: str, lender: str | None = None) -> str:
    return printed_letter(case, kind, lender)[0]


@pytest.mark.parametrize("lender", [ANT, CMB])
def test_the_mediation_application_names_the_respondent_not_you_the_mediator(demo_case, lender):
    # Addressed to a mediation organisation: "除贵司外" would make the mediator the creditor.
    text = printed(demo_case, MEDIATION_APPLICATION, lender)
    assert "贵司" not in text
    assert "除被申请人外，申请人另有1家债权人" in text
    assert "申请人共" in text and "本人共" not in text


def test_the_hardship_statement_proposes_no_plan(demo_case):
    text = printed(demo_case, HARDSHIP_STATEMENT, ANT)
    assert "除贵司外，本人另有1家债权人" in text and "按各债权人的债权比例分配" in text
    assert "方案" not in text.replace("贵司曾1次提出方案", "")
    # The letters that do propose a plan keep saying how it was split.
    assert "向各债权人提出的方案均按同一比例计算" in printed(demo_case, NEGOTIATION_REQUEST, ANT)


def test_the_lawyer_summary_does_not_assert_that_no_promise_was_made(demo_case):
    # The data cannot show it (the user even wrote that they paid "each debt" a little since August):
    # the lawyer is asked to check it instead.
    text = printed(demo_case, LAWYER_SUMMARY)
    assert "可能已过诉讼时效" in text
    assert "尚未作出任何还款承诺" not in text
    assert "请律师先行核对当事人是否曾对其还款、作出还款承诺或签署文件" in text


def test_the_lawyer_summary_gives_every_figure_on_the_chosen_plans_date(demo_case):
    """A practitioner read the debts at today's figures and the plan at its own earlier date in one summary."""
    proposal = demo_case.proposals.latest()
    assert proposal.figures_date != timezone.localdate()  # the demo's plan is older than today: the case to test
    letter = versions.generate(demo_case, LAWYER_SUMMARY)
    assert letter.snapshot["as_of"] == letter.snapshot["plan"]["as_of"] == proposal.figures_date.isoformat()
    text = printed(demo_case, LAWYER_SUMMARY)
    assert "可能不同" not in text


def test_the_court_defence_cites_only_the_ceiling_it_argues_and_the_collector_as_it_called_itself(demo_case):
    text = printed(demo_case, COURT_DEFENCE, CMB)
    assert "答辩人请求对超出部分予以调减" in text and "法发〔2017〕22号" in text
    # Only the combined 24 % test is argued; 585 on the same charges would be a second cut.
    assert "第五百八十五条" not in text and "法释〔2023〕13号" not in text
    # The caller said it collected for the bank; nothing in the case shows the bank engaged it.
    assert "原告或以原告名义催收的人员" in text and "原告或其委托的催收人员" not in text


def test_the_documents_request_never_grants_the_lender_a_right(demo_case):
    text = printed(demo_case, DOCUMENTS_REQUEST, ANT)
    assert "如贵司主张的上述权利曾经转让" in text
    assert "贵司的权利" not in text


def test_the_demand_letter_asks_585_only_for_liquidated_damages_not_penalty_interest(owner):
    # Penalty interest is measured by the 24 % test; 585 is for liquidated damages (DOMAIN.md "How the ceiling
    # test is done": never both cuts on the same charge).
    case = make_letter_case(owner)
    letter = versions.generate(case, DEMAND_LETTER, None)
    assert Decimal(letter.snapshot["plan"]["waived"]) > 0 and Decimal(letter.snapshot["totals"]["excess_over_cap"]) > 0
    with versions.storage().open(pdf.ensure_pdf(letter), "rb") as fh:
        text = plain_text(read_pdf(fh.read()))
    assert "第五百八十五条" in text and "请求调减" in text
    assert "减少逾期罚息" not in text
    assert "本人据此请求贵司减少违约金（逾期费）及相关费用；已计入上述第（一）项超出部分的，不重复主张" in text


def _card_text(case: Case, lender: str) -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(case.owner)
    response = client.get(reverse("call_card_pdf", args=[case.pk, lender_slug(lender)]))
    assert response.status_code == 200
    return plain_text(read_pdf(response.content))


def test_the_call_card_for_an_arrangement_asks_the_monthly_amount_and_a_review_never_a_total(demo_case):
    # The chosen plan pays the available amount for 12 months with charges frozen, then a review: its total is
    # not the debt, so the card must not offer it "in total" nor spread it over 60 months as a "longer term".
    proposal = demo_case.proposals.get()
    assert proposal.plan["kind"] == "arrangement"
    part = proposal.for_lender(CMB)["part"]
    text = _card_text(demo_case, CMB)
    monthly = Decimal(part["monthly_payment"])
    assert f"每月{monthly}元" in text
    assert f"合计{part['total']}元" not in text
    assert "请求延长期限" not in text and "共60个月" not in text
    assert "法定上限" not in text
    assert "停止计收利息和费用，一年后重新评估" in text


def test_the_call_card_for_a_lender_with_an_old_debt_still_stops_before_any_promise(demo_case):
    text = _card_text(demo_case, ANT)
    assert "不要承诺还款、方案或日期" in text and "每月" not in text
