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
