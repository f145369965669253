"""Repayment plans: what each kind asks of the lender, its term, its schedule, each
lender's part, and which plan to recommend. No plan is recommended whose monthly
payment the budget cannot pay; a plan above the available amount is shown as what
the lender may ask and ``needs_reason`` (where the difference comes from)."""

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import ROUND_CEILING, Decimal

from .budget import split_pro_rata
from .limitation import add_months
from .money import FEN, ZERO, to_fen, to_fen_down
from .results import Budget, DebtPart, DebtResult, Instalment, LenderPart, Plan
from .rules import MAX_MONTHS, MIN_MONTHS, PLAN_KINDS

REPAYMENT_KINDS = ("full_balance", "waiver", "stop_interest", "settlement", "deferral", "own_amount")

__all__ = ["add_months", "instalment_schedule", "regular_instalment", "repayment_plans", "recommend"]


def regular_instalment(total: Decimal, months: int) -> Decimal:
    """total ÷ months, rounded half up to the fen.

    For tiny totals over long terms rounding up could leave the last instalment
    negative (1.00 over 60 months: 59 × 0.02 > 1.00); then round down instead, so
    the last instalment only ever absorbs a few fen more.
    """
    if months <= 0:
        return ZERO
    monthly = to_fen(total / months)
    if monthly * (months - 1) > total:
        monthly = to_fen_down(total / months)
    return monthly


def payments(total: Decimal, monthly: Decimal, months: int, as_of: date, deferral_months: int = 0
             ) -> tuple[Instalment, ...]:
    """``months`` payments of ``monthly``, the last absorbing the rest of ``total``; the
    first falls due one month after ``as_of`` plus any deferral."""
    last = total - monthly * (months - 1)
    return tuple(
        Instalment(add_months(as_of, deferral_months + k), monthly if k < months else last)
        for k in range(1, months + 1)
    )


def instalment_schedule(total: Decimal, months: int, as_of: date, deferral_months: int = 0) -> tuple[Instalment, ...]:
    """Equal monthly payments, the last absorbing the rounding, so the schedule
    sums exactly to ``total``."""
    return payments(total, regular_instalment(total, months), months, as_of, deferral_months)


def shortest_affordable_term(total: Decimal, available: Decimal) -> int | None:
    # A rounded payment is never a fen or more below total ÷ months, so no term
    # shorter than total ÷ (available + 0.01) can fit: start the search there.
    start = max(MIN_MONTHS, int(total / (available + FEN)))
    for months in range(start, MAX_MONTHS + 1):
        monthly = regular_instalment(total, months)
        # The last payment absorbs the rounding and can be a few fen above the others: it must fit too.
        if max(monthly, total - monthly * (months - 1)) <= available:
            return months
    return None


def debt_part(kind: str, debt: DebtResult) -> tuple[Decimal, Decimal]:
    """(what the debt's lender is paid, what it is asked to waive) under a plan kind.

    Every plan is on the balance less the excess over the ceiling (the excess is
    asked to be reduced, never paid):
    - full_balance: principal and the charges within the ceiling; asks only for time.
    - waiver, deferral, own_amount: principal and the charges billed before (within the
      ceiling); asks to waive the charges since default.
    - stop_interest (停息挂账), settlement, arrangement, hold: principal only.
    """
    within_cap = debt.cost - debt.excess_over_cap
    if kind == "full_balance":
        paid = debt.principal + within_cap
    elif kind in ("waiver", "deferral", "own_amount"):
        paid = debt.principal + min(debt.billed_charges, within_cap)
    else:
        paid = debt.principal
    return paid, debt.balance - paid


def _per_debt(kind: str, debts: Sequence[DebtResult], months: int) -> tuple[DebtPart, ...]:
    parts = []
    for debt in debts:
        total, waived = debt_part(kind, debt)
        monthly = regular_instalment(total, months)
        parts.append(DebtPart(debt.id, total, waived, monthly, total - monthly * (months - 1) if months else ZERO))
    return tuple(parts)


def by_lender(debts: Sequence[DebtResult]) -> dict[str, list[DebtResult]]:
    """Debts grouped by the lender on the contract, lenders in name order."""
    lenders: dict[str, list[DebtResult]] = {}
    for debt in sorted(debts, key=lambda d: (d.lender, d.id)):
        lenders.setdefault(debt.lender, []).append(debt)
    return lenders


def split_schedule(schedule: Sequence[Instalment], totals: dict[str, Decimal]) -> dict[str, tuple[Instalment, ...]]:
    """Each lender's own schedule: every month's payment split pro rata across the
    lenders, each lender's schedule summing exactly to its total.

    First try equal regular payments (the plan's regular payment split once, each
    lender's last payment absorbing its rounding); where a tiny total would leave a
    lender's last payment negative, split month by month in proportion to what each
    lender still has to receive (never more than that, so never negative)."""
    if not schedule:
        return {lender: () for lender in totals}
    months = len(schedule)
    regular = {s.id: s.share for s in split_pro_rata(schedule[0].amount, totals)}
    lasts = {lender: totals[lender] - regular[lender] * (months - 1) for lender in totals}
    same = all(row.amount == schedule[0].amount for row in schedule[:-1])
    if same and all(last >= 0 for last in lasts.values()):
        return {
            lender: tuple(Instalment(row.due, regular[lender] if k < months - 1 else lasts[lender])
                          for k, row in enumerate(schedule))
            for lender in totals
        }
    remaining = dict(totals)
    rows: dict[str, list[Instalment]] = {lender: [] for lender in totals}
    for row in schedule:
        shares = {s.id: s.share for s in split_pro_rata(row.amount, remaining)}
        for lender in totals:
            share = shares.get(lender, ZERO)
            rows[lender].append(Instalment(row.due, share))
            remaining[lender] -= share
    return {lender: tuple(r) for lender, r in rows.items()}


def lender_parts(kind: str, debts: Sequence[DebtResult], schedule: Sequence[Instalment],
                 totals: dict[str, Decimal] | None = None) -> tuple[LenderPart, ...]:
    """Each lender's part of a plan. ``totals``: what each lender receives when it is
    not simply the sum of its debts' parts (an arrangement's share of the available amount)."""
    lenders = by_lender(debts)
    owed = {}
    waived = {}
    for lender, its_debts in lenders.items():
        parts = [debt_part(kind, debt) for debt in its_debts]
        owed[lender] = sum((paid for paid, _ in parts), ZERO)
        waived[lender] = sum((w for _, w in parts), ZERO)
    if totals is not None:
        owed, waived = totals, {lender: ZERO for lender in lenders}
    schedules = split_schedule(schedule, owed)
    return tuple(
        LenderPart(
            lender=lender,
            debt_ids=tuple(d.id for d in its_debts),
            total=owed[lender],
            waived=waived[lender],
            monthly_payment=schedules[lender][0].amount if schedules[lender] else ZERO,
            schedule=schedules[lender],
        )
        for lender, its_debts in lenders.items()
    )


def _plan(kind: str, debts: Sequence[DebtResult], schedule: tuple[Instalment, ...], budget: Budget,
          deferral_months: int = 0) -> Plan:
    per_debt = _per_debt(kind, debts, len(schedule))
    monthly = schedule[0].amount if schedule else ZERO
    # Every payment must fit, not only the first: the last one absorbs the rounding.
    affordable = max((i.amount for i in schedule), default=ZERO) <= budget.available
    return Plan(
        kind=kind,
        months=len(schedule),
        deferral_months=deferral_months,
        monthly_payment=monthly,
        total=sum((p.total for p in per_debt), ZERO),
        waived=sum((p.waived for p in per_debt), ZERO),
        affordable=affordable,
        schedule=schedule,
        per_debt=per_debt,
        parts=lender_parts(kind, debts, schedule),
        needs_reason=not affordable,
    )


def instalment_plan(kind: str, debts: Sequence[DebtResult], budget: Budget, as_of: date,
                    deferral_months: int = 0) -> Plan:
    """The shortest affordable term within 3..60 months, or 60 months if none is."""
    total = sum((debt_part(kind, debt)[0] for debt in debts), ZERO)
    months = shortest_affordable_term(total, budget.available) or MAX_MONTHS
    return _plan(kind, debts, instalment_schedule(total, months, as_of, deferral_months), budget, deferral_months)


def settlement_plan(debts: Sequence[DebtResult], as_of: date, savings_offered: Decimal) -> Plan:
    """One payment from savings (less the emergency reserve), a month from now."""
    total = sum((debt_part("settlement", debt)[0] for debt in debts), ZERO)
    schedule = (Instalment(add_months(as_of, 1), total),)
    per_debt = _per_debt("settlement", debts, 1)
    return Plan(
        kind="settlement", months=1, deferral_months=0, monthly_payment=total, total=total,
        waived=sum((p.waived for p in per_debt), ZERO), affordable=total <= savings_offered, schedule=schedule,
        per_debt=per_debt, parts=lender_parts("settlement", debts, schedule), needs_reason=total > savings_offered,
    )


def own_amount_plan(debts: Sequence[DebtResult], budget: Budget, as_of: date, offer: Decimal,
                    review_months: int) -> Plan | None:
    """The user's own monthly amount: the waiver plan's total paid at that amount a month
    (the last payment absorbing the rest); where that would take longer than 60 months,
    the amount for a review period with the charges frozen, as an arrangement."""
    total = sum((debt_part("own_amount", debt)[0] for debt in debts), ZERO)
    if offer <= 0 or total <= 0:
        return None
    months = int((total / offer).to_integral_value(rounding=ROUND_CEILING))
    if months <= MAX_MONTHS:
        return _plan("own_amount", debts, payments(total, offer, months, as_of), budget)
    plan = arrangement_plan(debts, budget, as_of, review_months, offer)
    return replace(plan, kind="own_amount")


def arrangement_plan(debts: Sequence[DebtResult], budget: Budget, as_of: date, review_months: int,
                     monthly: Decimal | None = None) -> Plan:
    """The available amount (split per lender pro rata to what each is owed, less the
    excess) for a review period, asking for interest and penalty to be frozen (停息)
    meanwhile; with nothing available, a hold (暂缓): no payment, a review date."""
    monthly = budget.available if monthly is None else monthly
    lenders = by_lender(debts)
    weights = {lender: sum((d.balance - d.excess_over_cap for d in ds), ZERO) for lender, ds in lenders.items()}
    review_on = add_months(as_of, review_months)
    if monthly <= 0:
        per_debt = tuple(DebtPart(d.id, ZERO, ZERO, ZERO, ZERO) for d in debts)
        parts = lender_parts("hold", debts, (), {lender: ZERO for lender in lenders})
        return Plan(kind="hold", months=0, deferral_months=0, monthly_payment=ZERO, total=ZERO, waived=ZERO,
                    affordable=True, schedule=(), per_debt=per_debt, parts=parts, review_on=review_on,
                    freeze_charges=True)
    schedule = tuple(Instalment(add_months(as_of, k), monthly) for k in range(1, review_months + 1))
    monthly_by_lender = {s.id: s.share for s in split_pro_rata(monthly, weights)}
    if sum(weights.values(), ZERO) <= 0:
        first = next(iter(lenders), None)
        monthly_by_lender = {lender: (monthly if lender == first else ZERO) for lender in lenders}
    parts = lender_parts("arrangement", debts, schedule,
                         {lender: share * review_months for lender, share in monthly_by_lender.items()})
    debt_weights = {d.id: d.balance - d.excess_over_cap for d in debts}
    per_debt = tuple(
        DebtPart(s.id, s.share * review_months, ZERO, s.share, s.share) for s in split_pro_rata(monthly, debt_weights)
    ) if sum(debt_weights.values(), ZERO) > 0 else tuple(
        DebtPart(d.id, ZERO, ZERO, ZERO, ZERO) for d in debts
    )
    return Plan(kind="arrangement", months=review_months, deferral_months=0, monthly_payment=monthly,
                total=monthly * review_months, waived=ZERO, affordable=monthly <= budget.available,
                schedule=schedule, per_debt=per_debt, parts=parts, needs_reason=monthly > budget.available,
                review_on=review_on, freeze_charges=True)


def repayment_plans(debts: Sequence[DebtResult], budget: Budget, savings_offered: Decimal, as_of: date,
                    deferral_months: int, monthly_offer: Decimal | None = None,
                    review_months: int = 12) -> tuple[Plan, ...]:
    """One plan per kind, in the order of how much it asks of the lender (see
    ``debt_part``); a settlement only where the savings offered cover it; the deferral
    plan pauses 1–3 months, then pays as the waiver plan does; the user's own amount if
    given; and the arrangement or hold when no repayment fits."""
    if sum((debt.balance for debt in debts), ZERO) <= 0:
        return ()
    plans = [
        instalment_plan("full_balance", debts, budget, as_of),
        instalment_plan("waiver", debts, budget, as_of),
        instalment_plan("stop_interest", debts, budget, as_of),
    ]
    principal = sum((debt.principal for debt in debts), ZERO)
    if 0 < principal <= savings_offered:
        plans.append(settlement_plan(debts, as_of, savings_offered))
    plans.append(instalment_plan("deferral", debts, budget, as_of, deferral_months))
    if monthly_offer is not None:
        own = own_amount_plan(debts, budget, as_of, monthly_offer, review_months)
        if own is not None:
            plans.append(own)
    if not any(plan.affordable and plan.kind != "own_amount" for plan in plans):
        plans.append(arrangement_plan(debts, budget, as_of, review_months))
    return tuple(plans)


def recommend(plans: Sequence[Plan]) -> tuple[int | None, bool]:
    """(index of the recommended plan, whether no repayment plan is affordable).

    The affordable plan that asks the lender for the least, then the shortest term;
    when no repayment fits, the arrangement (or the hold). Never a plan the budget
    cannot pay."""
    affordable = [i for i, plan in enumerate(plans) if plan.affordable]
    none_affordable = bool(plans) and not any(
        plan.affordable for plan in plans if plan.kind in REPAYMENT_KINDS and not plan.freeze_charges
    )
    if not affordable:
        return None, none_affordable
    best = min(affordable, key=lambda i: (PLAN_KINDS.index(plans[i].kind), plans[i].months))
    return best, none_affordable
