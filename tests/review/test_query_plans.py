"""The workplace at scale, on PostgreSQL (issue 21): every page of the review queue and the case list, each
filter and each kind of search, reads the big tables through an index — EXPLAIN of every query the page runs
shows no sequential scan of them — and counts no more than it shows. The rows are generated in SQL with fixed
proportions and a fixed seed (tests/scale_fixtures.py), then ANALYZEd, so the planner chooses on real
statistics, not on a setting that forbids sequential scans.

Skipped on SQLite (small databases only); CI's PostgreSQL run executes it."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case, Debtor, Letter
from cases.review.paging import EXACT_UP_TO

from ..review_fixtures import superuser, superuser_client  # noqa: F401
from ..scale_fixtures import fill

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="query plans: run with DATABASE_URL on PostgreSQL")

CASES_MADE = 30_000  # enough that reading a whole table costs the planner more than an index
BIG_TABLES = ["cases_case", "cases_debtor", "cases_debt", "cases_budgetline", "cases_letter", "cases_contact",
              "cases_auditevent", "auth_user"]
CASES, QUEUE = "/admin/cases/case/", "/admin/cases/caseinreview/"


@pytest.fixture(scope="module")
def desk(django_db_setup, django_db_blocker):
    """The rows, made once for the module outside the tests' transactions (so VACUUM can run), and removed
    after it: every table they went into refers to a user or a case."""
    with django_db_blocker.unblock():
        fill(CASES_MADE, say=lambda _line: None)
        queued = Case.objects.filter(letters__status=Letter.Status.IN_REVIEW).order_by("pk").first()
        yield {"queued": queued, "debtor": Debtor.objects.get(case=queued)}
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE auth_user, cases_case, cases_auditevent CASCADE")


def pages(desk) -> dict[str, tuple[str, dict]]:
    queued, debtor = desk["queued"], desk["debtor"]
    return {
        "queue": (QUEUE, {}),
        "queue page 5": (QUEUE, {"p": "5"}),
        "queue waiting": (QUEUE, {"waiting": "gt7"}),
        "queue status": (QUEUE, {"status__exact": "negotiating"}),
        "queue product": (QUEUE, {"product": "credit_card"}),
        "queue province": (QUEUE, {"province": "四川省"}),
        "queue hardship": (QUEUE, {"hardship": "illness"}),
        "queue reviewer": (QUEUE, {"reviewer": "none"}),
        "queue search": (QUEUE, {"q": debtor.name}),
        "cases": (CASES, {}),
        "cases page 50": (CASES, {"p": "50"}),
        "cases by date": (CASES, {"o": "7"}),
        "cases status": (CASES, {"status__exact": "negotiating"}),
        "cases product": (CASES, {"product": "other"}),
        "cases province": (CASES, {"province": "西藏自治区"}),
        "cases hardship": (CASES, {"hardship": "disaster"}),
        "cases reviewer": (CASES, {"reviewer": str(queued.assigned_reviewer_id or "none")}),
        "cases unassigned": (CASES, {"reviewer": "none"}),
        "cases all filters": (CASES, {"status__exact": "negotiating", "product": "jiebei", "province": "四川省",
                                      "hardship": "illness"}),
        "search case number": (CASES, {"q": str(queued.pk)}),
        "search phone": (CASES, {"q": debtor.phone}),
        "search name": (CASES, {"q": debtor.name}),
        "search surname": (CASES, {"q": debtor.name[0]}),
        "review page": (f"{CASES}{queued.pk}/review/", {}),
        "admin home": ("/admin/", {}),
    }


def plans_of(client, url, params) -> list[tuple[str, str]]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    plans = []
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            if not query["sql"].lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN " + query["sql"])
            plans.append((query["sql"], "\n".join(row[0] for row in cursor.fetchall())))
    return plans


def test_no_page_of_the_workplace_reads_a_big_table_whole(superuser_client, desk):
    scans = {}
    for label, (url, params) in pages(desk).items():
        for sql, plan in plans_of(superuser_client, url, params):
            whole = sorted(set(re.findall(r"Seq Scan on (\w+)", plan)) & set(BIG_TABLES))
            if whole:
                scans.setdefault(label, []).append(f"{whole}\n{sql}\n{plan}")
    assert not scans, "\n\n".join(f"{label}: {found}" for label, items in scans.items() for found in items)


@pytest.mark.parametrize("label, index", [
    ("cases", "case_recent_first"),
    ("cases province", "case_province_recent"),
    ("search phone", "debtor_phone"),
    ("search name", "debtor_name_prefix"),
])
def test_the_lists_use_the_indexes_made_for_them(superuser_client, desk, label, index):
    url, params = pages(desk)[label]
    plans = "\n".join(plan for _sql, plan in plans_of(superuser_client, url, params))
    assert index in plans


def test_a_large_list_shows_an_estimated_count_without_counting_the_table(superuser_client, desk):
    with CaptureQueriesContext(connection) as queries:
        page = superuser_client.get(CASES, headers={"accept-language": "en"}).content.decode()
    assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)
    estimate = re.search(r"about ([\d,]+) cases", page)
    assert estimate and int(estimate.group(1).replace(",", "")) > EXACT_UP_TO


def test_a_small_filtered_list_is_counted_exactly(superuser_client, desk):
    province = Case.objects.filter(province="西藏自治区").count()
    assert 0 < province <= EXACT_UP_TO
    page = superuser_client.get(CASES, {"province": "西藏自治区"}, headers={"accept-language": "en"}).content.decode()
    assert f"{province} cases" in page and "about" not in page
