import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.lenders import lender_slug
from cases.models import Agreement, AuditEvent, Case, CaseStatusChange, Contact

from ..factories import make_case, make_debt
from ..log_fixtures import make_contact, quick_post, shanghai


def log_url(case):
    return reverse("log", args=[case.pk])


def add_url(case):
    return reverse("contact_add", args=[case.pk])


# --- Quick add ----------------------------------------------------------------


def test_quick_add_saves_a_contact_and_returns_to_the_log(owner_client, case):
    response = owner_client.post(add_url(case), quick_post(notes="客服说要等三个工作日"))
    assert response.status_code == 302
    contact = case.contacts.get()
    assert response["Location"] == f"{log_url(case)}?saved={contact.pk}#quick-title"
    assert contact.outcome == "no_answer"
    assert contact.occurred_at == shanghai(2026, 10, 10, 10, 0)
    assert contact.notes == "客服说要等三个工作日"
    assert AuditEvent.objects.filter(action="contact.add").count() == 1


def test_quick_add_with_htmx_returns_the_log_body_partial(owner_client, case):
    response = owner_client.post(add_url(case), quick_post(), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="log-body">')
    assert "<html" not in html
    assert case.contacts.count() == 1


def test_quick_add_form_is_fresh_but_for_the_time(owner_client, case):
    make_contact(case, channel="collector_call", direction="incoming", organisation="某某催收公司",
                 phone_number="02131234567", occurred_at=timezone.now() - timedelta(days=1))
    html = owner_client.get(log_url(case)).content.decode()
    assert '<option value="collector_call" selected>' not in html
    assert 'value="02131234567"' not in html and 'value="某某催收公司"' not in html
    assert f'value="{timezone.localtime():%Y-%m-%dT%H}' in html
    assert "?same=1#quick-title" in html


def test_quick_add_form_repeats_the_last_channel_and_counterpart_when_asked(owner_client, case):
    make_contact(case, channel="collector_call", direction="incoming", organisation="某某催收公司",
                 phone_number="02131234567", occurred_at=timezone.now() - timedelta(days=1))
    html = owner_client.get(log_url(case) + "?same=1").content.decode()
    assert '<option value="collector_call" selected>' in html
    assert 'value="02131234567"' in html
    assert 'value="某某催收公司"' in html
    assert f'value="{timezone.localtime():%Y-%m-%dT%H}' in html


def test_quick_add_defaults_follow_the_entry_logged_last_even_if_it_happened_earlier(owner_client, case):
    make_contact(case, channel="in_app", organisation="在线客服", occurred_at=shanghai(2026, 10, 10))
    make_contact(case, channel="sms", organisation="催收短信", phone_number="10690000",
                 occurred_at=shanghai(2026, 9, 1))
    form = owner_client.get(log_url(case) + "?same=1").context["form"]
    assert (form.initial["channel"], form.initial["organisation"]) == ("sms", "催收短信")


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"outcome": ""}, "outcome", "This field is required."),
        ({"channel": "pigeon"}, "channel", "Select a valid choice."),
        ({"occurred_at": "yesterday"}, "occurred_at", "Enter a valid date/time."),
        ({"occurred_at": "2099-01-01T10:00"}, "occurred_at", "This is in the future."),
        ({"phone_number": "call me maybe"}, "phone_number", "Use digits only"),
        ({"offer_monthly": "-5"}, "offer_monthly", "at least 0.01 yuan"),
        ({"offer_monthly": "12.345"}, "offer_monthly", "at most two digits after the point"),
        ({"offer_months": "0"}, "offer_months", "greater than or equal to 1"),
        ({"offer_months": "500"}, "offer_months", "less than or equal to 120"),
        ({"outcome": "agreed"}, "offer_months", "write down the months and monthly amount"),
        ({"follow_up_on": "2026-10-01"}, "follow_up_on", "cannot be before the contact"),
        ({"misconduct": ["made_up"]}, "misconduct", "Select a valid choice."),
        ({"event": "alien_abduction"}, "event", "Select a valid choice."),
    ],
)
def test_quick_add_rejects_bad_input_and_saves_nothing(owner_client, case, fields, field, message):
    response = owner_client.post(add_url(case), quick_post(**fields), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert field in response.context["form"].errors
    assert case.contacts.count() == 0


def test_quick_add_accepts_a_debt_of_my_case_but_not_of_another(owner_client, case, stranger):
    mine = make_debt(case)
    theirs = make_debt(make_case(stranger))
    owner_client.post(add_url(case), quick_post(debts=[mine.pk]))
    assert list(case.contacts.get().debts.all()) == [mine]
    response = owner_client.post(add_url(case), quick_post(debts=[theirs.pk]))
    assert "debts" in response.context["form"].errors
    assert case.contacts.count() == 1


def test_agreement_needs_its_terms_and_keeps_them(owner_client, case):
    owner_client.post(add_url(case), quick_post(outcome="agreed", offer_months="12", offer_monthly="800.00",
                                                offer_waiver="1500"))
    contact = case.contacts.get()
    assert (contact.offer_months, contact.offer_monthly, contact.offer_waiver) == (12, Decimal("800.00"),
                                                                                  Decimal("1500.00"))


# --- Edit and delete --------------------------------------------------------------


def test_edit_page_works_without_javascript(owner_client, case):
    contact = make_contact(case)
    response = owner_client.get(reverse("contact_edit", args=[case.pk, contact.pk]))
    assert response.status_code == 200
    assert "<html" in response.content.decode()
    response = owner_client.post(reverse("contact_edit", args=[case.pk, contact.pk]),
                                 quick_post(outcome="refused", notes="拒绝分期", version=contact.version))
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.outcome, contact.notes) == ("refused", "拒绝分期")


def test_edit_with_htmx_swaps_the_entry_for_a_form(owner_client, case):
    contact = make_contact(case)
    response = owner_client.get(reverse("contact_edit", args=[case.pk, contact.pk]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith(f'<li id="contact-{contact.pk}"')
    assert "<html" not in html


def test_bad_edit_with_htmx_retargets_the_form_and_saves_nothing(owner_client, case):
    contact = make_contact(case, notes="原来的记录")
    response = owner_client.post(reverse("contact_edit", args=[case.pk, contact.pk]),
                                 quick_post(outcome="", notes="改了"), HTTP_HX_REQUEST="true")
    assert response["HX-Retarget"] == f"#contact-{contact.pk}"
    assert response["HX-Reswap"] == "outerHTML"
    contact.refresh_from_db()
    assert contact.notes == "原来的记录"


def test_delete_removes_the_contact(owner_client, case):
    contact = make_contact(case)
    response = owner_client.post(reverse("contact_delete", args=[case.pk, contact.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert not Contact.objects.filter(pk=contact.pk).exists()


def test_a_contact_of_another_case_is_404_even_for_the_owner_of_both(owner_client, owner, case):
    other = make_case(owner)
    contact = make_contact(other)
    assert owner_client.post(reverse("contact_delete", args=[case.pk, contact.pk])).status_code == 404
    assert Contact.objects.filter(pk=contact.pk).exists()


# --- Ownership and methods on every URL -----------------------------------------

def _urls(case, contact):
    return [
        ("get", reverse("log", args=[case.pk])),
        ("get", reverse("timeline", args=[case.pk])),
        ("get", reverse("contact_edit", args=[case.pk, contact.pk])),
        ("get", reverse("follow_up_calendar", args=[case.pk, contact.pk])),
        ("post", reverse("contact_add", args=[case.pk])),
        ("post", reverse("contact_edit", args=[case.pk, contact.pk])),
        ("post", reverse("contact_delete", args=[case.pk, contact.pk])),
        ("post", reverse("contact_agree", args=[case.pk, contact.pk])),
        ("post", reverse("follow_up_done", args=[case.pk, contact.pk])),
    ]


def test_stranger_gets_404_on_every_log_url(stranger_client, case):
    contact = make_contact(case, follow_up_on=date(2026, 10, 20), outcome="agreed", offer_months=6,
                           offer_monthly=Decimal("500"))
    for method, url in _urls(case, contact):
        response = getattr(stranger_client, method)(url, quick_post())
        assert response.status_code == 404, url
    contact.refresh_from_db()
    assert contact.follow_up_done is False
    assert case.contacts.count() == 1
    assert Case.objects.get(pk=case.pk).status == "draft"


def test_anonymous_users_are_sent_to_login(client, case):
    contact = make_contact(case, follow_up_on=date(2026, 10, 20))
    for method, url in _urls(case, contact):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_a_reviewer_does_not_reach_the_log(client, reviewer, case):
    """Issue 16: the log opened for any staff user, unaudited."""
    make_contact(case)
    client.force_login(reviewer)
    assert client.get(log_url(case)).status_code == 404


@pytest.mark.parametrize("name", ["contact_add", "contact_delete", "contact_agree", "follow_up_done"])
def test_mutations_reject_get(owner_client, case, name):
    contact = make_contact(case, follow_up_on=date(2026, 10, 20), outcome="agreed", offer_months=6,
                           offer_monthly=Decimal("500"))
    args = [case.pk] if name == "contact_add" else [case.pk, contact.pk]
    assert owner_client.get(reverse(name, args=args)).status_code == 405
    contact.refresh_from_db()
    assert contact.follow_up_done is False
    assert Case.objects.get(pk=case.pk).status == "draft"


def test_edit_accepts_only_get_and_post(owner_client, case):
    contact = make_contact(case)
    url = reverse("contact_edit", args=[case.pk, contact.pk])
    assert owner_client.put(url).status_code == 405
    assert owner_client.delete(url).status_code == 405


def test_missing_contact_is_404(owner_client, case):
    assert owner_client.get(reverse("contact_edit", args=[case.pk, 999999])).status_code == 404


# --- Follow-ups ---------------------------------------------------------------------


def test_marking_a_follow_up_done_from_the_dashboard_returns_there(owner_client, case):
    contact = make_contact(case, follow_up_on=timezone.localdate())
    response = owner_client.post(reverse("follow_up_done", args=[case.pk, contact.pk]), {"next": "/dashboard/"})
    assert response["Location"] == "/dashboard/"
    contact.refresh_from_db()
    assert contact.follow_up_done


def test_follow_up_done_ignores_an_offsite_next(owner_client, case):
    contact = make_contact(case, follow_up_on=timezone.localdate())
    response = owner_client.post(reverse("follow_up_done", args=[case.pk, contact.pk]),
                                 {"next": "https://evil.example/"})
    assert response["Location"] == log_url(case)


def test_dashboard_shows_follow_ups_due_today_and_overdue_but_not_later_or_done(owner_client, owner, stranger):
    case = make_case(owner, title="我的案件")
    today = timezone.localdate()
    make_contact(case, organisation="逾期的跟进", follow_up_on=today - timedelta(days=2))
    make_contact(case, organisation="今天的跟进", follow_up_on=today)
    make_contact(case, organisation="明天的跟进", follow_up_on=today + timedelta(days=1))
    make_contact(case, organisation="已完成的跟进", follow_up_on=today, follow_up_done=True)
    make_contact(make_case(stranger), organisation="别人的跟进", follow_up_on=today)
    page = owner_client.get(reverse("dashboard")).content.decode()
    # Tomorrow's follow-up is among the next 14 days' dates (issue 18), not among those due.
    html, dates = page.split('class="card agenda"')
    assert "逾期的跟进" in html and "今天的跟进" in html
    assert "明天的跟进" not in html and "已完成的跟进" not in html and "别人的跟进" not in html
    assert html.index("逾期的跟进") < html.index("今天的跟进")
    assert "明天的跟进" in dates and "已完成的跟进" not in dates and "别人的跟进" not in dates


def test_dashboard_queries_do_not_grow_with_follow_ups(owner_client, owner, django_assert_max_num_queries):
    today = timezone.localdate()
    for i in range(3):
        case = make_case(owner, title=f"案件{i}")
        for _ in range(5):
            make_contact(case, follow_up_on=today)
    # + the dates that matter and the plans to check in (issue 18), the cases shared with me (issue 20):
    # a fixed number of queries for all the cases.
    with django_assert_max_num_queries(12):
        assert owner_client.get(reverse("dashboard")).status_code == 200


# --- Agreement --------------------------------------------------------------------


def test_an_agreed_entry_becomes_the_lenders_plan_once_and_sets_the_case_agreed(owner_client, owner, case):
    debt = make_debt(case)
    contact = make_contact(case, outcome="agreed", offer_months=12, offer_monthly=Decimal("600.00"), debts=[debt])
    url = reverse("contact_agree", args=[case.pk, contact.pk])
    response = owner_client.post(url, {"first_due": "2026-12-01"})
    assert response.status_code == 302
    agreement = Agreement.objects.get(case=case)
    assert (agreement.lender_slug, agreement.monthly, agreement.months, agreement.first_due, agreement.contact) == (
        lender_slug(debt.lender), Decimal("600.00"), 12, date(2026, 12, 1), contact)
    case.refresh_from_db()
    assert case.status == "agreed"
    change = CaseStatusChange.objects.get(case=case)
    assert (change.to_status, change.by) == ("agreed", owner)
    response = owner_client.post(url, {"first_due": "2026-12-01"}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "already recorded as an agreed plan" in response.content.decode()
    assert Agreement.objects.count() == 1


def test_only_an_agreed_contact_can_mark_the_case_agreed(owner_client, case):
    contact = make_contact(case, outcome="refused", offer_months=12, offer_monthly=Decimal("600.00"),
                           debts=[make_debt(case)])
    owner_client.post(reverse("contact_agree", args=[case.pk, contact.pk]), {"first_due": "2026-12-01"})
    case.refresh_from_db()
    assert case.status == "draft" and not Agreement.objects.exists()


@pytest.mark.parametrize("fields, data, error", [
    ({"offer_months": 12, "offer_monthly": Decimal("600.00")}, {"first_due": ""},  # no first due date
     "First payment due on: This field is required."),
    ({"offer_months": None, "offer_monthly": Decimal("600.00")}, {"first_due": "2026-12-01"},  # no months
     "cannot be recorded as agreed"),
    ({"offer_months": 12, "offer_monthly": Decimal("600.00"), "organisation": "某催收公司"},  # no lender
     {"first_due": "2026-12-01"}, "cannot be recorded as agreed"),
])
def test_an_agreed_entry_missing_a_term_or_the_lender_records_nothing(owner_client, case, fields, data, error):
    debt = make_debt(case)
    contact = make_contact(case, outcome="agreed", **fields, debts=[] if "organisation" in fields else [debt])
    response = owner_client.post(reverse("contact_agree", args=[case.pk, contact.pk]), data,
                                 HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    html = response.content.decode()
    box = re.search(r'<main id="main">\s*(<div class="error-summary".*?</div>)', html, re.S)
    assert box and error in box.group(1)
    for target in re.findall(r'<a href="#([^"]+)"', box.group(1)):  # every link lands on the page
        assert f'id="{target}"' in html, target
    case.refresh_from_db()
    assert case.status == "draft" and not Agreement.objects.exists()


def test_log_page_queries_are_bounded(owner_client, case, django_assert_max_num_queries):
    debt = make_debt(case)
    for i in range(60):
        make_contact(case, occurred_at=shanghai(2026, 9, 1 + i % 28, 8 + i % 12), debts=[debt],
                     follow_up_on=date(2026, 10, 1))
    make_contact(case, outcome="offer", offer_months=12, offer_monthly=Decimal("900.00"))
    make_contact(case, outcome="agreed", offer_months=12, offer_monthly=Decimal("800.00"),
                 occurred_at=shanghai(2026, 6, 1))  # not on the first page
    # session, user, case, the whole log, the page's debts and evidence, the budget and its living-cost
    # floor, the form's debt and evidence choices; the coach (issue 18): the lenders' debts, the chosen
    # plan and the debts the offers name, the agreements and their check-ins; the quick-add form's
    # "collecting for" lenders (issue 15): the same for 6 contacts or 6000
    with django_assert_max_num_queries(16):
        response = owner_client.get(log_url(case))
    assert response.status_code == 200
    assert len(response.context["contacts"]) == 30
    assert len(response.context["follow_ups"]) == 20
    assert [c.offer_monthly for c in response.context["unrecorded"]] == [Decimal("800.00")]  # off the page too


def test_log_lists_open_follow_ups_soonest_first_and_entries_newest_first(owner_client, case):
    later = make_contact(case, organisation="Org-Later", follow_up_on=date(2026, 11, 20), occurred_at=shanghai(2026, 10, 1))
    sooner = make_contact(case, organisation="Org-Sooner", follow_up_on=date(2026, 11, 5), occurred_at=shanghai(2026, 10, 3))
    make_contact(case, organisation="Org-Done", follow_up_on=date(2026, 11, 1), follow_up_done=True)
    make_contact(case, organisation="Org-None", occurred_at=shanghai(2026, 10, 2))
    response = owner_client.get(log_url(case))
    assert [c.pk for c in response.context["follow_ups"]] == [sooner.pk, later.pk]
    entries = [c.organisation for c in response.context["contacts"]]
    assert entries == ["Org-Done", "Org-Sooner", "Org-None", "Org-Later"]  # 10-10, 10-03, 10-02, 10-01
    html = response.content.decode()
    follow_ups = html[html.index('class="follow-ups"'):html.index('id="entries-title"')]
    assert follow_ups.index("Org-Sooner") < follow_ups.index("Org-Later")
    assert "Org-Done" not in follow_ups and "Org-None" not in follow_ups


def test_follow_up_done_with_htmx_refreshes_the_log_in_place(owner_client, case):
    contact = make_contact(case, organisation="等回电", follow_up_on=timezone.localdate())
    response = owner_client.post(reverse("follow_up_done", args=[case.pk, contact.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<div id="log-body">')
    contact.refresh_from_db()
    assert contact.follow_up_done


def test_each_entry_names_its_own_debts_and_evidence(owner_client, case):
    from cases.models import Evidence

    huabei = make_debt(case, product="huabei", lender="花呗出借方")
    jiebei = make_debt(case, product="jiebei", lender="借呗出借方")
    recording = Evidence.objects.create(case=case, kind="call_recording", file="x", original_name="催收录音.m4a",
                                        size=1, content_type="audio/mp4", sha256="a" * 64)
    both = make_contact(case, organisation="Org-Both", debts=[huabei, jiebei], occurred_at=shanghai(2026, 10, 2))
    both.evidence.set([recording])
    make_contact(case, organisation="Org-None", occurred_at=shanghai(2026, 10, 1))
    html = owner_client.get(log_url(case)).content.decode()
    entry = html[html.index(f'id="contact-{both.pk}"'):]
    entry, bare = entry.split("Org-None", 1)
    assert entry.index("花呗出借方") < entry.index("借呗出借方")  # the debts' own order
    assert "催收录音.m4a" in entry
    assert "出借方" not in bare and "催收录音" not in bare


def test_evidence_of_another_case_cannot_be_linked(owner_client, owner, case):
    from cases.models import Evidence

    other = make_case(owner)
    theirs = Evidence.objects.create(case=other, kind="call_recording", file="x", original_name="录音.m4a", size=1,
                                     content_type="audio/mp4", sha256="a" * 64)
    response = owner_client.post(add_url(case), quick_post(evidence=[theirs.pk]))
    assert "evidence" in response.context["form"].errors
    assert case.contacts.count() == 0


def test_a_saved_contact_is_confirmed_beside_a_fresh_form(owner_client, case):
    response = owner_client.post(add_url(case), quick_post(organisation="花呗客服"), HTTP_HX_REQUEST="true",
                                 HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    contact = case.contacts.get()
    assert 'id="contact-saved"' in html and "Saved: 花呗客服" in html
    assert 'value="花呗客服"' not in html.split('id="quick-add"', 1)[1].split("</form>", 1)[0]


def test_without_javascript_the_confirmation_follows_the_redirect(owner_client, case):
    response = owner_client.post(add_url(case), quick_post(organisation="花呗客服"), HTTP_ACCEPT_LANGUAGE="en")
    contact = case.contacts.get()
    assert response["Location"].endswith(f"?saved={contact.pk}#quick-title")
    html = owner_client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Saved: 花呗客服" in html


def test_another_cases_contact_id_confirms_nothing(owner_client, case, stranger):
    other = make_contact(make_case(stranger))
    html = owner_client.get(log_url(case) + f"?saved={other.pk}").content.decode()
    assert 'id="contact-saved"' not in html
    assert 'id="contact-saved"' not in owner_client.get(log_url(case) + "?saved=x").content.decode()
