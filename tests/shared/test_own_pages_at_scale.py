"""A debtor's own pages do not slow down as other users' data grows (issue 21): with 10,000 other users'
cases (each with a debtor, a debt, budget lines, a letter, a log entry and an audit entry) every page of the
user's case runs the same queries as with none, and on PostgreSQL none of them reads a whole table of cases
data (EXPLAIN after ANALYZE: the planner's choice on real statistics)."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.intake.steps import STEPS
from cases.letters import versions
from cases.lenders import lender_slug
from cases.models import AuditEvent, BudgetLine, Case, Contact, Debt, Debtor, Letter

from ..letters_fixtures import make_letter_case

OTHERS = 10_000
CASES_TABLES = ["cases_case", "cases_debtor", "cases_debt", "cases_budgetline", "cases_letter", "cases_contact",
                "cases_auditevent", "auth_user"]
LENDER = lender_slug("重庆蚂蚁消费金融有限公司")


def own_pages(case) -> dict[str, str]:
    pages = {"dashboard": reverse("dashboard"), "case hub": reverse("case_detail", args=[case.pk])}
    pages |= {f"intake {step}": reverse(f"intake_{step}", args=[case.pk]) for step in STEPS}
    pages |= {
        "proposal": reverse("proposal", args=[case.pk]),
        "log": reverse("log", args=[case.pk]),
        "timeline": reverse("timeline", args=[case.pk]),
        "letters": reverse("letters_index", args=[case.pk]),
        "letter": reverse("letter_page", args=[case.pk, "negotiation_request", LENDER]),
    }
    return pages


def queries_of(client, pages) -> dict[str, list[str]]:
    captured = {}
    for label, url in pages.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (label, response.status_code)
        captured[label] = [query["sql"] for query in queries.captured_queries]
    return captured


def other_users_cases(count: int) -> None:
    """``count`` other users, each with one case and its rows, in bulk."""
    now = timezone.now()
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"other{i}", password="!") for i in range(count))
    cases = Case.objects.bulk_create(
        Case(owner=user, title=f"别人的案件{i}", status="negotiating", province="四川省", hardship_reasons=["illness"])
        for i, user in enumerate(users))
    Debtor.objects.bulk_create(Debtor(case=c, name=f"别人{c.pk}", phone=f"139{c.pk:08d}", address="某市") for c in cases)
    Debt.objects.bulk_create(Debt(case=c, product="huabei", lender="重庆蚂蚁消费金融有限公司", principal=12000,
                                  overdue_amount=3000) for c in cases)
    BudgetLine.objects.bulk_create(BudgetLine(case=c, kind=kind, category=category, amount=1000)
                                   for c in cases for kind, category in [("income", "salary"), ("expense", "food")])
    Letter.objects.bulk_create(Letter(case=c, kind="negotiation_request", lender="重庆蚂蚁消费金融有限公司",
                                      lender_slug=LENDER, status="in_review" if c.pk % 10 == 0 else "draft",
                                      content_hash=str(c.pk), submitted_at=now - timedelta(days=1)) for c in cases)
    Case.objects.update_waiting_since()
    Contact.objects.bulk_create(Contact(case=c, channel="hotline", direction="outgoing", outcome="refused")
                                for c in cases)
    AuditEvent.objects.bulk_create(AuditEvent.objects.entry(c.owner, "case_created", case=c) for c in cases)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def test_own_pages_run_the_same_queries_with_10000_other_cases(owner, owner_client, settings):
    settings.SESSION_RENEW_INTERVAL = 10**9  # a renewal's write depends on the clock, not on the data
    case = make_letter_case(owner)
    Case.objects.filter(pk=case.pk).update(status=Case.Status.READY, completed_steps=list(STEPS))
    versions.generate(case, "negotiation_request")
    pages = own_pages(case)
    queries_of(owner_client, pages)  # warm-up: caches filled on a first request
    alone = queries_of(owner_client, pages)

    other_users_cases(OTHERS)
    crowded = queries_of(owner_client, pages)

    grown = {label: "\n".join(sqls) for label, sqls in crowded.items() if len(sqls) != len(alone[label])}
    assert not grown, grown
    if connection.vendor != "postgresql":
        return
    whole_tables = {}
    with connection.cursor() as cursor:
        for label, sqls in crowded.items():
            for sql in sqls:
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                cursor.execute("EXPLAIN " + sql)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                if scanned := set(re.findall(r"Seq Scan on (\w+)", plan)) & set(CASES_TABLES):
                    whole_tables.setdefault(label, []).append(f"{sorted(scanned)}: {sql}\n{plan}")
    assert not whole_tables, "\n\n".join(f"{label}: {item}" for label, items in whole_tables.items() for item in items)
