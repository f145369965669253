"""Which products need the contract rate, and the usual rate offered when the user cannot find theirs.

An empty rate used to be stored as 0 % without a word (issue 17). Where the engine or a letter needs the rate,
the debts step now asks for it; a usual figure is offered only where DOMAIN.md gives one, and only as a
default the user ticks, never filled in silently."""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class RateNeed:
    usual_percent: Decimal | None  # per year; None: no usual figure we can stand behind
    source: str


RATE_NEEDS: dict[str, RateNeed] = {
    # Jiebei's penalty interest is 1.5 × the contract daily rate (DOMAIN.md "Charges after default", PBOC
    # 银发〔2003〕251号): without the rate it would be counted as nothing. Rates vary by borrower, so there is no
    # usual figure; the user may go on without it, knowingly.
    "jiebei": RateNeed(None, "DOMAIN.md: Jiebei penalty interest, 1.5 × contract rate"),
    # Credit cards: "let the user enter the rate ... from the statement; default 18.25 % a year, marked as a
    # default" (DOMAIN.md "Credit cards", PBOC announcement 2020 No. 18).
    "credit_card": RateNeed(Decimal("18.25"), "DOMAIN.md: credit cards, default 18.25 % a year"),
}
