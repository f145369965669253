"""More users than one machine (docs/deploy.md §9): two gunicorn instances, as on two
machines behind a load balancer, share one PostgreSQL database and one bucket of object
storage and nothing else. A user's session, uploads and letters work whichever answers.

Runs in CI's storage suite (PostgreSQL and the S3-protocol server .ci/run starts);
skipped without either.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse

from cases.lenders import lenders_of
from cases.letters import versions
from cases.models import Evidence, Letter

from ..intake_fixtures import pdf_bytes
from ..letters_fixtures import make_letter_case
from ..storage_fixtures import S3_REGION

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "negotiator" / "gunicorn.conf.py"
PASSWORD = "Zheng-2026-huankuan"
KIND = "hardship_statement"
# The two secrets every machine must share (docs/deploy.md §9): sessions are signed with the
# one, ID and account numbers encrypted with the other, by whichever machine wrote them.
SECRET_KEY = "many-machines-test-" + "k" * 40
FIELD_KEY = "zhJdM2sT1VY3u6BaVZxFf0wq4o0pKQ0jXo0Hk9f1V7s="


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _environment(bucket) -> dict:
    """What every machine is given alike: the database, the bucket, the two shared secrets."""
    options = bucket.options()
    shared = {
        "DATABASE_URL": _database_url(),
        "DB_CONN_MAX_AGE": "0",
        "SECRET_KEY": SECRET_KEY,
        "FIELD_ENCRYPTION_KEYS": FIELD_KEY,
        "PRIVATE_STORAGE": "s3",
        "S3_BUCKET": options["bucket_name"],
        "S3_ENDPOINT_URL": options["endpoint_url"],
        "S3_REGION": S3_REGION,
        "S3_ACCESS_KEY_ID": options["access_key"],
        "S3_SECRET_ACCESS_KEY": options["secret_key"],
        "TASK_BACKEND": "immediate",
        "DEBUG": "1",
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith(("S3_", "DATABASE_URL", "PRIVATE_"))}
    return {**env, **shared, "DJANGO_SETTINGS_MODULE": "negotiator.settings"}


class Machine:
    """One gunicorn on a port of its own, with a var/ folder of its own that must stay empty:
    nothing a user does may depend on a machine's disk."""

    def __init__(self, name: str, env: dict, tmp_path: Path):
        self.name = name
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.var = tmp_path / name
        self.var.mkdir()
        self.log = open(tmp_path / f"{name}.log", "wb")
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "-c", str(CONFIG), "negotiator.wsgi:application",
             "--bind", f"127.0.0.1:{self.port}", "--workers", "1", "--timeout", "120"],
            cwd=ROOT, env={**env, "NEGOTIATOR_VAR_DIR": str(self.var)}, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_until_up(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                urllib.request.urlopen(self.url + reverse("login"), timeout=5).read()
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
        self.stop()
        pytest.fail(f"gunicorn {self.name} did not answer: {self.log_text()}")

    def log_text(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.log.close()


class Browser:
    """A person's browser: one cookie jar, whichever machine the load balancer picks.
    Cookies are host-wide, not per port, so both machines get the same session cookie."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, machine: Machine, path: str, data: bytes | None = None, content_type: str = "",
                headers: dict | None = None) -> tuple[int, dict, bytes]:
        request = urllib.request.Request(machine.url + path, data=data, headers=headers or {})
        if content_type:
            request.add_header("Content-Type", content_type)
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if data is not None:
            request.add_header("Referer", machine.url + path)
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            response = opener.open(request, timeout=120)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if "max-age=0" in header.lower() or not value.strip('"'):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return response.status, dict(response.headers), response.read()

    def get(self, machine: Machine, path: str) -> tuple[int, dict, bytes]:
        return self.request(machine, path)

    def csrf_token(self, machine: Machine, page: str) -> str:
        status, _, body = self.get(machine, page)
        assert status == 200, (page, status)
        return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()

    def post(self, machine: Machine, path: str, fields: dict, *, token_from: str, files: dict | None = None):
        fields = {**fields, "csrfmiddlewaretoken": self.csrf_token(machine, token_from)}
        boundary = uuid.uuid4().hex
        parts = []
        for key, value in fields.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
        for key, (filename, content, kind) in (files or {}).items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"; filename="{filename}"\r\n'
                         f"Content-Type: {kind}\r\n\r\n".encode() + content + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request(machine, path, body, f"multipart/form-data; boundary={boundary}")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def machines(transactional_db, media, tmp_path, settings):
    if connection.vendor != "postgresql":
        pytest.skip("the machines share a PostgreSQL database (CI's storage suite runs this on PostgreSQL)")
    # This process writes the case's rows as a third machine would: with the same secrets.
    settings.SECRET_KEY = SECRET_KEY
    settings.FIELD_ENCRYPTION_KEYS = [FIELD_KEY]
    env = _environment(media)
    started = [Machine("a", env, tmp_path), Machine("b", env, tmp_path)]
    try:
        for machine in started:
            machine.wait_until_up()
        yield started
    finally:
        for machine in started:
            machine.stop()


@pytest.mark.storage("s3")
def test_a_user_is_served_alike_by_two_machines_sharing_the_database_and_the_bucket(machines, media):
    a, b = machines
    browser = Browser()

    # Signs up on A (and is logged in there): B knows the session. Logs out on B: A forgets it.
    # Logs in on B: A knows it. Sessions and login records are in the database, not in a machine.
    status, _, _ = browser.post(a, reverse("signup"), {
        "username": "zhang_wei", "email": "", "password1": PASSWORD, "password2": PASSWORD,
    }, token_from=reverse("signup"))
    assert status == 302, a.log_text()
    assert browser.get(b, reverse("dashboard"))[0] == 200
    user = get_user_model().objects.get(username__startswith="zhang_wei-")  # the name typed, four digits added
    assert browser.post(b, reverse("logout"), {}, token_from=reverse("account"))[0] == 302
    assert browser.get(a, reverse("dashboard"))[0] == 302  # to the login page
    status, _, _ = browser.post(b, reverse("login"), {"username": user.username, "password": PASSWORD},
                                token_from=reverse("login"))
    assert status == 302, b.log_text()
    assert browser.get(a, reverse("dashboard"))[0] == 200

    case = make_letter_case(user, with_evidence=False)

    # Uploads evidence on B, downloads it on A.
    content = pdf_bytes()
    status, _, _ = browser.post(b, reverse("evidence_upload", args=[case.pk]), {"kind": "bill", "note": ""},
                                token_from=reverse("account"),
                                files={"file": ("账单.pdf", content, "application/pdf")})
    assert status == 302, b.log_text()
    evidence = Evidence.objects.get(case=case)
    assert media.read(evidence.file.name) == content  # in the bucket, not on B's disk
    status, headers, body = browser.get(a, reverse("evidence_download", args=[case.pk, evidence.pk]))
    assert status == 200 and body == content
    assert headers["Content-Type"] == "application/pdf"

    # Generates a letter on A (its PDF rendered into the bucket), gets the PDF on B.
    [lender] = [item.url_slug for item in lenders_of(case.debts.all())]
    status, _, _ = browser.post(a, reverse("letter_generate", args=[case.pk, KIND, lender]), {},
                                token_from=reverse("letter_page", args=[case.pk, KIND, lender]))  # on A
    assert status == 302, a.log_text()
    letter = Letter.objects.get(case=case, kind=KIND)
    status, headers, body = browser.get(b, reverse("letter_pdf", args=[case.pk, KIND, lender, letter.version]))
    assert status == 200, b.log_text()
    assert body.startswith(b"%PDF") and body == media.read(versions.pdf_name(letter))

    # Nothing was kept on either machine's own disk: no uploads, no PDFs.
    left = [p for machine in machines for p in machine.var.rglob("*") if p.is_file()]
    assert left == []
