"""The advisers' caseload and their notes (issue 20)."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import AdviserNote, Letter, ShareRole

from ..factories import make_case, make_user
from ..log_fixtures import make_contact
from ..privacy_fixtures import add_letter, make_populated_case
from ..sharing_fixtures import organisation_with, share_with


def _shared_case(organisation, adviser, n: int):
    case = make_populated_case(make_user(f"debtor{n}"))
    share_with(case, adviser, organisation=organisation)
    return case


def test_the_caseload_shows_status_next_date_and_letters_waiting(adviser_client, adviser):
    organisation = organisation_with(adviser)
    case = make_case(make_user("debtor"), title="小王的花呗")
    add_letter(case)
    share_with(case, adviser, organisation=organisation)
    letter = case.letters.first()
    Letter.objects.filter(pk=letter.pk).update(status=Letter.Status.IN_REVIEW)
    make_contact(case, follow_up_on=timezone.localdate() + timedelta(days=3), organisation="蚂蚁消费金融")
    not_shared = make_case(make_user("other-debtor"), title="别人的案件")
    html = adviser_client.get(reverse("caseload"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert str(case) in html and organisation.name in html
    assert "1 in review, 0 to revise" in html
    assert (timezone.localdate() + timedelta(days=3)).isoformat() in html
    assert str(not_shared) not in html


def test_the_caseload_queries_do_not_grow_with_the_number_of_cases(adviser_client, adviser,
                                                                  django_assert_max_num_queries):
    organisation = organisation_with(adviser)
    _shared_case(organisation, adviser, 1)
    with django_assert_max_num_queries(20) as one:
        assert adviser_client.get(reverse("caseload")).status_code == 200
    for n in range(2, 6):
        _shared_case(organisation, adviser, n)
    with django_assert_max_num_queries(len(one.captured_queries)):
        html = adviser_client.get(reverse("caseload")).content.decode()
    assert html.count("<tr>") == 6  # the header and five cases


def test_a_case_without_consent_is_listed_as_stopped_without_its_data(adviser_client, adviser):
    organisation = organisation_with(adviser)
    case = _shared_case(organisation, adviser, 1)
    case.withdraw_consent(by=case.owner)
    html = adviser_client.get(reverse("caseload"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Processing stopped" in html and reverse("case_detail", args=[case.pk]) not in html


def test_an_advisers_note_is_shown_to_the_debtor_and_attributed(adviser_client, adviser, owner, case):
    share_with(case, adviser, organisation=organisation_with(adviser))
    response = adviser_client.post(reverse("adviser_note_add", args=[case.pk]), {"text": "先打95188申请停催"})
    assert response.status_code == 302
    owner_client = Client()
    owner_client.force_login(owner)
    html = owner_client.get(reverse("case_detail", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "先打95188申请停催" in html and "adviser" in html and "法律援助中心" in html


def test_an_empty_note_is_refused_and_saves_nothing(adviser_client, adviser, case):
    share_with(case, adviser, organisation=organisation_with(adviser))
    adviser_client.post(reverse("adviser_note_add", args=[case.pk]), {"text": ""})
    assert not AdviserNote.objects.exists()


def test_a_helper_cannot_write_an_advisers_note(case):
    helper = make_user("helper")
    share_with(case, helper, ShareRole.HELP)
    client = Client()
    client.force_login(helper)
    assert client.post(reverse("adviser_note_add", args=[case.pk]), {"text": "x"}).status_code == 403
    assert not AdviserNote.objects.exists()


def test_an_adviser_submits_a_letter_for_review_but_the_submission_is_theirs(adviser_client, adviser):
    case = _shared_case(organisation_with(adviser), adviser, 1)
    letter = case.letters.first()
    response = adviser_client.post(reverse("letter_submit", args=[case.pk, letter.kind, letter.lender_slug or "-",
                                                               letter.version]))
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == Letter.Status.IN_REVIEW and letter.submitted_by == adviser


def test_the_dashboard_lists_cases_shared_with_me_labelled_as_such(adviser_client, adviser, case):
    share_with(case, adviser, ShareRole.VIEW)
    html = adviser_client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Cases shared with me" in html and str(case) in html and "Owner: owner" in html
