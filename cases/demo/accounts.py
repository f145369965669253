"""The demo logins: who they are and how they are made."""

import os

from django.contrib.auth import get_user_model

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
