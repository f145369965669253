"""The production task path: a task enqueued with the database backend is run by a
real `manage.py db_worker` process (django-tasks-db). The processes share a
database of their own: a SQLite file, or, when the suite runs on PostgreSQL, a
throw-away PostgreSQL database beside the test database."""

import json
import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

ENQUEUE = """
import json
from datetime import timedelta
from django.contrib.auth import get_user_model
from django.utils import timezone
from cases.models import Case
from cases.tasks import purge_expired_cases
user = get_user_model().objects.create(username="worker-test")
case = Case.objects.create(owner=user, status="closed", closed_at=timezone.now() - timedelta(days=400))
result = purge_expired_cases.enqueue()
print(json.dumps({"result": result.id, "case": case.pk, "status": result.status}))
"""

RESULT = """
import json
from cases.models import Case
from cases.tasks import purge_expired_cases
result = purge_expired_cases.get_result(RESULT_ID)
print(json.dumps({"status": result.status, "value": result.return_value, "cases": Case.objects.count()}))
"""


def _manage(env, *args, timeout=120) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, result.stderr + result.stdout
    return result


def _json(result) -> dict:
    return json.loads(result.stdout.strip().splitlines()[-1])


@contextmanager
def _postgres_database(url: str):
    import psycopg
    from dj_database_url import parse

    config = parse(url)
    name = f"neg_worker_{uuid.uuid4().hex[:8]}"
    admin = dict(host=config["HOST"], port=config["PORT"] or 5432, user=config["USER"],
                 password=config["PASSWORD"] or None, dbname="postgres", autocommit=True)
    with psycopg.connect(**admin) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(**admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def worker_database_url(tmp_path):
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        with _postgres_database(url) as own:
            yield own
    else:
        yield f"sqlite:///{tmp_path / 'db.sqlite3'}"


def test_db_worker_runs_an_enqueued_task(tmp_path, worker_database_url):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update({
        "DATABASE_URL": worker_database_url,
        "TASK_BACKEND": "database",
        "CLOSED_CASE_RETENTION_DAYS": "365",
        "NEGOTIATOR_VAR_DIR": str(tmp_path / "var"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
    })
    _manage(env, "migrate", "-v", "0", "--skip-checks")
    enqueued = _json(_manage(env, "shell", "--no-imports", "-c", ENQUEUE))
    assert enqueued["status"] == "READY"  # queued, not run in the web process

    worker = _manage(env, "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--skip-checks", timeout=60)
    assert enqueued["result"] in worker.stdout + worker.stderr

    done = _json(_manage(env, "shell", "--no-imports", "-c", f"RESULT_ID = {enqueued['result']!r}\n" + RESULT))
    assert done == {"status": "SUCCESSFUL", "value": [enqueued["case"]], "cases": 0}
