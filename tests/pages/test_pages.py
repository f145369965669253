import pytest
from django.urls import reverse

from ..factories import make_case


def test_landing_is_public_and_explains_what_the_app_is_not(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert b"not a lawyer" in response.content


def test_landing_defaults_to_simplified_chinese(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert 'lang="zh-CN"' in response.content.decode()


@pytest.mark.parametrize("name", ["dashboard", "account", "password_change"])
def test_private_pages_redirect_anonymous_users_to_login(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_dashboard_lists_only_my_cases(owner_client, owner, stranger):
    make_case(owner, title="我的案件")
    make_case(stranger, title="别人的案件")
    response = owner_client.get(reverse("dashboard"))
    assert "我的案件" in response.content.decode()
    assert "别人的案件" not in response.content.decode()


def test_dashboard_empty_state_offers_to_start_a_case(owner_client):
    response = owner_client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="en")
    assert b'action="/cases/new/"' in response.content


def test_starting_a_case_creates_it_for_me(owner_client, owner):
    response = owner_client.post(reverse("case_new"))
    assert response.status_code == 302
    assert owner.cases.count() == 1


def test_starting_a_case_rejects_get(owner_client, owner):
    assert owner_client.get(reverse("case_new")).status_code == 405
    assert owner.cases.count() == 0


def test_stranger_gets_404_for_my_case(stranger_client, case):
    assert stranger_client.get(reverse("case_detail", args=[case.pk])).status_code == 404


def test_case_detail_has_bounded_queries(owner_client, case, django_assert_max_num_queries):
    with django_assert_max_num_queries(13):  # + the dates that matter (issue 18)
        assert owner_client.get(reverse("case_detail", args=[case.pk])).status_code == 200


def test_every_page_sends_a_strict_content_security_policy(client, db):
    csp = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
