"""Monthly budget, the amount available to creditors, and its pro-rata split."""

from collections.abc import Iterable
from decimal import Decimal

from .inputs import BudgetItem
from .money import FEN, ZERO, to_fen, to_fen_down
from .results import Budget, Share


def monthly_budget(income: Iterable[BudgetItem], expenses: Iterable[BudgetItem], safety_margin: Decimal) -> Budget:
    """Surplus (may be negative) and the amount available to creditors: the surplus
    less the safety margin, never below 0."""
    total_income = sum((item.amount for item in income), ZERO)
    total_expenses = sum((item.amount for item in expenses), ZERO)
    surplus = total_income - total_expenses
    available = to_fen(surplus * (1 - safety_margin)) if surplus > 0 else ZERO
    return Budget(
        income=total_income,
        expenses=total_expenses,
        surplus=surplus,
        safety_margin=safety_margin,
        margin=max(ZERO, surplus - available),
        available=available,
    )


def split_pro_rata(amount: Decimal, weights: dict[str, Decimal]) -> tuple[Share, ...]:
    """Split ``amount`` across ids in proportion to their weights (the debts'
    balances), each share in whole fen, the shares summing exactly to ``amount``.

    Largest remainder method: every id gets its exact share rounded down, then the
    fen left over go one each to the largest remainders; ties go to the smaller id,
    so the result does not depend on the order the debts were entered in.
    """
    total = sum(weights.values(), ZERO)
    if total <= 0 or amount <= 0:
        return tuple(Share(id_, ZERO) for id_ in weights)
    exact = {id_: amount * weight / total for id_, weight in weights.items()}
    floors = {id_: to_fen_down(value) for id_, value in exact.items()}
    left_over = int((amount - sum(floors.values(), ZERO)) / FEN)
    by_remainder = sorted(weights, key=lambda id_: (-(exact[id_] - floors[id_]), id_))
    for id_ in by_remainder[:left_over]:
        floors[id_] += FEN
    return tuple(Share(id_, floors[id_]) for id_ in weights)
