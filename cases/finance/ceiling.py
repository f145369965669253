"""Which cap applies to a debt (24 % or 4 × LPR), and the test of one group of
charges against the principal that produced them (DOMAIN.md "How the ceiling
test is done")."""

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from .money import ZERO, to_fen, to_fraction
from .results import Ceiling, CeilingGroup
from .rules import (
    CEILING_ANNUAL_RATE, CEILING_SOURCE, DEFAULT_DAY_COUNT, LPR_MULTIPLE, PRIVATE_LENDING_SOURCE, PRIVATE_RULES_FROM,
)

Days = tuple[int, int]  # (a, b]: the days after ordinal a up to and including ordinal b


def lpr_on(table: Sequence[tuple[date, Decimal]], when: date) -> tuple[date, Decimal] | None:
    """The one-year LPR in force on ``when`` (None before the first, 2019-08-20)."""
    found = None
    for effective_from, rate in sorted(table):
        if effective_from <= when:
            found = (effective_from, rate)
    return found


def which_cap(lender_type: str, contract_date: date | None, as_of: date, day_count: int | None,
              lpr_table: Sequence[tuple[date, Decimal]]) -> Ceiling:
    """24 % for licensed lenders, with 4 × LPR beside it as a reference; for private
    lending 4 × LPR at the contract date (from 2020-08-20), or at filing for older or
    undated contracts — ``as_of`` stands in for the filing date."""
    days_in_year = day_count or DEFAULT_DAY_COUNT
    if lender_type == "private":
        at = contract_date if contract_date is not None and contract_date >= PRIVATE_RULES_FROM else as_of
        found = lpr_on(lpr_table, at)
        if found is not None:
            return Ceiling("4xLPR", found[1] * LPR_MULTIPLE, days_in_year, day_count is not None, found[1], found[0],
                           at, None, PRIVATE_LENDING_SOURCE)
    found = lpr_on(lpr_table, as_of)
    return Ceiling(
        "24%", CEILING_ANNUAL_RATE, days_in_year, day_count is not None,
        found[1] if found else None, found[0] if found else None, as_of if found else None,
        found[1] * LPR_MULTIPLE if found else None, CEILING_SOURCE,
    )


def union(periods: Iterable[Days]) -> list[Days]:
    merged: list[list[int]] = []
    for a, b in sorted(p for p in periods if p[1] > p[0]):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


def principal_days(periods: Sequence[Days], base_before: Decimal, base_from: Decimal, switch: int | None) -> Decimal:
    """Σ over the days of the periods of the principal in use that day: ``base_before``
    until day ``switch`` (exclusive), ``base_from`` from it (acceleration)."""
    total = ZERO
    for a, b in periods:
        if switch is None or b < switch:
            total += base_before * (b - a)
        elif a >= switch - 1:
            total += base_from * (b - a)
        else:
            total += base_before * (switch - 1 - a) + base_from * (b - switch + 1)
    return total


def group_result(group: str, periods: Sequence[Days], charges: Decimal, base_before: Decimal, base_from: Decimal,
               switch: int | None, cap: Ceiling) -> CeilingGroup:
    """all-in annual cost = charges ÷ principal ÷ days × the year; allowed = principal ×
    cap × days ÷ the year; excess = max(0, charges − allowed). Without a day in the
    period nothing can be said to exceed a yearly rate, so the excess is 0."""
    spans = union(periods)
    days = sum(b - a for a, b in spans)
    used = principal_days(spans, base_before, base_from, switch)
    allowed = to_fen(used * cap.rate / cap.day_count)
    apr = to_fraction(charges / used * cap.day_count) if used > 0 else None
    excess = max(ZERO, charges - allowed) if used > 0 else ZERO
    return CeilingGroup(
        group=group,
        base=to_fen(used / days) if days else base_before,
        start=date.fromordinal(spans[0][0] + 1) if spans else None,
        end=date.fromordinal(spans[-1][1]) if spans else None,
        days=days,
        charges=charges,
        all_in_apr=apr,
        allowed=allowed,
        excess=excess,
    )
