"""Repayment plans: what each kind asks of the lender, its term, its schedule,
and which plan to recommend."""

import calendar
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from .money import ZERO, to_fen, to_fen_down
from .results import Budget, DebtResult, Instalment, Plan
from .rules import MAX_MONTHS, MIN_MONTHS, PLAN_KINDS


def add_months(start: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day if it is shorter."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def regular_instalment(total: Decimal, months: int) -> Decimal:
    """total ÷ months, rounded half up to the fen.

    For tiny totals over long terms rounding up could leave the last instalment
    negative (1.00 over 60 months: 59 × 0.02 > 1.00); then round down instead, so
    the last instalment only ever absorbs a few fen more.
    """
    monthly = to_fen(total / months)
    if monthly * (months - 1) > total:
        monthly = to_fen_down(total / months)
    return monthly


def instalment_schedule(total: Decimal, months: int, as_of: date, deferral_months: int = 0) -> tuple[Instalment, ...]:
    """Equal monthly payments, the last absorbing the rounding, so the schedule
    sums exactly to ``total``. The first falls due one month after ``as_of`` plus
    any deferral."""
    monthly = regular_instalment(total, months)
    last = total - monthly * (months - 1)
    return tuple(
        Instalment(add_months(as_of, deferral_months + k), monthly if k < months else last)
        for k in range(1, months + 1)
    )


def shortest_affordable_term(total: Decimal, available: Decimal) -> int | None:
    for months in range(MIN_MONTHS, MAX_MONTHS + 1):
        if regular_instalment(total, months) <= available:
            return months
    return None


def instalment_plan(kind: str, total: Decimal, waived: Decimal, budget: Budget, as_of: date,
                    deferral_months: int = 0) -> Plan:
    """The shortest affordable term within 3..60 months, or 60 months if none is."""
    months = shortest_affordable_term(total, budget.available) or MAX_MONTHS
    monthly = regular_instalment(total, months)
    return Plan(
        kind=kind,
        months=months,
        deferral_months=deferral_months,
        monthly_payment=monthly,
        total=total,
        waived=waived,
        affordable=monthly <= budget.available,
        schedule=instalment_schedule(total, months, as_of, deferral_months),
    )


def settlement_plan(total: Decimal, waived: Decimal, as_of: date) -> Plan:
    """One payment from savings, a month from now."""
    return Plan(
        kind="settlement",
        months=1,
        deferral_months=0,
        monthly_payment=total,
        total=total,
        waived=waived,
        affordable=True,
        schedule=(Instalment(add_months(as_of, 1), total),),
    )


def repayment_plans(debts: Sequence[DebtResult], budget: Budget, savings: Decimal, as_of: date,
                    deferral_months: int) -> tuple[Plan, ...]:
    """One plan per kind, in the order of how much it asks of the lender.

    - full_balance: everything claimed so far, in instalments; asks only for time.
    - waiver: principal and charges billed before default; asks to waive the
      penalty or overdue fees since default (the usual ask).
    - stop_interest (停息挂账): principal only; asks to stop all interest and charges.
    - settlement: the principal in one payment, only where savings cover it.
    - deferral: nothing to pay for 1–3 months, then the waiver amount in instalments.
    """
    if not debts:
        return ()
    principal = sum((d.principal for d in debts), ZERO)
    billed = sum((d.billed_charges for d in debts), ZERO)
    computed = sum((d.computed_charges for d in debts), ZERO)
    balance = principal + billed + computed
    if balance <= 0:
        return ()
    plans = [
        instalment_plan("full_balance", balance, ZERO, budget, as_of),
        instalment_plan("waiver", principal + billed, computed, budget, as_of),
        instalment_plan("stop_interest", principal, billed + computed, budget, as_of),
    ]
    if 0 < principal <= savings:
        plans.append(settlement_plan(principal, billed + computed, as_of))
    plans.append(instalment_plan("deferral", principal + billed, computed, budget, as_of, deferral_months))
    return tuple(plans)


def recommend(plans: Sequence[Plan]) -> tuple[int | None, bool]:
    """(index of the recommended plan, whether none is affordable).

    The affordable plan that asks the lender for the least, then the shortest
    term. If none is affordable: the hardship route, i.e. the deferral plan.
    """
    affordable = [i for i, plan in enumerate(plans) if plan.affordable]
    if affordable:
        best = min(affordable, key=lambda i: (PLAN_KINDS.index(plans[i].kind), plans[i].months))
        return best, False
    for i, plan in enumerate(plans):
        if plan.kind == "deferral":
            return i, True
    return None, bool(plans)
