"""The negotiation coach (issue 18): offers checked, accepting, check-ins, call cards, the
calendar feed and reminder e-mails."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cases.lenders import lender_slug, lenders_of
from cases.letters.context import lender_contacts
from cases.models import Agreement, Contact, Proposal, ReminderSent, ReminderSettings
from cases.negotiation.coach import history
from cases.negotiation.offers import check_offer
from cases.negotiation.outcomes import case_outcomes
from cases.negotiation.reminders import send_due
from cases.proposal.quote import quote_case

from ..factories import make_budget_line, make_case, make_debt, make_debtor
from ..letters_pdf import plain_text, read_pdf
from ..log_fixtures import make_contact

SHANGHAI = ZoneInfo("Asia/Shanghai")
ANT = "重庆蚂蚁消费金融有限公司"


def view(available="1000.00", part_monthly="600.00", part_total="7200.00", plan_total="12000.00",
         affordable=True, balance="8000.00", excess="300.00", limitation="ok"):
    return {
        "as_of": "2026-10-10", "lender": ANT,
        "debts": [{"id": "1", "lender": ANT, "balance": balance, "excess_over_cap": excess,
                   "limitation": limitation}],
        "part": {"lender": ANT, "monthly_payment": part_monthly, "total": part_total},
        "plan": {"kind": "waiver", "months": 12, "monthly_payment": "1000.00", "total": plan_total,
                 "affordable": affordable},
        "budget": {"available": available, "income": "6000.00"},
        "others": {"count": 1, "total": "5000.00"},
    }


# --- Offers checked: worked examples --------------------------------------------------------


def test_an_offer_within_the_share_and_the_fair_total_is_accepted():
    # 500 × 12 = 6000 ≤ 8000 − 300 = 7700, and 500 ≤ the lender's part 600.
    check = check_offer(view(), Decimal("500.00"), 12)
    assert (check.verdict, check.fits, check.total, check.fair_total) == ("accept", True,
                                                                          Decimal("6000.00"), Decimal("7700.00"))
    assert check.against_plan == Decimal("-1200.00")


def test_an_offer_above_the_share_gets_a_counter_at_the_share():
    # 800 × 12 = 9600; the share is 600; target min(9600, 7700) = 7700; 7700 / 600 = 12.83 -> 13 months,
    # the last 7700 − 12 × 600 = 500.
    check = check_offer(view(), Decimal("800.00"), 12)
    assert check.verdict == "counter" and not check.fits
    assert (check.counter_monthly, check.counter_months, check.counter_last) == (Decimal("600.00"), 13,
                                                                               Decimal("500.00"))
    assert check.above_fair == Decimal("1900.00")
    assert check.counter_monthly <= check.share


def test_an_affordable_offer_above_the_fair_total_gets_a_counter_for_the_fair_total():
    # 400 × 24 = 9600 > 7700: counter 400 a month, 7700 / 400 = 19.25 -> 20 months, last 7700 − 19 × 400 = 100.
    check = check_offer(view(), Decimal("400.00"), 24)
    assert (check.verdict, check.counter_monthly, check.counter_months, check.counter_last) == (
        "counter", Decimal("400.00"), 20, Decimal("100.00"))


def test_an_unaffordable_plan_shares_the_available_amount_pro_rata_rounded_down():
    # Plan not affordable: share = 1000 × 7200 / 12000 = 600.00; with 7000 of 12000: 583.333 -> 583.33.
    check = check_offer(view(affordable=False, part_total="7000.00", part_monthly="900.00"), Decimal("590.00"), 12)
    assert check.share == Decimal("583.33") and not check.fits


def test_an_offer_that_would_take_more_than_60_months_is_declined():
    # Share 100 (part 100): 7700 / 100 = 77 months > 60.
    check = check_offer(view(part_monthly="100.00"), Decimal("500.00"), 24)
    assert check.verdict == "decline" and check.reasons == ["too_long"]


def test_nothing_available_means_decline():
    assert check_offer(view(available="0.00", affordable=False), Decimal("100.00"), 12).verdict == "decline"


@pytest.mark.parametrize("status", ["check", "may_be_time_barred"])
def test_an_offer_on_a_possibly_time_barred_debt_is_never_accepted(status):
    check = check_offer(view(limitation=status), Decimal("10.00"), 3)
    assert check.verdict == "decline" and check.reasons == ["barred"]


# --- The case on the pages ------------------------------------------------------------------


@pytest.fixture
def coach_case(owner):
    case = make_case(owner, hardship_reasons=["unemployment"], hardship_since=date(2026, 6, 1))
    make_debtor(case)
    make_debt(case, lender=ANT, overdue_since=date(2026, 8, 1), last_due_date=date(2026, 8, 1))
    make_debt(case, product="credit_card", lender="招商银行", account_number="6225880011112222",
              principal=Decimal("8000.00"), overdue_amount=Decimal("2000.00"), overdue_since=date(2026, 8, 1),
              annual_rate=Decimal("0.18"), last_due_date=date(2026, 8, 1))
    make_budget_line(case, "income", "salary", "9000.00")
    make_budget_line(case, "expense", "housing", "3000.00")
    return case


def choose_plan(case) -> Proposal:
    engine_input = {}
    output = quote_case(case)
    index = output["recommended"]
    return Proposal.objects.choose(case, engine_input, output, index, by=None)


def test_call_card_shows_the_case_figures_never_above_the_share_and_no_other_lender(owner_client, coach_case):
    proposal = choose_plan(coach_case)
    view_ = proposal.for_lender(ANT)
    url = reverse("call_card", args=[coach_case.pk, lender_slug(ANT)])
    html = owner_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    card = owner_client.get(url).context["card"]
    assert card.share <= Decimal(view_["budget"]["available"])
    assert card.plan_ask["monthly"] <= card.share
    assert f"¥{card.plan_ask['monthly']}" in html and "95188" in html
    assert "招商银行" not in html and "6225880011112222" not in html
    assert "round 1" in html
    assert f"lender={lender_slug(ANT)}&amp;round=1" in html


def test_a_lender_spelt_two_ways_counts_each_of_its_debts_once_on_the_call_card(owner_client, coach_case):
    # The same bank typed with and without a space is one lender (cases/lenders.py); its view of the
    # plan must hold each debt once, or the fair total an offer is checked against doubles.
    make_debt(coach_case, product="credit_card", lender="招商 银行", account_number="6225880033334444",
              principal=Decimal("3000.00"), overdue_amount=Decimal("500.00"), overdue_since=date(2026, 8, 1),
              annual_rate=Decimal("0.18"), last_due_date=date(2026, 8, 1))
    choose_plan(coach_case)
    card = owner_client.get(reverse("call_card", args=[coach_case.pk, lender_slug("招商银行")])).context["card"]
    ids = [d["id"] for d in card.view["debts"]]
    assert len(ids) == 2 and len(set(ids)) == 2


def test_call_card_for_a_credit_card_names_the_card_centre_and_the_instalment_request(owner_client, coach_case):
    choose_plan(coach_case)
    html = owner_client.get(reverse("call_card", args=[coach_case.pk, lender_slug("招商银行")])).content.decode()
    assert "个性化分期" in html and "商业银行信用卡业务监督管理办法第70条" in html
    assert ANT not in html


def test_call_card_accepts_a_debt_id_and_404s_for_an_unknown_lender(owner_client, coach_case, stranger):
    debt = coach_case.debts.get(lender=ANT)
    assert owner_client.get(reverse("call_card", args=[coach_case.pk, debt.pk])).status_code == 200
    assert owner_client.get(reverse("call_card", args=[coach_case.pk, "lnosuchlend"])).status_code == 404
    assert owner_client.get(reverse("call_card", args=[coach_case.pk, 999999])).status_code == 404
    owner_client.force_login(stranger)
    assert owner_client.get(reverse("call_card", args=[coach_case.pk, lender_slug(ANT)])).status_code == 404


def test_round_two_uses_the_log(owner_client, coach_case):
    choose_plan(coach_case)
    debt = coach_case.debts.get(lender=ANT)
    make_contact(coach_case, outcome="offer", offer_monthly=Decimal("1500.00"), offer_months=6, debts=[debt],
                 occurred_at=datetime(2026, 10, 1, 10, tzinfo=SHANGHAI))
    html = owner_client.get(reverse("call_card", args=[coach_case.pk, lender_slug(ANT)]),
                            HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "round 2" in html and "On 2026-10-01 they offered ¥1500.00 a month for 6 months." in html


def test_a_possibly_time_barred_debt_gets_a_card_without_amounts(owner_client, owner):
    case = make_case(owner)
    make_debt(case, lender=ANT, overdue_since=date(2021, 1, 1), last_due_date=date(2021, 1, 1))
    make_budget_line(case, "income", "salary", "9000.00")
    response = owner_client.get(reverse("call_card", args=[case.pk, lender_slug(ANT)]), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.context["card"].barred
    assert "Stop: check the time limit first" in html and "¥" not in html.split("call-card")[1]


def test_call_card_pdf_embeds_the_chinese_text(owner_client, coach_case):
    choose_plan(coach_case)
    response = owner_client.get(reverse("call_card", args=[coach_case.pk, lender_slug(ANT)]) + "?format=pdf")
    assert response["Content-Type"] == "application/pdf"
    text = plain_text(read_pdf(response.content))
    assert "95188" in text and "蚂蚁" in text
    assert "招商银行" not in text


def test_offer_check_on_the_log_and_accepting_records_the_agreement_and_restarts_limitation(
        owner_client, coach_case):
    choose_plan(coach_case)
    debt = coach_case.debts.get(lender=ANT)
    contact = make_contact(coach_case, outcome="offer", offer_monthly=Decimal("100.00"), offer_months=12,
                           debts=[debt])
    html = owner_client.get(reverse("log", args=[coach_case.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-verdict="accept"' in html and "Recommendation: accept." in html
    before = next(d for d in quote_case(coach_case)["debts"] if d["lender"] == ANT)["limitation_from"]
    response = owner_client.post(reverse("offer_accept", args=[coach_case.pk, contact.pk]),
                                 {"first_due": "2026-11-15"})
    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert (agreement.lender, agreement.monthly, agreement.months, agreement.first_due) == (
        ANT, Decimal("100.00"), 12, date(2026, 11, 15))
    assert sum(amount for _on, amount in agreement.schedule()) == agreement.total == Decimal("1200.00")
    after = next(d for d in quote_case(coach_case)["debts"] if d["lender"] == ANT)
    assert before == "2026-08-01" and after["limitation_from"] == timezone.localdate().isoformat()
    assert after["limitation"] == "ok"
    contact.refresh_from_db()
    assert contact.outcome == Contact.Outcome.AGREED


def test_accepting_needs_a_valid_first_due_date(owner_client, coach_case):
    choose_plan(coach_case)
    contact = make_contact(coach_case, outcome="offer", offer_monthly=Decimal("100.00"), offer_months=12,
                           organisation=ANT)
    owner_client.post(reverse("offer_accept", args=[coach_case.pk, contact.pk]), {"first_due": "nonsense"})
    assert not Agreement.objects.exists()


def test_a_missed_check_in_puts_the_plan_at_risk_and_offers_the_call_card(owner_client, coach_case):
    agreement = Agreement.objects.create(case=coach_case, lender=ANT, lender_slug=lender_slug(ANT),
                                         monthly=Decimal("300.00"), months=3, first_due=date(2026, 11, 15),
                                         agreed_on=date(2026, 10, 20))
    url = reverse("agreement_check_in", args=[coach_case.pk, agreement.pk])
    owner_client.post(url, {"due_on": "2026-11-15", "result": "paid"})
    agreement.refresh_from_db()
    assert agreement.status == "on_track"
    owner_client.post(url, {"due_on": "2026-12-15", "result": "short"})  # no amount: refused
    assert agreement.check_ins.count() == 1
    owner_client.post(url, {"due_on": "2026-12-20", "result": "missed"})  # not a due date: refused
    assert agreement.check_ins.count() == 1
    owner_client.post(url, {"due_on": "2026-12-15", "result": "missed"})
    agreement.refresh_from_db()
    assert agreement.status == "at_risk"
    html = owner_client.get(reverse("log", args=[coach_case.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "This plan is at risk." in html
    assert reverse("call_card", args=[coach_case.pk, lender_slug(ANT)]) in html


def test_plan_payments_and_court_answer_show_on_the_case_page(owner_client, coach_case):
    today = timezone.localdate()
    Agreement.objects.create(case=coach_case, lender=ANT, lender_slug=lender_slug(ANT), monthly=Decimal("300.00"),
                             months=2, first_due=today + timedelta(days=3), agreed_on=today)
    make_contact(coach_case, event="lawsuit_served", outcome="info", organisation="南山区人民法院",
                 occurred_at=timezone.now() - timedelta(days=1))
    response = owner_client.get(reverse("case_detail", args=[coach_case.pk]), HTTP_ACCEPT_LANGUAGE="en")
    soon = response.context["soon"]
    assert [(d.rule.slug, d.on) for d in soon] == sorted(
        [("plan_payment", today + timedelta(days=3)), ("court_answer", today - timedelta(days=1) + timedelta(days=15))],
        key=lambda x: x[1])
    assert "Your defence to the court is due" in response.content.decode()


# --- Calendar feed ------------------------------------------------------------------------


def test_the_feed_serves_every_date_as_icalendar_and_a_revoked_token_gets_404(client, owner, coach_case):
    prefs = ReminderSettings.for_user(owner)
    token = prefs.new_feed(by=owner)
    assert len(token) >= 40
    make_contact(coach_case, event="complaint_filed", outcome="info", organisation=ANT,
                 occurred_at=timezone.now())
    response = client.get(reverse("calendar_feed", args=[token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    events = cal.walk("VEVENT")
    today = timezone.localdate()
    starts = sorted(e.decoded("dtstart") for e in events)
    assert starts == [today + timedelta(days=15), today + timedelta(days=30), today + timedelta(days=60)]
    assert len({str(e["uid"]) for e in events}) == 3
    prefs.revoke_feed(by=owner)
    assert client.get(reverse("calendar_feed", args=[token])).status_code == 404
    assert client.get(reverse("calendar_feed", args=["x" * 43])).status_code == 404


# --- Reminder e-mails -----------------------------------------------------------------------


@pytest.fixture
def opted_in(owner, coach_case):
    owner.email = "zhang@example.com"
    owner.save()
    prefs = ReminderSettings.for_user(owner)
    prefs.set_email(True, "en", owner.email, (21, 8), by=owner)
    make_contact(coach_case, organisation="95188", follow_up_on=timezone.localdate() + timedelta(days=2))
    return prefs


def at(hour: int) -> datetime:
    return datetime.combine(timezone.localdate(), datetime.min.time(), SHANGHAI).replace(hour=hour)


def test_a_reminder_is_sent_once_in_the_users_language_not_in_quiet_hours(opted_in, settings):
    assert send_due(at(22)) == ["waiting: user %s: quiet hours" % opted_in.user_id]
    assert send_due(at(7))[0].endswith("quiet hours") and not mail.outbox
    lines = send_due(at(10))
    assert lines[0].startswith("sent:") and len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["zhang@example.com"]
    assert "These dates in your case are coming up" in message.body and "Follow up" in message.body
    assert settings.SITE_URL + reverse("reminders_unsubscribe", args=[opted_in.unsubscribe_token]) in message.body
    assert send_due(at(11))[0].endswith("already sent today") and len(mail.outbox) == 1
    assert ReminderSent.objects.count() == 1


def test_a_chinese_reminder_and_the_dry_run(opted_in):
    opted_in.set_email(True, "zh-hans", "zhang@example.com", (23, 6), by=opted_in.user)
    out = StringIO()
    call_command("send_reminders", "--dry-run", stdout=out)
    assert "would send" in out.getvalue() and not mail.outbox and not ReminderSent.objects.exists()
    send_due(at(10))
    assert "跟进" in mail.outbox[0].body


def test_unsubscribing_works_without_login_and_stops_the_emails(client, opted_in):
    url = reverse("reminders_unsubscribe", args=[opted_in.unsubscribe_token])
    assert client.get(url).status_code == 200  # a page with a button: opening the link changes nothing
    opted_in.refresh_from_db()
    assert opted_in.email_opt_in
    assert client.post(url).status_code == 200
    opted_in.refresh_from_db()
    assert not opted_in.email_opt_in
    assert client.post(url).status_code == 404  # the token was replaced
    assert send_due(at(10)) == [] and not mail.outbox


def test_the_settings_page_needs_an_address_to_opt_in(owner_client, owner):
    response = owner_client.post(reverse("reminders"), {"email_opt_in": "on", "email": "", "language": "en",
                                                        "quiet_from": "21", "quiet_until": "8"})
    assert response.status_code == 200 and not ReminderSettings.for_user(owner).email_opt_in
    owner_client.post(reverse("reminders"), {"email_opt_in": "on", "email": "a@example.com", "language": "en",
                                             "quiet_from": "21", "quiet_until": "8"})
    prefs = ReminderSettings.for_user(owner)
    assert prefs.email_opt_in and prefs.user.email == "a@example.com"


# --- The old "agreed" entry and the plans per lender (one truth) ------------------------------


def test_an_agreed_entry_is_offered_as_the_lenders_plan_with_the_lenders_check(owner_client, coach_case):
    choose_plan(coach_case)
    debt = coach_case.debts.get(lender=ANT)
    contact = make_contact(coach_case, outcome="agreed", offer_monthly=Decimal("4000.00"), offer_months=6,
                           debts=[debt])
    html = owner_client.get(reverse("log", args=[coach_case.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Agreed on the phone: record the plan" in html and "Mark the case agreed" not in html
    assert f"¥4000.00 a month for 6 months with {ANT}." in html
    assert "a month your budget leaves for this lender." in html  # the lender's share, not all creditors'
    assert reverse("contact_agree", args=[coach_case.pk, contact.pk]) in html
    owner_client.post(reverse("contact_agree", args=[coach_case.pk, contact.pk]), {"first_due": "2026-12-01"})
    html = owner_client.get(reverse("log", args=[coach_case.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Agreed on the phone: record the plan" not in html
    assert "Recorded as an agreed plan" in html and "I accepted this offer" not in html
    assert 'data-rule="agreed"' not in html and 'data-agreement="' in html


def test_an_agreed_entry_without_terms_asks_for_them(owner_client, coach_case):
    make_contact(coach_case, outcome="agreed", organisation="某催收公司")
    html = owner_client.get(reverse("log", args=[coach_case.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "To record it, edit this entry" in html and 'data-rule="agreed"' in html


# --- The monthly check-in on the dashboard and in the reminder ----------------------------------


def agreement_for(case, lender=ANT, first_due=date(2026, 11, 15), months=3) -> Agreement:
    return Agreement.objects.create(case=case, lender=lender, lender_slug=lender_slug(lender),
                                    monthly=Decimal("300.00"), months=months, first_due=first_due,
                                    agreed_on=date(2026, 10, 20))


def test_the_dashboard_check_in_uses_the_same_form_and_rules_and_shows_the_next_step(owner_client, coach_case):
    agreement = agreement_for(coach_case)
    dashboard = reverse("dashboard")
    html = owner_client.get(dashboard, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'id="check-in-{agreement.pk}"' in html and "Payment due 2026-11-15: what happened?" in html
    url = reverse("agreement_check_in", args=[coach_case.pk, agreement.pk])
    response = owner_client.post(url, {"due_on": "2026-11-15", "result": "paid", "next": dashboard})
    assert response.status_code == 302 and response["Location"] == dashboard
    # Wrong input from the dashboard: the dashboard again with the error summary, nothing recorded.
    response = owner_client.post(url, {"due_on": "2026-12-15", "result": "short", "next": dashboard},
                                 HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "Write down how much you paid." in response.content.decode()
    assert "My cases" in response.content.decode() and agreement.check_ins.count() == 1
    # A foreign "next" is ignored: back to the log.
    response = owner_client.post(url, {"due_on": "2026-12-15", "result": "missed", "next": "https://evil.example/"})
    assert response["Location"] == reverse("log", args=[coach_case.pk]) + "#agreements"
    agreement.refresh_from_db()
    assert agreement.status == "at_risk"
    html = owner_client.get(dashboard, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "This plan is at risk." in html and "Payment due 2027-01-15: what happened?" in html
    assert reverse("call_card", args=[coach_case.pk, lender_slug(ANT)]) in html


def test_the_dashboard_leaves_out_kept_plans_and_other_users_plans(owner_client, coach_case, stranger):
    kept = agreement_for(coach_case, months=1)
    kept.check_in(date(2026, 11, 15), "paid", None, by=None)
    kept.refresh_from_db()
    assert kept.status == "kept"
    theirs = agreement_for(make_case(stranger))
    response = owner_client.get(reverse("dashboard"))
    assert response.context["check_ins"] == []
    response = owner_client.post(reverse("agreement_check_in", args=[theirs.case_id, theirs.pk]),
                                 {"due_on": "2026-11-15", "result": "missed"})
    assert response.status_code == 404 and not theirs.check_ins.exists()


def test_dashboard_check_ins_are_query_bounded(owner_client, owner, django_assert_max_num_queries):
    for n in range(8):
        case = make_case(owner, title=f"案件{n}")
        agreement_for(case)
        agreement_for(case, lender="招商银行").check_in(date(2026, 11, 15), "missed", None, by=None)
    with django_assert_max_num_queries(13):  # the dashboard's 11 (one: cases shared with me), the agreements and their check-ins
        response = owner_client.get(reverse("dashboard"))
    assert len(response.context["check_ins"]) == 16


def test_a_payment_reminder_links_to_its_check_in(owner, coach_case, settings):
    owner.email = "zhang@example.com"
    owner.save()
    ReminderSettings.for_user(owner).set_email(True, "en", owner.email, (21, 8), by=owner)
    agreement = agreement_for(coach_case, first_due=timezone.localdate() + timedelta(days=2))
    send_due(at(10))
    body = mail.outbox[0].body
    assert "After this payment, check in here (paid, paid less or missed): " + settings.SITE_URL + \
        reverse("dashboard") + f"#check-in-{agreement.pk}" in body


def test_letters_the_coach_and_the_outcome_counts_agree_on_which_lender_an_entry_concerns(coach_case):
    """One rule (``lenders.concerned``): the debts named and whom the caller collects for; else the
    organisation when it is the lender itself. Before, the coach ignored "collecting for" and letters
    ignored the organisation, so a collector's call counted in one and not the other."""
    debts = list(coach_case.debts.all())
    ant, bank = lenders_of(debts)
    collector = make_contact(coach_case, organisation="某某资产管理公司", collecting_for=f" {ANT} ",
                             outcome=Contact.Outcome.OFFER, offer_monthly=Decimal("900.00"), offer_months=12)
    own_staff = make_contact(coach_case, organisation="招商 银行", outcome=Contact.Outcome.REFUSED,
                             occurred_at=datetime(2026, 10, 11, 10, tzinfo=SHANGHAI))
    unknown = make_contact(coach_case, organisation="未知号码", outcome=Contact.Outcome.REFUSED)
    both = make_contact(coach_case, organisation="未知号码", debts=debts, outcome=Contact.Outcome.REFUSED,
                        occurred_at=datetime(2026, 10, 12, 10, tzinfo=SHANGHAI))

    assert [c.pk for c in lender_contacts(coach_case, ant)] == [collector.pk, both.pk]
    assert [c.pk for c in lender_contacts(coach_case, bank)] == [own_staff.pk, both.pk]
    assert [c.pk for c in history(coach_case, ant, debts).contacts] == [collector.pk, both.pk]
    assert [c.pk for c in history(coach_case, bank, debts).contacts] == [own_staff.pk, both.pk]
    assert unknown.pk not in {c.pk for lender in (ant, bank) for c in lender_contacts(coach_case, lender)}
    counts = {row.name: row for row in case_outcomes([coach_case.pk])[coach_case.pk].values()}
    assert counts[ANT].offered and counts[ANT].asked
    assert counts["招商银行"].asked and not counts["招商银行"].offered


def test_the_call_card_lists_hardship_reasons_with_the_languages_own_separator(owner_client, coach_case):
    coach_case.hardship_reasons = ["unemployment", "illness"]
    coach_case.save(update_fields=["hardship_reasons"])
    url = reverse("call_card", args=[coach_case.pk, lender_slug(ANT)])
    zh = owner_client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    en = owner_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "失业、" in zh and "失业, " not in zh
    assert "Lost my job, Illness or injury" in en
