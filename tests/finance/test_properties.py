"""Properties of the finance engine that must hold for any case (hypothesis)."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from cases.finance import BudgetItem, CaseInput, DebtInput, quote
from cases.finance.budget import split_pro_rata
from cases.finance.codec import quote_to_dict
from cases.finance.plans import instalment_schedule
from cases.finance.rules import PRODUCTS

AS_OF = date(2026, 11, 22)
# Per test, not a global profile: other modules' hypothesis settings stay their own.
enough = settings(max_examples=60, deadline=None)


def fen(max_yuan: int = 500_000):
    return st.integers(min_value=0, max_value=max_yuan * 100).map(lambda n: Decimal(n) / 100)


@st.composite
def debts(draw):
    count = draw(st.integers(min_value=0, max_value=6))
    ids = draw(st.lists(st.text("abcdef0123456789", min_size=1, max_size=6), min_size=count, max_size=count,
                        unique=True))
    result = []
    for id_ in ids:
        principal = draw(fen())
        result.append(DebtInput(
            id=id_,
            product=draw(st.sampled_from(PRODUCTS)),
            lender="某贷款机构",
            principal=principal,
            overdue_amount=draw(fen()),
            overdue_since=draw(st.none() | st.integers(0, 1500).map(lambda d: AS_OF - timedelta(days=d))),
            annual_rate=draw(st.integers(0, 3600).map(lambda n: Decimal(n) / 10000)),
            billed_charges=draw(fen(20_000)),
            grace_days=draw(st.integers(0, 30)),
            penalty_daily_rate=draw(st.none() | st.integers(0, 50).map(lambda n: Decimal(n) / 100000)),
        ))
    return tuple(result)


@st.composite
def cases(draw):
    return CaseInput(
        as_of=AS_OF,
        debts=draw(debts()),
        income=tuple(BudgetItem("salary", a) for a in draw(st.lists(fen(30_000), max_size=4))),
        expenses=tuple(BudgetItem("food", a) for a in draw(st.lists(fen(10_000), max_size=6))),
        savings=draw(fen(300_000)),
        safety_margin=draw(st.integers(0, 50).map(lambda n: Decimal(n) / 100)),
        deferral_months=draw(st.integers(1, 3)),
    )


@enough
@given(total=fen(5_000_000), months=st.integers(1, 60))
def test_a_schedule_sums_exactly_to_its_total_and_never_goes_negative(total, months):
    schedule = instalment_schedule(total, months, AS_OF)
    assert len(schedule) == months
    assert sum(i.amount for i in schedule) == total
    assert all(i.amount >= 0 for i in schedule)
    assert all(i.amount == i.amount.quantize(Decimal("0.01")) for i in schedule)


@enough
@given(case=cases())
def test_every_plan_schedule_sums_to_its_total_with_no_negative_instalment(case):
    for plan in quote(case).plans:
        assert sum(i.amount for i in plan.schedule) == plan.total
        assert all(i.amount >= 0 for i in plan.schedule)
        assert 1 <= plan.months <= 60 and len(plan.schedule) == plan.months
        assert plan.kind == "settlement" or 3 <= plan.months


@enough
@given(case=cases())
def test_each_lenders_part_of_a_plan_adds_up(case):
    for plan in quote(case).plans:
        assert sum(part.total for part in plan.per_debt) == plan.total
        assert sum(part.waived for part in plan.per_debt) == plan.waived
        for part in plan.per_debt:
            assert part.monthly_payment * (plan.months - 1) + part.last_payment == part.total
            assert part.monthly_payment >= 0 and part.last_payment >= 0


@enough
@given(case=cases())
def test_affordable_exactly_when_the_monthly_payment_fits_what_is_available(case):
    result = quote(case)
    for plan in result.plans:
        if plan.kind == "settlement":
            assert plan.affordable == (plan.total <= result.savings)
        else:
            assert plan.affordable == (plan.monthly_payment <= result.budget.available)


@enough
@given(case=cases())
def test_pro_rata_shares_sum_exactly_to_the_amount_available(case):
    result = quote(case)
    shares = [s.share for s in result.pro_rata]
    assert all(share >= 0 for share in shares)
    if result.totals.balance > 0:
        assert sum(shares) == result.budget.available


@enough
@given(amount=fen(), weights=st.dictionaries(st.text(min_size=1, max_size=4), fen(), min_size=1, max_size=8))
def test_split_pro_rata_sums_exactly_and_follows_the_weights(amount, weights):
    shares = {s.id: s.share for s in split_pro_rata(amount, weights)}
    if sum(weights.values()) > 0:
        assert sum(shares.values()) == amount
        total = sum(weights.values())
        for id_, share in shares.items():
            assert abs(share - amount * weights[id_] / total) < Decimal("0.01")


@enough
@given(case=cases(), data=st.data())
def test_results_do_not_depend_on_the_order_of_the_debts(case, data):
    shuffled = data.draw(st.permutations(case.debts))
    first = quote_to_dict(quote(case))
    second = quote_to_dict(quote(CaseInput(**{**case.__dict__, "debts": tuple(shuffled)})))
    for result in (first, second):
        result["debts"].sort(key=lambda d: d["id"])
        result["pro_rata"].sort(key=lambda s: s["id"])
        for plan in result["plans"]:
            plan["per_debt"].sort(key=lambda p: p["id"])
    assert first == second


@enough
@given(case=cases())
def test_the_recommended_plan_is_affordable_unless_none_is(case):
    result = quote(case)
    if result.recommended is None:
        assert not result.plans
    elif result.none_affordable:
        assert not any(plan.affordable for plan in result.plans)
        assert result.plans[result.recommended].kind == "deferral"
    else:
        assert result.plans[result.recommended].affordable


@enough
@given(total=fen(2_000_000), available=fen(50_000))
def test_the_term_found_is_the_shortest_that_fits(total, available):
    from cases.finance.plans import regular_instalment, shortest_affordable_term

    months = shortest_affordable_term(total, available)
    fits = [n for n in range(3, 61) if regular_instalment(total, n) <= available]
    assert months == (fits[0] if fits else None)
