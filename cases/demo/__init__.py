"""Realistic demo data for `manage.py seed_demo`, one module per part of a case.

Each part is idempotent: it fills in what the demo case lacks and leaves the rest.
"""

import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

DEMO_USERNAME = "demo"
# Public demo logins for local use (README); seed_demo refuses to create them on a production site.
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "demo-pass-2026")
REVIEWER_USERNAME = "reviewer"
REVIEWER_PASSWORD = os.environ.get("DEMO_REVIEWER_PASSWORD", "review-pass-2026")
DEMO_CASE_TITLE = "花呗、借呗逾期协商（示例）"


def ensure_user(username: str, password: str, **extra):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults=extra)
    if created:
        user.set_password(password)
        user.save()
    return user, created


@transaction.atomic
def seed() -> dict:
    from . import parts

    demo, _ = ensure_user(DEMO_USERNAME, DEMO_PASSWORD, email="demo@example.com")
    reviewer, _ = ensure_user(REVIEWER_USERNAME, REVIEWER_PASSWORD, email="reviewer@example.com", is_staff=True)
    group = Group.objects.filter(name="Reviewers").first()
    if group:
        reviewer.groups.add(group)
    case = parts.build_demo_case(demo)
    return {"demo": demo, "reviewer": reviewer, "case": case}
