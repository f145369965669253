"""Charges on their base over their period, and the ceiling test per group, per debt.

What the lender billed covers the days up to the billed-through date; we compute
further charges only after it, so nothing is counted twice (DOMAIN.md "Billed vs
computed"). Each charge is tested with the principal that produced it.
"""

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from .ceiling import Days, group_result, union, which_cap
from .inputs import BilledCharge, DebtInput
from .limitation import limitation_status
from .money import ZERO, percent, to_fen
from .results import Charge, ChargeLine, DebtResult
from .rules import CHARGE_RULES, OVERDUE_KINDS

OVERDUE_GROUP = "overdue_principal"
PRINCIPAL_GROUP = "principal"
INSTALMENT_GROUP = "instalment_balance"


def overdue_start(debt: DebtInput) -> date | None:
    """The last day before charges run: overdue since + grace days."""
    return None if debt.overdue_since is None else debt.overdue_since + timedelta(days=debt.grace_days)


def days_overdue(debt: DebtInput, as_of: date) -> int:
    """as_of − overdue_since − grace days, never below 0."""
    start = overdue_start(debt)
    return 0 if start is None else max(0, (as_of - start).days)


def principal_of(debt: DebtInput) -> Decimal:
    """The principal is what the borrower actually received where interest was deducted
    up front (砍头息; 民法典 670, 民间借贷规定 Art 26)."""
    if debt.amount_received is not None and debt.amount_received < debt.principal:
        return debt.amount_received
    return debt.principal


def daily_rate(debt: DebtInput) -> tuple[Decimal, str]:
    """The daily rate charged on the overdue amount after default, and how it is made."""
    if debt.penalty_daily_rate is not None:
        return debt.penalty_daily_rate, f"{percent(debt.penalty_daily_rate)}"
    rule = CHARGE_RULES[debt.product]
    if rule.daily_rate is not None:
        return rule.daily_rate, percent(rule.daily_rate)
    multiplier = debt.penalty_multiplier if debt.penalty_multiplier is not None else rule.multiplier
    rate = debt.annual_rate / rule.days_in_rate_year * multiplier
    return rate, f"{percent(debt.annual_rate)} ÷ {rule.days_in_rate_year} × {multiplier.normalize()}"


def billed_through(debt: DebtInput, as_of: date) -> tuple[date | None, bool]:
    """(the last day the lender's after-default charges are billed for, whether assumed).

    Without a date: the latest end of a billed penalty or overdue-fee line, else today
    when such a charge is billed without a period (it is taken to cover everything so
    far); other billed lines (interest, instalment fees) do not stop our computing."""
    if debt.billed_through is not None:
        return min(debt.billed_through, as_of), False
    after_default = [line for line in debt.billed if line.kind in OVERDUE_KINDS and line.amount > 0]
    ends = [line.end for line in after_default if line.end is not None]
    if ends:
        return min(max(ends), as_of), True
    if debt.billed_charges > 0 or after_default:
        return as_of, True
    return None, False


def plain_figure_kind(product: str) -> str:
    """The kind of the one line a plain billed figure (v1, the debts step) stands for: the product's charge
    after default."""
    return "overdue_fee" if CHARGE_RULES[product].charge == "overdue_fee" else "penalty"


def _span(a: date, b: date) -> Days:
    return (a.toordinal(), max(a.toordinal(), b.toordinal()))


def _instalment_base(base: Decimal, days: int) -> Decimal:
    """An instalment fee charged on the original amount while the principal falls is
    measured on the declining balance: over n monthly instalments the average balance
    is base × (n + 1) ÷ 2n (DOMAIN.md: a flat 0.6 %/month is ≈ 13 % a year, not 7.2 %)."""
    months = max(1, round(Decimal(days) * 12 / 365))
    return base * (months + 1) / (2 * months)


def _billed_lines(debt: DebtInput, principal: Decimal, start: date | None, through: date | None,
                  as_of: date) -> list[tuple]:
    """(charge, period, group key, constant base or None) for each billed line."""
    lines = list(debt.billed)
    if debt.billed_charges > 0:
        # The v1 plain number: one line of the product's after-default charge over the overdue period.
        lines.append(BilledCharge(plain_figure_kind(debt.product), debt.billed_charges))
    result = []
    for line in lines:
        assumed = line.start is None or line.end is None
        end = line.end or through or as_of
        first = line.start - timedelta(days=1) if line.start is not None else (start or end)
        period = _span(first, end)
        days = period[1] - period[0]
        if line.kind == "instalment_fee":
            base = _instalment_base(line.base if line.base is not None else principal, days)
            # its own group per base and period: the declining balance depends on both
            group, constant = f"{INSTALMENT_GROUP}:{line.base if line.base is not None else principal}:{period}", base
        elif line.base is not None and line.base != principal:
            base = line.base
            group, constant = f"base:{line.base}", line.base
        elif line.kind in OVERDUE_KINDS:
            base, group, constant = _overdue_base(debt, principal), OVERDUE_GROUP, None
        else:
            base, group, constant = principal, PRINCIPAL_GROUP, principal
        charge = Charge(
            kind=line.kind, billed=True, base=to_fen(base), start=date.fromordinal(period[0] + 1) if days else None,
            end=date.fromordinal(period[1]) if days else None, days=days, amount=line.amount,
            period_assumed=assumed, group=group.split(":")[0],
        )
        result.append((charge, period, group, constant))
    return result


def _overdue_base(debt: DebtInput, principal: Decimal) -> Decimal:
    return min(debt.overdue_amount, principal)


def _computed_lines(debt: DebtInput, principal: Decimal, start: date | None, through: date | None,
                    as_of: date) -> list[tuple]:
    """The charges after default from the billed-through date (or the overdue start) to
    as_of, on the overdue principal — the whole principal from the acceleration date."""
    if start is None:
        return []
    rate, how = daily_rate(debt)
    begin = max(start, through) if through is not None else start
    if begin >= as_of or rate == 0:
        return []
    kind = CHARGE_RULES[debt.product].charge
    if debt.penalty_daily_rate is not None and kind != "overdue_fee":
        kind = "penalty"
    segments = [(begin, as_of, _overdue_base(debt, principal))]
    if debt.accelerated_on is not None and debt.accelerated_on <= as_of:
        cut = debt.accelerated_on - timedelta(days=1)
        if cut <= begin:
            segments = [(begin, as_of, principal)]
        else:
            segments = [(begin, cut, _overdue_base(debt, principal)), (cut, as_of, principal)]
    result = []
    for a, b, base in segments:
        days = (b - a).days
        for what, on in ((kind, base), ("compound_interest", debt.overdue_interest)):
            if on <= 0 or days <= 0:
                continue
            amount = to_fen(on * rate * days)
            charge = Charge(kind=what, billed=False, base=on, start=a + timedelta(days=1), end=b, days=days,
                            amount=amount, period_assumed=False, group=OVERDUE_GROUP)
            result.append((charge, _span(a, b), OVERDUE_GROUP, None, f"{on} × {how} × {days} = {amount}"))
    return result


def debt_result(debt: DebtInput, as_of: date, lpr_table: Sequence[tuple[date, Decimal]]) -> DebtResult:
    principal = principal_of(debt)
    start = overdue_start(debt)
    if start is not None and start > as_of:
        start = as_of
    days = days_overdue(debt, as_of)
    through, through_assumed = billed_through(debt, as_of)
    billed = _billed_lines(debt, principal, start, through, as_of)
    computed = _computed_lines(debt, principal, start, through, as_of)
    cap = which_cap(debt.lender_type, debt.contract_date, as_of, debt.day_count, lpr_table)

    by_group: dict[str, list[tuple]] = {}
    for entry in [*billed, *computed]:
        by_group.setdefault(entry[2], []).append(entry)
    switch = debt.accelerated_on.toordinal() if debt.accelerated_on is not None else None
    groups = []
    for key in sorted(by_group):
        entries = by_group[key]
        charges = sum((e[0].amount for e in entries), ZERO)
        periods = [e[1] for e in entries]
        constant = entries[0][3]
        if constant is None:
            result = group_result(key, periods, charges, _overdue_base(debt, principal), principal, switch, cap)
        else:
            result = group_result(key.split(":")[0], periods, charges, constant, constant, None, cap)
        groups.append(result)

    # A claim in court is tested on the unpaid principal over the days charges ran, whatever base each charge
    # was computed on (DOMAIN.md "How the ceiling test is done", "The base"): the larger, defensible limit.
    charge_days = sum(b - a for a, b in union(e[1] for e in [*billed, *computed]))
    allowed_on_principal = to_fen(principal * cap.rate * charge_days / cap.day_count)

    billed_total = sum((e[0].amount for e in billed), ZERO)
    computed_total = sum((e[0].amount for e in computed), ZERO)
    cost = billed_total + computed_total
    allowed = sum((g.allowed for g in groups), ZERO)
    excess = sum((g.excess for g in groups), ZERO)
    with_apr = [g for g in groups if g.all_in_apr is not None]
    top = max(with_apr, key=lambda g: (g.all_in_apr, g.charges, g.group)) if with_apr else None
    balance = principal + cost
    status, status_from = limitation_status(debt, as_of)

    since = debt.overdue_since.isoformat() if debt.overdue_since else "—"
    lines = [ChargeLine("days_overdue", f"({as_of.isoformat()} − {since}) − {debt.grace_days} = {days}", str(days))]
    if principal != debt.principal:
        lines.append(ChargeLine("principal_is_amount_received", f"min({debt.principal}, {debt.amount_received})",
                                str(principal)))
    for charge, _, _, _ in billed:
        period = f"{charge.start} → {charge.end}" if charge.days else "—"
        lines.append(ChargeLine(f"billed_{charge.kind}", f"{charge.amount} ({period})", str(charge.amount)))
    for charge, _, _, _, formula in computed:
        given = debt.penalty_daily_rate is not None and charge.kind != "compound_interest"
        lines.append(ChargeLine("penalty_at_given_rate" if given else charge.kind, formula, str(charge.amount)))
    lines.append(ChargeLine("cost", f"{billed_total} + {computed_total} = {cost}", str(cost)))
    for group in groups:
        if group.all_in_apr is None:
            lines.append(ChargeLine("ceiling_not_applicable", group.group, str(group.excess)))
            continue
        lines.append(ChargeLine(
            "all_in_apr", f"{group.charges} ÷ {group.base} ÷ {group.days} × {cap.day_count} = "
                          f"{group.all_in_apr * 100:.2f}%", str(group.all_in_apr)))
        lines.append(ChargeLine(
            "allowed_at_cap", f"{group.base} × {percent(cap.rate)} × {group.days} ÷ {cap.day_count} = {group.allowed}",
            str(group.allowed)))
        lines.append(ChargeLine("excess_over_cap", f"max(0, {group.charges} − {group.allowed}) = {group.excess}",
                                str(group.excess)))
    lines.append(ChargeLine("balance", f"{principal} + {cost} = {balance}", str(balance)))
    difference = None
    if debt.lender_claimed_total is not None:
        difference = debt.lender_claimed_total - balance
        lines.append(
            ChargeLine("claimed_difference", f"{debt.lender_claimed_total} − {balance} = {difference}", str(difference))
        )
    return DebtResult(
        id=debt.id,
        product=debt.product,
        lender=debt.lender,
        principal=principal,
        overdue_amount=debt.overdue_amount,
        overdue_since=debt.overdue_since,
        grace_days=debt.grace_days,
        days_overdue=days,
        billed_charges=billed_total,
        computed_charges=computed_total,
        cost=cost,
        all_in_apr=top.all_in_apr if top else None,
        allowed_at_cap=allowed,
        excess_over_cap=excess,
        balance=balance,
        lender_claimed_total=debt.lender_claimed_total,
        claimed_difference=difference,
        charge_lines=tuple(lines),
        charges=tuple(e[0] for e in [*billed, *computed]),
        groups=tuple(groups),
        ceiling=cap,
        ceiling_base=top.base if top else None,
        lender_type=debt.lender_type,
        billed_through=through,
        billed_through_assumed=through_assumed,
        limitation=status,
        limitation_from=status_from,
        in_plans=status == "ok" or debt.include_despite_limitation,
        charge_days=charge_days,
        allowed_on_principal=allowed_on_principal,
    )
