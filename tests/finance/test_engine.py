"""Worked examples for the finance engine, each figure computed by hand here."""

from datetime import date, timedelta
from decimal import Decimal as D

from cases.finance import BudgetItem, CaseInput, DebtInput, quote
from cases.finance.budget import living_cost_floor, monthly_budget, split_pro_rata
from cases.finance.charges import days_overdue
from cases.finance.inputs import BilledCharge, DebtEvent
from cases.finance.plans import add_months, instalment_schedule, regular_instalment

AS_OF = date(2026, 11, 22)


def huabei(**overrides) -> DebtInput:
    fields = {"id": "hb", "product": "huabei", "lender": "重庆蚂蚁消费金融有限公司", "principal": D("12000.00"),
              "overdue_amount": D("3000.00"), "overdue_since": date(2026, 8, 1)}
    return DebtInput(**{**fields, **overrides})


def jiebei(**overrides) -> DebtInput:
    fields = {"id": "jb", "product": "jiebei", "lender": "重庆蚂蚁消费金融有限公司", "principal": D("20000.00"),
              "overdue_amount": D("5000.00"), "overdue_since": date(2026, 7, 15), "annual_rate": D("0.108"),
              "billed_charges": D("320.00"), "grace_days": 3}
    return DebtInput(**{**fields, **overrides})


JIEBEI_BILLED = jiebei(billed_through=date(2026, 7, 18))  # billed 320.00 covers the grace days only


def budget(income="5200.00", expenses="1800.00"):
    return {"income": (BudgetItem("salary", D(income)),), "expenses": (BudgetItem("housing", D(expenses)),)}


def one_debt(debt: DebtInput, savings="0.00", **budget_kw):
    return quote(CaseInput(as_of=AS_OF, debts=(debt,), savings=D(savings), **budget(**budget_kw)))


# --- Charges per product ------------------------------------------------------


def test_huabei_overdue_fee_is_five_hundredths_of_a_percent_a_day():
    result = one_debt(huabei()).debts[0]
    # 1 Aug -> 22 Nov: 31 (Aug) + 30 (Sep) + 31 (Oct) + 21 = 113 days
    assert result.days_overdue == 113
    # 3000.00 × 0.0005 × 113 = 1.50 × 113 = 169.50
    assert result.computed_charges == D("169.50")
    assert result.cost == D("169.50")
    assert result.balance == D("12169.50")
    # The fee runs on the 3000.00 overdue, so it is tested on it (not on the 12000 outstanding):
    # 169.50 ÷ 3000 ÷ 113 × 365 = 0.1825
    assert result.all_in_apr == D("0.1825")
    # 3000 × 0.24 × 113 ÷ 365 = 81360 ÷ 365 = 222.904... -> 222.90
    assert result.allowed_at_cap == D("222.90")
    assert result.excess_over_cap == D("0.00")
    assert not result.over_cap


def test_jiebei_penalty_is_one_and_a_half_times_contract_rate():
    result = one_debt(jiebei(billed_through=date(2026, 7, 18))).debts[0]
    # 15 Jul -> 22 Nov = 130 days, less 3 grace days
    assert result.days_overdue == 127
    # daily rate 0.108 ÷ 360 = 0.0003; 5000 × 0.0003 × 1.5 × 127 = 2.25 × 127 = 285.75
    assert result.computed_charges == D("285.75")
    assert result.cost == D("605.75")  # 320.00 billed + 285.75
    assert result.balance == D("20605.75")


def test_other_product_uses_the_daily_rate_the_user_gives_and_flags_the_excess_over_24_percent():
    debt = DebtInput(id="cc", product="other", lender="某小贷公司", principal=D("10000.00"),
                     overdue_amount=D("10000.00"), overdue_since=AS_OF - timedelta(days=100),
                     billed_charges=D("200.00"), penalty_daily_rate=D("0.001"), billed_through=AS_OF - timedelta(days=100))
    result = one_debt(debt).debts[0]
    assert result.days_overdue == 100
    assert result.computed_charges == D("1000.00")  # 10000 × 0.001 × 100, after the billed-through date
    assert result.cost == D("1200.00")
    # 1200 ÷ 10000 × 365 ÷ 100 = 0.438
    assert result.all_in_apr == D("0.4380")
    # 10000 × 0.24 × 100 ÷ 365 = 657.534... -> 657.53; excess 1200 − 657.53
    assert result.allowed_at_cap == D("657.53")
    assert result.excess_over_cap == D("542.47")
    assert result.over_cap


def test_a_loan_without_a_contract_rate_counts_only_the_charges_entered():
    debt = DebtInput(id="wsd", product="wangshangdai", lender="浙江网商银行", principal=D("8000.00"),
                     overdue_amount=D("2000.00"), overdue_since=date(2026, 10, 23), billed_charges=D("150.00"))
    result = one_debt(debt).debts[0]
    assert result.days_overdue == 30
    assert result.computed_charges == D("0.00")
    assert result.cost == D("150.00")
    # A plain billed amount is one penalty line over the overdue period, on the 2000.00 overdue:
    # 2000 × 0.24 × 30 ÷ 365 = 39.452... -> 39.45; 150.00 − 39.45 = 110.55 above the ceiling
    assert result.allowed_at_cap == D("39.45")
    assert result.excess_over_cap == D("110.55")
    assert result.charges[0].period_assumed


def test_a_rate_from_the_bill_overrides_the_huabei_default():
    result = one_debt(huabei(penalty_daily_rate=D("0.0004"))).debts[0]
    assert result.computed_charges == D("135.60")  # 3000 × 0.0004 × 113
    assert result.charge_lines[1].what == "penalty_at_given_rate"


def test_lender_claimed_total_is_shown_beside_ours_with_the_difference():
    result = one_debt(jiebei(lender_claimed_total=D("21500.00"), billed_through=date(2026, 7, 18))).debts[0]
    assert result.lender_claimed_total == D("21500.00")
    assert result.claimed_difference == D("894.25")  # 21500.00 − 20605.75
    assert result.charge_lines[-1].formula == "21500.00 − 20605.75 = 894.25"


def test_grace_days_never_make_days_overdue_negative():
    assert days_overdue(huabei(overdue_since=AS_OF - timedelta(days=2), grace_days=5), AS_OF) == 0
    assert days_overdue(huabei(overdue_since=None), AS_OF) == 0
    assert days_overdue(huabei(overdue_since=AS_OF + timedelta(days=3)), AS_OF) == 0


def test_without_a_day_overdue_nothing_is_called_above_the_ceiling():
    # Billed interest on a debt that is not overdue: no period, so no excess (not "all of it").
    result = one_debt(huabei(overdue_since=None, billed_charges=D("50.00"))).debts[0]
    assert (result.cost, result.allowed_at_cap, result.excess_over_cap, result.all_in_apr) == (
        D("50.00"), D("0.00"), D("0.00"), None)
    assert [line.what for line in result.charge_lines][-2:] == ["ceiling_not_applicable", "balance"]


def test_charge_lines_show_the_computation_with_the_actual_figures():
    lines = {line.what: line.formula for line in one_debt(jiebei(billed_through=date(2026, 7, 18))).debts[0].charge_lines}
    assert lines["days_overdue"] == "(2026-11-22 − 2026-07-15) − 3 = 127"
    assert lines["penalty"] == "5000.00 × 10.8% ÷ 360 × 1.5 × 127 = 285.75"
    assert lines["cost"] == "320.00 + 285.75 = 605.75"
    # billed 320.00 and the penalty both run on the 5000.00 overdue over the same 127 days
    assert lines["allowed_at_cap"] == "5000.00 × 24% × 127 ÷ 365 = 417.53"
    assert lines["excess_over_cap"] == "max(0, 605.75 − 417.53) = 188.22"


# --- Budget and pro rata ---------------------------------------------------------


def test_available_is_surplus_less_the_safety_margin():
    result = monthly_budget(budget()["income"], budget()["expenses"], D("0.10"))
    assert (result.income, result.expenses, result.surplus) == (D("5200.00"), D("1800.00"), D("3400.00"))
    assert result.available == D("3060.00")  # 3400 × 0.9
    assert result.margin == D("340.00")


def test_a_deficit_leaves_nothing_available():
    result = monthly_budget(budget()["income"], (BudgetItem("housing", D("6000.00")),), D("0.10"))
    assert result.surplus == D("-800.00")
    assert result.available == D("0.00")


def test_pro_rata_gives_the_left_over_fen_to_the_largest_remainder():
    shares = split_pro_rata(D("100.00"), {"a": D("100.00"), "b": D("200.00")})
    # exact 33.333… and 66.666…: floors 33.33 + 66.66 = 99.99, the last fen goes to b
    assert [(s.id, s.share) for s in shares] == [("a", D("33.33")), ("b", D("66.67"))]


def test_pro_rata_ties_go_to_the_smaller_id_whatever_the_order():
    forward = split_pro_rata(D("1.00"), {"a": D("5"), "b": D("5"), "c": D("5")})
    backward = split_pro_rata(D("1.00"), {"c": D("5"), "b": D("5"), "a": D("5")})
    assert {s.id: s.share for s in forward} == {s.id: s.share for s in backward} == {
        "a": D("0.34"), "b": D("0.33"), "c": D("0.33")}


# --- Schedules ---------------------------------------------------------------------


def test_last_instalment_absorbs_the_rounding():
    schedule = instalment_schedule(D("100.00"), 3, AS_OF)
    assert [i.amount for i in schedule] == [D("33.33"), D("33.33"), D("33.34")]
    assert [i.due for i in schedule] == [date(2026, 12, 22), date(2027, 1, 22), date(2027, 2, 22)]


def test_tiny_totals_round_down_so_the_last_instalment_is_not_negative():
    # 1.00 ÷ 60 = 0.0166… -> 0.02 would make 59 × 0.02 = 1.18 > 1.00
    assert regular_instalment(D("1.00"), 60) == D("0.01")
    schedule = instalment_schedule(D("1.00"), 60, AS_OF)
    assert schedule[-1].amount == D("0.41")  # 1.00 − 59 × 0.01


def test_due_dates_fall_back_to_the_end_of_short_months():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


# --- Plans: one worked example per kind ------------------------------------------------

# One Jiebei debt: principal 20000.00, billed 320.00, penalty 285.75 -> balance 20605.75.
# Budget: 5200 − 1800 = 3400 surplus, 3060.00 available.


def plans_by_kind(result):
    return {plan.kind: plan for plan in result.plans}


def test_full_balance_plan_pays_everything_over_the_shortest_affordable_term():
    plan = plans_by_kind(one_debt(JIEBEI_BILLED))["full_balance"]
    # Everything but the excess: 20605.75 − 188.22 = 20417.53. 6 months: 3402.92 > 3060;
    # 7 months: 2916.79, last 20417.53 − 6 × 2916.79 = 2916.79
    assert (plan.months, plan.monthly_payment, plan.total, plan.waived) == (
        7, D("2916.79"), D("20417.53"), D("188.22"))
    assert plan.schedule[-1].amount == D("2916.79")
    assert plan.affordable


def test_waiver_plan_asks_to_waive_the_penalty_since_default():
    plan = plans_by_kind(one_debt(JIEBEI_BILLED))["waiver"]
    # 20000 + 320 = 20320.00; ÷ 7 = 2902.857… -> 2902.86; last 20320 − 6 × 2902.86 = 2902.84
    assert (plan.months, plan.monthly_payment, plan.total, plan.waived) == (7, D("2902.86"), D("20320.00"), D("285.75"))
    assert plan.schedule[-1].amount == D("2902.84")


def test_stop_interest_plan_repays_principal_only():
    plan = plans_by_kind(one_debt(JIEBEI_BILLED))["stop_interest"]
    # 20000 ÷ 7 = 2857.142… -> 2857.14; last 20000 − 6 × 2857.14 = 2857.16
    assert (plan.months, plan.monthly_payment, plan.total, plan.waived) == (7, D("2857.14"), D("20000.00"), D("605.75"))
    assert plan.schedule[-1].amount == D("2857.16")


def test_deferral_plan_pauses_three_months_then_pays_the_waiver_amount():
    plan = plans_by_kind(one_debt(JIEBEI_BILLED))["deferral"]
    assert (plan.deferral_months, plan.months, plan.total) == (3, 7, D("20320.00"))
    # nothing due in Dec, Jan, Feb; the first payment a month after the pause
    assert plan.schedule[0].due == date(2027, 3, 22)
    assert plan.schedule[-1].due == date(2027, 9, 22)


def test_settlement_is_offered_only_where_savings_less_the_reserve_cover_the_principal():
    # The reserve: 3 months of essential spending, 3 × 1800.00 = 5400.00; 20000 + 5400 = 25400
    assert "settlement" not in plans_by_kind(one_debt(JIEBEI_BILLED, savings="25399.99"))
    result = one_debt(JIEBEI_BILLED, savings="25400.00")
    assert (result.reserve, result.savings_offered) == (D("5400.00"), D("20000.00"))
    plan = plans_by_kind(result)["settlement"]
    assert (plan.months, plan.total, plan.waived) == (1, D("20000.00"), D("605.75"))
    assert [(i.due, i.amount) for i in plan.schedule] == [(date(2026, 12, 22), D("20000.00"))]


# --- Recommendation -----------------------------------------------------------------


def test_each_lender_is_asked_for_its_own_part_of_the_plan():
    result = quote(CaseInput(as_of=AS_OF, debts=(huabei(), JIEBEI_BILLED), **budget()))
    waiver = plans_by_kind(result)["waiver"]
    # Huabei: 12000.00 + 0 billed, waives its 169.50 fee; Jiebei: 20000 + 320, waives its 285.75 penalty
    parts = {part.id: part for part in waiver.per_debt}
    assert (parts["hb"].total, parts["hb"].waived) == (D("12000.00"), D("169.50"))
    assert (parts["jb"].total, parts["jb"].waived) == (D("20320.00"), D("285.75"))
    # 32320.00 ÷ 11 = 2938.18 fits 3060.00 (10 months: 3232.00 does not); each debt over the same 11 months:
    # 12000 ÷ 11 = 1090.909… -> 1090.91, last 12000 − 10 × 1090.91 = 1090.90
    assert waiver.months == 11
    assert (parts["hb"].monthly_payment, parts["hb"].last_payment) == (D("1090.91"), D("1090.90"))
    # 20320 ÷ 11 = 1847.2727… -> 1847.27, last 20320 − 10 × 1847.27 = 1847.30
    assert (parts["jb"].monthly_payment, parts["jb"].last_payment) == (D("1847.27"), D("1847.30"))


def test_recommends_the_full_balance_when_it_is_affordable():
    result = one_debt(jiebei())
    assert result.plans[result.recommended].kind == "full_balance"
    assert not result.none_affordable


def test_recommends_the_waiver_when_the_full_balance_is_out_of_reach():
    # available = round(377.78 × 0.9) = 340.00; over 60 months the full balance needs
    # 20605.75 ÷ 60 = 343.43 (too much), the waiver 20320 ÷ 60 = 338.67 (fits; 59 months: 344.41)
    result = one_debt(JIEBEI_BILLED, income="2177.78")
    assert result.budget.available == D("340.00")
    assert plans_by_kind(result)["full_balance"].monthly_payment == D("340.29")  # 20417.53 ÷ 60
    plan = result.plans[result.recommended]
    assert (plan.kind, plan.months, plan.monthly_payment) == ("waiver", 60, D("338.67"))


def test_when_nothing_is_available_it_recommends_a_hold_with_a_review_date_and_no_payment():
    result = one_debt(JIEBEI_BILLED, income="1800.00")
    assert result.budget.available == D("0.00")
    assert result.none_affordable
    hold = result.plans[result.recommended]
    assert (hold.kind, hold.months, hold.monthly_payment, hold.total, hold.schedule) == ("hold", 0, 0, 0, ())
    assert hold.review_on == date(2027, 11, 22) and hold.freeze_charges and hold.affordable
    repayments = [plan for plan in result.plans if plan.kind != "hold"]
    assert all(plan.months == 60 and not plan.affordable and plan.needs_reason for plan in repayments)


def test_a_case_without_debts_has_no_plans_and_no_recommendation():
    result = quote(CaseInput(as_of=AS_OF, debts=(), **budget()))
    assert result.plans == () and result.recommended is None and not result.none_affordable
    assert result.totals.balance == D("0")


def test_the_engine_imports_nothing_from_django():
    from pathlib import Path

    import cases.finance

    for source in Path(cases.finance.__file__).parent.glob("*.py"):
        assert "django" not in source.read_text(encoding="utf-8"), source.name


def test_credit_card_penalty_at_the_rate_on_the_bill():
    debt = DebtInput(id="cc", product="credit_card", lender="招商银行", principal=D("15000.00"),
                     overdue_amount=D("4000.00"), overdue_since=date(2026, 10, 1), penalty_daily_rate=D("0.0005"))
    result = one_debt(debt).debts[0]
    assert result.days_overdue == 52  # 30 (Oct) + 22
    assert result.computed_charges == D("104.00")  # 4000 × 0.0005 × 52
    # on the 4000.00 it runs on: 104 ÷ 4000 ÷ 52 × 365 = 0.1825
    assert result.all_in_apr == D("0.1825")
