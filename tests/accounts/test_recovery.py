"""A password reset without e-mail or SMS, by the recovery code shown at sign-up and stored hashed; large text
remembered per account (issue 17)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from cases.models import AccountSettings

from ..factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
CODE = re.compile(r"<strong>([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})</strong>")


def sign_up(client, username="liming") -> str:
    response = client.post(reverse("signup"), {"username": username, "password1": "quiet-river-2026",
                                               "password2": "quiet-river-2026"}, follow=True, **EN)
    return CODE.search(response.content.decode()).group(1)


def recover(client, username, code, password="new-lantern-2027", again=None):
    return client.post(reverse("recover"), {"username": username, "code": code, "new_password1": password,
                                            "new_password2": again or password}, **EN)


def test_sign_up_shows_a_code_once_and_stores_only_its_hash(client):
    code = sign_up(client)
    stored = AccountSettings.objects.get(user__username="liming").recovery_code_hash
    assert code.replace("-", "") not in stored and stored.startswith(("md5$", "pbkdf2", "argon2", "bcrypt", "scrypt"))
    assert not CODE.search(client.get(reverse("dashboard")).content.decode())  # shown once


def test_the_code_sets_a_new_password_once_and_a_new_code_replaces_it(client):
    code = sign_up(client)
    client.logout()
    response = recover(client, "LiMing", code.lower().replace("-", " "))
    assert response.status_code == 200
    new_code = CODE.search(response.content.decode()).group(1)
    assert new_code != code
    user = get_user_model().objects.get(username="liming")
    user.refresh_from_db()
    assert user.check_password("new-lantern-2027")
    assert recover(client, "liming", code, password="other-river-2028").status_code == 400  # used up
    assert recover(client, "liming", new_code, password="other-river-2028").status_code == 200


@pytest.mark.parametrize(("username", "code"), [("liming", "AAAA-BBBB-CCCC-DDDD"), ("nobody", "AAAA-BBBB-CCCC-DDDD")])
def test_a_wrong_code_or_name_changes_nothing_and_says_the_same(client, username, code):
    sign_up(client)
    client.logout()
    response = recover(client, username, code)
    assert response.status_code == 400
    assert "do not match" in response.content.decode()
    assert get_user_model().objects.get(username="liming").check_password("quiet-river-2026")


def test_a_weak_new_password_is_refused_under_the_new_password(client):
    code = sign_up(client)
    client.logout()
    response = recover(client, "liming", code, password="12345678")
    assert response.status_code == 400
    assert "new_password1" in response.context["form"].errors
    assert get_user_model().objects.get(username="liming").check_password("quiet-river-2026")


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
