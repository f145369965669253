"""Filters the letter templates use to print snapshot values in formal Chinese."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django import template

from ..letters.labels import chinese_number

register = template.Library()


@register.filter
def yuan(value) -> str:
    """"12000.5" -> "12,000.50" (the snapshot keeps amounts as strings)."""
    if value in (None, ""):
        return ""
    try:
        return f"{Decimal(str(value)):,.2f}"
    except InvalidOperation:
        return str(value)


# A schedule longer than a year prints compact, a year to a block of six lines: its first six
# months down the left half, the next six down the right (two columns of months), so a 60-month
# plan takes 30 lines instead of 60. A block is never split across pages (letter.css), so the
# months always read down the left half, then down the right, then on to the next block; a
# block is small enough that keeping it whole leaves little space at the foot of a page.
COMPACT_SCHEDULE_AFTER = 12
SCHEDULE_BLOCK_ROWS = 6


@register.filter
def schedule_blocks(schedule: list) -> list[list[tuple]]:
    """A long schedule as blocks of rows of (left instalment, right instalment or None)."""
    blocks = []
    for start in range(0, len(schedule), 2 * SCHEDULE_BLOCK_ROWS):
        chunk = schedule[start:start + 2 * SCHEDULE_BLOCK_ROWS]
        rows = (len(chunk) + 1) // 2
        left, right = chunk[:rows], chunk[rows:]
        blocks.append([(item, right[i] if i < len(right) else None) for i, item in enumerate(left)])
    return blocks


@register.filter
def compact_schedule(schedule: list) -> bool:
    return len(schedule) > COMPACT_SCHEDULE_AFTER


@register.filter
def cndate(value) -> str:
    """"2026-11-22" -> "2026年11月22日"."""
    if not value:
        return ""
    day = value if isinstance(value, date) else date.fromisoformat(str(value))
    return f"{day.year}年{day.month}月{day.day}日"


@register.filter
def cnnum(value) -> str:
    return chinese_number(int(value))


@register.filter
def positive(value) -> bool:
    try:
        return Decimal(str(value or "0")) > 0
    except InvalidOperation:
        return False


@register.filter
def account_tail(masked) -> str:
    """"**************7812" -> "尾号7812": a table cell shows the visible last digits,
    not a row of stars (the snapshot keeps the masked number as it was)."""
    tail = str(masked or "").lstrip("*")
    return f"尾号{tail}" if tail else (str(masked) if masked else "—")
