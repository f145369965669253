"""The production server's own settings: gunicorn's configuration file and
PostgreSQL's prepared statements (docs/deploy.md, docs/performance.md)."""

import gc
import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db import connection

from cases.models import Case

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "negotiator" / "gunicorn.conf.py"


def _load_config():
    spec = importlib.util.spec_from_file_location("gunicorn_conf", CONFIG)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_gunicorn_accepts_the_configuration_and_loads_the_application():
    result = subprocess.run(
        [str(Path(sys.executable).parent / "gunicorn"), "--check-config", "-c", str(CONFIG), "negotiator.wsgi"],
        cwd=ROOT, env={**os.environ, "DJANGO_SETTINGS_MODULE": "negotiator.settings"},
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_worker_freezes_its_long_lived_objects_once_warm_and_only_then():
    config = _load_config()
    assert config.preload_app is True
    gc.unfreeze()
    try:
        config.post_request(SimpleNamespace(nr=config.FREEZE_AFTER_REQUESTS - 1), None, {}, None)
        assert gc.get_freeze_count() == 0
        config.post_request(SimpleNamespace(nr=config.FREEZE_AFTER_REQUESTS), None, {}, None)
        frozen = gc.get_freeze_count()
        assert frozen > 1000  # the interpreter's and Django's objects
        created_since = [[] for _ in range(10_000)]
        config.post_request(SimpleNamespace(nr=config.FREEZE_AFTER_REQUESTS + 1), None, {}, None)
        assert gc.get_freeze_count() <= frozen  # once per worker: the new objects stay collectable
        del created_since
    finally:
        gc.unfreeze()


def test_the_master_freezes_before_forking_the_workers():
    config = _load_config()
    gc.unfreeze()
    try:
        config.when_ready(server=None)
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()


@pytest.mark.django_db
def test_postgresql_prepares_a_query_repeated_on_a_connection(owner):
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    case = Case.objects.create(owner=owner, title="prepared")

    def prepared() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
                           ['%FROM "cases_case" WHERE "cases_case"."id" = $1%'])
            return cursor.fetchone()[0]

    assert prepared() == 0
    assert Case.objects.filter(pk=case.pk).get() == case
    assert prepared() == 0  # once is not enough
    assert Case.objects.filter(pk=case.pk).get() == case
    assert prepared() == 1  # the second time, PostgreSQL plans it and keeps the plan


def test_the_master_compiles_the_templates_before_forking_the_workers():
    from django.template import engines

    from negotiator.warmup import warm_up

    loader = engines["django"].engine.template_loaders[0]
    loader.reset()
    compiled = warm_up()
    assert {"base.html", "cases/negotiation/log.html", "cases/proposal/proposal.html", "letters/hardship_statement.html"} <= set(compiled)
    assert set(compiled) <= set(loader.get_template_cache)


@pytest.mark.django_db
def test_model_choices_are_read_without_a_server_side_cursor(owner_client, owner):
    """A form's model choices use QuerySet.iterator(), which on PostgreSQL would declare,
    fetch from and close a server-side cursor: three round trips for a few rows."""
    if connection.vendor != "postgresql":
        pytest.skip("server-side cursors are PostgreSQL's")
    from django.urls import reverse

    from ..factories import make_case, make_debt

    case = make_case(owner)
    make_debt(case)
    named = []

    def spy(execute, sql, params, many, context):
        named.append(getattr(context["cursor"].cursor, "name", None))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        response = owner_client.get(reverse("log", args=[case.pk]))
    assert response.status_code == 200
    assert 'name="debts"' in response.content.decode()
    assert named and not any(named)
