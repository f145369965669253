"""Filters that put what the app computed into words a debtor reads (issue 17)."""

from functools import cache

from django import template
from django.utils.translation import get_language

from ..intake.steps import STEP_TITLES, STEPS, first_incomplete_step
from ..proposal.formula_words import as_sentence

register = template.Library()


@register.filter
def sentence(line: dict) -> str:
    """A computation line of the proposal ({"what", "formula"}) as a sentence."""
    return as_sentence(line.get("what", ""), line.get("formula", ""))


@register.filter
def in_reader_script(text: str) -> str:
    """A citation or rule source written in Simplified Chinese in our rules tables, in Traditional characters on a
    zh-Hant page. Character conversion only (OpenCC s2t, no Taiwan vocabulary): a law keeps its own name
    (《个人信息保护法》 becomes 《個人信息保護法》, never 個人資訊保護法)."""
    if not text or get_language() != "zh-hant":
        return text
    return _simplified_to_traditional().convert(str(text))


@cache
def _simplified_to_traditional():
    import opencc

    return opencc.OpenCC("s2t")


@register.simple_tag
def intake_position(case) -> dict:
    """Where a draft case's wizard stands: {"number": 4, "count": 6, "title": "What happened", "slug": ...}."""
    step = first_incomplete_step(case)
    return {"number": STEPS.index(step) + 1, "count": len(STEPS), "title": STEP_TITLES[step], "slug": step}
