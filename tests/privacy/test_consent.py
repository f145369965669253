import pytest
from django.test import RequestFactory
from django.urls import reverse

from cases.access import ConsentRequired, get_case_for
from cases.models import AuditEvent, Case

from ..factories import make_case


def test_owner_sees_the_privacy_page_with_consent_status(owner_client, case):
    response = owner_client.get(reverse("case_privacy", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert b"You gave your consent on" in response.content
    assert reverse("case_consent_withdraw", args=[case.pk]).encode() in response.content


@pytest.mark.parametrize("name", ["case_privacy", "case_delete"])
def test_stranger_gets_404_for_privacy_pages(stranger_client, case, name):
    assert stranger_client.get(reverse(name, args=[case.pk])).status_code == 404


@pytest.mark.parametrize("name", ["case_consent_withdraw", "case_consent_give", "case_delete"])
def test_stranger_gets_404_for_privacy_actions(stranger_client, case, name):
    assert stranger_client.post(reverse(name, args=[case.pk]), {"agree": "on", "confirm": "delete"}).status_code == 404
    case.refresh_from_db()
    assert case.has_consent


def test_reviewer_cannot_use_the_owners_privacy_rights(client, reviewer, case):
    client.force_login(reviewer)
    assert client.get(reverse("case_privacy", args=[case.pk])).status_code == 404
    assert client.post(reverse("case_consent_withdraw", args=[case.pk])).status_code == 404
    case.refresh_from_db()
    assert case.has_consent


@pytest.mark.parametrize("name", ["case_consent_withdraw", "case_consent_give"])
def test_consent_actions_reject_get(owner_client, case, name):
    assert owner_client.get(reverse(name, args=[case.pk])).status_code == 405


def test_withdrawing_consent_stops_processing_and_is_recorded(owner_client, case):
    version = case.version
    response = owner_client.post(reverse("case_consent_withdraw", args=[case.pk]))
    assert response.status_code == 302
    case.refresh_from_db()
    assert not case.has_consent
    assert case.consent_withdrawn
    assert case.version == version + 1
    assert AuditEvent.objects.filter(action="privacy.consent_withdrawn").count() == 1


def test_the_hub_shows_a_clear_notice_after_withdrawal(owner_client, case):
    case.withdraw_consent()
    response = owner_client.get(reverse("case_detail", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert b"Processing has stopped" in response.content
    assert reverse("case_privacy", args=[case.pk]).encode() in response.content


def test_a_new_case_without_consent_yet_shows_no_withdrawal_notice(owner_client, owner):
    case = make_case(owner, consent=False)
    response = owner_client.get(reverse("case_detail", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert b"Processing has stopped" not in response.content


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_get_case_for_refuses_a_withdrawn_case_unless_the_page_allows_it(owner, case):
    assert get_case_for(_request(owner), case.pk, require_consent=True) == case
    case.withdraw_consent()
    with pytest.raises(ConsentRequired):
        get_case_for(_request(owner), case.pk, require_consent=True)
    with pytest.raises(ConsentRequired):
        get_case_for(_request(owner), case.pk)
    assert get_case_for(_request(owner), case.pk, allow_withdrawn=True) == case


def test_require_consent_still_gives_strangers_a_404_not_the_notice(stranger, case):
    from django.http import Http404

    case.withdraw_consent()
    with pytest.raises(Http404):
        get_case_for(_request(stranger), case.pk, require_consent=True)


def test_a_view_that_requires_consent_answers_with_the_notice_page(owner_client, case, settings):
    """The middleware turns ConsentRequired into a 403 page that links to the privacy page."""
    from django.urls import path

    from cases.urls import urlpatterns

    def edit_view(request, case_id):
        get_case_for(request, case_id, require_consent=True)
        raise AssertionError("must not be reached")

    settings.ROOT_URLCONF = type("urls", (), {"urlpatterns": [*urlpatterns, path("t/<int:case_id>/", edit_view)]})
    case.withdraw_consent()
    response = owner_client.get(f"/t/{case.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert b"Processing has stopped" in response.content
    assert reverse("case_privacy", args=[case.pk]).encode() in response.content

    # htmx would swap nothing on a 403: the whole page goes to the privacy page instead.
    partial = owner_client.get(f"/t/{case.pk}/", HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    assert partial["HX-Redirect"] == reverse("case_privacy", args=[case.pk])


def test_giving_consent_again_needs_the_box_ticked(owner_client, case, settings):
    case.withdraw_consent()
    response = owner_client.post(reverse("case_consent_give", args=[case.pk]), {}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert b"Tick the box to give your consent." in response.content
    case.refresh_from_db()
    assert not case.has_consent

    response = owner_client.post(reverse("case_consent_give", args=[case.pk]), {"agree": "on"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.has_consent and not case.consent_withdrawn
    assert case.consent_version == settings.CONSENT_TEXT_VERSION


def test_withdrawing_twice_keeps_the_first_time(owner_client, case):
    owner_client.post(reverse("case_consent_withdraw", args=[case.pk]))
    first = Case.objects.get(pk=case.pk).consent_withdrawn_at
    owner_client.post(reverse("case_consent_withdraw", args=[case.pk]))
    assert Case.objects.get(pk=case.pk).consent_withdrawn_at == first


@pytest.mark.parametrize("name", ["case_privacy", "case_delete"])
def test_privacy_pages_have_bounded_queries(owner_client, case, name, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        assert owner_client.get(reverse(name, args=[case.pk])).status_code == 200


def test_account_pages_have_bounded_queries(owner_client, django_assert_max_num_queries):
    for name in ("account", "account_delete"):
        with django_assert_max_num_queries(6):
            assert owner_client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("typed", ["", " ", "DELETE!", "删", "x" * 10_000, "\x00delete", "<script>alert(1)</script>"])
def test_case_deletion_refuses_anything_but_the_word(owner_client, case, typed):
    response = owner_client.post(reverse("case_delete", args=[case.pk]), {"confirm": typed}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "exactly to confirm." in response.content.decode() or "Ensure this value" in response.content.decode() \
        or "This field is required." in response.content.decode() or "Null characters" in response.content.decode()
    assert b"<script>alert(1)</script>" not in response.content
    assert Case.objects.filter(pk=case.pk).exists()


@pytest.mark.parametrize("password", ["", "x" * 100_000, "\x00", "' OR 1=1 --"])
def test_account_deletion_refuses_hostile_passwords(owner_client, owner, password):
    response = owner_client.post(reverse("account_delete"), {"password": password}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert 'id="password-errors"><ul class="errorlist' in response.content.decode()
    assert type(owner).objects.filter(pk=owner.pk).exists()


def test_the_demo_case_has_consent_and_seeding_again_keeps_it(db, settings):
    from cases import demo

    case = demo.seed()["case"]
    assert case.has_consent and case.consent_version == settings.CONSENT_TEXT_VERSION
    given = Case.objects.get(pk=case.pk).consent_at
    assert Case.objects.get(pk=demo.seed()["case"].pk).consent_at == given
