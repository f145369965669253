"""Repayment plans: what each kind asks of the lender, its term, its schedule,
and which plan to recommend."""

import calendar
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from .money import FEN, ZERO, to_fen, to_fen_down
from .results import Budget, DebtPart, DebtResult, Instalment, Plan
from .rules import MAX_MONTHS, MIN_MONTHS, PLAN_KINDS


def add_months(start: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day if it is shorter."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    if start.day <= 28:
        return date(year, month, start.day)
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
    # A rounded payment is never a fen or more below total ÷ months, so no term
    # shorter than total ÷ (available + 0.01) can fit: start the search there.
    start = max(MIN_MONTHS, int(total / (available + FEN)))
    for months in range(start, MAX_MONTHS + 1):
        if regular_instalment(total, months) <= available:
            return months
    return None


def debt_part(kind: str, debt: DebtResult) -> tuple[Decimal, Decimal]:
    """(what the debt's lender is paid, what it is asked to waive) under a plan kind.

    - full_balance: everything claimed so far; asks only for time.
    - waiver and deferral: principal and charges billed before default; asks to
      waive the penalty or overdue fees since default (the usual ask).
    - stop_interest (停息挂账) and settlement: principal only; asks to drop all charges.
    """
    if kind == "full_balance":
        return debt.balance, ZERO
    if kind in ("waiver", "deferral"):
        return debt.principal + debt.billed_charges, debt.computed_charges
    return debt.principal, debt.cost


def _parts(kind: str, debts: Sequence[DebtResult], months: int) -> tuple[DebtPart, ...]:
    parts = []
    for debt in debts:
        total, waived = debt_part(kind, debt)
        monthly = regular_instalment(total, months)
        parts.append(DebtPart(debt.id, total, waived, monthly, total - monthly * (months - 1)))
    return tuple(parts)


def instalment_plan(kind: str, debts: Sequence[DebtResult], budget: Budget, as_of: date,
                    deferral_months: int = 0) -> Plan:
    """The shortest affordable term within 3..60 months, or 60 months if none is."""
    parts = [debt_part(kind, debt) for debt in debts]
    total = sum((paid for paid, _ in parts), ZERO)
    months = shortest_affordable_term(total, budget.available) or MAX_MONTHS
    monthly = regular_instalment(total, months)
    return Plan(
        kind=kind,
        months=months,
        deferral_months=deferral_months,
        monthly_payment=monthly,
        total=total,
        waived=sum((waived for _, waived in parts), ZERO),
        affordable=monthly <= budget.available,
        schedule=instalment_schedule(total, months, as_of, deferral_months),
        per_debt=_parts(kind, debts, months),
    )


def settlement_plan(debts: Sequence[DebtResult], as_of: date) -> Plan:
    """One payment from savings, a month from now."""
    parts = _parts("settlement", debts, 1)
    total = sum((part.total for part in parts), ZERO)
    return Plan(
        kind="settlement",
        months=1,
        deferral_months=0,
        monthly_payment=total,
        total=total,
        waived=sum((part.waived for part in parts), ZERO),
        affordable=True,
        schedule=(Instalment(add_months(as_of, 1), total),),
        per_debt=parts,
    )


def repayment_plans(debts: Sequence[DebtResult], budget: Budget, savings: Decimal, as_of: date,
                    deferral_months: int) -> tuple[Plan, ...]:
    """One plan per kind, in the order of how much it asks of the lender (see
    ``debt_part``); a settlement only where savings cover the principal; the
    deferral plan pauses 1–3 months, then pays as the waiver plan does."""
    if sum((debt.balance for debt in debts), ZERO) <= 0:
        return ()
    plans = [
        instalment_plan("full_balance", debts, budget, as_of),
        instalment_plan("waiver", debts, budget, as_of),
        instalment_plan("stop_interest", debts, budget, as_of),
    ]
    principal = sum((debt.principal for debt in debts), ZERO)
    if 0 < principal <= savings:
        plans.append(settlement_plan(debts, as_of))
    plans.append(instalment_plan("deferral", debts, budget, as_of, deferral_months))
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
