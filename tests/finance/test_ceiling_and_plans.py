"""Finance v2 worked examples (issue 14), each figure computed by hand here: charges on
their base and period, the ceiling per group, day count, which cap, the living-cost
floor, affordable plans, per-lender parts, and limitation."""

from datetime import date
from decimal import Decimal as D

from cases.finance import BudgetItem, CaseInput, DebtInput, quote
from cases.finance.budget import living_cost_floor, monthly_budget
from cases.finance.inputs import BilledCharge, DebtEvent
from cases.finance.limitation import limitation_status

AS_OF = date(2026, 11, 22)
LENDER = "重庆蚂蚁消费金融有限公司"


def jiebei_2000_of_20000(**overrides) -> DebtInput:
    # 2,000 of 20,000 overdue for 100 days (14 Aug -> 22 Nov: 17 + 30 + 31 + 22 = 100), 18 % a year
    fields = {"id": "jb", "product": "jiebei", "lender": LENDER, "principal": D("20000.00"),
              "overdue_amount": D("2000.00"), "overdue_since": date(2026, 8, 14), "annual_rate": D("0.18")}
    return DebtInput(**{**fields, **overrides})


def quote_of(*debts, income="5200.00", expenses="1800.00", **case) -> object:
    return quote(CaseInput(as_of=AS_OF, debts=debts, income=(BudgetItem("salary", D(income)),),
                           expenses=(BudgetItem("housing", D(expenses)),), **case))


# --- The ceiling test on the principal that produced the charges ---------------------


def test_jiebei_penalty_is_tested_on_the_overdue_principal_over_a_365_day_year():
    debt = quote_of(jiebei_2000_of_20000()).debts[0]
    # penalty 2000 × 18 % ÷ 360 × 1.5 × 100 = 2000 × 0.00075 × 100 = 150.00
    assert debt.computed_charges == D("150.00")
    # 150 ÷ 2000 ÷ 100 × 365 = 0.27375 -> 27.38 %, not 150 ÷ 20000 (2.74 %)
    assert debt.all_in_apr == D("0.2738")
    assert debt.ceiling_base == D("2000.00")
    # allowed 2000 × 24 % × 100 ÷ 365 = 131.506… -> 131.51; excess 150.00 − 131.51 = 18.49
    assert (debt.allowed_at_cap, debt.excess_over_cap) == (D("131.51"), D("18.49"))
    assert (debt.ceiling.rule, debt.ceiling.rate, debt.ceiling.day_count) == ("24%", D("0.24"), 365)
    assert not debt.ceiling.day_count_from_contract


def test_on_the_contracts_360_day_year_the_excess_is_16_67_and_the_result_says_so():
    debt = quote_of(jiebei_2000_of_20000(day_count=360)).debts[0]
    # allowed 2000 × 24 % × 100 ÷ 360 = 133.33; excess 150.00 − 133.33 = 16.67; 150 ÷ 2000 ÷ 100 × 360 = 27 %
    assert (debt.allowed_at_cap, debt.excess_over_cap, debt.all_in_apr) == (D("133.33"), D("16.67"), D("0.2700"))
    assert debt.ceiling.day_count == 360 and debt.ceiling.day_count_from_contract


def test_a_huabei_instalment_fee_over_its_year_on_the_declining_balance_is_not_above_the_ceiling():
    # One 1,000 instalment of a 12,000 Huabei plan 5 days overdue; the 528.00 fee covers 2026.
    fee = BilledCharge("instalment_fee", D("528.00"), date(2026, 1, 1), date(2026, 12, 31), D("12000.00"))
    debt = quote_of(DebtInput(id="hb", product="huabei", lender=LENDER, principal=D("12000.00"),
                              overdue_amount=D("1000.00"), overdue_since=date(2026, 11, 17), billed=(fee,))).debts[0]
    groups = {g.group: g for g in debt.groups}
    instalments = groups["instalment_balance"]
    # 12 monthly instalments: average balance 12000 × 13 ÷ 24 = 6500.00 over 365 days;
    # allowed 6500 × 24 % = 1560.00 > 528.00; 528 ÷ 6500 = 8.12 % (not 644 % over 5 days)
    assert (instalments.base, instalments.days, instalments.allowed) == (D("6500.00"), 365, D("1560.00"))
    assert (instalments.all_in_apr, instalments.excess) == (D("0.0812"), D("0.00"))
    # the overdue fee runs on the 1000.00 overdue: 1000 × 0.05 % × 5 = 2.50 (allowed 3.29)
    assert (groups["overdue_principal"].charges, groups["overdue_principal"].allowed) == (D("2.50"), D("3.29"))
    assert debt.excess_over_cap == D("0.00")


def test_a_charge_without_its_period_is_tested_over_the_overdue_period_and_says_so():
    fee = BilledCharge("instalment_fee", D("528.00"))
    debt = quote_of(DebtInput(id="hb", product="huabei", lender=LENDER, principal=D("12000.00"),
                              overdue_amount=D("1000.00"), overdue_since=date(2026, 11, 17), billed=(fee,))).debts[0]
    line = debt.charges[0]
    assert line.period_assumed and (line.start, line.end, line.days) == (date(2026, 11, 18), AS_OF, 5)


def test_billed_penalty_is_not_counted_again_before_the_billed_through_date():
    billed = BilledCharge("penalty", D("99.00"))
    debt = quote_of(jiebei_2000_of_20000(billed=(billed,), billed_through=date(2026, 10, 31))).debts[0]
    # computed only 1 Nov -> 22 Nov: 22 days × 2000 × 0.00075 = 33.00
    assert debt.computed_charges == D("33.00")
    assert debt.cost == D("132.00")
    # billed 14 Aug+1 -> 31 Oct and computed after: one group over the 100 days, 132.00 < 131.51? no:
    assert debt.excess_over_cap == D("0.49")  # 132.00 − 131.51


def test_a_credit_card_accrues_contract_interest_on_the_overdue_amount():
    card = DebtInput(id="cc", product="credit_card", lender="招商银行股份有限公司信用卡中心", principal=D("12480.00"),
                     overdue_amount=D("2350.00"), overdue_since=date(2026, 8, 5), annual_rate=D("0.1825"))
    debt = quote_of(card).debts[0]
    # 5 Aug -> 22 Nov = 26 + 30 + 31 + 22 = 109 days; 2350 × 18.25 % ÷ 365 × 109 = 2350 × 0.0005 × 109 = 128.075
    assert debt.days_overdue == 109
    assert debt.computed_charges == D("128.08")
    assert debt.charges[0].kind == "interest"
    # with a penalty multiplier of 1.5 from the contract: 2350 × 0.00075 × 109 = 192.1125 -> 192.11
    assert quote_of(card.__class__(**{**card.__dict__, "penalty_multiplier": D("1.5")})).debts[0].computed_charges \
        == D("192.11")


def test_a_claim_is_tested_on_the_whole_unpaid_principal_over_every_day_a_charge_ran():
    """The demo's card: the bill's interest on the whole balance 6 Aug – 5 Sep, a fee 6 Aug – 5 Oct, then our
    penalty on the overdue 2,350 from 6 Oct. A court tests the bank's claimed charges on the unpaid 12,480 over
    the 109 days (61 + 48), not on each charge's own base (a practitioner's recomputation: 894.46, not 574.74)."""
    card = DebtInput(
        id="cc", product="credit_card", lender="招商银行股份有限公司信用卡中心", principal=D("12480.00"),
        overdue_amount=D("2350.00"), overdue_since=date(2026, 8, 5), annual_rate=D("0.1825"),
        billed_through=date(2026, 10, 5),
        billed=(BilledCharge("interest", D("187.20"), date(2026, 8, 6), date(2026, 9, 5), D("12480.00")),
                BilledCharge("other_fee", D("78.00"), date(2026, 8, 6), date(2026, 10, 5))))
    debt = quote_of(card).debts[0]
    assert debt.charge_days == 61 + 48
    # 12,480 × 24 % × 109 ÷ 365 = 894.457… → 894.46
    assert debt.allowed_on_principal == D("894.46")
    assert debt.allowed_at_cap < debt.allowed_on_principal  # the groups' own bases give less: not for a claim


def test_from_acceleration_the_whole_principal_is_the_overdue_base():
    debt = quote_of(jiebei_2000_of_20000(accelerated_on=date(2026, 10, 23))).debts[0]
    # 15 Aug -> 22 Oct = 69 days on 2000: 103.50; 23 Oct -> 22 Nov = 31 days on 20000: 465.00
    assert [(c.days, c.base, c.amount) for c in debt.charges] == [(69, D("2000.00"), D("103.50")),
                                                                   (31, D("20000.00"), D("465.00"))]
    # allowed (2000 × 69 + 20000 × 31) × 24 % ÷ 365 = 758000 × 0.24 ÷ 365 = 498.41; 568.50 − 498.41
    assert (debt.allowed_at_cap, debt.excess_over_cap) == (D("498.41"), D("70.09"))


def test_interest_deducted_up_front_is_not_principal():
    debt = quote_of(jiebei_2000_of_20000(amount_received=D("18000.00"))).debts[0]
    assert debt.principal == D("18000.00")
    assert debt.balance == D("18150.00")


def test_compound_interest_on_overdue_interest_counts_against_the_same_overdue_principal():
    debt = quote_of(jiebei_2000_of_20000(overdue_interest=D("100.00"))).debts[0]
    # compound 100 × 0.00075 × 100 = 7.50, in the overdue-principal group: 157.50 − 131.51 = 25.99
    assert [c.kind for c in debt.charges] == ["penalty", "compound_interest"]
    assert len(debt.groups) == 1 and debt.excess_over_cap == D("25.99")


def test_licensed_lenders_have_24_percent_with_4_x_lpr_beside_it_as_a_reference():
    ceiling = quote_of(jiebei_2000_of_20000()).debts[0].ceiling
    # LPR in force on 2026-11-22: 3.00 % (from 2025-05-20); 4 × 3.00 % = 12 %
    assert (ceiling.rule, ceiling.lpr, ceiling.lpr_from, ceiling.reference_rate) == (
        "24%", D("0.0300"), date(2025, 5, 20), D("0.1200"))


def test_a_private_loan_is_capped_at_4_x_lpr_at_the_contract_date():
    loan = DebtInput(id="p", product="other", lender="王某", principal=D("10000.00"), overdue_amount=D("10000.00"),
                     overdue_since=date(2026, 8, 14), annual_rate=D("0.24"), lender_type="private",
                     contract_date=date(2024, 8, 1))
    debt = quote_of(loan).debts[0]
    # LPR on 2024-08-01: 3.35 % (from 2024-07-22) -> cap 13.40 %
    assert (debt.ceiling.rule, debt.ceiling.rate, debt.ceiling.lpr_at) == ("4xLPR", D("0.1340"), date(2024, 8, 1))
    # interest 10000 × 24 % ÷ 365 × 100 = 657.534… -> 657.53; allowed 10000 × 13.4 % × 100 ÷ 365 = 367.12
    assert (debt.computed_charges, debt.allowed_at_cap, debt.excess_over_cap) == (
        D("657.53"), D("367.12"), D("290.41"))


def test_an_older_private_loan_uses_4_x_lpr_at_filing():
    loan = DebtInput(id="p", product="other", lender="王某", principal=D("10000.00"), overdue_amount=D("10000.00"),
                     overdue_since=date(2026, 8, 14), lender_type="private", contract_date=date(2019, 3, 1))
    ceiling = quote_of(loan).debts[0].ceiling
    assert (ceiling.rate, ceiling.lpr_at) == (D("0.1200"), AS_OF)


# --- Budget with a floor -------------------------------------------------------------


def test_the_living_cost_floor_decides_when_the_users_expenses_are_below_it():
    floor = living_cost_floor(3, "深圳市")
    result = monthly_budget((BudgetItem("salary", D("5000.00")),), (BudgetItem("food", D("3000.00")),), D("0.10"),
                            floor)
    # 3 × 1365.00 = 4095.00 > 3000.00: surplus 5000 − 4095 = 905.00, available 905 × 0.9 = 814.50
    assert (result.essential, result.surplus, result.available) == (D("4095.00"), D("905.00"), D("814.50"))
    assert result.floor.applied and not result.floor.verified and result.floor.region == "深圳市"


def test_the_users_own_higher_expenses_stand_and_an_unknown_city_gets_the_national_default():
    floor = living_cost_floor(2, "某县")
    assert (floor.per_person, floor.amount, floor.region) == (D("800.00"), D("1600.00"), "")
    result = monthly_budget((), (BudgetItem("food", D("2000.00")),), D("0.10"), floor)
    assert not result.floor.applied and result.essential == D("2000.00") and result.available == D("0.00")


# --- Plans that never promise what the budget cannot pay ------------------------------


def test_plans_above_the_available_amount_need_a_reason_and_the_arrangement_is_recommended():
    # available (2200 − 1800) × 0.9 = 360.00; principal 20000 ÷ 60 = 333.34 would fit, so make it 30000
    result = quote_of(jiebei_2000_of_20000(principal=D("30000.00")), income="2200.00")
    assert result.budget.available == D("360.00")
    kinds = {p.kind: p for p in result.plans}
    # stop_interest 30000 ÷ 60 = 500.00 > 360.00: nothing repays within 60 months
    assert kinds["stop_interest"].monthly_payment == D("500.00") and kinds["stop_interest"].needs_reason
    arrangement = result.plans[result.recommended]
    assert (arrangement.kind, arrangement.months, arrangement.monthly_payment, arrangement.total) == (
        "arrangement", 12, D("360.00"), D("4320.00"))
    assert arrangement.freeze_charges and arrangement.review_on == date(2027, 11, 22) and arrangement.affordable
    assert result.none_affordable


def test_the_users_own_amount_makes_a_plan_and_above_the_available_amount_it_needs_a_reason():
    result = quote_of(jiebei_2000_of_20000(), monthly_offer=D("1000.00"))
    own = {p.kind: p for p in result.plans}["own_amount"]
    # waiver total 20000 (nothing billed): 20 payments of 1000.00
    assert (own.months, own.monthly_payment, own.total, own.schedule[-1].amount) == (
        20, D("1000.00"), D("20000.00"), D("1000.00"))
    assert own.affordable and not own.needs_reason  # 1000.00 ≤ 3060.00
    poor = quote_of(jiebei_2000_of_20000(), income="2200.00", monthly_offer=D("400.00"))
    own = {p.kind: p for p in poor.plans}["own_amount"]
    assert own.monthly_payment == D("400.00") and own.needs_reason and not own.affordable
    assert poor.plans[poor.recommended].monthly_payment <= poor.budget.available


def test_plans_are_on_the_balance_less_the_excess():
    result = quote_of(jiebei_2000_of_20000())
    full = {p.kind: p for p in result.plans}["full_balance"]
    # 20150.00 − 18.49 = 20131.51: the excess is asked to be reduced, not paid
    assert (full.total, full.waived) == (D("20131.51"), D("18.49"))


def test_each_lenders_part_has_its_own_schedule_and_the_parts_add_up_month_by_month():
    card = DebtInput(id="cc", product="credit_card", lender="招商银行", principal=D("10000.00"),
                     overdue_amount=D("0.00"), overdue_since=None)
    result = quote_of(jiebei_2000_of_20000(overdue_amount=D("0.00"), overdue_since=None), card, income="2200.00",
                      expenses="1200.00")
    # available (2200 − 1200) × 0.9 = 900.00; stop interest 30000 ÷ 34 = 882.35 (33 months: 909.09)
    plan = {p.kind: p for p in result.plans}["stop_interest"]
    assert (plan.months, plan.monthly_payment) == (34, D("882.35"))
    parts = {part.lender: part for part in plan.parts}
    # 882.35 split 20000 : 10000 -> 588.233… / 294.116…: floors 588.23 + 294.11 = 882.34, the fen to 招商银行
    # (remainder .0066 > .0033); lasts 20000 − 33 × 588.23 = 588.41 and 10000 − 33 × 294.12 = 294.04
    assert (parts[LENDER].monthly_payment, parts[LENDER].schedule[-1].amount) == (D("588.23"), D("588.41"))
    assert (parts["招商银行"].monthly_payment, parts["招商银行"].schedule[-1].amount) == (D("294.12"), D("294.04"))
    for month, row in enumerate(plan.schedule):
        assert sum(part.schedule[month].amount for part in plan.parts) == row.amount
    assert sum(sum(i.amount for i in part.schedule) for part in plan.parts) == plan.total == D("30000.00")


# --- Limitation ----------------------------------------------------------------------


def test_limitation_walks_the_events_and_late_demands_do_not_revive_an_expired_period():
    old = jiebei_2000_of_20000(overdue_since=date(2022, 1, 10))
    assert limitation_status(old, AS_OF) == ("may_be_time_barred", date(2022, 1, 10))
    # a demand in 2025-06 came after 2025-01-10, when the period had expired: nothing changes
    late = old.__class__(**{**old.__dict__, "events": (DebtEvent("demand", date(2025, 6, 1)),)})
    assert limitation_status(late, AS_OF)[0] == "may_be_time_barred"
    # a demand inside the period restarts it: 2023-12-01 + 3 years = 2026-12-01, within six months -> check
    kept = old.__class__(**{**old.__dict__, "events": (DebtEvent("demand", date(2023, 12, 1)),)})
    assert limitation_status(kept, AS_OF) == ("check", date(2023, 12, 1))
    # the debtor's own payment after expiry gives up the defence
    paid = old.__class__(**{**old.__dict__, "events": (DebtEvent("payment", date(2026, 3, 1)),)})
    assert limitation_status(paid, AS_OF) == ("ok", date(2026, 3, 1))
    assert limitation_status(jiebei_2000_of_20000(overdue_since=None), AS_OF) == ("check", None)


def test_a_possibly_time_barred_debt_is_in_no_plan_unless_included_on_purpose():
    old = jiebei_2000_of_20000(id="old", overdue_since=date(2022, 1, 10))
    new = jiebei_2000_of_20000(id="new")
    result = quote_of(old, new)
    assert result.excluded == ("old",)
    assert all({p.id for p in plan.per_debt} == {"new"} for plan in result.plans)
    included = quote_of(old.__class__(**{**old.__dict__, "include_despite_limitation": True}), new)
    assert included.excluded == () and {p.id for p in included.plans[0].per_debt} == {"old", "new"}
