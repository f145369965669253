"""Monthly budget with the living-cost floor, the amount available to creditors,
the emergency reserve, and the pro-rata split."""

from collections.abc import Iterable
from decimal import Decimal

from .inputs import BudgetItem
from .money import FEN, ZERO, to_fen, to_fen_down
from .results import Budget, Floor, Share
from .rules import LIVING_COST_FLOORS, NATIONAL_FLOOR_PER_PERSON


def living_cost_floor(household_size: int, city: str = "", per_person: Decimal | None = None) -> Floor:
    """The floor for essential spending: the local minimum living standard × household
    members (DOMAIN.md "Living-cost floor", U). ``per_person`` (from the staff's table)
    wins; else the built-in figure for the city; else the national default."""
    size = max(1, household_size)
    region = city if per_person is not None else (city if city in LIVING_COST_FLOORS else "")
    if per_person is None:
        per_person = LIVING_COST_FLOORS.get(city, NATIONAL_FLOOR_PER_PERSON)
    return Floor(per_person=per_person, household_size=size, amount=per_person * size, region=region, applied=False)


def monthly_budget(income: Iterable[BudgetItem], expenses: Iterable[BudgetItem], safety_margin: Decimal,
                   floor: Floor | None = None) -> Budget:
    """Essential spending is at least the floor; the surplus (may be negative) is income
    less essential spending; available = the surplus less the safety margin, never below 0."""
    total_income = sum((item.amount for item in income), ZERO)
    total_expenses = sum((item.amount for item in expenses), ZERO)
    essential = total_expenses
    if floor is not None:
        applied = floor.amount > total_expenses
        floor = Floor(floor.per_person, floor.household_size, floor.amount, floor.region, applied, floor.verified)
        essential = max(total_expenses, floor.amount)
    surplus = total_income - essential
    available = to_fen(surplus * (1 - safety_margin)) if surplus > 0 else ZERO
    return Budget(
        income=total_income,
        expenses=total_expenses,
        surplus=surplus,
        safety_margin=safety_margin,
        margin=max(ZERO, surplus - available),
        available=available,
        essential=essential,
        floor=floor,
    )


def emergency_reserve(budget: Budget, months: int) -> Decimal:
    """Savings kept out of a settlement: ``months`` of essential spending (DOMAIN.md)."""
    return budget.essential * months


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
