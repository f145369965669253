"""What a consumer-law practitioner struck in the demo letters (PRACTITIONER.md; DOMAIN.md "Court documents",
"Settlements"): letters to a lender that has sued ignored the suit, the regulator complaint asserted a call to 12378
that nothing in the case shows, and the court answer offered an arrangement's total as if it settled the claim.
Letters are rendered and their PDF text read back; pages are read as the user sees them."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.lenders import lender_slug
from cases.letters import versions
from cases.letters.kinds import (
    COURT_DEFENCE,
    DEMAND_LETTER,
    MEDIATION_APPLICATION,
    NEGOTIATION_REQUEST,
    REGULATOR_COMPLAINT,
)
from cases.models import Case, Contact, Lawsuit

from ..letters_fixtures import ANT, CMB, choose_plan, make_letter_case
from ..letters_pdf import printed_letter

pytestmark = pytest.mark.django_db


printed = printed_letter


def yuan(value) -> str:
    return f"{Decimal(value):,.2f}"


def chinese_date(iso: str) -> str:
    return f"{int(iso[:4])}年{int(iso[5:7])}月{int(iso[8:10])}日"


def page(case: Case, name: str, *args) -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(case.owner)
    response = client.get(reverse(name, args=[case.pk, *args]))
    assert response.status_code == 200
    return response.content.decode()


def sue(case: Case, lender: str = ANT, *, served_days_ago: int | None = 3) -> Lawsuit:
    served = None if served_days_ago is None else timezone.localdate() - timedelta(days=served_days_ago)
    return Lawsuit.objects.create(case=case, court="深圳市南山区人民法院", case_number="（2026）粤0305民初7号",
                                  plaintiff=lender, served_on=served, claim_principal=Decimal("25000.00"),
                                  claim_penalty=Decimal("3000.00"), claim_total=Decimal("28000.00"))


# --- 1. A lender that has sued: the answer first ------------------------------------------------------------

@pytest.mark.parametrize("kind", [NEGOTIATION_REQUEST, DEMAND_LETTER])
def test_a_letter_to_the_lender_that_sued_names_the_case_and_keeps_the_answer_and_defences(demo_case, kind):
    text, _ = printed(demo_case, kind, CMB)
    assert "贵司已就借款合同纠纷向深圳市南山区人民法院起诉本人（案号：（2026）粤0305民初18324号）" in text
    assert "不影响本人在该案中依法答辩和提出抗辩的权利" in text
    # The other lender has not sued: its letter says nothing of a case.
    other, _ = printed(demo_case, kind, ANT)
    assert "案号" not in other and "起诉" not in other


def test_the_mediation_application_names_the_respondents_case(demo_case):
    text, _ = printed(demo_case, MEDIATION_APPLICATION, CMB)
    assert "被申请人已就借款合同纠纷向深圳市南山区人民法院起诉申请人（案号：（2026）粤0305民初18324号）" in text
    assert "本申请不影响申请人在该案中依法答辩" in text


def test_a_suit_without_a_case_number_is_not_named_in_the_letter(owner):
    case = make_letter_case(owner)
    suit = sue(case)
    suit.case_number = ""
    suit.save()
    text, _ = printed(case, NEGOTIATION_REQUEST, None)
    assert "起诉" not in text and "案号" not in text


def test_the_court_answer_does_not_reserve_its_own_answer(demo_case):
    text, _ = printed(demo_case, COURT_DEFENCE, CMB)
    assert "不影响本人在该案中" not in text and "不影响答辩人" not in text


def test_the_letter_page_warns_that_the_lender_sued_and_the_answer_comes_first(demo_case):
    suit = demo_case.lawsuits.get()
    due = suit.answer_due.isoformat()
    html = page(demo_case, "letter_page", DEMAND_LETTER, lender_slug(CMB))
    assert "lawsuit-warning" in html
    assert "该机构已起诉您" in html and "（2026）粤0305民初18324号" in html
    assert f"您向法院提交答辩状的期限为{due}" in html
    assert "请先答辩" in html and "即使您不答辩，案件也会继续审理" in html and "不要等它" in html
    assert reverse("letter_page", args=[demo_case.pk, COURT_DEFENCE, lender_slug(CMB)]) in html
    # The lender that has not sued, and the answer itself, carry no such warning.
    assert "lawsuit-warning" not in page(demo_case, "letter_page", DEMAND_LETTER, lender_slug(ANT))
    assert "lawsuit-warning" not in page(demo_case, "letter_page", COURT_DEFENCE, lender_slug(CMB))


def test_before_sending_puts_the_court_answer_first(demo_case):
    versions.generate(demo_case, NEGOTIATION_REQUEST, CMB)
    html = page(demo_case, "letter_page", NEGOTIATION_REQUEST, lender_slug(CMB))
    steps = html.split('id="before-sending-heading"')[1].split("</section>")[0]
    due = demo_case.lawsuits.get().answer_due.isoformat()
    assert "请先就深圳市南山区人民法院 （2026）粤0305民初18324号一案向法院提交答辩状" in steps
    assert f"期限为{due}" in steps and "对方对这封信的答复可能晚于该日期才到" in steps
    # The regulator complaint keeps its own to-do after it.
    versions.generate(demo_case, REGULATOR_COMPLAINT, CMB)
    html = page(demo_case, "letter_page", REGULATOR_COMPLAINT, lender_slug(CMB))
    steps = html.split('id="before-sending-heading"')[1].split("</section>")[0]
    assert steps.index("请先就") < steps.index("12378")


def test_a_suit_whose_service_date_is_unknown_still_puts_the_answer_first(owner):
    case = make_letter_case(owner)
    sue(case, served_days_ago=None)
    versions.generate(case, NEGOTIATION_REQUEST, None)
    html = page(case, "letter_page", NEGOTIATION_REQUEST, lender_slug(ANT))
    assert "lawsuit-warning" in html and "送达您之日起15日内提交" in html
    assert "期限为法院的诉讼材料送达您之日起15日内" in html


def test_a_suit_whose_answer_is_past_due_no_longer_asks_to_answer_first(owner):
    case = make_letter_case(owner)
    sue(case, served_days_ago=40)
    versions.generate(case, NEGOTIATION_REQUEST, None)
    html = page(case, "letter_page", NEGOTIATION_REQUEST, lender_slug(ANT))
    assert "lawsuit-warning" not in html and "请先就" not in html


def test_the_letters_list_warns_once_per_sued_lender_and_marks_its_rows(demo_case):
    html = page(demo_case, "letters_index")
    cmb = html.split(f'id="lender-{lender_slug(CMB)}"')[1].split("</section>")[0]
    ant = html.split(f'id="lender-{lender_slug(ANT)}"')[1].split("</section>")[0]
    assert cmb.count("lawsuit-warning") == 1 and "（2026）粤0305民初18324号" in cmb
    assert f"期限为{demo_case.lawsuits.get().answer_due.isoformat()}" in cmb
    court_row = cmb.split(f'id="kind-{COURT_DEFENCE}')[1].split("</li>")[0]
    demand_row = cmb.split(f'id="kind-{DEMAND_LETTER}')[1].split("</li>")[0]
    assert "已被起诉：请先答辩" in demand_row and "已被起诉：请先答辩" not in court_row
    assert "lawsuit-warning" not in ant and "已被起诉" not in ant


# --- 2. No call to 12378 asserted ------------------------------------------------------------------------------

def test_the_regulator_complaint_asserts_no_call_to_the_hotline(demo_case):
    text, _ = printed(demo_case, REGULATOR_COMPLAINT, CMB)
    assert "12378反映" not in text and "同时通过" not in text
    assert text.startswith("投诉书致：国家金融监督管理总局深圳监管局一、投诉人")


def test_the_regulator_complaint_page_suggests_the_hotline_as_a_to_do(demo_case):
    versions.generate(demo_case, REGULATOR_COMPLAINT, ANT)
    html = page(demo_case, "letter_page", REGULATOR_COMPLAINT, lender_slug(ANT))
    steps = html.split('id="before-sending-heading"')[1].split("</section>")[0]
    assert "12378" in steps and "信中没有写您已打过这个电话" in steps


def test_the_regulator_complaint_gives_an_arrangement_with_its_conditions(demo_case):
    text, snapshot = printed(demo_case, REGULATOR_COMPLAINT, CMB)
    plan = snapshot["plan"]
    assert plan["kind"] == "arrangement"
    assert (f"在{plan['months']}个月内每月还款{yuan(plan['monthly_payment'])}元，合计{yuan(plan['total'])}元，"
            f"期间停止计收利息、罚息、违约金及其他费用，{chinese_date(plan['review_on'])}前复核后续安排") in text


def test_the_mediation_application_says_talks_failed_only_when_the_log_shows_a_refusal(owner):
    case = make_letter_case(owner)
    text, _ = printed(case, MEDIATION_APPLICATION, None)
    assert "双方未能就还款安排达成一致" in text
    Contact.objects.filter(case=case, outcome="refused").update(outcome="no_answer")
    text, _ = printed(case, MEDIATION_APPLICATION, None)
    assert "双方未能就还款安排达成一致" not in text and "申请人特申请就还款安排进行调解" in text


# --- 3. The court answer's mediation offer with its conditions -------------------------------------------------

def test_the_court_answer_offers_an_arrangement_with_its_conditions_and_what_it_leaves(demo_case):
    text, snapshot = printed(demo_case, COURT_DEFENCE, CMB)
    plan = snapshot["plan"]
    assert plan["kind"] == "arrangement" and plan["review_on"]
    assert f"每月{yuan(plan['monthly_payment'])}元，共{plan['months']}期，合计{yuan(plan['total'])}元（" not in text
    assert (f"如调解，答辩人可以提出的方案：在{plan['months']}个月内每月向原告还款{yuan(plan['monthly_payment'])}元，"
            f"合计{yuan(plan['total'])}元，期间原告停止计收利息、罚息、违约金及其他费用；"
            f"{chinese_date(plan['review_on'])}前双方根据答辩人届时的收支情况复核后续安排") in text
    assert "该方案是复核期内的过渡安排，并非对原告诉讼请求的清偿；其余欠款如何偿还，由双方在复核时另行协商" in text
    # No figure of what is left: it would rest on the debtor's own count of the charges, whose base can go either way.
    assert "按答辩人核算" not in text and "扣除上述" not in text


def test_the_court_answer_offers_a_settling_plan_on_condition_it_is_paid(owner):
    case = make_letter_case(owner)
    sue(case)
    text, snapshot = printed(case, COURT_DEFENCE, None)
    plan = snapshot["plan"]
    assert plan["kind"] == "waiver" and not plan["review_on"]
    assert f"如调解，答辩人可以提出的方案：按“{plan['label']}”的方式，" in text
    assert f"合计{yuan(plan['total'])}元。" in text
    assert f"该方案以答辩人按期付清上述{yuan(plan['total'])}元为条件，请求原告在付清后免除其余款项。" in text
    assert "按答辩人核算" not in text


def test_the_court_answer_offering_the_whole_balance_is_still_conditional_on_payment(owner):
    case = make_letter_case(owner)
    choose_plan(case, "full_balance")
    sue(case)
    text, snapshot = printed(case, COURT_DEFENCE, None)
    assert snapshot["plan"]["kind"] == "full_balance"
    assert f"合计{yuan(snapshot['plan']['total'])}元。该方案以答辩人按期付清上述" in text
