"""Realistic demo data for `manage.py seed_demo`, one module per part of a case.

Each part is idempotent: it fills in what the demo case lacks and leaves the rest.
"""

from django.contrib.auth.models import Group
from django.db import transaction

from .accounts import (
    DEMO_CASE_TITLE,
    DEMO_PASSWORD,
    DEMO_USERNAME,
    REVIEWER_PASSWORD,
    REVIEWER_USERNAME,
    ensure_user,
)
from .parts import build_demo_case

__all__ = ["DEMO_CASE_TITLE", "DEMO_PASSWORD", "DEMO_USERNAME", "REVIEWER_PASSWORD", "REVIEWER_USERNAME",
           "ensure_user", "seed"]


@transaction.atomic
def seed() -> dict:
    demo, _ = ensure_user(DEMO_USERNAME, DEMO_PASSWORD, email="demo@example.com")
    reviewer, _ = ensure_user(REVIEWER_USERNAME, REVIEWER_PASSWORD, email="reviewer@example.com", is_staff=True)
    group = Group.objects.filter(name="Reviewers").first()
    if group:
        reviewer.groups.add(group)
    case = build_demo_case(demo)
    return {"demo": demo, "reviewer": reviewer, "case": case}
