"""Is an agreed (or offered) monthly payment affordable? The finance engine
(issue 4) decides what the budget leaves for creditors; we only compare."""

from decimal import Decimal, InvalidOperation


def available_for_creditors(case) -> Decimal | None:
    """The monthly amount the budget leaves for all creditors, or None if unknown."""
    try:
        from cases.quote import quote_case
    except ImportError:  # the finance engine (issue 4) is not merged yet
        return None
    try:
        budget = quote_case(case)["budget"]
        if Decimal(budget["income"]) == 0 and Decimal(budget["expenses"]) == 0:
            return None  # no budget entered yet: "0.00 available" would be a false alarm
        return Decimal(budget["available"])
    except (KeyError, TypeError, ValueError, InvalidOperation):
        # An incomplete case (no debts or budget yet) cannot be quoted: affordability is unknown.
        return None


def affordability(monthly: Decimal | None, available: Decimal | None) -> dict:
    """``{"available": ..., "affordable": bool | None}``: None when either amount is unknown."""
    if monthly is None or available is None:
        return {"available": available, "affordable": None}
    return {"available": available, "affordable": monthly <= available}
