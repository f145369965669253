"""The deadline table (issue 18): one test per rule, every date counted by hand on a calendar."""

from datetime import date
from decimal import Decimal

import pytest

from cases.negotiation import rules
from cases.negotiation.agenda import CaseDates, court_answer_due, due_dates, split_window


def only(items, slug):
    return [d for d in items if d.rule.slug == slug]


def test_every_rule_names_a_source_and_a_label():
    for rule in rules.DEADLINE_RULES:
        assert str(rule.source).strip() and str(rule.label).strip(), rule.slug
    assert len(rules.DEADLINE_BY_SLUG) == len(rules.DEADLINE_RULES)


def test_complaint_rules_cite_the_regulation_without_an_article_number():
    for slug in ("complaint_reply", "complaint_reply_complex", "complaint_reply_extended"):
        source = rules.DEADLINE_BY_SLUG[slug].source
        assert "银行业保险业消费投诉处理管理办法" in source
        assert "第" not in source.split("）")[-1] and "条" not in source


def test_follow_up_is_the_date_the_user_chose():
    items = due_dates(CaseDates(1, follow_ups=[(7, date(2026, 10, 20), "支付宝客服", "")]))
    assert [(d.on, d.rule.slug, d.key) for d in items] == [(date(2026, 10, 20), "follow_up", "follow-up-7")]


def test_complaint_answer_15_days_then_30_then_60():
    # Filed 2026-10-10: +15 = 10-25; +30 = 11-09 (21 days left in October, 9 in November);
    # +60 = 12-09 (21 + 30 + 9).
    items = due_dates(CaseDates(1, events=[(3, "complaint_filed", date(2026, 10, 10), "蚂蚁消费金融")]))
    assert [(d.rule.slug, d.on) for d in items] == [
        ("complaint_reply", date(2026, 10, 25)),
        ("complaint_reply_complex", date(2026, 11, 9)),
        ("complaint_reply_extended", date(2026, 12, 9)),
    ]


def test_the_follow_up_a_complaint_set_is_not_shown_twice():
    facts = CaseDates(1, follow_ups=[(3, date(2026, 10, 25), "蚂蚁消费金融", "complaint_filed")],
                      events=[(3, "complaint_filed", date(2026, 10, 10), "蚂蚁消费金融")])
    assert [d.on for d in only(due_dates(facts), "follow_up")] == []
    assert [d.on for d in only(due_dates(facts), "complaint_reply")] == [date(2026, 10, 25)]


def test_regulator_acceptance_15_days_and_handling_60_days():
    # Reported 2026-12-20: +15 = 2027-01-04 (11 days left in December, 4 in January);
    # +60 = 2027-02-18 (11 + 31 + 18).
    items = due_dates(CaseDates(1, events=[(4, "regulator_complaint", date(2026, 12, 20), "12378")]))
    assert [(d.rule.slug, d.on) for d in items] == [
        ("regulator_acceptance", date(2027, 1, 4)),
        ("regulator_handling", date(2027, 2, 18)),
    ]


def test_credit_report_objection_20_days():
    # 2027-02-15 + 20: 13 days left in February 2027 (28 days), then 7 March.
    items = due_dates(CaseDates(1, events=[(5, "credit_objection", date(2027, 2, 15), "人民银行征信中心")]))
    assert [(d.rule.slug, d.on) for d in items] == [("credit_objection", date(2027, 3, 7))]
    assert rules.DEADLINE_BY_SLUG["credit_objection"].source == "《征信业管理条例》第25条"


@pytest.mark.parametrize("served, due", [
    (date(2026, 10, 10), date(2026, 10, 25)),
    (date(2026, 12, 20), date(2027, 1, 4)),  # across the year end
    (date(2028, 2, 20), date(2028, 3, 6)),  # a leap February: 9 days to the 29th, 6 in March
])
def test_court_answer_15_days_from_service(served, due):
    assert court_answer_due(served) == due
    items = due_dates(CaseDates(1, served=[("lawsuit-1", served, "深圳市南山区人民法院")]))
    assert [(d.rule.slug, d.on, d.what) for d in items] == [("court_answer", due, "深圳市南山区人民法院")]
    assert rules.DEADLINE_BY_SLUG["court_answer"].source == "《民事诉讼法》第128条"


def test_plan_payments_are_the_agreement_dates_and_amounts():
    facts = CaseDates(1, payments=[(9, date(2026, 11, 15), Decimal("800.00"), "蚂蚁"),
                                   (9, date(2026, 12, 15), Decimal("800.00"), "蚂蚁")])
    items = only(due_dates(facts), "plan_payment")
    assert [(d.on, d.amount, d.key) for d in items] == [
        (date(2026, 11, 15), Decimal("800.00"), "payment-9-20261115"),
        (date(2026, 12, 15), Decimal("800.00"), "payment-9-20261215"),
    ]


@pytest.mark.parametrize("since, until", [
    (date(2026, 8, 1), date(2029, 8, 1)),
    (date(2024, 2, 29), date(2027, 2, 28)),  # no 29 February in 2027
])
def test_limitation_date_is_three_years_from_the_last_interruption(since, until):
    items = due_dates(CaseDates(1, limitations=[("12", since, "蚂蚁")]))
    assert [(d.rule.slug, d.on) for d in items] == [("limitation", until)]


def test_add_months_keeps_the_day_or_takes_the_month_end():
    assert rules.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert rules.add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert rules.add_months(date(2026, 10, 15), 14) == date(2027, 12, 15)


def test_deadline_for_gives_the_first_rule_of_an_event():
    assert rules.deadline_for("complaint_filed", date(2026, 10, 10)) == date(2026, 10, 25)
    assert rules.deadline_for("lawsuit_served", date(2026, 10, 10)) == date(2026, 10, 25)
    assert rules.deadline_for("credit_objection", date(2026, 10, 10)) == date(2026, 10, 30)
    assert rules.deadline_for("mediation", date(2026, 10, 10)) is None
    assert rules.deadline_for("", date(2026, 10, 10)) is None


def test_the_window_splits_at_14_days():
    facts = CaseDates(1, follow_ups=[(1, date(2026, 10, 24), "a", ""), (2, date(2026, 10, 25), "b", "")])
    soon, later = split_window(due_dates(facts), date(2026, 10, 10))
    assert [d.on for d in soon] == [date(2026, 10, 24)]
    assert [d.on for d in later] == [date(2026, 10, 25)]


@pytest.mark.django_db
def test_a_recorded_lawsuit_replaces_the_served_entry_of_the_log(owner):
    """The log's "I was served court papers" counts only until the lawsuit itself is recorded;
    then the lawsuit's served-on date alone decides the answer deadline (never two deadlines)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from cases.models import Contact, Lawsuit
    from cases.negotiation.agenda import agenda

    from ..factories import make_case

    case = make_case(owner)
    Contact.objects.create(case=case, occurred_at=datetime(2026, 11, 2, 10, tzinfo=ZoneInfo("Asia/Shanghai")),
                           channel=Contact.Channel.LETTER, direction="incoming", organisation="某法院",
                           event=Contact.Event.LAWSUIT_SERVED)
    court = [d for d in agenda([case.pk], date(2026, 11, 1))[case.pk] if d.rule.slug == "court_answer"]
    assert [d.on for d in court] == [date(2026, 11, 17)]

    Lawsuit.objects.create(case=case, court="深圳市南山区人民法院", plaintiff="招商银行", served_on=date(2026, 11, 5))
    court = [d for d in agenda([case.pk], date(2026, 11, 1))[case.pk] if d.rule.slug == "court_answer"]
    assert [(d.on, d.what) for d in court] == [(date(2026, 11, 20), "招商银行")]
