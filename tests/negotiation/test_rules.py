"""Misconduct computations, lender deadlines and the escalation ladder (issue 6)."""

from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest
from django.urls import reverse

from cases.letters import kinds
from cases.lenders import lender_slug
from cases.models import Agreement, Contact
from cases.negotiation import rules
from cases.negotiation.case_log import CaseLog

from ..log_fixtures import make_contact, quick_post, shanghai

# --- Calls outside permitted hours -------------------------------------------------


def test_a_collector_call_at_22_30_shanghai_time_is_flagged(case):
    contact = make_contact(case, channel="collector_call", direction="incoming", occurred_at=shanghai(2026, 10, 3, 22, 30))
    assert [f.slug for f in CaseLog(case).flags(contact.pk)] == ["night_call"]


def test_a_collector_call_at_21_30_is_a_late_call_never_printed_as_misconduct(owner_client, case):
    """DOMAIN.md gives 21:00 or 22:00 (unverified): a call between them is noted, not asserted."""
    contact = make_contact(case, channel="collector_call", direction="incoming", occurred_at=shanghai(2026, 10, 3, 21, 30),
                           organisation="某资产管理公司", outcome="info")
    assert CaseLog(case).flags(contact.pk) == []
    assert rules.late_call(contact.channel, contact.direction, contact.occurred_at)
    html = owner_client.get(reverse("log", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Late call (21:00–22:00)" in html
    assert not rules.late_call("hotline", "outgoing", contact.occurred_at)  # my own late call: nothing to note


def test_a_collector_call_at_20_59_shanghai_time_is_not_flagged(case):
    contact = make_contact(case, channel="collector_call", direction="incoming", occurred_at=shanghai(2026, 10, 3, 20, 59))
    assert CaseLog(case).flags(contact.pk) == []


@pytest.mark.parametrize(
    ("utc_time", "flagged"),
    [
        # 13:30 UTC is 21:30 in Shanghai: at night there, though mid-afternoon in UTC.
        (datetime(2026, 10, 3, 13, 30, tzinfo=UTC), True),
        (datetime(2026, 10, 3, 12, 59, tzinfo=UTC), False),  # 20:59 Shanghai
        # 23:30 UTC is 07:30 the next morning in Shanghai: still too early.
        (datetime(2026, 10, 3, 23, 30, tzinfo=UTC), True),
        (datetime(2026, 10, 4, 0, 0, tzinfo=UTC), False),  # 08:00 Shanghai, the first permitted minute
        (datetime(2026, 10, 3, 2, 0, tzinfo=UTC), False),  # 10:00 Shanghai, though 02:00 in UTC
    ],
)
def test_permitted_hours_are_read_on_a_shanghai_clock(utc_time, flagged):
    assert rules.outside_permitted_hours(utc_time) is flagged


def test_permitted_hours_are_one_configurable_default():
    assert rules.PERMITTED_CALL_HOURS == (time(8, 0), time(21, 0))
    assert rules.BREACH_CALL_HOURS == (time(8, 0), time(22, 0))  # unverified: only outside both readings
    late = shanghai(2026, 10, 3, 21, 30)
    assert rules.outside_permitted_hours(late)
    assert not rules.outside_permitted_hours(late, hours=(time(8, 0), time(22, 0)))


def test_my_own_late_call_to_the_hotline_is_not_misconduct(case):
    contact = make_contact(case, channel="hotline", direction="outgoing", occurred_at=shanghai(2026, 10, 3, 23, 0))
    assert CaseLog(case).flags(contact.pk) == []


def test_the_log_page_says_how_to_describe_a_call_in_the_disputed_hour(owner_client, case):
    html = owner_client.get(reverse("log", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "08:00–21:00" in html and "outside 08:00–22:00 (China time) are flagged" in html
    assert "a call in 21:00–22:00 is marked as a late call, and your letters do not call it a breach" in html


# --- Repeated calls ------------------------------------------------------------------


def _calls(case, number, times):
    return [
        make_contact(case, channel="collector_call", direction="incoming", phone_number=number, occurred_at=t)
        for t in times
    ]


def test_more_than_three_calls_from_one_number_in_a_day_are_flagged(case):
    calls = _calls(case, "02131234567", [shanghai(2026, 10, 3, h) for h in (9, 11, 14, 16)])
    log = CaseLog(case)
    assert all([f.slug for f in log.flags(c.pk)] == ["repeated_calls"] for c in calls)


def test_three_calls_in_a_day_are_not_flagged(case):
    calls = _calls(case, "02131234567", [shanghai(2026, 10, 3, h) for h in (9, 11, 14)])
    log = CaseLog(case)
    assert all(log.flags(c.pk) == [] for c in calls)


def test_calls_from_different_numbers_are_counted_apart(case):
    calls = _calls(case, "021-1", [shanghai(2026, 10, 3, h) for h in (9, 11)])
    calls += _calls(case, "021-2", [shanghai(2026, 10, 3, h) for h in (12, 14)])
    log = CaseLog(case)
    assert all(log.flags(c.pk) == [] for c in calls)


def test_the_day_of_a_repeated_call_is_the_shanghai_day(case):
    # 16:30 UTC on 3 October is 00:30 on 4 October in Shanghai: a different day from
    # the three calls at 10:00-12:00 Shanghai on 3 October, so nothing is repeated...
    _calls(case, "021-9", [shanghai(2026, 10, 3, h) for h in (10, 11, 12)])
    late = _calls(case, "021-9", [datetime(2026, 10, 3, 16, 30, tzinfo=UTC)])[0]
    log = CaseLog(case)
    assert [f.slug for f in log.flags(late.pk)] == ["night_call"]
    # ...but a fourth call in the Shanghai afternoon of the 3rd (still the 3rd in UTC too) is.
    fourth = _calls(case, "021-9", [datetime(2026, 10, 3, 7, 0, tzinfo=UTC)])[0]
    assert [f.slug for f in CaseLog(case).flags(fourth.pk)] == ["repeated_calls"]


# --- Reported misconduct names its rule -----------------------------------------------------


def test_every_misconduct_flag_names_the_rule_and_its_source():
    for rule in rules.MISCONDUCT_RULES:
        assert rule.rule and rule.source
        assert "第41条" in rule.source or "自律公约" in rule.source


def test_reported_misconduct_is_shown_with_its_rule(owner_client, case):
    owner_client.post(reverse("contact_add", args=[case.pk]),
                      quick_post(channel="collector_call", direction="incoming", outcome="info",
                                 occurred_at="2026-10-03T22:40", misconduct=["third_party", "threat_insult"]))
    contact = case.contacts.get()
    assert contact.misconduct == ["third_party", "threat_insult"]
    html = owner_client.get(reverse("log", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Contacted family, employer or friends" in html
    assert "must not contact people who have nothing to do with the debt" in html
    assert "第41条" in html
    assert "Call or message outside permitted hours" in html


# --- Lender deadlines become follow-ups ---------------------------------------------------------


def test_logging_a_complaint_sets_a_follow_up_15_days_later(owner_client, case):
    owner_client.post(reverse("contact_add", args=[case.pk]),
                      quick_post(event="complaint_filed", outcome="info", occurred_at="2026-10-05T23:30"))
    contact = case.contacts.get()
    assert contact.follow_up_on == date(2026, 10, 20)
    assert contact.follow_up_done is False


def test_being_served_sets_the_defence_deadline_as_follow_up(owner_client, case):
    owner_client.post(reverse("contact_add", args=[case.pk]),
                      quick_post(channel="court", event="lawsuit_served", outcome="info",
                                 occurred_at="2026-11-02T09:00", follow_up_on="2026-12-30"))
    # A later date the user chose gives way to the court's deadline.
    assert case.contacts.get().follow_up_on == date(2026, 11, 17)


def test_an_earlier_follow_up_the_user_chose_is_kept(owner_client, case):
    owner_client.post(reverse("contact_add", args=[case.pk]),
                      quick_post(event="complaint_filed", outcome="info", follow_up_on="2026-10-12"))
    assert case.contacts.get().follow_up_on == date(2026, 10, 12)


def test_the_deadline_day_is_counted_from_the_shanghai_date():
    # 17:00 UTC on 1 Nov is 01:00 on 2 Nov in Shanghai.
    contact = Contact(event="lawsuit_served", occurred_at=datetime(2026, 11, 1, 17, 0, tzinfo=UTC))
    assert contact.deadline == date(2026, 11, 17)


def test_a_plain_contact_sets_no_follow_up(owner_client, case):
    owner_client.post(reverse("contact_add", args=[case.pk]), quick_post())
    assert case.contacts.get().follow_up_on is None


# --- The escalation ladder: one test per rule ------------------------------------------------


def suggestions(case) -> dict:
    return {rule.slug: rule for rule in CaseLog(case).suggestions()}


def test_ladder_is_silent_for_an_empty_log(case):
    assert suggestions(case) == {}


def test_two_unanswered_attempts_suggest_the_written_request(case):
    make_contact(case, outcome="no_answer")
    assert "no_answer" not in suggestions(case)
    make_contact(case, outcome="no_answer")
    rule = suggestions(case)["no_answer"]
    assert rule.letters == (kinds.NEGOTIATION_REQUEST,)


def test_two_refusals_suggest_hardship_statement_and_regulator_complaint(case):
    make_contact(case, outcome="refused")
    assert "refused" not in suggestions(case)
    make_contact(case, outcome="refused")
    assert suggestions(case)["refused"].letters == (kinds.HARDSHIP_STATEMENT, kinds.REGULATOR_COMPLAINT)


def test_an_unaffordable_offer_suggests_hardship_and_regulator_complaint():
    facts = rules.LogFacts(unaffordable_offer=True)
    assert [r.slug for r in rules.ladder(facts)] == ["refused", "mediation"]


def test_an_offer_is_judged_against_what_the_budget_leaves_for_creditors(case):
    from cases.proposal.quote import quote_case

    from ..factories import make_budget_line, make_debt

    make_debt(case)
    make_budget_line(case, "income", "salary", "6000.00")
    make_budget_line(case, "expense", "housing", "2000.00")
    available = Decimal(quote_case(case)["budget"]["available"])
    assert available > 0
    offer = make_contact(case, outcome="offer", offer_months=6, offer_monthly=available)
    assert "refused" not in suggestions(case)
    offer.offer_monthly = available + Decimal("0.01")
    offer.save()
    assert "refused" in suggestions(case)


def test_logged_misconduct_suggests_the_collection_complaint(case):
    make_contact(case, outcome="info", misconduct=["threat_insult"])
    assert suggestions(case)["misconduct"].letters == (kinds.COLLECTION_COMPLAINT,)


def test_a_computed_night_call_also_suggests_the_collection_complaint(case):
    make_contact(case, channel="collector_call", direction="incoming", outcome="info",
                 occurred_at=shanghai(2026, 10, 3, 22, 40))
    assert "misconduct" in suggestions(case)


def test_being_sued_suggests_the_court_defence_with_its_due_date(case):
    make_contact(case, channel="court", outcome="info", event="lawsuit_served",
                 occurred_at=shanghai(2026, 11, 2, 9))
    log = CaseLog(case)
    assert [r.slug for r in log.suggestions()][:2] == ["sued", "lawyer"]
    assert log.suggestions()[0].letters == (kinds.COURT_DEFENCE,)
    assert log.defence_due() == date(2026, 11, 17)


def test_an_agreement_suggests_recording_it_until_it_is_the_lenders_plan(case, owner):
    contact = make_contact(case, outcome="agreed", offer_months=12, offer_monthly=Decimal("600"))
    assert suggestions(case)["agreed"].letters == ()
    Agreement.objects.accept(contact, "重庆蚂蚁消费金融有限公司", lender_slug("重庆蚂蚁消费金融有限公司"),
                             date(2026, 12, 1), by=owner)
    assert "agreed" not in suggestions(case)
    # A second lender's agreement is suggested again although the case is already "agreed".
    make_contact(case, outcome="agreed", offer_months=6, offer_monthly=Decimal("300"), organisation="招商银行")
    assert "agreed" in suggestions(case)


def test_ladder_orders_the_most_urgent_first(case):
    make_contact(case, outcome="no_answer")
    make_contact(case, outcome="no_answer")
    make_contact(case, outcome="info", misconduct=["impersonation"])
    make_contact(case, channel="court", outcome="info", event="lawsuit_served")
    assert [slug for slug in suggestions(case) if slug in {"sued", "misconduct", "no_answer"}] == [
        "sued", "misconduct", "no_answer"]


def test_every_ladder_rule_has_a_reason_a_source_and_known_letter_kinds():
    for rule in rules.LADDER:
        assert rule.advice and rule.reason and rule.source
        assert set(rule.letters) <= set(kinds.SLUGS)


def test_ladder_links_each_suggestion_to_its_letter(owner_client, case):
    make_contact(case, outcome="info", misconduct=["disclosure"])
    html = owner_client.get(reverse("log", args=[case.pk])).content.decode()
    assert reverse("letter_kind", args=[case.pk, kinds.COLLECTION_COMPLAINT]) in html


def test_a_collection_sms_at_night_is_flagged_too(case):
    contact = make_contact(case, channel="sms", direction="incoming", occurred_at=shanghai(2026, 10, 3, 6, 15))
    assert [f.slug for f in CaseLog(case).flags(contact.pk)] == ["night_call"]


def test_what_the_budget_leaves_is_the_engines_figure_without_quoting_the_debts(owner):
    from cases.demo.parts import build_demo_case
    from cases.negotiation.agreement import available_for_creditors
    from cases.proposal.quote import quote_case

    case = build_demo_case(owner)
    assert available_for_creditors(case) == Decimal(quote_case(case)["budget"]["available"]) > 0
