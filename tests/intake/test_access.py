"""Every URL of the intake wizard and the evidence vault: strangers get 404, mutations need POST."""

import pytest
from django.urls import reverse

from cases.models import Evidence

from ..factories import make_debt, make_debtor
from ..intake_fixtures import pdf_bytes, upload

CASE_URLS = [
    "intake_start", "intake_consent", "intake_about", "intake_debts", "intake_debt_row", "intake_budget",
    "intake_hardship", "intake_evidence", "intake_review", "evidence_upload",
]
EVIDENCE_URLS = ["evidence_download", "evidence_delete"]
POST_ONLY = ["intake_consent", "evidence_upload"]
GET_ONLY = ["intake_start", "intake_debt_row", "evidence_download"]


@pytest.fixture
def evidence(case):
    make_debtor(case)
    make_debt(case)
    f = upload("bill.pdf", pdf_bytes())
    return Evidence.objects.create(
        case=case, kind="bill", file=f, original_name="bill.pdf", size=f.size,
        content_type="application/pdf", sha256="0" * 64,
    )


@pytest.mark.parametrize("name", CASE_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_stranger_gets_404_for_every_case_url(stranger_client, case, name, method):
    response = getattr(stranger_client, method)(reverse(name, args=[case.pk]))
    assert response.status_code in (404, 405)
    if not (method == "get" and name in POST_ONLY) and not (method == "post" and name in GET_ONLY):
        assert response.status_code == 404


@pytest.mark.parametrize("name", EVIDENCE_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_stranger_gets_404_for_every_evidence_url(stranger_client, case, evidence, name, method):
    response = getattr(stranger_client, method)(reverse(name, args=[case.pk, evidence.pk]))
    assert response.status_code in (404, 405)
    if (method == "get") == (name == "evidence_download"):
        assert response.status_code == 404
    assert Evidence.objects.filter(pk=evidence.pk).exists()


@pytest.mark.parametrize("name", CASE_URLS)
def test_anonymous_users_are_sent_to_login(client, case, name):
    response = client.get(reverse(name, args=[case.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", CASE_URLS)
def test_a_missing_case_is_404(owner_client, name):
    assert owner_client.post(reverse(name, args=[999999])).status_code in (404, 405)
    assert owner_client.get(reverse(name, args=[999999])).status_code in (404, 405)


def test_a_missing_evidence_is_404(owner_client, case):
    assert owner_client.get(reverse("evidence_download", args=[case.pk, 999999])).status_code == 404


@pytest.mark.parametrize("name", POST_ONLY)
def test_mutations_reject_get(owner_client, case, name):
    assert owner_client.get(reverse(name, args=[case.pk])).status_code == 405


@pytest.mark.parametrize("name", GET_ONLY[:2])
def test_read_only_urls_reject_post(owner_client, case, name):
    assert owner_client.post(reverse(name, args=[case.pk])).status_code == 405


@pytest.mark.parametrize("name", ["intake_about", "intake_debts", "intake_review"])
def test_staff_can_open_a_case_they_do_not_own(client, reviewer, case, name):
    client.force_login(reviewer)
    case.completed_steps = ["about", "debts", "budget", "hardship", "evidence"]
    case.save()
    make_debtor(case)
    assert client.get(reverse(name, args=[case.pk])).status_code == 200
