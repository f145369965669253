"""The admin home leads with the review queue and its count (issue 17)."""

from django import template

from ..review.desk import queue_count

register = template.Library()


@register.simple_tag
def review_queue_count() -> int:
    return queue_count()
