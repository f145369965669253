"""A password reset without e-mail or SMS, by the recovery code shown at sign-up and stored hashed; large text
remembered per account (issue 17)."""

import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.urls import reverse

from cases.models import AccountSettings

from ..factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
CODE = re.compile(r"<strong>([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})</strong>")


NAME = re.compile(r'<strong class="login-name">([^<]+)</strong>')


def sign_up(client, username="liming") -> tuple[str, str]:
    """The username made (the one typed with four digits added) and the recovery code, both read off the page."""
    response = client.post(reverse("signup"), {"username": username, "password1": "quiet-river-2026",
                                               "password2": "quiet-river-2026"}, follow=True, **EN)
    page = response.content.decode()
    return NAME.search(page).group(1), CODE.search(page).group(1)


def recover(client, username, code, password="new-lantern-2027", again=None):
    return client.post(reverse("recover"), {"username": username, "code": code, "new_password1": password,
                                            "new_password2": again or password}, **EN)


def test_sign_up_shows_a_code_once_and_stores_only_its_hash(client):
    name, code = sign_up(client)
    stored = AccountSettings.objects.get(user__username=name).recovery_code_hash
    assert code.replace("-", "") not in stored and stored.startswith(("md5$", "pbkdf2", "argon2", "bcrypt", "scrypt"))
    assert not CODE.search(client.get(reverse("dashboard")).content.decode())  # shown once


def test_the_code_sets_a_new_password_once_and_a_new_code_replaces_it(client):
    name, code = sign_up(client)
    client.logout()
    response = recover(client, name.upper(), code.lower().replace("-", " "))
    assert response.status_code == 200
    new_code = CODE.search(response.content.decode()).group(1)
    assert new_code != code
    user = get_user_model().objects.get(username=name)
    user.refresh_from_db()
    assert user.check_password("new-lantern-2027")
    assert recover(client, name, code, password="other-river-2028").status_code == 400  # used up
    assert recover(client, name, new_code, password="other-river-2028").status_code == 200


@pytest.mark.parametrize(("username", "code"), [("mine", "AAAA-BBBB-CCCC-DDDD"), ("liming", "AAAA-BBBB-CCCC-DDDD")])
def test_a_wrong_code_or_name_changes_nothing_and_says_the_same(client, username, code):
    name, _code = sign_up(client)
    client.logout()
    response = recover(client, name if username == "mine" else username, code)
    assert response.status_code == 400
    assert "do not match" in response.content.decode()
    assert get_user_model().objects.get(username=name).check_password("quiet-river-2026")


def test_a_weak_new_password_is_refused_under_the_new_password(client):
    name, code = sign_up(client)
    client.logout()
    response = recover(client, name, code, password="12345678")
    assert response.status_code == 400
    assert "new_password1" in response.context["form"].errors
    assert get_user_model().objects.get(username=name).check_password("quiet-river-2026")


def test_a_user_makes_a_new_code_from_the_account_page(client):
    user = make_user("wangfang")
    client.force_login(user)
    response = client.post(reverse("recovery_code_new"), follow=True, **EN)
    code = CODE.search(response.content.decode()).group(1)
    assert AccountSettings.of(user).recovery_code_matches(code)
    assert client.get(reverse("recovery_code_new")).status_code == 405


def test_large_text_is_remembered_per_account_across_log_ins(client):
    user = make_user("olderuser")
    client.force_login(user)
    client.post(reverse("large_text"), {"large_text": "on"})
    assert 'class="large-text"' in client.get(reverse("dashboard")).content.decode()
    client.logout()
    client.post(reverse("login"), {"username": "olderuser", "password": PASSWORD})
    assert 'class="large-text"' in client.get(reverse("dashboard")).content.decode()
    client.post(reverse("large_text"), {})
    assert 'class="large-text"' not in client.get(reverse("dashboard")).content.decode()
    assert AccountSettings.of(user).large_text is False


# --- Guessing codes is throttled (issue 16), like logging in ---------------------------------


def recover_from(client, username, code, address):
    return client.post(reverse("recover"), {"username": username, "code": code, "new_password1": "new-lantern-2027",
                                            "new_password2": "new-lantern-2027"}, REMOTE_ADDR=address, **EN)


def test_five_wrong_codes_from_one_address_pause_that_name_there_even_with_the_right_code(client):
    name, code = sign_up(client)
    client.logout()
    for _ in range(5):
        assert recover_from(client, name, "AAAA-BBBB-CCCC-DDDD", "203.0.113.9").status_code == 400
    paused = recover_from(client, name, code, "203.0.113.9")
    assert paused.status_code == 429 and "Too many wrong recovery codes" in paused.content.decode()
    assert get_user_model().objects.get(username=name).check_password("quiet-river-2026")  # nothing changed
    assert recover_from(client, name, code, "198.51.100.7").status_code == 200  # elsewhere the owner goes on


def test_wrong_codes_spread_over_addresses_pause_the_account(client, settings):
    settings.AXES_ACCOUNT_FAILURE_LIMIT = 8
    name, code = sign_up(client)
    client.logout()
    for n in range(8):  # two from each of four addresses: under the per-address limit of 5
        recover_from(client, name, "AAAA-BBBB-CCCC-DDDD", f"203.0.113.{n // 2}")
    assert recover_from(client, name, code, "198.51.100.7").status_code == 429


def test_one_address_guessing_many_accounts_is_paused_there_only(client, settings):
    settings.RECOVERY_ADDRESS_FAILURE_LIMIT = 6
    name, code = sign_up(client)
    client.logout()
    for n in range(6):  # one wrong code each for six names, existing or not
        recover_from(client, f"someone{n}", "AAAA-BBBB-CCCC-DDDD", "203.0.113.9")
    assert recover_from(client, name, code, "203.0.113.9").status_code == 429
    assert client.post(reverse("login"), {"username": name, "password": "quiet-river-2026"},
                       REMOTE_ADDR="203.0.113.9").status_code == 302  # logging in is not touched
    client.logout()
    assert recover_from(client, name, code, "198.51.100.7").status_code == 200


def test_a_login_lockout_does_not_stop_the_recovery_code_and_the_code_lifts_it(client):
    name, code = sign_up(client)
    client.logout()
    for _ in range(5):
        client.post(reverse("login"), {"username": name, "password": "wrong-guess"}, REMOTE_ADDR="203.0.113.9")
    assert client.post(reverse("login"), {"username": name, "password": "quiet-river-2026"},
                       REMOTE_ADDR="203.0.113.9").status_code == 429
    assert recover_from(client, name, code, "203.0.113.9").status_code == 200
    assert client.post(reverse("login"), {"username": name, "password": "new-lantern-2027"},
                       REMOTE_ADDR="203.0.113.9").status_code == 302


def test_the_right_code_clears_its_own_failures(client):
    name, code = sign_up(client)
    client.logout()
    for _ in range(4):
        recover_from(client, name, "AAAA-BBBB-CCCC-DDDD", "203.0.113.9")
    response = recover_from(client, name, code, "203.0.113.9")
    new_code = CODE.search(response.content.decode()).group(1)
    assert not AccessAttempt.objects.filter(username__startswith="recovery:").exists()
    for _ in range(4):  # four more typos do not pause: the count started again
        recover_from(client, name, "AAAA-BBBB-CCCC-DDDD", "203.0.113.9")
    assert recover_from(client, name, new_code, "203.0.113.9").status_code == 200


def test_a_failed_attempt_keeps_no_code_or_password_in_clear(client):
    name, _code = sign_up(client)
    client.logout()
    recover_from(client, name, "WXYZ-WXYZ-WXYZ-WXYZ", "203.0.113.9")
    client.post(reverse("login"), {"username": name, "password": "my-secret-guess"}, REMOTE_ADDR="203.0.113.9")
    kept = " ".join(AccessAttempt.objects.values_list("post_data", flat=True))
    # Two from the sign-up (its log-in try with the name typed, and the count of accounts from this address).
    assert AccessAttempt.objects.count() == 4
    assert "WXYZ" not in kept and "new-lantern-2027" not in kept and "my-secret-guess" not in kept
    assert "quiet-river-2026" not in kept
