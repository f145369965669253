"""Production settings send the security headers (`check --deploy` itself is tested in
tests/shared/test_checks.py), and sessions end after inactivity.

Runs manage.py in a subprocess with the environment a deployment would set,
because the production branch of negotiator/settings.py is chosen at import.
"""

import json
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]

# collectstatic with whitenoise's compressing storage takes ~20 s, so the pages are
# rendered with the plain static storage: the headers do not depend on it.
HEADERS_SCRIPT = """
import json
from django.conf import settings as s
from django.test import Client, override_settings
plain_static = {**s.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
with override_settings(STORAGES=plain_static):
    c = Client()
    page = c.get("/", secure=True, HTTP_HOST="negotiator.example.org")
    plain = c.get("/", HTTP_HOST="negotiator.example.org")
print(json.dumps({"secure_settings": [s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_SECURE,
                                      s.LANGUAGE_COOKIE_SECURE],
                  "status": page.status_code, "headers": dict(page.headers),
                  "cookies": {k: dict(v) for k, v in page.cookies.items()},
                  "plain_status": plain.status_code, "plain_location": plain.get("Location", "")}))
"""


@pytest.fixture(scope="module")
def production_env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("prod")
    env = {
        k: v for k, v in os.environ.items()
        # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser fixture in this process, never in production.
        if k not in {"DATABASE_URL", "DEBUG", "SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "TASK_BACKEND",
                     "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update({
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "negotiator.example.org",
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.org:587",
        "TASK_BACKEND": "database",
        "NEGOTIATOR_VAR_DIR": str(tmp / "var"),
        "PRIVATE_MEDIA_ROOT": str(tmp / "private"),
        "STATIC_ROOT": str(tmp / "static"),
        "PYTHONDONTWRITEBYTECODE": "1",
    })
    (tmp / "private").mkdir()
    return env


def _manage(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def production_response(production_env):
    result = _manage(production_env, "shell", "--no-imports", "-c", HEADERS_SCRIPT)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_pages_send_hsts_and_framing_headers(production_response):
    assert production_response["status"] == 200
    headers = production_response["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"  # preload is opt-in
    assert headers["X-Frame-Options"] == "SAMEORIGIN"  # our own letter previews may frame our pages
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_production_csp_allows_no_inline_code_or_eval(production_response):
    csp = production_response["headers"]["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


def test_production_cookies_are_secure(production_response):
    csrf = production_response["cookies"]["csrftoken"]
    assert csrf["secure"] is True
    assert csrf["samesite"] == "Lax"


def test_plain_http_is_redirected_to_https(production_response):
    assert production_response["plain_status"] == 301
    assert production_response["plain_location"].startswith("https://negotiator.example.org/")


def test_session_cookie_is_secure_and_http_only_in_production(production_response):
    assert production_response["secure_settings"] == [True, True, True, True]


# --- Sessions expire after inactivity ---------------------------------------------


def test_a_session_expires_after_inactivity_but_activity_keeps_it_alive(client, owner, settings):
    settings.SESSION_COOKIE_AGE = 1
    settings.SESSION_RENEW_INTERVAL = 0.2
    client.force_login(owner)
    dashboard = reverse("dashboard")
    assert client.get(dashboard).status_code == 200
    time.sleep(0.6)
    assert client.get(dashboard).status_code == 200  # activity renews the session...
    time.sleep(0.6)
    assert client.get(dashboard).status_code == 200  # ...so it outlives the 1 s since login
    time.sleep(1.2)
    response = client.get(dashboard)  # idle longer than SESSION_COOKIE_AGE
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_sessions_expire_after_two_hours_idle_by_default():
    from django.conf import settings

    assert settings.SESSION_COOKIE_AGE == 2 * 3600
    assert settings.SESSION_RENEW_INTERVAL == 60


def _session_writes(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries.captured_queries
            if "django_session" in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT")]


def test_activity_renews_a_session_at_most_once_per_interval(client, owner, settings):
    settings.SESSION_RENEW_INTERVAL = 0.5
    client.force_login(owner)  # a login counts as a renewal
    dashboard = reverse("dashboard")
    assert not _session_writes(client, dashboard)  # within the interval: no write at all
    assert not _session_writes(client, dashboard)
    cookie_expiry = Session.objects.get().expire_date
    time.sleep(0.6)
    assert _session_writes(client, dashboard)  # interval passed: renewed again
    assert Session.objects.get().expire_date > cookie_expiry


def test_an_anonymous_visitor_or_an_expired_cookie_gets_no_session(client, owner, settings):
    assert client.get(reverse("login")).status_code == 200
    assert not Session.objects.exists()
    client.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session-key-0123456789abcdef"
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert not Session.objects.exists()

