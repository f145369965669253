from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from cases.models import Case, Evidence
from cases.tasks import purge_expired_cases

from ..factories import make_case
from ..privacy_fixtures import make_populated_case, stored_files


def _close(case, days_ago: int):
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED, closed_at=timezone.now() - timedelta(days=days_ago))


@pytest.fixture
def cases(owner, settings):
    settings.CLOSED_CASE_RETENTION_DAYS = 30
    old = make_populated_case(owner)
    _close(old, days_ago=31)
    recent = make_case(owner, title="最近结案")
    _close(recent, days_ago=29)
    open_old = make_case(owner, title="仍在协商")
    Case.objects.filter(pk=open_old.pk).update(created_at=timezone.now() - timedelta(days=900))
    return old, recent, open_old


def _run(*args) -> str:
    out = StringIO()
    call_command("purge_expired", *args, stdout=out)
    return out.getvalue()


def test_dry_run_lists_expired_cases_and_deletes_nothing(cases, private_media):
    old, recent, open_old = cases
    files = stored_files(private_media)
    output = _run("--dry-run")
    assert f"Would delete 1 case(s): ids {old.pk}" in output
    assert "Dry run: nothing was deleted." in output
    assert Case.objects.count() == 3
    assert stored_files(private_media) == files


def test_purge_deletes_only_closed_cases_past_retention_with_their_files(cases, private_media, django_capture_on_commit_callbacks):
    old, recent, open_old = cases
    with django_capture_on_commit_callbacks(execute=True):
        output = _run()
    assert f"Deleted 1 case(s): ids {old.pk}" in output
    assert set(Case.objects.values_list("pk", flat=True)) == {recent.pk, open_old.pk}
    assert not Evidence.objects.filter(case_id=old.pk).exists()
    assert stored_files(private_media) == []


def test_purge_says_so_when_nothing_is_due(owner, settings):
    settings.CLOSED_CASE_RETENTION_DAYS = 30
    make_case(owner)
    assert "No closed case is past its retention period." in _run()


def test_days_option_overrides_the_setting(cases):
    old, recent, _ = cases
    assert f"ids {old.pk}, {recent.pk}" in _run("--dry-run", "--days", "1")


def test_negative_days_is_refused(db):
    with pytest.raises(CommandError, match="--days must be 0 or more"):
        _run("--days", "-1")


def test_the_task_purges_too(cases):
    old, recent, open_old = cases
    result = purge_expired_cases.enqueue()
    assert result.return_value == [old.pk]
    assert not Case.objects.filter(pk=old.pk).exists()


def test_the_task_has_a_dry_run(cases):
    old, *_ = cases
    assert purge_expired_cases.enqueue(dry_run=True).return_value == [old.pk]
    assert Case.objects.filter(pk=old.pk).exists()
