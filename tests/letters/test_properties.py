"""Letters v2 properties over generated cases (issue 15 "Done when"), checked on real PDFs read back:
several lenders, some debts possibly time-barred, empty and full logs, statements ticked or not.

For every lender-addressed letter: exactly one lender named, no other lender's name or contract number;
no monthly payment above the available amount unless the reason is printed; every amount printed is one
of the snapshot's; no payment offered on a possibly time-barred debt; each conditional sentence exactly
when its data supports it."""

import re
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from cases.finance.codec import quote_dict
from cases.letters import pdf, rules, versions
from cases.letters.context import case_lenders
from cases.models import Contact, Proposal
from cases.proposal.quote import engine_input_for

from ..factories import make_budget_line, make_case, make_debt, make_debtor, make_user
from ..letters_pdf import plain_text, read_pdf

pytestmark = pytest.mark.django_db

LENDERS = ["重庆蚂蚁消费金融有限公司", "招商银行股份有限公司信用卡中心", "浙江网商银行股份有限公司"]
AMOUNT = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})*\.\d{2}(?!\d)")
# The letters that offer payment, and the two others every lender gets.
OFFERING = ("negotiation_request", "demand_letter")
ALSO = ("hardship_statement",)

debt_strategy = st.fixed_dictionaries({
    "lender": st.sampled_from(range(len(LENDERS))),
    "principal": st.integers(1_000, 60_000),
    "overdue_share": st.integers(10, 100),
    "old": st.booleans(),  # last due more than three years ago: may be time-barred
    "product": st.sampled_from(["huabei", "jiebei", "credit_card"]),
})
case_strategy = st.fixed_dictionaries({
    "debts": st.lists(debt_strategy, min_size=2, max_size=4),
    "income": st.integers(3_000, 15_000),
    "full_log": st.booleans(),
    "statements": st.lists(st.sampled_from(list(rules.STATEMENTS)), unique=True, max_size=4),
})


def build_case(spec: dict, n: int):
    today = timezone.localdate()
    case = make_case(make_user(f"prop{n}-{datetime.now().timestamp()}"), statements=spec["statements"])
    make_debtor(case, name="王小明")
    debts = []
    for i, row in enumerate(spec["debts"]):
        overdue_since = date(2021, 5, 1) if row["old"] else today - timedelta(days=90 + 7 * i)
        principal = Decimal(row["principal"])
        debts.append(make_debt(
            case, product=row["product"], lender=LENDERS[row["lender"]],
            account_number=f"62{row['lender']}{i}{7000 + 111 * i + 13 * row['lender']:04d}98{i}{row['lender']}",
            principal=principal, overdue_amount=(principal * row["overdue_share"] / 100).quantize(Decimal("0.01")),
            overdue_since=overdue_since, last_due_date=overdue_since, annual_rate=Decimal("0.18"),
        ))
    make_budget_line(case, "income", "salary", str(spec["income"]))
    make_budget_line(case, "expense", "housing", "2000.00")
    case.hardship_reasons = ["unemployment"]
    case.hardship_since = date(2026, 5, 1)
    case.hardship_what_happened = "公司裁员后收入中断。"
    case.save()
    if spec["full_log"]:
        for debt in debts:
            for outcome in ("refused", "no_answer"):
                contact = Contact.objects.create(
                    case=case, occurred_at=timezone.now() - timedelta(days=20), channel="hotline",
                    direction="outgoing", organisation="客服", outcome=outcome, asked="申请分期")
                contact.debts.set([debt])
    engine_input = engine_input_for(case)
    output = quote_dict(engine_input)
    if output["recommended"] is None:
        return case, None
    proposal = Proposal.objects.create(case=case, engine_input=engine_input, engine_output=output,
                                       chosen_plan=output["recommended"], as_of=today)
    return case, proposal


def snapshot_amounts(value) -> set[str]:
    """Every amount anywhere in the snapshot, as letters print it (12,345.67)."""
    found = set()
    if isinstance(value, dict):
        for item in value.values():
            found |= snapshot_amounts(item)
    elif isinstance(value, list):
        for item in value:
            found |= snapshot_amounts(item)
    elif isinstance(value, str) and re.fullmatch(r"-?\d+\.\d{2}", value):
        found.add(f"{Decimal(value):,.2f}")
    elif isinstance(value, str):
        found |= set(AMOUNT.findall(value))
    return found


def text_of(letter) -> tuple[str, str]:
    """(the text without whitespace, for sentences across line breaks; the raw text, for amounts)."""
    with versions.storage().open(pdf.ensure_pdf(letter), "rb") as fh:
        reader = read_pdf(fh.read())
    return plain_text(reader), "\n".join(page.extract_text() for page in reader.pages)


# No shrinking phase: each example renders several PDFs, and shrinking one takes minutes; the failing
# example is printed as found.
@settings(max_examples=6, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                HealthCheck.too_slow])
@given(spec=case_strategy, n=st.integers(0, 10**9))
def test_every_letter_to_a_lender_is_about_that_lender_only_and_safe(db, spec, n):
    case, proposal = build_case(spec, n)
    if proposal is None:
        return
    lenders = case_lenders(case)
    accounts = {debt.pk: debt.account_number for debt in case.debts.all()}
    for lender in lenders:
        for slug in (*OFFERING, *ALSO):
            try:
                letter = versions.generate(case, slug, lender)
            except versions.MissingData:
                view = proposal.for_lender(lender.name)
                live = [d for d in view["debts"] if d["limitation"] == "ok"]
                assert not live or view["part"] is None or any(
                    d["limitation"] != "ok" and d["in_plans"] for d in view["debts"]), (slug, lender.name)
                continue
            (text, raw), s = text_of(letter), letter.snapshot
            # One addressee: this lender, no other lender's name or contract number.
            assert lender.name in text
            for other in lenders:
                if other.slug != lender.slug:
                    assert other.name not in text, (slug, other.name)
                    for debt_id in other.debt_ids:
                        assert accounts[debt_id] not in text and f"尾号{accounts[debt_id][-4:]}" not in text
            # Nothing printed about a debt that may be time-barred.
            flagged = {int(d["id"]) for d in s["flagged"]}
            for debt_id in flagged:
                assert f"尾号{accounts[debt_id][-4:]}" not in text, slug
            if s["plan"]:
                assert not s["plan"]["includes_flagged"]
                # Never more a month than is available, unless the reason is printed.
                available = Decimal(s["budget"]["available"])
                if any(Decimal(row["amount"]) > available for row in s["plan"]["schedule"]):
                    assert s["plan"]["reason"] and s["plan"]["reason"] in text
                assert ("本人承诺" in text) == (slug in OFFERING and s["plan"]["affordable"])
            # Every amount printed is one of the snapshot's (one date).
            printed = set(AMOUNT.findall(raw))
            assert printed <= snapshot_amounts(s), (slug, printed - snapshot_amounts(s))
            assert s["as_of"] == proposal.as_of.isoformat()
            # Conditional sentences, both ways.
            assert ("次主动联系" in text) == (s["facts"]["outgoing"] > 0), slug
            assert ("次被拒绝" in text) == (s["facts"]["refused"] > 0 and s["facts"]["outgoing"] > 0), slug
            for code, (_label, sentence) in rules.STATEMENTS.items():
                assert (sentence in text) == (code in spec["statements"]), (slug, code)
