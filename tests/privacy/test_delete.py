import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from cases.audit import pseudonym, record
from cases.models import AuditEvent, BudgetLine, Case, Contact, Debt, Debtor, Evidence, Letter, Proposal

from ..factories import PASSWORD, make_user
from ..storage_fixtures import BucketMedia
from ..privacy_fixtures import make_populated_case

CASE_MODELS = [Debtor, Debt, BudgetLine, Evidence, Contact, Proposal, Letter]


def _rows(case_id: int) -> dict:
    return {m.__name__: m.objects.filter(case_id=case_id).count() for m in CASE_MODELS}


def test_deleting_a_case_needs_the_confirmation_word(owner_client, owner, media):
    case = make_populated_case(owner)
    files = media.names()
    response = owner_client.post(reverse("case_delete", args=[case.pk]), {"confirm": "yes"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Type “delete” exactly to confirm." in response.content.decode()
    assert Case.objects.filter(pk=case.pk).exists()
    assert media.names() == files


def test_the_confirmation_page_shows_the_word_in_my_language(owner_client, owner):
    case = make_populated_case(owner)
    response = owner_client.get(reverse("case_delete", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Type “delete” to confirm" in response.content.decode()


@pytest.mark.storage
def test_deleting_a_case_removes_its_rows_and_files(owner_client, owner, media, django_capture_on_commit_callbacks):
    case = make_populated_case(owner)
    keep = make_populated_case(owner)
    assert any(name.startswith(f"evidence/{case.pk}/") for name in media.names())
    assert any(name.startswith(f"letters/{case.pk}/") for name in media.names())
    # A file another feature left in the case's folder goes too.
    media.put(f"letters/{case.pk}/render-cache.pdf", b"%PDF")

    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(reverse("case_delete", args=[case.pk]), {"confirm": "delete"})
    assert response.status_code == 302
    assert not Case.objects.filter(pk=case.pk).exists()
    assert set(_rows(case.pk).values()) == {0}
    remaining = media.names()
    assert not [n for n in remaining if n.startswith((f"evidence/{case.pk}/", f"letters/{case.pk}/"))]
    if not isinstance(media, BucketMedia):  # a bucket has no folders to leave behind
        assert not (media.root / "evidence" / str(case.pk)).exists()
    assert [n for n in remaining if n.startswith(f"evidence/{keep.pk}/")]
    assert all(_rows(keep.pk).values())


def test_deleting_in_chinese_accepts_the_chinese_word(owner_client, owner):
    case = make_populated_case(owner)
    response = owner_client.post(reverse("case_delete", args=[case.pk]), {"confirm": "删除"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 302
    assert not Case.objects.filter(pk=case.pk).exists()


def test_audit_keeps_only_pseudonymous_references_after_case_deletion(owner_client, owner, reviewer):
    case = make_populated_case(owner)
    record(reviewer, "case.viewed", case=case, target=f"debtor {case.debtor.name}", note="看过 张三 的身份证")
    owner_client.post(reverse("case_delete", args=[case.pk]), {"confirm": "delete"})

    events = AuditEvent.objects.filter(case_ref=pseudonym("case", case.pk))
    assert {e.action for e in events} == {"case.viewed", "case.deleted"}
    for event in events:
        assert event.detail in ({}, {"reason": "owner"})
        assert event.target == ""
        assert "张三" not in str(event.detail)
    deleted = events.get(action="case.deleted")
    assert deleted.actor_ref == pseudonym("user", owner.pk)


def test_stranger_cannot_delete_my_case(stranger_client, owner):
    case = make_populated_case(owner)
    assert stranger_client.post(reverse("case_delete", args=[case.pk]), {"confirm": "delete"}).status_code == 404
    assert Case.objects.filter(pk=case.pk).exists()


def test_account_deletion_needs_my_password(owner_client, owner, media):
    make_populated_case(owner)
    response = owner_client.post(reverse("account_delete"), {"password": "wrong"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "That is not your password. Nothing was deleted." in response.content.decode()
    assert get_user_model().objects.filter(pk=owner.pk).exists()
    assert media.names()


@pytest.mark.storage
def test_deleting_my_account_removes_me_my_cases_and_files(owner_client, owner, media, django_capture_on_commit_callbacks):
    case = make_populated_case(owner)
    other = make_populated_case(make_user("someone"))
    record(owner, "letter.downloaded", case=case, target="letter 1", filename="张三-协商函.pdf")
    owner_pk = owner.pk

    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(reverse("account_delete"), {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("landing")
    assert not get_user_model().objects.filter(pk=owner_pk).exists()
    assert not Case.objects.filter(pk=case.pk).exists()
    remaining = media.names()
    assert remaining and all(f"/{other.pk}/" in name for name in remaining)

    # Audit rows stay, pointing at nobody, saying nothing personal.
    mine = AuditEvent.objects.filter(actor_ref=pseudonym("user", owner_pk))
    assert mine.exists()
    assert not mine.exclude(actor=None).exists()
    assert "张三" not in str(list(AuditEvent.objects.values_list("detail", "target")))
    # Logged out: the dashboard now asks to log in.
    assert owner_client.get(reverse("dashboard")).status_code == 302


def test_deleting_my_account_forgets_my_login_records(client, owner):
    from axes.models import AccessAttempt, AccessLog

    from django.test import Client

    client.post(reverse("login"), {"username": "owner", "password": PASSWORD}, REMOTE_ADDR="10.0.0.7")
    # After the success: a success clears the account's failures from every address (issue 16's per-account lockout).
    Client().post(reverse("login"), {"username": "owner", "password": "wrong"}, REMOTE_ADDR="10.0.0.9")
    make_user("someone-else")
    AccessLog.objects.create(username="someone-else", ip_address="10.0.0.8", user_agent="x", path_info="/")
    assert AccessLog.objects.filter(username="owner").exists()
    assert AccessAttempt.objects.filter(username="owner").exists()

    client.post(reverse("account_delete"), {"password": PASSWORD})
    assert not AccessLog.objects.filter(username="owner").exists()
    assert not AccessAttempt.objects.filter(username="owner").exists()
    assert AccessLog.objects.filter(username="someone-else").exists()


def test_deleting_my_account_forgets_its_recovery_and_sign_up_records_too(client, owner):
    """django-axes also keeps "recovery:<name>" and "signup:<name>" rows (issue 16): the same personal data."""
    from axes.models import AccessAttempt

    for name in ("owner", "someone-else"):
        client.post(reverse("recover"), {"username": name, "code": "AAAA-BBBB-CCCC-DDDD", "new_password1": "x" * 12,
                                         "new_password2": "x" * 12}, REMOTE_ADDR="10.0.0.7")
    AccessAttempt.objects.create(username="signup:owner", ip_address="10.0.0.7", user_agent="x", path_info="/",
                                 failures_since_start=1)
    assert AccessAttempt.objects.filter(username__in=["recovery:owner", "signup:owner"]).count() == 2
    client.force_login(owner)
    client.post(reverse("account_delete"), {"password": PASSWORD})
    assert not AccessAttempt.objects.filter(username__in=["recovery:owner", "signup:owner"]).exists()
    assert AccessAttempt.objects.filter(username="recovery:someone-else").exists()


def test_account_deletion_page_has_a_labelled_password_field(owner_client):
    response = owner_client.get(reverse("account_delete"))
    assert response.status_code == 200
    assert b'<label for="id_password">' in response.content


def test_account_page_offers_export_and_deletion(owner_client):
    content = owner_client.get(reverse("account")).content.decode()
    assert reverse("account_export") in content
    assert reverse("account_delete") in content


@pytest.mark.parametrize("name", ["account_delete"])
def test_account_deletion_needs_login(client, db, name):
    assert client.post(reverse(name), {"password": PASSWORD}).status_code == 302


def test_guessing_the_password_on_the_deletion_page_locks_the_account_out(owner_client, owner, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        owner_client.post(reverse("account_delete"), {"password": "guess"})
    response = owner_client.post(reverse("account_delete"), {"password": PASSWORD})
    assert response.status_code in (403, 429)
    assert get_user_model().objects.filter(pk=owner.pk).exists()
