import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .factories import make_case, make_user
from .storage_fixtures import STORAGE_KINDS, FolderMedia, StoredMedia, new_bucket


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalogs():
    """Compile stale translation catalogs, so `pytest` run directly (not only through
    `make test`, whose set-up compiles them) tests the current translations."""
    compiled = False
    for po in Path(__file__).resolve().parent.parent.glob("locale/*/LC_MESSAGES/django.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            subprocess.run(["msgfmt", "--check-format", "-o", str(mo), str(po)], check=True)
            compiled = True
    if compiled:  # drop catalogs Django may have loaded before they were compiled
        from django.conf import settings
        from django.test.signals import setting_changed

        setting_changed.send(sender=None, setting="LOCALE_PATHS", value=settings.LOCALE_PATHS, enter=False)


# --- Private storage: a folder, or a bucket on an S3-protocol server ------------------------

def pytest_generate_tests(metafunc):
    """A test marked ``storage`` runs once per private storage: in a folder and in a bucket
    (on the S3-protocol server named by TEST_S3_ENDPOINT_URL, which .ci/run starts);
    ``storage("s3")`` only in a bucket."""
    if marker := metafunc.definition.get_closest_marker("storage"):
        metafunc.parametrize("storage_kind", marker.args or STORAGE_KINDS, indirect=True)


@pytest.fixture
def storage_kind(request) -> str:
    return getattr(request, "param", "files")


@pytest.fixture(autouse=True)
def private_media(storage_kind, settings, tmp_path):
    """Every test stores files in its own folder (never in var/), or in a bucket of its own.

    The folder's path for the file system; for object storage, the bucket (``StoredMedia``)."""
    if storage_kind == "s3":
        with new_bucket() as bucket:
            settings.PRIVATE_STORAGE = "s3"
            private = {"BACKEND": "cases.object_storage.PrivateS3Storage", "OPTIONS": bucket.options()}
            settings.STORAGES = {**settings.STORAGES, "default": private, "private": private}
            yield bucket
        return
    root = tmp_path / "private"
    root.mkdir()
    settings.PRIVATE_STORAGE = "files"
    settings.PRIVATE_MEDIA_ROOT = root
    private = {"BACKEND": "cases.storage.AtomicFileSystemStorage", "OPTIONS": {"location": root, "base_url": None}}
    settings.STORAGES = {**settings.STORAGES, "default": private, "private": private}
    yield root


@pytest.fixture
def media(private_media) -> StoredMedia:
    """The private storage seen from outside the app, the same way for a folder and a bucket."""
    return private_media if isinstance(private_media, StoredMedia) else FolderMedia(private_media)


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def owner(db):
    return make_user("owner")


@pytest.fixture
def stranger(db):
    return make_user("stranger")


@pytest.fixture
def reviewer(db):
    return make_user("reviewer", staff=True)


@pytest.fixture
def case(owner):
    return make_case(owner)


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def stranger_client(client, stranger):
    client.force_login(stranger)
    return client


# --- Real browser -----------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def _playwright():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `make test` (it installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(_playwright):
    args = ["--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", "--disable-gpu", "--disable-quic"]
    if os.geteuid() == 0:
        args.append("--no-sandbox")
    browser = _playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
    yield browser
    browser.close()


@pytest.fixture
def page(browser, live_server):
    """A phone-sized page in a fresh context; console errors and CSP violations fail the test."""
    context = browser.new_context(viewport=PHONE, locale="zh-CN", base_url=live_server.url)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.set_default_timeout(10_000)
    yield page
    context.close()
    assert not errors, f"browser console errors: {errors}"


def pdftotext(path) -> str:
    """Text of a PDF through poppler's pdftotext, as a reader would copy it."""
    exe = shutil.which("pdftotext")
    assert exe, "pdftotext missing: run `make test` (it installs poppler-utils)"
    return subprocess.run([exe, "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def submit_log_in(page, username: str) -> None:
    """On the log-in page (reached or redirected to): the user's name and password, then the button."""
    from .factories import PASSWORD

    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()


def log_in(page, username: str) -> None:
    """Log in through the real log-in page, as a person would, and land on the dashboard."""
    from django.urls import reverse

    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    page.goto(reverse("login"))
    submit_log_in(page, username)
    page.wait_for_url("**/dashboard/")
