"""Limitation (时效) status per debt, from its dated events (DOMAIN.md "Limitation").

Three years from the last due date (民法典 188, 189). A creditor's demand,
auto-debit or assignment notice, and the debtor's payment or promise, interrupt
and restart it — but only while it runs (195): once a gap exceeds three years the
period has expired and later demands change nothing; only the debtor's own later
payment or promise gives up the defence (192; 诉讼时效规定 Art 19).
"""

import calendar
from datetime import date

from .inputs import DebtInput
from .rules import DEBTOR_EVENTS, LIMITATION_WARNING_MONTHS, LIMITATION_YEARS


def add_months(start: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day if it is shorter."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def limitation_end(start: date) -> date:
    """The end of a period that started on ``start``: three years on (29 February becomes 28 February).
    The negotiation agenda dates its limitation deadline with this too."""
    return add_months(start, 12 * LIMITATION_YEARS)


def limitation_status(debt: DebtInput, as_of: date) -> tuple[str, date | None]:
    """("ok" | "check" | "may_be_time_barred", the date the running period started).

    Without a due date the overdue start stands for the last due date; a debt with
    an overdue amount and no date at all is "check"."""
    dues = [e.on for e in debt.events if e.kind == "due" and e.on <= as_of]
    start = max(dues) if dues else debt.overdue_since
    if start is None:
        return ("check", None) if debt.overdue_amount > 0 else ("ok", None)
    current, expired = start, False
    for event in sorted((e for e in debt.events if e.kind != "due" and start < e.on <= as_of),
                        key=lambda e: (e.on, e.kind)):
        if not expired and event.on > limitation_end(current):
            expired = True
        if expired and event.kind not in DEBTOR_EVENTS:
            continue
        current, expired = event.on, False
    end = limitation_end(current)
    if expired or as_of > end:
        return "may_be_time_barred", current
    if as_of > add_months(end, -LIMITATION_WARNING_MONTHS):
        return "check", current
    return "ok", current
