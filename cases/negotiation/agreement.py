"""Is an agreed (or offered) monthly payment affordable? The finance engine
(cases/finance) decides what the budget leaves for creditors; we only compare."""

from decimal import Decimal

from ..proposal.quote import budget_of


def available_for_creditors(case) -> Decimal | None:
    """The monthly amount the budget leaves for all creditors, or None before any budget is entered."""
    budget = budget_of(case)
    if budget.income == 0 and budget.expenses == 0:
        return None  # no budget entered yet: "0.00 available" would be a false alarm
    return budget.available


def affordability(monthly: Decimal | None, available: Decimal | None) -> dict:
    """``{"available": ..., "affordable": bool | None}``: None when either amount is unknown."""
    if monthly is None or available is None:
        return {"available": available, "affordable": None}
    return {"available": available, "affordable": monthly <= available}
