"""Timeline (contacts, letters, evidence, status changes) and .ics follow-ups (issue 6)."""

from datetime import date, datetime, timedelta

from django.urls import reverse
from icalendar import Calendar

from cases.models import CaseStatusChange, Contact, Evidence, Letter

from ..factories import make_debt
from ..log_fixtures import SHANGHAI, make_contact, shanghai


def make_evidence(case, name, at, debt=None):
    return Evidence.objects.create(
        case=case, kind="chat_screenshot", debt=debt, file=f"evidence/{case.pk}/{name}", original_name=name,
        size=10, content_type="image/png", sha256=name.ljust(64, "0")[:64], uploaded_at=at,
    )


def make_letter(case, at):
    return Letter.objects.create(case=case, kind="negotiation_request", content_hash="x" * 64, created_at=at)


def timeline(client, case, **params):
    return client.get(reverse("timeline", args=[case.pk]), params, HTTP_ACCEPT_LANGUAGE="en")


def test_timeline_shows_every_kind_newest_first(owner_client, case):
    make_contact(case, organisation="第一次致电", occurred_at=shanghai(2026, 9, 1))
    make_evidence(case, "聊天截图.png", shanghai(2026, 9, 2))
    make_letter(case, shanghai(2026, 9, 3))
    CaseStatusChange.objects.create(case=case, from_status="draft", to_status="negotiating",
                                    at=shanghai(2026, 9, 4))
    html = timeline(owner_client, case).content.decode()
    positions = [html.index(s) for s in ("Draft → Negotiating", "Request to negotiate repayment version 1", "聊天截图.png", "第一次致电")]
    assert positions == sorted(positions)


def test_timeline_filters_by_kind(owner_client, case):
    make_contact(case, organisation="某催收公司")
    make_evidence(case, "录音.m4a", shanghai(2026, 9, 2))
    html = timeline(owner_client, case, kind="evidence").content.decode()
    assert "录音.m4a" in html and "某催收公司" not in html


def test_timeline_filters_by_debt(owner_client, case):
    huabei = make_debt(case)
    jiebei = make_debt(case, product="jiebei")
    make_contact(case, organisation="关于花呗", debts=[huabei])
    make_contact(case, organisation="关于借呗", debts=[jiebei])
    make_evidence(case, "花呗账单.pdf", shanghai(2026, 9, 2), debt=huabei)
    make_letter(case, shanghai(2026, 9, 3))
    html = timeline(owner_client, case, debt=huabei.pk).content.decode()
    assert "关于花呗" in html and "花呗账单.pdf" in html
    assert "关于借呗" not in html and "Request to negotiate repayment" not in html


def test_timeline_ignores_an_unknown_filter(owner_client, case):
    make_contact(case, organisation="某催收公司")
    response = timeline(owner_client, case, kind="nonsense", debt="abc", page="zzz")
    assert response.status_code == 200
    assert "某催收公司" in response.content.decode()


def test_timeline_ignores_a_debt_of_another_case(owner_client, case, stranger):
    from ..factories import make_case

    theirs = make_debt(make_case(stranger))
    make_contact(case, organisation="我的记录")
    response = timeline(owner_client, case, debt=theirs.pk)
    assert response.context["debt"] is None
    assert "我的记录" in response.content.decode()


def _bulk_contacts(case, n, debt):
    start = datetime(2026, 6, 1, 9, 0, tzinfo=SHANGHAI)
    contacts = Contact.objects.bulk_create([
        Contact(case=case, occurred_at=start + timedelta(hours=3 * i), channel="collector_call",
                direction="incoming", phone_number=f"021{i % 7}", outcome="info", organisation=f"记录{i:03d}")
        for i in range(n)
    ])
    Contact.debts.through.objects.bulk_create(
        [Contact.debts.through(contact_id=c.pk, debt_id=debt.pk) for c in contacts]
    )


def test_timeline_of_500_contacts_paginates_with_bounded_queries(owner_client, case, django_assert_max_num_queries):
    debt = make_debt(case)
    _bulk_contacts(case, 500, debt)
    for i in range(20):
        make_evidence(case, f"证据{i}.png", shanghai(2026, 7, 1 + i), debt=debt)
    with django_assert_max_num_queries(14) as captured:
        response = timeline(owner_client, case)
    first_page_queries = len(captured)
    print(f"timeline, 500 contacts: {first_page_queries} queries")
    html = response.content.decode()
    assert html.count('class="tl-entry') == 50
    assert "记录499" in html and "记录449" not in html
    assert "Page 1 of 11" in html
    with django_assert_max_num_queries(first_page_queries):
        html = timeline(owner_client, case, page=11, debt=debt.pk).content.decode()
    assert "记录000" in html


def test_timeline_is_printable(owner_client, case):
    html = timeline(owner_client, case).content.decode()
    assert "data-print" in html and 'class="filters no-print"' in html


# --- .ics follow-ups ----------------------------------------------------------------------


def test_follow_up_downloads_as_a_valid_calendar_event(owner_client, case):
    contact = make_contact(case, organisation="支付宝客服 95188", follow_up_on=date(2026, 10, 20),
                           notes="等客服回电")
    response = owner_client.get(reverse("follow_up_calendar", args=[case.pk, contact.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    cal = Calendar.from_ical(response.content)
    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    (event,) = cal.walk("VEVENT")
    assert event.decoded("DTSTART") == date(2026, 10, 20)
    assert event.decoded("DTEND") == date(2026, 10, 21)
    assert event["UID"] == f"contact-{contact.pk}-follow-up@negotiator"
    assert "DTSTAMP" in event
    assert "支付宝客服 95188" in str(event["SUMMARY"])
    assert "等客服回电" in str(event["DESCRIPTION"])
    assert str(event["URL"]).endswith(f"/cases/{case.pk}/log/#contact-{contact.pk}")


def test_court_deadline_event_names_the_deadline_and_warns_three_days_ahead(owner_client, case):
    contact = make_contact(case, channel="court", organisation="深圳市南山区人民法院", event="lawsuit_served",
                           outcome="info", occurred_at=shanghai(2026, 11, 2, 9))
    contact.apply_deadline()
    contact.save()
    response = owner_client.get(reverse("follow_up_calendar", args=[case.pk, contact.pk]),
                                HTTP_ACCEPT_LANGUAGE="en")
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert event.decoded("DTSTART") == date(2026, 11, 17)
    assert "defence" in str(event["SUMMARY"])
    assert "民事诉讼法" in str(event["DESCRIPTION"])
    (alarm,) = event.walk("VALARM")
    assert alarm.decoded("TRIGGER") == -timedelta(days=3)


def test_a_contact_without_follow_up_has_no_calendar_event(owner_client, case):
    contact = make_contact(case)
    assert owner_client.get(reverse("follow_up_calendar", args=[case.pk, contact.pk])).status_code == 404
