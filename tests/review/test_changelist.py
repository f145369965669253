"""The review queue and the case list: filters, search, bulk actions, CSV, and scale."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from cases.audit import pseudonym
from cases.models import AuditEvent, Case, Contact, Debtor, Letter

from ..factories import make_budget_line, make_case, make_debt, make_debtor, make_full_case
from ..review_fixtures import client_for, in_review
from ..review_fixtures import group_reviewer, reviewer_client, reviewers_group, superuser, superuser_client  # noqa: F401

QUEUE = "/admin/cases/caseinreview/"
CASES = "/admin/cases/case/"


def review_link(case):
    return reverse("admin:cases_case_review", args=[case.pk])


def listed(client, url, headers=None, **params):
    return client.get(url, params, headers=headers).content.decode()


def test_queue_lists_only_cases_waiting_oldest_first_with_a_summary(reviewer_client, owner):
    newer = make_full_case(owner)
    in_review(newer, submitted_ago=timedelta(hours=2))
    older = make_full_case(owner)
    in_review(older, submitted_ago=timedelta(days=3))
    Contact.objects.create(case=older, channel="hotline", direction="outgoing", outcome="refused")
    idle = make_full_case(owner)
    Letter.objects.create(case=idle, kind="negotiation_request", content_hash="x")

    page = listed(reviewer_client, QUEUE, headers={"accept-language": "en"})
    assert review_link(idle) not in page
    assert page.index(review_link(older)) < page.index(review_link(newer))
    # principal 12000 + 20000, no billed charges; income 5200 − (1800 + 1200) = 2200
    assert "¥32,000.00" in page and "¥2,200.00" in page
    assert "3\xa0days" in page


def test_queue_filters_by_age_in_queue(reviewer_client, owner):
    fresh, stale = make_case(owner), make_case(owner)
    in_review(fresh, submitted_ago=timedelta(hours=3))
    in_review(stale, submitted_ago=timedelta(days=10))
    page = listed(reviewer_client, QUEUE, waiting="gt7")
    assert review_link(stale) in page and review_link(fresh) not in page
    page = listed(reviewer_client, QUEUE, waiting="lt1")
    assert review_link(fresh) in page and review_link(stale) not in page


@pytest.mark.parametrize("url", [QUEUE, CASES])
def test_filters_by_product_region_hardship_and_status(reviewer_client, owner, url):
    a = make_case(owner, province="广东省", hardship_reasons=["unemployment", "illness"])
    make_debt(a, product="jiebei")
    b = make_case(owner, province="四川省", hardship_reasons=["business"], status="negotiating")
    make_debt(b, product="huabei")
    make_debt(b, product="huabei")
    for case in (a, b):
        in_review(case)

    def only(params, expected, absent):
        page = listed(reviewer_client, url, **params)
        assert review_link(expected) in page and review_link(absent) not in page, params

    only({"product": "jiebei"}, a, b)
    only({"product": "huabei"}, b, a)
    only({"province": "四川省"}, b, a)
    only({"hardship": "illness"}, a, b)
    only({"hardship": "business"}, b, a)
    only({"status__exact": "negotiating"}, b, a)
    assert listed(reviewer_client, url, product="huabei").count(review_link(b)) == 1


def test_hardship_filter_matches_whole_reasons_only(reviewer_client, owner):
    # "income_cut" must not match a case whose only reason merely contains "income".
    case = make_case(owner, hardship_reasons=["other"])
    in_review(case)
    assert review_link(case) not in listed(reviewer_client, QUEUE, hardship="income_cut")
    assert review_link(case) in listed(reviewer_client, QUEUE, hardship="other")


def test_unknown_filter_values_are_ignored_or_rejected_cleanly(reviewer_client, case):
    in_review(case)
    for params in [{"product": "bitcoin"}, {"hardship": "x"}, {"reviewer": "abc"}, {"waiting": "forever"}]:
        assert reviewer_client.get(QUEUE, params).status_code in (200, 302), params


def test_filters_by_assigned_reviewer(reviewer_client, group_reviewer, owner):
    mine, free = make_case(owner, assigned_reviewer=group_reviewer), make_case(owner)
    for case in (mine, free):
        in_review(case)
    page = listed(reviewer_client, QUEUE, reviewer="me")
    assert review_link(mine) in page and review_link(free) not in page
    page = listed(reviewer_client, QUEUE, reviewer="none")
    assert review_link(free) in page and review_link(mine) not in page
    page = listed(reviewer_client, CASES, reviewer=str(group_reviewer.pk))
    assert review_link(mine) in page and review_link(free) not in page


def test_search_by_case_id_name_and_exact_phone(reviewer_client, owner):
    wang = make_case(owner)
    make_debtor(wang, name="王小明", phone="13912345678")
    li = make_case(owner)
    make_debtor(li, name="李娜", phone="13700001111")
    for url in (CASES, QUEUE):
        for case in (wang, li):
            in_review(case) if url == CASES else None
        page = listed(reviewer_client, url, q="王小明")
        assert review_link(wang) in page and review_link(li) not in page
        page = listed(reviewer_client, url, q="13912345678")
        assert review_link(wang) in page and review_link(li) not in page
        # Phone is matched exactly: a fragment finds nothing.
        page = listed(reviewer_client, url, q="1391234")
        assert review_link(wang) not in page
        page = listed(reviewer_client, url, q=str(li.pk))
        assert review_link(li) in page and review_link(wang) not in page


def test_assign_to_reviewer_bulk_action(reviewer_client, group_reviewer, owner):
    cases = [make_case(owner) for _ in range(3)]
    response = reviewer_client.post(CASES, {
        "action": "assign_to_reviewer", "_selected_action": [c.pk for c in cases[:2]], "reviewer": group_reviewer.pk,
    })
    assert response.status_code == 302
    assigned = set(Case.objects.filter(assigned_reviewer=group_reviewer).values_list("pk", flat=True))
    assert assigned == {cases[0].pk, cases[1].pk}
    events = AuditEvent.objects.filter(action="admin.case_assigned")
    assert {e.case_ref for e in events} == {pseudonym("case", cases[0].pk), pseudonym("case", cases[1].pk)}
    assert {(e.actor, e.target) for e in events} == {(group_reviewer, f"user:{group_reviewer.pk}")}


def test_assign_without_a_reviewer_changes_nothing(reviewer_client, owner):
    case = make_case(owner)
    response = reviewer_client.post(CASES, {"action": "assign_to_reviewer", "_selected_action": [case.pk],
                                            "reviewer": ""}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "Choose a reviewer" in response.content.decode()
    case.refresh_from_db()
    assert case.assigned_reviewer is None


def test_cannot_assign_to_a_plain_user(reviewer_client, owner):
    case = make_case(owner)
    reviewer_client.post(CASES, {"action": "assign_to_reviewer", "_selected_action": [case.pk], "reviewer": owner.pk})
    case.refresh_from_db()
    assert case.assigned_reviewer is None


def test_staff_without_assign_permission_has_no_assign_action(client, reviewer, owner):
    reviewer.user_permissions.add(Permission.objects.get(codename="view_case"))
    case = make_case(owner)
    client.force_login(reviewer)
    assert b"assign_to_reviewer" not in client.get(CASES).content
    client.post(CASES, {"action": "assign_to_reviewer", "_selected_action": [case.pk], "reviewer": reviewer.pk})
    case.refresh_from_db()
    assert case.assigned_reviewer is None


def export(client, cases):
    response = client.post(CASES, {"action": "export_as_csv", "_selected_action": [c.pk for c in cases]})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_csv_export_leaves_out_sensitive_fields_without_permission(reviewer_client, owner):
    case = make_full_case(owner)
    rows = export(reviewer_client, [case])
    text = "\n".join(",".join(row) for row in rows)
    assert len(rows) == 2
    assert "张三" not in text and "13800138000" not in text and "110101199003074512" not in text
    assert "32000.00" in text and "2200.00" in text
    assert AuditEvent.objects.get(action="admin.cases_exported").detail == {"count": 1, "sensitive": False}


def test_csv_export_includes_sensitive_fields_with_the_dedicated_permission(owner, group_reviewer):
    group_reviewer.user_permissions.add(Permission.objects.get(codename="export_sensitive"))
    case = make_full_case(owner)
    rows = export(client_for(group_reviewer), [case])
    assert "110101199003074512" in rows[1] and "13800138000" in rows[1] and "张三" in rows[1]
    assert AuditEvent.objects.get(action="admin.cases_exported").detail == {"count": 1, "sensitive": True}


def test_csv_export_defuses_spreadsheet_formulas(reviewer_client, owner):
    case = make_case(owner, title="=HYPERLINK(\"http://evil\")")
    rows = export(reviewer_client, [case])
    assert rows[1][1].startswith("'=")


# --- Scale ------------------------------------------------------------------


def bulk_cases(owner, n: int) -> list[Case]:
    now = timezone.now()
    provinces = ["广东省", "四川省", "浙江省", "河南省", "湖北省"]
    reasons = [["unemployment"], ["illness", "family"], ["business"], ["income_cut"], []]
    cases = Case.objects.bulk_create(
        Case(owner=owner, title=f"案件{i}", province=provinces[i % 5], hardship_reasons=reasons[i % 5])
        for i in range(n)
    )
    Debtor.objects.bulk_create(
        Debtor(case=case, name=f"用户{case.pk}", phone=f"139{case.pk:08d}", address="某市某区") for case in cases
    )
    Letter.objects.bulk_create(
        Letter(case=case, kind="negotiation_request", status=Letter.Status.IN_REVIEW, content_hash=str(case.pk),
               submitted_at=now - timedelta(minutes=i))
        for i, case in enumerate(cases) if i % 2 == 0
    )
    Case.objects.update_waiting_since()  # what Letter.submit_for_review does for each
    return cases


def test_changelists_with_10000_cases_run_a_bounded_number_of_queries(superuser_client, owner,
                                                                      django_assert_max_num_queries):
    cases = bulk_cases(owner, 10_000)
    make_debt(cases[0])
    make_budget_line(cases[0], "income", "salary", "3000.00")
    for url in (CASES, QUEUE):
        with django_assert_max_num_queries(15):
            response = superuser_client.get(url)
        assert response.status_code == 200
        assert response.content.decode().count('class="action-select"') == 50
        with django_assert_max_num_queries(15):
            response = superuser_client.get(url, {"hardship": "illness", "product": "huabei", "q": "用户",
                                                  "reviewer": "none", "province": "四川省"})
        assert response.status_code == 200


# --- The queue's order kept on the case (issue 21) -------------------------------------------------


def test_a_case_waits_since_its_oldest_letter_waiting_for_review(owner, group_reviewer):
    case = make_case(owner)
    first = in_review(case, kind="negotiation_request")
    second = in_review(case, kind="hardship_statement")
    case.refresh_from_db()
    assert case.waiting_since == first.submitted_at < second.submitted_at

    first.approve(group_reviewer)
    case.refresh_from_db()
    assert case.waiting_since == second.submitted_at

    second.request_changes(group_reviewer, "请补充材料")
    case.refresh_from_db()
    assert case.waiting_since is None
    assert not Case.objects.filter(waiting_since__isnull=False).exists()


def test_a_decided_case_leaves_the_queue_and_comes_back_when_sent_again(reviewer_client, group_reviewer, owner):
    case = make_case(owner)
    letter = in_review(case)
    assert review_link(case) in listed(reviewer_client, QUEUE)
    letter.request_changes(group_reviewer, "请补充材料")
    assert review_link(case) not in listed(reviewer_client, QUEUE)
    letter.submit_for_review(by=owner)
    assert review_link(case) in listed(reviewer_client, QUEUE)


# --- Search that an index serves (issue 21) ------------------------------------------------------


def test_search_finds_a_name_from_its_first_characters_not_from_its_middle(reviewer_client, owner):
    wang = make_case(owner)
    make_debtor(wang, name="王小明", phone="13912345678")
    assert review_link(wang) in listed(reviewer_client, CASES, q="王小")
    assert review_link(wang) in listed(reviewer_client, CASES, q=" 王 ")
    assert review_link(wang) not in listed(reviewer_client, CASES, q="小明")


def test_search_with_a_number_too_long_for_a_case_number_finds_nothing_and_does_not_fail(reviewer_client, owner):
    case = make_case(owner)
    make_debtor(case, name="王小明", phone="13912345678")
    response = reviewer_client.get(CASES, {"q": "9" * 30})
    assert response.status_code == 200 and review_link(case) not in response.content.decode()


def test_lists_show_no_per_choice_counts_even_when_asked(reviewer_client, owner):
    in_review(make_case(owner, province="四川省"))
    page = listed(reviewer_client, QUEUE, _facets="1", headers={"accept-language": "en"})
    assert "四川省 (1)" not in page and "四川省" in page
