"""The admin home leads with the review queue and its count (issue 17)."""

from django import template

from ..review.desk import queue_count

register = template.Library()


@register.simple_tag(takes_context=True)
def review_queue_count(context) -> int:
    return queue_count(context["request"].user)
