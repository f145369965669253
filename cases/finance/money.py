"""Money is Decimal yuan. Each computed amount is rounded to the fen once, at the
end of its computation, half up (the way a bill rounds), never in between."""

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")
ZERO = Decimal("0.00")
APR_PLACES = Decimal("0.0001")


def to_fen(amount: Decimal) -> Decimal:
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def to_fen_down(amount: Decimal) -> Decimal:
    return amount.quantize(FEN, rounding=ROUND_DOWN)


def to_fraction(value: Decimal) -> Decimal:
    """A rate as a decimal fraction with 4 places (0.2700 = 27 %)."""
    return value.quantize(APR_PLACES, rounding=ROUND_HALF_UP)


def percent(rate: Decimal) -> str:
    """0.0005 -> "0.05%", 0.108 -> "10.8%": for the formulas shown to the user."""
    text = format((rate * 100).normalize(), "f")
    return f"{text}%"
