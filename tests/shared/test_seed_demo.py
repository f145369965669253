"""`manage.py seed_demo` gives a newcomer logins and a demo case, and can run again."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.urls import reverse

from cases import demo


@pytest.fixture(autouse=True)
def local_site(settings):
    settings.DEBUG = True


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_refuses_a_production_site(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo", stdout=StringIO())
    assert not apps.get_model("auth", "User").objects.exists()
    call_command("seed_demo", "--allow-production", stdout=StringIO())
    assert apps.get_model("auth", "User").objects.count() == 2


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_seed_demo_prints_the_logins(db):
    output = seed()
    assert f"{demo.DEMO_USERNAME} / {demo.DEMO_PASSWORD}" in output
    assert f"{demo.REVIEWER_USERNAME} / {demo.REVIEWER_PASSWORD}" in output


def test_seed_demo_twice_creates_nothing_more(db):
    seed()
    first = row_counts()
    assert first["auth.User"] == 2
    assert first["cases.Case"] >= 1
    seed()
    assert row_counts() == first


def test_the_printed_logins_work(client, db):
    seed()
    response = client.post(reverse("login"), {"username": demo.DEMO_USERNAME, "password": demo.DEMO_PASSWORD})
    assert response["Location"] == reverse("dashboard")
    assert demo.DEMO_CASE_TITLE in client.get(reverse("dashboard")).content.decode()


def test_the_reviewer_is_staff_and_the_demo_user_is_not(django_user_model, db):
    seed()
    assert django_user_model.objects.get(username=demo.REVIEWER_USERNAME).is_staff
    assert not django_user_model.objects.get(username=demo.DEMO_USERNAME).is_staff
