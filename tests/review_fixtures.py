"""Fixtures for the review tests: reviewers in the real group, letters as rows."""

import hashlib
import importlib
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import Client
from django.utils import timezone

from cases.models import Case, Letter

from .factories import make_user


def make_letter(case, *, kind="negotiation_request", version=1, status=Letter.Status.DRAFT, html=None) -> Letter:
    html = html or f"<html><body><h1>协商还款申请 v{version}</h1><p>尊敬的重庆蚂蚁消费金融有限公司：</p></body></html>"
    letter = Letter.objects.create(
        case=case, kind=kind, version=version, status=status,
        snapshot={"debtor": "张三", "kind": kind, "version": version},
        html=html, content_hash=hashlib.sha256(html.encode()).hexdigest(),
    )
    return letter


def in_review(case, submitted_ago: timedelta | None = None, **fields) -> Letter:
    letter = make_letter(case, **fields)
    letter.submit_for_review()
    if submitted_ago is not None:
        letter.submitted_at = timezone.now() - submitted_ago
        letter.save(update_fields=["submitted_at"])
        Case.objects.filter(pk=case.pk).update_waiting_since()  # as if it had been sent back then
    return letter


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def run_reviewers_group_migration() -> None:
    """Run the data migration's function again, with its own historical models."""
    migration = importlib.import_module("cases.migrations.0004_review_reviewers")
    state = MigrationLoader(connection).project_state(("cases", "0004_review_reviewers"))
    migration.create_reviewers_group(state.apps, None)


@pytest.fixture
def reviewers_group(db):
    # A live-server (transactional) test flushes the tables, migration data included.
    if not Group.objects.filter(name="Reviewers").exists():
        run_reviewers_group_migration()
    return Group.objects.get(name="Reviewers")


@pytest.fixture
def group_reviewer(reviewer, reviewers_group):
    reviewer.groups.add(reviewers_group)
    return reviewer


@pytest.fixture
def reviewer_client(group_reviewer):
    return client_for(group_reviewer)


@pytest.fixture
def superuser(db):
    return make_user("boss", superuser=True)


@pytest.fixture
def superuser_client(superuser):
    return client_for(superuser)
