"""System checks warn, with the exact fix, about what the letters and the evidence
vault need from the machine."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.checks import Tags, run_checks

from cases import checks


def manage_check(tmp_path, *options: str, **env) -> subprocess.CompletedProcess:
    """`manage.py check` in a fresh process (fontconfig reads its configuration at start)."""
    environment = {
        # not DJANGO_ALLOW_ASYNC_UNSAFE, which the browser fixtures set for this process
        **{name: value for name, value in os.environ.items() if name != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "NEGOTIATOR_VAR_DIR": str(tmp_path / "var"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
        **env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", *options], cwd=settings.BASE_DIR, env=environment,
        capture_output=True, text=True, timeout=60,
    )


def test_check_reports_nothing_on_a_machine_set_up_by_make(tmp_path):
    result = manage_check(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert result.stderr == ""


def test_check_warns_with_the_install_command_when_no_chinese_font_is_installed(tmp_path):
    empty = tmp_path / "fonts.conf"
    empty.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig></fontconfig>\n')
    result = manage_check(tmp_path, FONTCONFIG_FILE=str(empty))
    assert result.returncode == 0  # a warning, not an error: the rest of the app works
    assert "cases.W001" in result.stderr
    assert "Noto Serif CJK SC, Noto Sans CJK SC" in result.stderr
    assert "sudo apt-get install -y fonts-noto-cjk" in result.stderr
    assert "cases.W002" not in result.stderr


@pytest.fixture
def no_harfbuzz_subset(monkeypatch):
    """libharfbuzz-subset0 missing, as WeasyPrint sees it (a true external boundary)."""
    from weasyprint.text import ffi

    monkeypatch.setattr(ffi, "harfbuzz_subset", None)
    checks.harfbuzz_subset_available.cache_clear()
    yield
    checks.harfbuzz_subset_available.cache_clear()


def machine_checks():
    """The registered checks about the machine (the others need a database)."""
    return run_checks(tags=[Tags.compatibility, Tags.files])


def warning_ids() -> list[str]:
    return [message.id for message in machine_checks()]


def test_check_warns_when_harfbuzz_subsetting_is_unavailable(no_harfbuzz_subset):
    [warning] = [message for message in machine_checks() if message.id == "cases.W002"]
    assert "30 times longer" in warning.msg
    assert warning.hint == "Install it: sudo apt-get install -y libharfbuzz-subset0"


def test_harfbuzz_subsetting_is_available_here():
    checks.harfbuzz_subset_available.cache_clear()
    assert "cases.W002" not in warning_ids()


def test_check_warns_when_the_private_media_folder_cannot_be_written(settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings.PRIVATE_MEDIA_ROOT = blocker / "private"  # even root cannot create a folder inside a file
    [warning] = [message for message in machine_checks() if message.id == "cases.W004"]
    assert str(blocker / "private") in warning.msg
    assert "PRIVATE_MEDIA_ROOT" in warning.hint


def test_with_object_storage_the_unused_folder_is_not_checked(settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings.PRIVATE_MEDIA_ROOT = blocker / "private"
    settings.PRIVATE_STORAGE = "s3"
    assert "cases.W004" not in [message.id for message in machine_checks()]


def test_a_writable_private_media_folder_passes_and_is_left_clean(settings):
    assert "cases.W004" not in warning_ids()
    assert list(settings.PRIVATE_MEDIA_ROOT.iterdir()) == []


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x8Jq2vR9mZ4pL7tW1nB6cF3hK0sD5gY8aE2uI9oP4rT7wQ1zX6vN3mC0bL5kJ8hG",
    "ALLOWED_HOSTS": "negotiator.example.com",
    "FIELD_ENCRYPTION_KEYS": "Zt1X9kq2m8bO3hJf6WcY4rLpD0sV7aEuN5gQiTzHxKo=",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.com:587",
    "TASK_BACKEND": "database",  # without it: cases.W007 (issue 16)
}


def test_deploy_check_is_clean_with_the_production_variables(tmp_path):
    result = manage_check(tmp_path, "--deploy", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = manage_check(tmp_path, "--deploy", **{**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_deploy_check_insists_on_a_real_mailer(tmp_path):
    result = manage_check(tmp_path, "--deploy", **{**PRODUCTION, "EMAIL_URL": ""})
    assert result.returncode != 0
    assert "mail.E001" in result.stderr
