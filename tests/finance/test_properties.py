"""Properties of the finance engine that must hold for any case (hypothesis)."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from cases.finance import BudgetItem, CaseInput, DebtInput, quote
from cases.finance.budget import split_pro_rata
from cases.finance.codec import quote_to_dict
from cases.finance.inputs import BilledCharge, DebtEvent
from cases.finance.plans import instalment_schedule
from cases.finance.rules import CHARGE_KINDS, PRODUCTS

AS_OF = date(2026, 11, 22)
# Per test, not a global profile: other modules' hypothesis settings stay their own.
enough = settings(max_examples=60, deadline=None)


def fen(max_yuan: int = 500_000):
    return st.integers(min_value=0, max_value=max_yuan * 100).map(lambda n: Decimal(n) / 100)


def day(low=-2000, high=0):
    return st.integers(low, high).map(lambda d: AS_OF + timedelta(days=d))


@st.composite
def billed_lines(draw):
    lines = []
    for _ in range(draw(st.integers(0, 3))):
        start = draw(st.none() | day(-800, -1))
        end = None if start is None else draw(st.none() | st.integers(0, 400).map(lambda d: start + timedelta(days=d)))
        lines.append(BilledCharge(kind=draw(st.sampled_from(CHARGE_KINDS)), amount=draw(fen(3_000)), start=start,
                                  end=end, base=draw(st.none() | fen(100_000))))
    return tuple(lines)


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
            lender=draw(st.sampled_from(["某贷款机构", "招商银行", "重庆蚂蚁消费金融有限公司"])),
            principal=principal,
            overdue_amount=draw(fen()),
            overdue_since=draw(st.none() | st.integers(0, 1500).map(lambda d: AS_OF - timedelta(days=d))),
            annual_rate=draw(st.integers(0, 3600).map(lambda n: Decimal(n) / 10000)),
            billed_charges=draw(fen(20_000)),
            grace_days=draw(st.integers(0, 30)),
            penalty_daily_rate=draw(st.none() | st.integers(0, 50).map(lambda n: Decimal(n) / 100000)),
            billed=draw(billed_lines()),
            billed_through=draw(st.none() | day(-400, 0)),
            overdue_interest=draw(st.sampled_from([Decimal("0.00"), Decimal("150.00")])),
            accelerated_on=draw(st.none() | day(-300, 0)),
            amount_received=draw(st.none() | fen()),
            day_count=draw(st.sampled_from([None, 360, 365])),
            lender_type=draw(st.sampled_from(["licensed", "private"])),
            contract_date=draw(st.none() | day(-3000, 0)),
            events=tuple(DebtEvent(k, d) for k, d in draw(st.lists(
                st.tuples(st.sampled_from(["due", "demand", "payment", "promise", "auto_debit"]), day(-2500, 0)),
                max_size=3))),
            include_despite_limitation=draw(st.booleans()),
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
        household_size=draw(st.integers(1, 6)),
        city=draw(st.sampled_from(["", "深圳市", "某县"])),
        monthly_offer=draw(st.none() | fen(5_000)),
        review_months=draw(st.sampled_from([6, 12])),
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
        assert 0 <= plan.months <= 60 and len(plan.schedule) == plan.months
        assert plan.kind in ("settlement", "own_amount", "hold") or 3 <= plan.months
        assert (plan.months == 0) == (plan.kind == "hold")


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
def test_lenders_parts_sum_exactly_to_the_plan_month_by_month_and_in_total(case):
    for plan in quote(case).plans:
        assert sum(part.total for part in plan.parts) == plan.total
        for part in plan.parts:
            assert len(part.schedule) == len(plan.schedule)
            assert sum((i.amount for i in part.schedule), Decimal("0")) == part.total
            assert all(i.amount >= 0 for i in part.schedule)
        for month, row in enumerate(plan.schedule):
            assert sum(part.schedule[month].amount for part in plan.parts) == row.amount
            assert all(part.schedule[month].due == row.due for part in plan.parts)


@enough
@given(case=cases())
def test_affordable_exactly_when_every_payment_fits_what_is_available(case):
    result = quote(case)
    for plan in result.plans:
        if plan.kind == "settlement":
            assert plan.affordable == (plan.total <= result.savings_offered)
        else:
            largest = max((i.amount for i in plan.schedule), default=plan.monthly_payment)
            assert plan.affordable == (largest <= result.budget.available)
        assert plan.needs_reason == (not plan.affordable)


@enough
@given(case=cases())
def test_pro_rata_shares_sum_exactly_to_the_amount_available(case):
    result = quote(case)
    shares = [s.share for s in result.pro_rata]
    assert all(share >= 0 for share in shares)
    assert {s.id for s in result.pro_rata} == {d.id for d in result.debts if d.in_plans}
    if sum(d.balance - d.excess_over_cap for d in result.debts if d.in_plans) > 0:
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
        for debt in result["debts"]:
            debt["charges"].sort(key=repr)
            debt["charge_lines"].sort(key=repr)
        for plan in result["plans"]:
            plan["per_debt"].sort(key=lambda p: p["id"])
            for part in plan["parts"]:
                part["debt_ids"].sort()
    assert first == second


@enough
@given(case=cases(), data=st.data())
def test_results_do_not_depend_on_the_order_of_the_charge_lines(case, data):
    shuffled = tuple(DebtInput(**{**d.__dict__, "billed": tuple(data.draw(st.permutations(d.billed)))})
                     for d in case.debts)
    first = quote_to_dict(quote(case))
    second = quote_to_dict(quote(CaseInput(**{**case.__dict__, "debts": shuffled})))
    for result in (first, second):
        for debt in result["debts"]:
            debt["charges"].sort(key=repr)
            debt["charge_lines"].sort(key=repr)
    assert first == second


@enough
@given(case=cases())
def test_the_excess_is_never_negative_nor_more_than_the_charges(case):
    for debt in quote(case).debts:
        assert debt.excess_over_cap >= 0
        assert debt.excess_over_cap <= debt.cost
        for group in debt.groups:
            # no period or no principal in use: nothing can be measured, so nothing is called excess
            measurable = group.days and group.base > 0
            assert group.excess == (max(Decimal("0"), group.charges - group.allowed) if measurable else 0)


@enough
@given(principal=fen(), overdue=fen(), days=st.integers(1, 2000), rate=st.integers(0, 1578),
       product=st.sampled_from(["huabei", "jiebei", "credit_card", "wangshangdai"]), day_count=st.sampled_from([None, 360]))
def test_the_excess_is_zero_whenever_the_charges_are_within_the_cap(principal, overdue, days, rate, product, day_count):
    # Huabei 0.05 %/day × 365 = 18.25 %; Jiebei 1.5 × r ÷ 360 × 365 ≤ 24 % for r ≤ 15.78 %; loans r ÷ 360 × 365 < 24 %.
    debt = DebtInput(id="d", product=product, lender="某贷款机构", principal=principal, overdue_amount=overdue,
                     overdue_since=AS_OF - timedelta(days=days), annual_rate=Decimal(rate) / 10000,
                     day_count=day_count)
    assert quote(CaseInput(as_of=AS_OF, debts=(debt,))).debts[0].excess_over_cap == 0


@enough
@given(case=cases())
def test_a_debt_flagged_for_limitation_is_in_no_plan_unless_included_on_purpose(case):
    result = quote(case)
    flagged = {d.id for d in result.debts if d.limitation != "ok"}
    chosen = {d.id for d in case.debts if d.include_despite_limitation}
    assert set(result.excluded) == flagged - chosen
    for plan in result.plans:
        assert not {p.id for p in plan.per_debt} & set(result.excluded)
        assert not {i for part in plan.parts for i in part.debt_ids} & set(result.excluded)


@enough
@given(case=cases())
def test_no_recommended_plan_asks_more_than_the_available_amount(case):
    result = quote(case)
    if result.recommended is None:
        assert not result.plans
        return
    plan = result.plans[result.recommended]
    assert plan.affordable and not plan.needs_reason
    if plan.kind == "settlement":
        assert plan.total <= result.savings_offered
    else:
        assert plan.monthly_payment <= result.budget.available
        assert all(i.amount <= result.budget.available for i in plan.schedule)
    if result.none_affordable:
        assert plan.kind in ("arrangement", "hold")


@enough
@given(total=fen(2_000_000), available=fen(50_000))
def test_the_term_found_is_the_shortest_that_fits(total, available):
    from cases.finance.plans import instalment_schedule, shortest_affordable_term

    months = shortest_affordable_term(total, available)
    # Fits: every payment, the last (which absorbs the rounding) included, is within the available amount.
    fits = [n for n in range(3, 61)
            if max(i.amount for i in instalment_schedule(total, n, date(2026, 1, 1))) <= available]
    assert months == (fits[0] if fits else None)
