"""The escalation ladder offers each of the other roads exactly when its condition holds (issue 19)."""

from dataclasses import replace
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Contact
from cases.negotiation import rules
from cases.negotiation.case_log import CaseLog
from cases.roads.pages import ROAD_BY_SLUG

from ..log_fixtures import make_contact, quick_post, shanghai

ROADS = {"arbitration", "lawyer", "mediation_confirmation", "mediation_centre", "mediation", "consumer_association",
         "bankruptcy", "going_public", "credit_report"}


def offered(facts: rules.LogFacts) -> set[str]:
    return {rule.slug for rule in rules.ladder(facts)} & ROADS


def slugs(case) -> list[str]:
    return [rule.slug for rule in CaseLog(case).suggestions()]


def test_every_road_rung_leads_to_an_existing_page_and_has_a_source():
    for rule in rules.LADDER:
        if rule.slug in ROADS:
            assert rule.road in ROAD_BY_SLUG and rule.source and rule.reason


# --- One condition at a time, on plain facts: the road appears with it and not without it ---------

BASE = rules.LogFacts(contacts=0, today=date(2026, 11, 1))


@pytest.mark.parametrize(("road", "with_it"), [
    ("arbitration", {"arbitration_notice_on": date(2026, 10, 30)}),
    ("lawyer", {"arbitration_notice_on": date(2026, 10, 30)}),
    ("lawyer", {"sued_on": date(2026, 10, 30)}),
    ("mediation_confirmation", {"mediation_agreed_on": date(2026, 10, 2)}),  # day 30
    ("mediation_centre", {"mediation_centre_called": True}),
    ("mediation", {"refusals": 2}),
    ("mediation", {"unaffordable_offer": True}),
    ("mediation", {"complaint_filed": True, "complaint_answered": True}),
    ("consumer_association", {"complaint_filed": True}),
    ("bankruptcy", {"bankruptcy_regime": "shenzhen", "refusals": 2}),
    ("bankruptcy", {"bankruptcy_regime": "zhejiang", "sued_on": date(2026, 10, 1)}),
    ("going_public", {"misconduct": True, "complaint_filed": True}),
    ("credit_report", {"contacts": 1}),
])
def test_a_road_is_offered_when_its_condition_holds(road, with_it):
    assert road not in offered(BASE)
    assert road in offered(replace(BASE, **with_it))


@pytest.mark.parametrize(("road", "facts"), [
    ("mediation_confirmation", {"mediation_agreed_on": date(2026, 10, 1)}),  # day 31: too late
    ("mediation", {"refusals": 1}),
    ("mediation", {"complaint_filed": True}),  # not answered yet
    ("mediation", {"refusals": 2, "agreed_contact_id": 7}),  # already agreed
    ("consumer_association", {"complaint_filed": True, "case_agreed": True}),
    ("bankruptcy", {"refusals": 2}),  # no procedure in the region
    ("bankruptcy", {"bankruptcy_regime": "shenzhen"}),  # negotiation has not failed
    ("going_public", {"misconduct": True}),  # regulator first
    ("going_public", {"complaint_filed": True}),
    ("lawyer", {"refusals": 5}),
])
def test_a_road_is_not_offered_without_its_condition(road, facts):
    assert road not in offered(replace(BASE, **facts))


# --- The same, from a real log ----------------------------------------------------------------

def test_an_arbitration_notice_in_the_log_offers_the_arbitration_page_and_a_lawyer(case):
    make_contact(case, channel="letter", direction="incoming", counterpart="arbitration", outcome="info",
                 event="arbitration_notice", follow_up_on=date(2026, 10, 25))
    found = slugs(case)
    assert found.index("arbitration") < found.index("lawyer")


def test_a_call_from_a_mediation_centre_offers_the_check(case):
    make_contact(case, channel="collector_call", direction="incoming", counterpart="other", outcome="info")
    assert "mediation_centre" not in slugs(case)
    make_contact(case, channel="collector_call", direction="incoming", counterpart="mediation_centre", outcome="info")
    assert "mediation_centre" in slugs(case)


def test_my_own_call_to_a_mediation_centre_is_not_a_warning(case):
    make_contact(case, channel="hotline", direction="outgoing", counterpart="mediation_centre", outcome="info")
    assert "mediation_centre" not in slugs(case)


def test_a_complaint_answered_without_agreement_offers_mediation(case):
    make_contact(case, outcome="info", event="complaint_filed", occurred_at=shanghai(2026, 10, 1))
    assert "mediation" not in slugs(case)
    assert "consumer_association" in slugs(case)
    make_contact(case, outcome="no_answer", occurred_at=shanghai(2026, 10, 5))
    assert "mediation" not in slugs(case)
    make_contact(case, outcome="refused", occurred_at=shanghai(2026, 10, 10))
    assert "mediation" in slugs(case)


def test_an_agreement_reached_in_mediation_offers_court_confirmation_for_30_days(case):
    today = timezone.localdate()
    make_contact(case, channel="mediation", outcome="agreed", offer_months=12, offer_monthly="500",
                 occurred_at=shanghai(today.year, today.month, today.day, 8))
    assert "mediation_confirmation" in slugs(case)


def test_an_old_mediation_agreement_is_past_the_confirmation_window(case):
    make_contact(case, channel="mediation", outcome="agreed", offer_months=12, offer_monthly="500",
                 occurred_at=shanghai(2024, 1, 5))
    assert "mediation_confirmation" not in slugs(case)


@pytest.mark.parametrize(("province", "city", "offered_here"), [
    ("广东省", "深圳市", True), ("福建省", "厦门市", True), ("浙江省", "杭州市", True), ("广东省", "广州市", False),
])
def test_bankruptcy_is_offered_only_where_a_procedure_exists(case, province, city, offered_here):
    case.province, case.city = province, city
    case.save()
    make_contact(case, outcome="refused")
    make_contact(case, outcome="refused")
    assert ("bankruptcy" in slugs(case)) is offered_here


def test_the_credit_report_rung_carries_the_scam_warning(owner_client, case):
    make_contact(case, outcome="no_answer")
    html = owner_client.get(reverse("log", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Nobody can lawfully delete a true record" in html
    assert reverse("road", args=[case.pk, "credit-report"]) in html


def test_the_hub_links_a_road_rung_to_its_page(owner_client, owner):
    from ..factories import make_full_case
    from ..privacy_fixtures import add_letter, add_proposal

    case = make_full_case(owner)
    case.set_status("ready")
    add_letter(case, add_proposal(case))
    make_contact(case, outcome="info", event="complaint_filed")
    html = owner_client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert reverse("road", args=[case.pk, "consumer-association"]) in html


# --- The log: counterpart kinds, mediation sessions, arbitration deadlines, credit objections -----

def test_the_log_form_offers_mediation_centre_and_arbitration_as_counterparts():
    values = {value for value, _label in Contact.Counterpart.choices}
    assert {"mediation_centre", "arbitration"} <= values
    assert "mediation" in Contact.Channel.values


def test_a_mediation_session_is_logged_as_a_contact(owner_client, case):
    response = owner_client.post(reverse("contact_add", args=[case.pk]), quick_post(
        channel="mediation", counterpart="mediation_centre", organisation="某市金融纠纷调解中心", outcome="refused"))
    assert response.status_code == 302
    contact = case.contacts.get()
    assert (contact.channel, contact.counterpart) == ("mediation", "mediation_centre")


def test_an_arbitration_notice_needs_the_answer_deadline_from_the_notice(owner_client, case):
    url = reverse("contact_add", args=[case.pk])
    response = owner_client.post(url, quick_post(channel="letter", direction="incoming", counterpart="arbitration",
                                                 outcome="info", event="arbitration_notice"),
                                 HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Enter the answer deadline written in the arbitration notice." in response.content.decode()
    assert not case.contacts.exists()
    response = owner_client.post(url, quick_post(channel="letter", direction="incoming", counterpart="arbitration",
                                                 outcome="info", event="arbitration_notice",
                                                 follow_up_on="2026-10-20"))
    assert response.status_code == 302
    assert case.contacts.get().follow_up_on == date(2026, 10, 20)


def test_a_credit_report_objection_puts_the_20_day_reply_on_the_calendar(owner_client, case):
    owner_client.post(reverse("contact_add", args=[case.pk]), quick_post(
        channel="letter", counterpart="lender", outcome="info", event="credit_objection"))
    assert case.contacts.get().follow_up_on == date(2026, 10, 30)


def test_an_unknown_counterpart_is_refused_and_nothing_is_saved(owner_client, case):
    response = owner_client.post(reverse("contact_add", args=[case.pk]), quick_post(counterpart="judge_dredd"))
    assert response.status_code == 200
    assert not case.contacts.exists()
