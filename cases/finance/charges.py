"""Charges since default, the all-in annual cost, and the 24 % ceiling, per debt."""

from datetime import date
from decimal import Decimal

from .inputs import DebtInput
from .money import ZERO, percent, to_fen, to_fraction
from .results import ChargeLine, DebtResult
from .rules import CEILING_ANNUAL_RATE, CEILING_DAYS_IN_YEAR, CHARGE_RULES


def days_overdue(debt: DebtInput, as_of: date) -> int:
    """as_of − overdue_since − grace days, never below 0."""
    if debt.overdue_since is None:
        return 0
    return max(0, (as_of - debt.overdue_since).days - debt.grace_days)


def penalty_daily_rate(debt: DebtInput) -> Decimal | None:
    """The daily rate charged on the overdue amount, or None if nothing is known."""
    if debt.penalty_daily_rate is not None:
        return debt.penalty_daily_rate
    rule = CHARGE_RULES[debt.product]
    if rule.daily_rate is not None:
        return rule.daily_rate
    if rule.contract_multiplier is not None:
        return debt.annual_rate / rule.days_in_rate_year * rule.contract_multiplier
    return None


def overdue_charges(debt: DebtInput, days: int) -> tuple[Decimal, ChargeLine | None]:
    """The penalty or overdue fee for ``days`` days, and the line that shows how."""
    rate = penalty_daily_rate(debt)
    if rate is None:
        return ZERO, None
    amount = to_fen(debt.overdue_amount * rate * days)
    rule = CHARGE_RULES[debt.product]
    if debt.penalty_daily_rate is None and rule.contract_multiplier is not None:
        formula = (
            f"{debt.overdue_amount} × {percent(debt.annual_rate)} ÷ {rule.days_in_rate_year}"
            f" × {rule.contract_multiplier} × {days} = {amount}"
        )
        what = rule.charge
    else:
        formula = f"{debt.overdue_amount} × {percent(rate)} × {days} = {amount}"
        what = rule.charge if debt.penalty_daily_rate is None else "penalty_at_given_rate"
    return amount, ChargeLine(what, formula, str(amount))


def allowed_at_cap(principal: Decimal, days: int) -> Decimal:
    """The most the ceiling allows over ``days`` days: principal × 24 % × days ÷ 365."""
    return to_fen(principal * CEILING_ANNUAL_RATE * days / CEILING_DAYS_IN_YEAR)


def all_in_apr(cost: Decimal, principal: Decimal, days: int) -> Decimal | None:
    """cost ÷ principal × 365 ÷ days, as a fraction; None without a period or principal."""
    if days <= 0 or principal <= 0:
        return None
    return to_fraction(cost / principal * CEILING_DAYS_IN_YEAR / days)


def debt_result(debt: DebtInput, as_of: date) -> DebtResult:
    days = days_overdue(debt, as_of)
    computed, charge_line = overdue_charges(debt, days)
    cost = debt.billed_charges + computed
    allowed = allowed_at_cap(debt.principal, days)
    # The ceiling is a rate over the period charged: with no day overdue there is
    # no period, so nothing can be said to exceed it (rather than "all of it").
    excess = max(ZERO, cost - allowed) if days > 0 else ZERO
    apr = all_in_apr(cost, debt.principal, days)
    balance = debt.principal + cost

    since = debt.overdue_since.isoformat() if debt.overdue_since else "—"
    lines = [ChargeLine("days_overdue", f"({as_of.isoformat()} − {since}) − {debt.grace_days} = {days}", str(days))]
    if charge_line:
        lines.append(charge_line)
    lines.append(ChargeLine("billed_charges", str(debt.billed_charges), str(debt.billed_charges)))
    lines.append(ChargeLine("cost", f"{debt.billed_charges} + {computed} = {cost}", str(cost)))
    if apr is not None:
        lines.append(
            ChargeLine("all_in_apr", f"{cost} ÷ {debt.principal} × {CEILING_DAYS_IN_YEAR} ÷ {days} = {apr * 100:.2f}%",
                       str(apr))
        )
    if days > 0:
        lines.append(
            ChargeLine(
                "allowed_at_cap",
                f"{debt.principal} × {percent(CEILING_ANNUAL_RATE)} × {days} ÷ {CEILING_DAYS_IN_YEAR} = {allowed}",
                str(allowed),
            )
        )
        lines.append(ChargeLine("excess_over_cap", f"max(0, {cost} − {allowed}) = {excess}", str(excess)))
    else:
        lines.append(ChargeLine("ceiling_not_applicable", "—", str(excess)))
    lines.append(ChargeLine("balance", f"{debt.principal} + {cost} = {balance}", str(balance)))
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
        principal=debt.principal,
        overdue_amount=debt.overdue_amount,
        overdue_since=debt.overdue_since,
        grace_days=debt.grace_days,
        days_overdue=days,
        billed_charges=debt.billed_charges,
        computed_charges=computed,
        cost=cost,
        all_in_apr=apr,
        allowed_at_cap=allowed,
        excess_over_cap=excess,
        balance=balance,
        lender_claimed_total=debt.lender_claimed_total,
        claimed_difference=difference,
        charge_lines=tuple(lines),
    )
