"""The check-in, offer and reminder forms answer a refusal like every other form (issue 17): the page again, the
error summary first in <main> with one link per error to a field that exists, the error beside the field, what
was typed still in it, and nothing recorded."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from cases.models import Agreement, ReminderSettings

from ..log_fixtures import make_contact
from .test_coach import ANT, agreement_for, choose_plan, coach_case  # noqa: F401

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def summary_links(html: str) -> list[str]:
    match = re.search(r'<main id="main">\s*(<div class="error-summary"[^>]*role="alert" tabindex="-1".*?</div>)',
                      html, re.S)
    assert match, "the error summary is not the first thing inside <main>"
    links = re.findall(r'href="#([^"]+)"', match.group(1))
    for target in links:
        assert f'id="{target}"' in html, f"the summary links to #{target}, which is not on the page"
    return links


def test_a_refused_check_in_on_the_log_shows_the_summary_and_keeps_what_was_typed(owner_client, coach_case):
    agreement = agreement_for(coach_case)
    url = reverse("agreement_check_in", args=[coach_case.pk, agreement.pk])
    response = owner_client.post(url, {"due_on": "2026-11-15", "result": "short", "paid": "abc"}, **EN)
    assert response.status_code == 400
    html = response.content.decode()
    assert summary_links(html) == [f"check-in-{agreement.pk}-paid"]
    assert "Enter the amount in digits" in html
    assert re.search(rf'<form[^>]+action="{re.escape(url)}#error-summary"', html)
    assert re.search(r'value="short" id="check-in-\d+-result_1" checked', html)
    assert f'aria-describedby="check-in-{agreement.pk}-paid_error"' in html and 'value="abc"' in html
    assert not agreement.check_ins.exists()


def test_a_check_in_in_ten_thousands_is_shown_back_converted_and_kept_when_saved_again(owner_client, coach_case):
    agreement = agreement_for(coach_case)
    url = reverse("agreement_check_in", args=[coach_case.pk, agreement.pk])
    response = owner_client.post(url, {"due_on": "2026-11-15", "result": "short", "paid": "0.01万"}, **EN)
    assert response.status_code == 400
    assert "“0.01万” was read as 100.00 yuan" in response.content.decode()
    assert re.search(rf'id="check-in-{agreement.pk}-paid"[^>]* value="100.00"', response.content.decode())
    assert owner_client.post(url, {"due_on": "2026-11-15", "result": "short", "paid": "100.00"}).status_code == 302
    assert agreement.check_ins.get().paid == Decimal("100.00")


def test_a_check_in_without_an_answer_links_to_the_choices(owner_client, coach_case):
    agreement = agreement_for(coach_case)
    response = owner_client.post(reverse("agreement_check_in", args=[coach_case.pk, agreement.pk]),
                                 {"due_on": "2026-11-15"}, **EN)
    assert summary_links(response.content.decode()) == [f"check-in-{agreement.pk}-result"]


def test_a_refused_check_in_on_the_dashboard_is_answered_on_the_dashboard(owner_client, coach_case):
    agreement = agreement_for(coach_case)
    response = owner_client.post(reverse("agreement_check_in", args=[coach_case.pk, agreement.pk]),
                                 {"due_on": "2026-11-15", "result": "short", "next": reverse("dashboard")}, **EN)
    assert response.status_code == 400
    html = response.content.decode()
    assert summary_links(html) == [f"check-in-{agreement.pk}-paid"]
    assert "Write down how much you paid." in html and 'id="check-ins"' in html
    assert not agreement.check_ins.exists()


def test_a_refused_offer_acceptance_shows_the_summary_on_the_log(owner_client, coach_case):
    choose_plan(coach_case)
    debt = coach_case.debts.get(lender=ANT)
    contact = make_contact(coach_case, outcome="offer", offer_monthly=Decimal("100.00"), offer_months=12,
                           debts=[debt])
    url = reverse("offer_accept", args=[coach_case.pk, contact.pk])
    response = owner_client.post(url, {"first_due": "1999-01-01"}, **EN)
    assert response.status_code == 400
    html = response.content.decode()
    assert summary_links(html) == [f"accept-{contact.pk}-first_due"]
    assert "Please check the year." in html and 'value="1999-01-01"' in html
    assert re.search(rf'<form[^>]+action="{re.escape(url)}#error-summary"', html)
    assert not Agreement.objects.exists()


def test_an_offer_already_recorded_is_a_conflict_shown_in_the_summary(owner_client, coach_case):
    choose_plan(coach_case)
    debt = coach_case.debts.get(lender=ANT)
    contact = make_contact(coach_case, outcome="offer", offer_monthly=Decimal("100.00"), offer_months=12,
                           debts=[debt])
    url = reverse("offer_accept", args=[coach_case.pk, contact.pk])
    assert owner_client.post(url, {"first_due": "2026-12-01"}).status_code == 302
    response = owner_client.post(url, {"first_due": "2026-12-01"}, **EN)
    assert response.status_code == 409
    assert "This offer is already recorded as an agreed plan." in response.content.decode()
    assert Agreement.objects.count() == 1


def test_a_refused_agreed_entry_links_to_its_own_date_field(owner_client, coach_case):
    choose_plan(coach_case)
    debt = coach_case.debts.get(lender=ANT)
    contact = make_contact(coach_case, outcome="agreed", offer_monthly=Decimal("100.00"), offer_months=12,
                           debts=[debt])
    response = owner_client.post(reverse("contact_agree", args=[coach_case.pk, contact.pk]), {"first_due": "x"}, **EN)
    assert response.status_code == 400
    html = response.content.decode()
    assert summary_links(html) == [f"agree-{contact.pk}-first_due"]
    assert len(re.findall(r'id="(?:agree|accept)-\d+-first_due"', html)) == len(
        set(re.findall(r'id="((?:agree|accept)-\d+-first_due)"', html)))  # no id twice on the page


def test_refused_reminder_settings_show_the_summary_and_change_nothing(owner_client, owner):
    response = owner_client.post(reverse("reminders"), {"email_opt_in": "on", "email": "", "language": "zh-hans",
                                                        "quiet_from": "21", "quiet_until": "8"}, **EN)
    assert response.status_code == 200
    assert summary_links(response.content.decode()) == ["id_email"]
    assert not ReminderSettings.for_user(owner).email_opt_in


def test_check_in_pages_stay_query_bounded(owner_client, coach_case, django_assert_max_num_queries):
    agreement = agreement_for(coach_case)
    with django_assert_max_num_queries(40):
        owner_client.post(reverse("agreement_check_in", args=[coach_case.pk, agreement.pk]),
                          {"due_on": "2026-11-15", "result": "short"})
