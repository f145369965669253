"""Filters that put what the app computed into words a debtor reads (issue 17)."""

from django import template

from ..formula_words import as_sentence

register = template.Library()


@register.filter
def sentence(line: dict) -> str:
    """A computation line of the proposal ({"what", "formula"}) as a sentence."""
    return as_sentence(line.get("what", ""), line.get("formula", ""))
