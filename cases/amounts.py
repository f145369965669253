"""Amounts and rates as people type them (issue 17).

A debtor copies "1,200" from a bill, types "１２００" with a Chinese keyboard or says "1.2万". Each is read
exactly, or refused with a message that says what to write; nothing is silently changed. A figure written
with a Chinese unit (万, 千, 百, or the common shorthand "w") is converted and shown back: the first save
refuses it with the converted figure in the field, the second keeps it. ``static/js/intake.js`` reads the
same way for the live totals (``readAmount``), so the totals count exactly what the server will accept."""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from .form_fields import FiniteDecimalField

UNITS = {"万": Decimal(10000), "w": Decimal(10000), "千": Decimal(1000), "百": Decimal(100)}
# U+FF01–FF5E are the full-width forms of ASCII 0x21–0x7E; U+3000 is the ideographic space; ￥ the yuan sign.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20, 0xFFE5: 0xA5}
_PLAIN = re.compile(r"-?[0-9]+(\.[0-9]+)?|-?\.[0-9]+")
_GROUPED = re.compile(r"-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?")


class Unreadable(ValueError):
    pass


@dataclass(frozen=True)
class Reading:
    value: Decimal
    unit: str  # "" when the figure was written out in digits


def normalise(text: str) -> str:
    """Full-width digits, points and commas as ASCII, no spaces, no currency sign or 元/块 after it. Only the
    full-width forms a Chinese keyboard types are mapped (not all of NFKC: "²" must not become 2)."""
    text = text.translate(_FULL_WIDTH).strip().replace(" ", "").replace("，", ",").replace("。", ".")
    text = text.lstrip("¥").removesuffix("元").removesuffix("块").removesuffix("人民币")
    return text


def read_amount(text: str) -> Reading:
    text = normalise(text)
    unit = ""
    if text[-1:].lower() in UNITS:
        unit, text = text[-1].lower(), text[:-1]
    if _GROUPED.fullmatch(text):
        text = text.replace(",", "")
    if not _PLAIN.fullmatch(text):
        raise Unreadable(text)
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only what Decimal reads
        raise Unreadable(text) from None
    return Reading(value * UNITS[unit] if unit else value, unit)


def plain(value: Decimal) -> str:
    """The figure as the field shows it back: two decimals, or all of them when there are more (the field's own
    check then says so, rather than a rounding nobody asked for)."""
    return f"{value:.2f}" if value == value.quantize(Decimal("0.01")) else str(value.normalize())


MONEY_MESSAGES = {
    "invalid": _("Enter the amount in digits, for example 1200 or 1,200.50 (万 and 千 are understood too)."),
    "min_value": _("Enter an amount of at least %(limit_value)s yuan, without a minus sign."),
    "max_value": _("This amount is larger than any figure this form expects. Please check it."),
    "max_decimal_places": _("An amount has at most two digits after the point (fen)."),
    "max_digits": _("This amount is too large. Please check it."),
    "max_whole_digits": _("This amount is too large. Please check it."),
}


class MoneyField(FiniteDecimalField):
    """Yuan as typed: a text input (a number input drops "1.2万" and "１２００" without telling anyone)."""

    def __init__(self, *, shown_back: bool = True, **kwargs):
        """``shown_back``: the page is rendered again with the bound form on an error, so a figure written with a
        unit stands converted in the field; False where a refused form is only reported (a message after a
        redirect), so the message itself must say what to type."""
        self.shown_back = shown_back
        kwargs.setdefault("error_messages", MONEY_MESSAGES)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "data-amount": "money"}))
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        # Django adds step/min/max for number inputs only as constraints the browser enforces; this is a text
        # input, so they would be noise (the server checks the same limits with its own messages).
        return {}

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.translate(_FULL_WIDTH).strip()):
            return None  # only an empty or blank field is "no amount"; "元" alone is not a figure
        if isinstance(value, Decimal):
            return super().to_python(value)
        try:
            reading = read_amount(str(value))
        except Unreadable:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if reading.unit:
            message = (_("“%(typed)s” was read as %(amount)s yuan. The figure is now in the field: check it and save "
                         "again.") if self.shown_back else
                       _("“%(typed)s” is %(amount)s yuan: please enter it in digits, as %(plain)s, to confirm it."))
            raise forms.ValidationError(
                message % {"typed": str(value).strip(), "amount": f"{reading.value:,.2f}", "plain": plain(reading.value)},
                code="confirm",
            )
        return super().to_python(str(reading.value))

    def bound_data(self, data, initial):
        """Show a figure written with a unit converted, so the user confirms the number that will be kept."""
        if isinstance(data, str) and data.strip():
            try:
                reading = read_amount(data)
            except Unreadable:
                return data
            if reading.unit:
                return plain(reading.value)
        return data


RATE_MESSAGES = {
    "invalid": _("Enter the rate as a number, for example 0.05 or 18.25 (a percent sign is fine)."),
    "min_value": _("A rate cannot be below zero."),
    "max_value": _("This rate is higher than any lawful figure. Please check it."),
    "max_decimal_places": _("Enter the rate with at most four digits after the point."),
    "max_digits": _("This rate is too large. Please check it."),
    "max_whole_digits": _("This rate is too large. Please check it."),
}


class RateField(FiniteDecimalField):
    """A percentage as typed: "0.05", "０.０５", "0.05%" or "18.25 %"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("error_messages", RATE_MESSAGES)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {}

    def to_python(self, value):
        if isinstance(value, str):
            value = normalise(value).removesuffix("%")
            if not _PLAIN.fullmatch(value or "0"):
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)
