"""What a letter cites depends on the kind of lender it is addressed to (a practitioner's review of the demo
letters; DOMAIN.md "Debt-collection conduct", "Credit-card plans", "Citations: what each article supports").

The consumer-finance company rules (NFRA 2024 No. 4) bind consumer-finance companies only: never cited against a
bank or a lender of unknown kind. The credit-card instalment rule (商业银行信用卡业务监督管理办法 Art 70) is asked
for only from a bank, for a credit-card debt. 民法典 533 is only a request to consider negotiating. Each test
renders the real PDF and reads its text back."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cases.lenders import BANK, CONSUMER_FINANCE, OTHER, PRIVATE, lender_kind
from cases.letters import rules, versions
from cases.models import Contact
from cases.negotiation.rules import MISCONDUCT_RULES

from ..factories import make_debt
from ..letters_fixtures import ANT, CMB, choose_plan, make_letter_case
from ..letters_pdf import printed_letter

pytestmark = pytest.mark.django_db

NFRA_RULES = "消费金融公司管理办法"
CBIRC = "银行保险机构消费者权益保护管理办法（原银保监会令2022年第9号）第41条"
NIFA = "互联网金融逾期债务催收自律公约"
CARD_RULE = "《商业银行信用卡业务监督管理办法》第七十条"
THIRD_PARTY = "联系与债务无关的第三人"

# (lender on the contract, product, its kind): a bank's card, a bank-funded Huabei line (信用购), a lender whose
# name says neither bank nor consumer-finance company.
OTHER_LENDERS = [
    pytest.param("招商银行股份有限公司信用卡中心", "credit_card", BANK, id="bank-card"),
    pytest.param("浙江网商银行股份有限公司", "huabei", BANK, id="bank-huabei"),
    pytest.param("深圳市前海某某小额贷款有限公司", "other", OTHER, id="unknown-kind"),
]


def printed(case, kind: str, lender: str) -> str:
    return printed_letter(case, kind, lender)[0]


def case_with(owner, lender: str, product: str):
    """The letters case (Ant's Huabei and Jiebei, a collector who called Ant's debtor's family) plus one debt with
    ``lender`` whose collector also contacted a third party; a plan chosen over both lenders."""
    case = make_letter_case(owner, with_proposal=False)
    debt = make_debt(case, product=product, lender=lender, account_number="6225880011223344",
                     principal=Decimal("15000.00"), overdue_amount=Decimal("3000.00"),
                     overdue_since=timezone.localdate() - timedelta(days=100),
                     annual_rate=Decimal("0.1825"), penalty_daily_rate=Decimal("0.0005"))
    incident = Contact.objects.create(
        case=case, occurred_at=timezone.make_aware(datetime(2026, 10, 20, 15, 10)), channel="collector_call",
        direction="incoming", organisation="某外包催收公司", phone_number="07558321776", outcome="info",
        misconduct=["third_party"], notes="来电称已联系我的妹妹，并说会继续打给我的家人。",
    )
    incident.debts.set([debt])
    choose_plan(case)
    return case


def third_party_row(text: str) -> str:
    """The 违反的规定 cell of the third-party incident: from its label to the next label or the next section."""
    start = text.index(THIRD_PARTY)
    end = min(i for i in (text.find("三、依据", start), text.find("威胁、恐吓", start + 1)) if i != -1)
    return text[start:end]


# --- The rules, as tables ------------------------------------------------------------------


@pytest.mark.parametrize("name, private, kind", [
    ("招商银行股份有限公司信用卡中心", False, BANK),
    ("浙江网商银行股份有限公司", False, BANK),
    ("重庆蚂蚁消费金融有限公司", False, CONSUMER_FINANCE),
    (" 招联 消费金融 有限公司", False, CONSUMER_FINANCE),
    ("深圳市某某小额贷款有限公司", False, OTHER),
    ("王某某", True, PRIVATE),
    ("某某银行股份有限公司", True, BANK),  # the name on the contract outweighs a wrong tick
])
def test_the_kind_of_lender_is_read_from_the_name_on_the_contract(name, private, kind):
    assert lender_kind(name, private) == kind


@pytest.mark.parametrize("kind", [BANK, OTHER, PRIVATE])
def test_no_misconduct_rule_cites_the_consumer_finance_rules_against_any_other_lender(kind):
    for rule in MISCONDUCT_RULES:
        assert NFRA_RULES not in rule.source_for(kind), (rule.slug, kind)
    assert NFRA_RULES not in rules.misconduct_rule("third_party", kind)["source"]


def test_a_consumer_finance_company_is_cited_its_own_rules_for_contacting_third_parties():
    assert NFRA_RULES in rules.misconduct_rule("third_party", CONSUMER_FINANCE)["source"]


@pytest.mark.parametrize("kind", [BANK, CONSUMER_FINANCE, OTHER])
def test_every_licensed_lender_is_cited_the_nifa_convention_and_art_41_only_when_it_binds(kind):
    """CBIRC 2022 No. 9 binds banking institutions (consumer-finance companies included); a lender of unknown
    kind may be a microloan company it does not bind: left out rather than cited wrongly."""
    for rule in MISCONDUCT_RULES:
        source = rule.source_for(kind)
        assert NIFA in source and (CBIRC in source) == (kind != OTHER), (rule.slug, kind)
        assert "; " not in source  # printed in Chinese text: joined with "；"


def test_a_private_lender_is_cited_no_financial_regulation():
    for rule in MISCONDUCT_RULES:
        source = rule.source_for(PRIVATE)
        assert "第41条" not in source and NIFA not in source and NFRA_RULES not in source, rule.slug


@pytest.mark.parametrize("kind, products, applies", [
    (BANK, ["credit_card"], True),
    (BANK, ["huabei", "credit_card"], True),
    (BANK, ["huabei"], False),
    (CONSUMER_FINANCE, ["huabei", "jiebei"], False),
    (CONSUMER_FINANCE, ["credit_card"], False),
    (OTHER, ["credit_card"], False),
])
def test_the_card_instalment_rule_is_only_for_a_banks_credit_card(kind, products, applies):
    assert (rules.card_plan_point(kind, products) is not None) == applies


# --- The letters, rendered -----------------------------------------------------------------


@pytest.mark.parametrize("lender, product, kind", OTHER_LENDERS)
def test_the_collection_complaint_cites_only_what_binds_the_lender(owner, lender, product, kind):
    case = case_with(owner, lender, product)
    text = printed(case, "collection_complaint", lender)
    row = third_party_row(text)
    assert NIFA in row and (CBIRC in row) == (kind == BANK)
    assert NFRA_RULES not in text
    # One addressee: the other lender is not named, nor its collector's call.
    assert ANT not in text and "蚂蚁" not in text and "某催收公司" not in text
    # Addressed to the consumer-finance company, the same incident type cites its own rules too.
    ant = printed(case, "collection_complaint", ANT)
    assert NFRA_RULES in third_party_row(ant)
    assert lender not in ant and "某外包催收公司" not in ant


@pytest.mark.parametrize("lender, product, kind", OTHER_LENDERS)
def test_the_demand_letter_asks_a_bank_for_a_card_plan_and_no_one_else(owner, lender, product, kind):
    case = case_with(owner, lender, product)
    text = printed(case, "demand_letter", lender)
    card = kind == BANK and product == "credit_card"
    assert (CARD_RULE in text) == card
    if card:
        # What the bank may agree, and our request: never a right.
        assert "发卡银行可以与持卡人协商" in text and "最长不超过5年" in text
        assert "请求贵司考虑依照该条，与本人就上述信用卡欠款协商个性化分期还款安排" in text
        assert "应当" not in text[text.index(CARD_RULE):text.index("三、本人的请求")]
    assert ANT not in text and "蚂蚁" not in text
    ant = printed(case, "demand_letter", ANT)
    assert CARD_RULE not in ant and "信用卡" not in ant
    assert lender not in ant


@pytest.mark.parametrize("lender, product, kind", OTHER_LENDERS)
def test_the_negotiation_request_asks_a_bank_for_a_card_plan_and_no_one_else(owner, lender, product, kind):
    case = case_with(owner, lender, product)
    text = printed(case, "negotiation_request", lender)
    assert (CARD_RULE in text) == (kind == BANK and product == "credit_card")
    assert ANT not in text
    assert CARD_RULE not in printed(case, "negotiation_request", ANT)


@pytest.mark.parametrize("lender, product, kind", [*OTHER_LENDERS, pytest.param(ANT, "huabei", CONSUMER_FINANCE,
                                                                                 id="consumer-finance")])
def test_533_is_printed_only_as_a_request_to_consider_negotiating(owner, lender, product, kind):
    case = case_with(owner, lender, product) if lender != ANT else make_letter_case(owner)
    text = printed(case, "demand_letter", lender)
    assert "本人请求贵司考虑本人的上述实际情况，与本人协商调整还款安排（参见《中华人民共和国民法典》第五百三十三条）" in text
    # The article's own words (the adversely affected party may renegotiate) would state hardship as a right.
    assert "受不利影响的当事人可以与对方重新协商" not in text
    assert "第五百三十三条规定" not in text and "双方应当重新协商" not in text


def test_a_complaint_to_a_private_lender_prints_no_empty_citation(owner):
    """No financial regulation binds a private lender: the incident's rule stands without empty brackets
    (a reviewer found "（）" printed)."""
    from cases.models import LenderType

    case = case_with(owner, "张某某", "other")
    case.debts.filter(lender="张某某").update(lender_type=LenderType.PRIVATE)
    text = printed(case, "collection_complaint", "张某某")
    assert THIRD_PARTY in text and "（）" not in text


# --- The demo, as the practitioner read it ---------------------------------------------------

DEMO_NAMES = {ANT: ("重庆蚂蚁消费金融", "蚂蚁"), CMB: ("招商银行", "招行")}


def test_the_demo_letters_to_each_lender_cite_by_its_kind_and_name_no_other_lender(demo_case):
    from cases.letters.kinds import KINDS

    for lender, other in ((CMB, ANT), (ANT, CMB)):
        rendered = []
        for slug, spec in KINDS.items():
            if spec.case_wide:
                continue
            try:
                text = printed(demo_case, slug, lender)
            except versions.MissingData:
                continue
            rendered.append(slug)
            assert not any(name in text for name in DEMO_NAMES[other]), (lender, slug)
            if lender == CMB:
                assert NFRA_RULES not in text, slug
        assert {"collection_complaint", "demand_letter", "negotiation_request"} <= set(rendered), rendered
    bank_complaint = printed(demo_case, "collection_complaint", CMB)
    assert THIRD_PARTY in bank_complaint and CBIRC in third_party_row(bank_complaint)
    assert CARD_RULE in printed(demo_case, "demand_letter", CMB)
    assert CARD_RULE not in printed(demo_case, "demand_letter", ANT)
