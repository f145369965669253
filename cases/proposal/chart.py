"""Server-rendered SVG charts: geometry only, the template draws it (no JS, no
inline styles: colours come from app.css classes)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

WIDTH, HEIGHT = 320, 180
LEFT, RIGHT, TOP, BOTTOM = 12, 12, 24, 34


@dataclass(frozen=True)
class BalanceChart:
    width: int
    height: int
    points: str  # the polyline of the balance, "x,y x,y ..."
    area: str  # the same, closed along the axis, for the shaded area
    axis_y: int
    left: int
    right: int
    top: int
    start_total: str
    start_date: str
    end_date: str


def _scale(value: float, low: float, high: float) -> str:
    return f"{low + (high - low) * value:.1f}"


def balance_chart(plan: dict, as_of: date) -> BalanceChart:
    """What is left to pay after each monthly due date, from ``as_of`` to the last payment."""
    total = Decimal(plan["total"])
    deferral = plan.get("deferral_months", 0)
    span = deferral + len(plan["schedule"])
    steps = [(0, total)]
    if deferral:
        steps.append((deferral, total))
    left = total
    for k, instalment in enumerate(plan["schedule"], start=1):
        left -= Decimal(instalment["amount"])
        steps.append((deferral + k, left))
    x_low, x_high = LEFT, WIDTH - RIGHT
    y_low, y_high = TOP, HEIGHT - BOTTOM
    coords = [
        (_scale(month / span, x_low, x_high), _scale(float(1 - balance / total) if total else 1.0, y_low, y_high))
        for month, balance in steps
    ]
    points = " ".join(f"{x},{y}" for x, y in coords)
    return BalanceChart(
        width=WIDTH,
        height=HEIGHT,
        points=points,
        area=f"{x_low},{y_high} {points} {x_high},{y_high}",
        axis_y=y_high,
        left=x_low,
        right=x_high,
        top=y_low,
        start_total=plan["total"],
        start_date=as_of.isoformat(),
        end_date=plan["schedule"][-1]["due"],
    )
