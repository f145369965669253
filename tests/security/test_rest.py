"""Issue 16, items 4 and 5: uploads named and typed by content, and the rest of the list.

Each test names the finding of the issue it reproduces.
"""

import io
import json
import re
import subprocess
import sys
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.db import connection
from django.tasks import default_task_backend
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from cases.accounts.forms import SignupForm
from cases.letters import pdf, versions
from cases.models import Evidence

from ..conftest import pdftotext
from ..factories import PASSWORD, make_case, make_debt, make_user
from ..letters_fixtures import make_letter_case
from .fixtures import amr_bytes, m4a_bytes, mp3_bytes
from ..review_fixtures import reviewers_group  # noqa: F401
from ..intake.test_evidence import pdf_bytes, post_file, upload

User = get_user_model()

# --- Uploads -----------------------------------------------------------------------------


@pytest.fixture
def case(owner):
    case = make_case(owner)
    make_debt(case)
    return case


def test_a_web_page_behind_mp3_magic_bytes_is_not_audio(owner_client, case):
    """Finding: "HTML with a \\xff\\xfb prefix is stored as audio/mpeg"."""
    page = b"\xff\xfb<html><script>alert(1)</script>" + b"<p>x</p>" * 500
    response = post_file(owner_client, case, upload("call.mp3", page), kind="call_recording")
    assert response.status_code == 400
    assert "no sound could be found" in response.content.decode()
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("content", [b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" * 100,
                                     b"\x00\x00\x00\x1cftypM4A \x00\x00\x00\x00M4A isommp42" + bytes(400),
                                     b"#!AMR\n" + b"\xff" * 400],
                         ids=["mp3-headers-without-frames", "m4a-without-a-sound-track", "amr-with-no-such-frame"])
def test_recordings_whose_frames_do_not_parse_are_refused(owner_client, case, content):
    assert post_file(owner_client, case, upload("rec.bin", content), kind="call_recording").status_code == 400
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(("name", "content", "stored"), [
    ("statement.html", None, "statement.pdf"),
    ("x.exe", None, "x.pdf"),
    ("录音.txt", mp3_bytes(), "录音.mp3"),
    ("call", m4a_bytes(), "call.m4a"),
    ("IMG_0001.JPEG.png", amr_bytes(), "IMG_0001.JPEG.amr"),
])
def test_the_stored_and_downloaded_name_has_the_extension_of_the_content(owner_client, case, name, content, stored):
    """Finding: "the stored name keeps any extension (statement.html, x.exe), and the reviewer's download
    saves it under that name"."""
    response = post_file(owner_client, case, upload(name, content or pdf_bytes()), kind="call_recording")
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.original_name == stored
    download = owner_client.get(reverse("evidence_download", args=[case.pk, evidence.pk]))
    assert download["Content-Disposition"].endswith(f"''{_quoted(stored)}") or stored in download["Content-Disposition"]


def test_a_file_stored_before_under_its_own_extension_downloads_under_its_types(client, owner, reviewers_group):
    """Rows from before this fix keep their name in the database; the download name follows the content."""
    from django.core.files.base import ContentFile

    from ..review_fixtures import client_for

    case = make_case(owner)
    evidence = Evidence(case=case, kind="bill", original_name="statement.html", size=4, content_type="application/pdf",
                        sha256="0" * 64)
    evidence.file.save("x", ContentFile(b"%PDF"), save=False)
    evidence.save()
    client.force_login(owner)
    response = client.get(reverse("evidence_download", args=[case.pk, evidence.pk]))
    assert "statement.pdf" in response["Content-Disposition"] and ".html" not in response["Content-Disposition"]
    reviewer = make_user("rev", staff=True)
    reviewer.groups.add(reviewers_group)
    response = client_for(reviewer).get(reverse("admin:cases_case_evidence_file", args=[case.pk, evidence.pk]))
    assert "statement.pdf" in response["Content-Disposition"]


def _quoted(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


# --- Letters: long strings stay on the page ----------------------------------------------


def test_a_long_unbroken_string_stays_within_the_page(owner, tmp_path):
    """Finding: "long unbroken strings run past the right margin in PDFs (1,600 "A"s: 49 readable)"."""
    case = make_letter_case(owner, what_happened="A" * 1600)
    letter = versions.generate(case, "hardship_statement")
    name = pdf.ensure_pdf(letter)
    with versions.storage().open(name, "rb") as fh:
        data = fh.read()
    path = tmp_path / "letter.pdf"
    path.write_bytes(data)
    # pdftotext keeps only what lies on the page: text past the right edge is lost.
    assert pdftotext(path).count("A") >= 1600
    for page in PdfReader(io.BytesIO(data)).pages:
        right = float(page.mediabox.right)
        xs = []
        page.extract_text(visitor_text=lambda text, cm, tm, font, size: xs.append((tm[4] * cm[0] + cm[4], text)))
        assert all(x < right for x, text in xs if text.strip())


# --- Headers -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["dashboard", "account", "intake_about", "log"])
def test_pages_with_personal_data_are_not_stored_by_browsers_or_proxies(owner_client, owner, name):
    """Finding: "pages with personal data (/dashboard/, the about step, the log, the account) have no
    Cache-Control: no-store"."""
    case = make_case(owner, completed_steps=["about"])
    args = [case.pk] if name in ("intake_about", "log") else []
    response = owner_client.get(reverse(name, args=args))
    assert response.status_code == 200
    assert {"no-store", "private"} <= {part.strip() for part in response["Cache-Control"].split(",")}


def test_the_public_landing_page_may_be_cached(client, db):
    assert "no-store" not in client.get(reverse("landing")).get("Cache-Control", "")


# --- quote -------------------------------------------------------------------------------


def test_quote_with_a_date_out_of_range_exits_2_with_one_line(tmp_path):
    """Finding: "quote with "as_of": "9999-12-31" crashes with a traceback (exit 1, not 2)"."""
    case = {"as_of": "9999-12-31", "debts": [{"id": "d1", "product": "huabei", "lender": "蚂蚁", "principal": "100.00",
                                             "overdue_amount": "0.00", "overdue_since": "2026-01-01"}]}
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case))
    result = subprocess.run([sys.executable, "manage.py", "quote", str(path)], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "as_of" in result.stderr and "9999-12-31" in result.stderr and "Traceback" not in result.stderr


# --- Accounts: no enumeration ----------------------------------------------------------


def _signup(client, username: str, email: str):
    return client.post(reverse("signup"), {"username": username, "email": email, "password1": "river-lantern-quiet-42",
                                           "password2": "river-lantern-quiet-42"}, HTTP_ACCEPT_LANGUAGE="en")


def test_sign_up_does_not_say_whether_an_e_mail_has_an_account(client, db, mailoutbox):
    """Finding: "sign-up says whether a username or e-mail exists" (the e-mail part)."""
    make_user("owner", email="owner@example.com")
    taken = _signup(client, "newcomer1", "Owner@Example.com")
    client.logout()
    fresh = _signup(client, "newcomer2", "fresh@example.com")
    assert taken.status_code == fresh.status_code == 302 and taken["Location"] == fresh["Location"]
    users = User.objects
    assert users.get(username__startswith="newcomer1-").email == ""  # the address stays the first account's
    assert users.get(username__startswith="newcomer2-").email == "fresh@example.com"
    assert [m.to for m in mailoutbox] == [["Owner@Example.com"]]


def _signup_from(client, username: str, address: str, password: str = "river-lantern-quiet-42"):
    return client.post(reverse("signup"), {"username": username, "password1": password, "password2": password},
                       REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en", follow=True)


def _answer(response) -> tuple:
    """What a sign-up answered, with the username it made taken out."""
    made = User.objects.get(pk=response.wsgi_request.user.pk).username
    words = [str(m).replace(made, "NAME") for m in response.context["messages"]]
    return response.redirect_chain, response.status_code, words, made


def test_sign_up_answers_a_taken_name_exactly_as_a_free_one(client, db):
    """Finding: "sign-up says whether a username or e-mail exists" (the username part): four digits are always
    added to the name typed, so no name is refused and the answer never depends on who else signed up."""
    owner = make_user("owner")
    *taken, made_taken = _answer(_signup_from(client, "OWNER", "203.0.113.9"))
    client.logout()
    *free, made_free = _answer(_signup_from(client, "newcomer", "203.0.113.9"))
    assert taken == free
    assert taken[0] == [(reverse("dashboard"), 302)]
    assert taken[2] == ["Welcome! Your account is ready. Your username is NAME: write it down with the recovery "
                        "code below."]
    assert re.fullmatch(r"OWNER-[0-9]{4}", made_taken) and re.fullmatch(r"newcomer-[0-9]{4}", made_free)
    owner.refresh_from_db()
    assert owner.username == "owner" and owner.check_password(PASSWORD)  # the first account is untouched
    assert User.objects.count() == 3


def test_signing_up_again_with_my_own_username_and_password_lets_me_in(client, db):
    """The stressed user who forgot they had an account and typed their whole username: into their own account."""
    owner = make_user("owner-2048")
    again = _signup_from(client, "Owner-2048", "203.0.113.9", password=PASSWORD)
    assert again.redirect_chain == [(reverse("dashboard"), 302)]
    assert int(client.session["_auth_user_id"]) == owner.pk and User.objects.count() == 1
    assert not AccessAttempt.objects.exists()  # the log-in succeeded: no failure kept


def test_a_taken_username_with_another_password_counts_as_a_failed_log_in(client, db):
    """Sign-up cannot be used to guess an account's password faster than the log-in page (five from one address)."""
    make_user("owner")
    for _ in range(5):
        _signup_from(client, "owner", "203.0.113.9", password="another-quiet-guess-9")
        client.logout()
    assert client.post(reverse("login"), {"username": "owner", "password": PASSWORD},
                       REMOTE_ADDR="203.0.113.9").status_code == 429


def test_a_sixth_sign_up_with_one_name_from_one_address_still_makes_an_account(client, db):
    """The same five log-in failures for a name nobody has: the log-in pause that follows is not shown, and an
    account is made as for any other name, so the pause says nothing either."""
    for _ in range(6):
        response = _signup_from(client, "nobody", "203.0.113.9")
        assert response.redirect_chain == [(reverse("dashboard"), 302)]
        client.logout()
    assert User.objects.filter(username__startswith="nobody-").count() == 6


def test_many_accounts_from_one_address_pause_its_sign_up(client, db, settings):
    settings.SIGNUP_ADDRESS_LIMIT = 3
    for name in ("alpha", "bravo", "charlie"):
        assert _signup_from(client, name, "203.0.113.9").redirect_chain == [(reverse("dashboard"), 302)]
        client.logout()
    paused = _signup_from(client, "delta", "203.0.113.9")
    assert paused.status_code == 429 and "Too many sign-up attempts" in paused.content.decode()
    assert not User.objects.filter(username__startswith="delta").exists()
    assert _signup_from(client, "delta", "198.51.100.7").redirect_chain == [(reverse("dashboard"), 302)]


def test_when_every_four_digit_name_is_taken_a_longer_one_is_made(db):
    User.objects.bulk_create(User(username=f"racer-{n}") for n in range(1000, 10000))
    form = SignupForm({"username": "racer", "password1": "river-lantern-quiet-42",
                       "password2": "river-lantern-quiet-42"})
    assert form.is_valid()
    user = form.save()
    assert re.fullmatch(r"racer-[0-9a-f]{8}", user.username) and user.check_password("river-lantern-quiet-42")
    assert User.objects.filter(username__startswith="racer-").count() == 9001


def test_password_reset_does_the_same_work_for_known_and_unknown_addresses(client, db, settings, mailoutbox):
    """Finding: "password reset takes 0.13 s for a known address and 0.05 s for an unknown one"."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend", "QUEUES": ["default", "letters"]}}
    default_task_backend.clear()
    make_user("owner", email="owner@example.com")
    answers, queries = [], []
    for email in ("owner@example.com", "nobody@example.com"):
        with CaptureQueriesContext(connection) as captured:
            answers.append(client.post(reverse("password_reset"), {"email": email}))
        queries.append([q["sql"].split(" WHERE ")[0] for q in captured.captured_queries])
    assert answers[0].status_code == answers[1].status_code == 302
    assert answers[0]["Location"] == answers[1]["Location"]
    assert queries[0] == queries[1]  # the request looks nobody up: the worker does
    assert len(default_task_backend.results) == 2 and not mailoutbox
    for result in default_task_backend.results:
        result.task.call(*result.args, **result.kwargs)
    assert [m.to for m in mailoutbox] == [["owner@example.com"]]


def _login(client, username, password, address):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_guessing_spread_over_addresses_locks_the_account_and_a_reset_lifts_it(client, db, settings, mailoutbox):
    """Finding: "the lockout counts username + IP only (spread guessing is unlimited)"."""
    settings.AXES_ACCOUNT_FAILURE_LIMIT = 8
    make_user("owner", email="owner@example.com")
    for n in range(8):  # two tries from each of four addresses: under the per-address limit of 5
        _login(client, "owner", "wrong-guess", f"203.0.113.{n // 2}")
    assert _login(client, "owner", PASSWORD, "198.51.100.7").status_code == 429
    client.post(reverse("password_reset"), {"email": "owner@example.com"})
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", mailoutbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    client.post(form_url, {"new_password1": "river-lantern-quiet-77", "new_password2": "river-lantern-quiet-77"})
    assert not AccessAttempt.objects.exists()
    assert _login(client, "owner", "river-lantern-quiet-77", "198.51.100.7").status_code == 302


def test_a_few_typos_from_a_shared_address_do_not_lock_the_account_elsewhere(client, db):
    make_user("owner")
    for _ in range(5):
        _login(client, "owner", "wrong-guess", "192.0.2.1")
    assert _login(client, "owner", PASSWORD, "192.0.2.1").status_code == 429
    assert _login(client, "owner", PASSWORD, "198.51.100.7").status_code == 302


def test_lockout_cool_down_is_thirty_minutes(settings):
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=30)
