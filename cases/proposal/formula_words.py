"""The engine's computation lines told as sentences (issue 17).

The finance engine (v2, issue 14) writes each step as a formula ("max(0, 184.50 − 970.52) = 0.00"); a debtor reads a sentence.
The figures are taken from the formula as the engine wrote it, so the sentence can never disagree with it; a
line whose formula has another shape (the engine changed) is shown as the engine wrote it."""

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

_N = r"(-?[0-9]+(?:\.[0-9]+)?)"
_P = r"(-?[0-9]+(?:\.[0-9]+)?)%"
_D = r"([0-9]{4}-[0-9]{2}-[0-9]{2})"
# The charges after default (finance/charges.py ``_computed_lines``): base × daily rate × days, the daily rate
# either as a percentage or as "contract rate ÷ days in the rate year × multiplier" (``daily_rate``).
_AT_RATE = re.compile(rf"{_N} × {_P} × {_N} = {_N}")
_AT_CONTRACT_RATE = re.compile(rf"{_N} × {_P} ÷ {_N} × {_N} × {_N} = {_N}")
_COMPUTED = {"overdue_fee", "penalty", "interest", "compound_interest", "penalty_at_given_rate"}
_BILLED = re.compile(rf"{_N} \((?:{_D} → {_D}|—)\)")
_SHAPES: dict[str, re.Pattern] = {
    "days_overdue": re.compile(rf"\({_D} − (?:{_D}|—)\) − {_N} = {_N}"),
    "principal_is_amount_received": re.compile(rf"min\({_N}, {_N}\)"),
    "cost": re.compile(rf"{_N} \+ {_N} = {_N}"),
    "all_in_apr": re.compile(rf"{_N} ÷ {_N} ÷ {_N} × {_N} = {_P}"),
    "allowed_at_cap": re.compile(rf"{_N} × {_P} × {_N} ÷ {_N} = {_N}"),
    "excess_over_cap": re.compile(rf"max\(0, {_N} − {_N}\) = {_N}"),
    "balance": re.compile(rf"{_N} \+ {_N} = {_N}"),
    "claimed_difference": re.compile(rf"{_N} − {_N} = {_N}"),
}


def _is_positive(text: str) -> bool:
    try:
        return Decimal(text) > 0
    except InvalidOperation:
        return False


def _computed(formula: str) -> str | None:
    if match := _AT_RATE.fullmatch(formula):
        v = match.groups()
        return _("%(rate)s %% a day on %(base)s yuan, for %(days)s days, comes to %(amount)s yuan.") % {
            "base": v[0], "rate": v[1], "days": v[2], "amount": v[3]}
    if match := _AT_CONTRACT_RATE.fullmatch(formula):
        v = match.groups()
        return _("%(times)s times the contract rate (%(rate)s %% a year, divided by %(year)s days) on %(base)s yuan, "
                 "for %(days)s days, comes to %(amount)s yuan.") % {
            "base": v[0], "rate": v[1], "year": v[2], "times": v[3], "days": v[4], "amount": v[5]}
    return None


def _billed(formula: str) -> str | None:
    match = _BILLED.fullmatch(formula)
    if not match:
        return None
    amount, start, end = match.groups()
    if start is None:
        return _("Your bill shows %(amount)s yuan.") % {"amount": amount}
    return _("Your bill shows %(amount)s yuan for %(start)s to %(end)s.") % {"amount": amount, "start": start,
                                                                               "end": end}


def _sentence(what: str, v: tuple[str, ...]) -> str:
    if what == "days_overdue":
        if v[1] is None:
            return _("No overdue date entered: %(days)s days overdue.") % {"days": v[3]}
        return _("From %(since)s to %(today)s, less %(grace)s grace days: %(days)s days overdue.") % {
            "today": v[0], "since": v[1], "grace": v[2], "days": v[3]}
    if what == "principal_is_amount_received":
        return _("The contract says %(principal)s yuan and you received %(received)s yuan: the smaller is the "
                 "principal.") % {"principal": v[0], "received": v[1]}
    if what == "cost":
        return _("%(billed)s yuan already billed and %(since)s yuan since then: %(cost)s yuan in all.") % {
            "billed": v[0], "since": v[1], "cost": v[2]}
    if what == "all_in_apr":
        return _("%(cost)s yuan of charges on %(principal)s yuan over %(days)s days is %(apr)s %% a year.") % {
            "cost": v[0], "principal": v[1], "days": v[2], "apr": v[4]}
    if what == "allowed_at_cap":
        return _("At %(rate)s %% a year, %(principal)s yuan over %(days)s days allows at most %(allowed)s yuan of "
                 "charges.") % {"principal": v[0], "rate": v[1], "days": v[2], "allowed": v[4]}
    if what == "excess_over_cap":
        if _is_positive(v[2]):
            return _("%(cost)s yuan charged, %(allowed)s yuan allowed: %(excess)s yuan above the ceiling.") % {
                "cost": v[0], "allowed": v[1], "excess": v[2]}
        return _("%(cost)s yuan charged is within the %(allowed)s yuan allowed: nothing above the ceiling.") % {
            "cost": v[0], "allowed": v[1]}
    if what == "balance":
        return _("%(principal)s yuan principal and %(cost)s yuan charges: %(balance)s yuan.") % {
            "principal": v[0], "cost": v[1], "balance": v[2]}
    if what == "claimed_difference":
        return _("The lender says %(claimed)s yuan, we count %(ours)s yuan: a difference of %(difference)s yuan.") % {
            "claimed": v[0], "ours": v[1], "difference": v[2]}
    raise KeyError(what)


def as_sentence(what: str, formula: str) -> str:
    """The line as a sentence, or the formula itself when its shape is not one we know."""
    formula = formula.strip()
    if what in _COMPUTED:
        return _computed(formula) or formula
    if what.startswith("billed_"):
        return _billed(formula) or formula
    if what == "ceiling_not_applicable":  # the formula is the charges' group, an engine code
        return _("Nothing to measure against the ceiling for these charges.")
    shape = _SHAPES.get(what)
    match = shape.fullmatch(formula) if shape else None
    if not match:
        return "" if formula == "—" else formula
    return _sentence(what, match.groups())
