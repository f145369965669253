"""Accounts: sign up, log in and out, change and reset a password, login throttling.

Every bad input must show a clear message in the user's language (Simplified
Chinese by default) and change nothing.
"""

import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.urls import reverse

from ..factories import PASSWORD, make_user

User = get_user_model()
NEW_PASSWORD = "river-lantern-quiet-42"
WRONG_LOGIN = "用户名或密码不正确"
REQUIRED = "请填写此项。"
MISMATCH = "两次输入的密码不一致。"


def signup_data(**overrides) -> dict:
    data = {"username": "xiaoming", "email": "xiaoming@example.com", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    data.update(overrides)
    return data


def log_in(client, username: str, password: str):
    """Through the real login view (django-axes needs the request)."""
    return client.post(reverse("login"), {"username": username, "password": password})


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- Sign up -----------------------------------------------------------------


def test_signup_page_is_public_and_in_chinese(client, db):
    response = client.get(reverse("signup"))
    assert response.status_code == 200
    assert "注册账户" in response.content.decode()


def test_signup_creates_the_account_and_logs_me_in(client, db):
    response = client.post(reverse("signup"), signup_data(), follow=True)
    assert response.redirect_chain == [(reverse("dashboard"), 302)]
    user = User.objects.get(username__regex=r"^xiaoming-[0-9]{4}$")  # four digits added to the name typed
    assert user.email == "xiaoming@example.com"
    assert user.check_password(NEW_PASSWORD)
    assert is_logged_in(client)
    assert f"欢迎！您的账户已经建好了。您的用户名是 {user.username}" in response.content.decode()


def test_signup_without_email_is_allowed(client, db):
    client.post(reverse("signup"), signup_data(email=""))
    assert User.objects.get(username__startswith="xiaoming-").email == ""


def test_signed_in_user_visiting_signup_goes_to_dashboard(owner_client):
    assert owner_client.get(reverse("signup"))["Location"] == reverse("dashboard")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "not-an-address"}, "email", "请填写有效的电子邮箱地址。"),
        ({"password2": "river-lantern-quiet-43"}, "password2", MISMATCH),
        ({"password1": "k7#pq", "password2": "k7#pq"}, "password1", "这个密码太短，至少要有 8 个字符。"),
        ({"password1": "password123", "password2": "password123"}, "password1", "这个密码太常见了。"),
        ({"password1": "73920584617", "password2": "73920584617"}, "password1", "这个密码全是数字。"),
        ({"password1": "xiaoming2026", "password2": "xiaoming2026"}, "password1", "这个密码与用户名太相似了。"),
        ({"username": ""}, "username", REQUIRED),
        ({"username": "bad name!"}, "username", "用户名只能使用字母、数字和"),
        ({"password1": ""}, "password1", REQUIRED),
        ({"username": "x" * 141}, "username", "140"),  # room for the four digits added
    ],
    ids=[
        "invalid-email", "mismatched-passwords",
        "short-password", "common-password", "numeric-password", "password-like-username", "missing-username",
        "invalid-username", "missing-password", "username-too-long",
    ],
)
def test_signup_rejects_bad_input_with_a_chinese_message_and_creates_nothing(client, db, overrides, field, message):
    make_user("owner", email="owner@example.com")
    response = client.post(reverse("signup"), signup_data(**overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert message in response.content.decode()
    assert not User.objects.filter(username__startswith="xiaoming").exists()
    assert User.objects.count() == 1
    assert not is_logged_in(client)


# --- Log in and out ----------------------------------------------------------


def test_login_with_the_right_password_opens_the_dashboard(client, owner):
    response = log_in(client, "owner", PASSWORD)
    assert response["Location"] == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200


def test_login_returns_to_the_page_i_asked_for(client, owner):
    target = reverse("account")
    assert client.get(target)["Location"] == f"{reverse('login')}?next={target}"
    response = client.post(reverse("login"), {"username": "owner", "password": PASSWORD, "next": target})
    assert response["Location"] == target


def test_login_ignores_a_next_url_on_another_site(client, owner):
    response = client.post(reverse("login"), {"username": "owner", "password": PASSWORD, "next": "https://evil.example/"})
    assert response["Location"] == reverse("dashboard")


@pytest.mark.parametrize(
    ("username", "password", "message"),
    [("owner", "wrong-password", WRONG_LOGIN), ("nobody", PASSWORD, WRONG_LOGIN), ("owner", "", REQUIRED), ("", "x", REQUIRED)],
    ids=["wrong-password", "unknown-user", "missing-password", "missing-username"],
)
def test_login_with_bad_input_shows_a_chinese_error_and_does_not_log_in(client, owner, username, password, message):
    response = log_in(client, username, password)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not is_logged_in(client)


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(client, owner):
    wrong = log_in(client, "owner", "wrong-password").context["form"].non_field_errors()
    unknown = log_in(client, "nobody", "wrong-password").context["form"].non_field_errors()
    assert wrong == unknown


def test_logout_needs_post_and_logs_me_out(owner_client):
    assert owner_client.get(reverse("logout")).status_code == 405
    assert is_logged_in(owner_client)
    response = owner_client.post(reverse("logout"))
    assert response["Location"] == reverse("landing")
    assert not is_logged_in(owner_client)
    assert owner_client.get(reverse("dashboard"))["Location"].startswith(reverse("login"))


# --- Login throttling (django-axes) ------------------------------------------


@pytest.fixture
def locked_out(client, owner, settings):
    """Five wrong passwords for `owner` from the test client's address."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = log_in(client, "owner", "wrong-password")
    return response


def test_five_wrong_passwords_lock_the_account_out_with_our_page(locked_out):
    assert locked_out.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in locked_out.templates]
    assert "登录失败次数过多" in locked_out.content.decode()


def test_four_wrong_passwords_do_not_lock_out(client, owner, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "owner", "wrong-password")
    assert log_in(client, "owner", PASSWORD)["Location"] == reverse("dashboard")
    assert not AccessAttempt.objects.exists()  # a success resets the count


def test_the_right_password_still_fails_during_a_lockout(client, locked_out):
    response = log_in(client, "owner", PASSWORD)
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert not is_logged_in(client)


def test_a_lockout_concerns_only_that_account(client, locked_out, stranger):
    assert log_in(client, "stranger", PASSWORD)["Location"] == reverse("dashboard")


def test_resetting_the_password_lifts_the_lockout(client, locked_out, owner, mailoutbox):
    owner.email = "owner@example.com"
    owner.save()
    client.post(reverse("password_reset"), {"email": "owner@example.com"})
    confirm_url = reset_link(mailoutbox[0].body)
    set_password_url = client.get(confirm_url)["Location"]
    client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert log_in(client, "owner", NEW_PASSWORD)["Location"] == reverse("dashboard")


# --- Change password ---------------------------------------------------------


def test_changing_my_password_keeps_me_logged_in(owner_client, owner):
    response = owner_client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("password_change_done")
    owner.refresh_from_db()
    assert owner.check_password(NEW_PASSWORD)
    done = owner_client.get(reverse("password_change_done"))
    assert "您的密码已经修改好了。" in done.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"old_password": "not-my-password", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
         "您的原密码不正确，请重新输入。"),
        ({"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": "something-else-entirely"},
         MISMATCH),
        ({"old_password": PASSWORD, "new_password1": "password123", "new_password2": "password123"},
         "这个密码太常见了。"),
        ({"old_password": PASSWORD, "new_password1": "", "new_password2": ""}, REQUIRED),
    ],
    ids=["wrong-old-password", "mismatched-new-passwords", "weak-new-password", "missing-new-password"],
)
def test_changing_password_with_bad_input_changes_nothing(owner_client, owner, data, message):
    response = owner_client.post(reverse("password_change"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)


# --- Reset password ----------------------------------------------------------


def without_tokens(response) -> str:
    """The page with its per-response CSRF token and script nonce blanked out."""
    html = response.content.decode().replace(str(response.context["csrf_token"]), "")
    return re.sub(r'nonce="[^"]*"', "", html)


def reset_link(body: str) -> str:
    return re.search(r"https?://[^/]+(/accounts/reset/\S+/)", body).group(1)


@pytest.fixture
def owner_with_email(owner):
    owner.email = "owner@example.com"
    owner.save()
    return owner


def test_password_reset_mails_a_chinese_link_that_sets_a_new_password(client, owner_with_email, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "OWNER@example.com"})
    assert response["Location"] == reverse("password_reset_done")
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["owner@example.com"]
    assert mail.subject == "重设您的协商助手密码"
    assert "请打开下面的链接设置新密码" in mail.body

    set_password_url = client.get(reset_link(mail.body))["Location"]
    form = client.get(set_password_url)
    assert "设置新密码" in form.content.decode()
    done = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == reverse("password_reset_complete")
    owner_with_email.refresh_from_db()
    assert owner_with_email.check_password(NEW_PASSWORD)


def test_password_reset_for_an_unknown_email_looks_the_same_and_sends_nothing(client, owner_with_email, mailoutbox):
    known = client.post(reverse("password_reset"), {"email": "owner@example.com"}, follow=True)
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.com"}, follow=True)
    assert unknown.redirect_chain == known.redirect_chain == [(reverse("password_reset_done"), 302)]
    assert without_tokens(unknown) == without_tokens(known)
    assert len(mailoutbox) == 1


@pytest.mark.parametrize(("email", "message"), [("not-an-address", "请填写有效的电子邮箱地址。"), ("", REQUIRED)])
def test_password_reset_with_a_bad_email_shows_an_error_and_sends_nothing(client, owner_with_email, mailoutbox,
                                                                          email, message):
    response = client.post(reverse("password_reset"), {"email": email})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert mailoutbox == []


def test_a_bad_reset_token_is_refused_and_changes_nothing(client, owner_with_email, mailoutbox):
    client.post(reverse("password_reset"), {"email": "owner@example.com"})
    good = reset_link(mailoutbox[0].body)
    forged = re.sub(r"/[^/]+/$", "/abcdef-0123456789abcdef/", good)
    response = client.get(forged)
    assert response.status_code == 200
    assert "这个重设链接无效或已经用过了" in response.content.decode()
    client.post(forged, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    owner_with_email.refresh_from_db()
    assert owner_with_email.check_password(PASSWORD)


def test_a_reset_link_works_only_once(client, owner_with_email, mailoutbox):
    client.post(reverse("password_reset"), {"email": "owner@example.com"})
    link = reset_link(mailoutbox[0].body)
    set_password_url = client.get(link)["Location"]
    client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    again = client.get(link, follow=True)
    assert "这个重设链接无效或已经用过了" in again.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"new_password1": NEW_PASSWORD, "new_password2": "something-else-entirely"}, MISMATCH),
        ({"new_password1": "12345678", "new_password2": "12345678"}, "这个密码太常见了。"),
    ],
    ids=["mismatched", "weak"],
)
def test_choosing_a_bad_new_password_after_reset_changes_nothing(client, owner_with_email, mailoutbox, data, message):
    client.post(reverse("password_reset"), {"email": "owner@example.com"})
    set_password_url = client.get(reset_link(mailoutbox[0].body))["Location"]
    response = client.post(set_password_url, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    owner_with_email.refresh_from_db()
    assert owner_with_email.check_password(PASSWORD)


def test_the_local_mailer_prints_the_reset_mail_as_readable_text():
    from io import StringIO

    from django.core.mail import EmailMessage

    from cases.mail import ReadableConsoleBackend

    stream = StringIO()
    message = EmailMessage("重设您的协商助手密码", "请打开下面的链接设置新密码：\nhttp://127.0.0.1:8000/accounts/reset/x/y/",
                           "no-reply@localhost", ["owner@example.com"])
    ReadableConsoleBackend(stream=stream).send_messages([message])
    assert "Subject: 重设您的协商助手密码" in stream.getvalue()
    assert "http://127.0.0.1:8000/accounts/reset/x/y/" in stream.getvalue()


def test_log_in_and_recovery_say_the_username_ends_with_its_digits(client, db):
    """A new username is the name typed at sign-up plus four digits (decision 025): both pages say so."""
    for name in ("login", "recover"):
        assert "注册时显示给您的用户名，包括最后的数字" in client.get(reverse(name)).content.decode()
