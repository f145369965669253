"""Render time and SQL queries of the reviewers' workplace with many cases.

    .venv/bin/python bench/admin.py [--cases 10000] [--runs 15]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/neg_bench .venv/bin/python bench/admin.py --cases 1000000

Pages, each timed through Django's test client as a superuser (who sees every case): the review queue (first
page, page 50, each filter, a search), the case list (unfiltered, each filter, each kind of search) and the
reviewer's case review page. Prints median and p95 ms over ``--runs`` after a warm-up, the median CPU time the
request took in this process (what a loaded shared machine inflates least), and the time in the database and
number of SQL queries of one request. Target: under 300 ms median per page.

SQLite (the default, a throwaway database in a temporary folder): the rows are made through the ORM, fine for
tens of thousands. PostgreSQL (``DATABASE_URL``, a database you can afford to fill): the rows are generated
inside the database (tests/scale_fixtures.py: a million cases in minutes); a database that already holds the
bench's rows is reused as it is (``--refill`` drops and remakes them), so a second run only measures.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--refill", action="store_true", help="PostgreSQL: remake the bench rows")
    parser.add_argument("--explain", action="store_true", help="print the plan of each page's slowest query")
    parser.add_argument("--only", default="", help="only the pages whose label contains this")
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="neg-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "negotiator.settings")
    os.environ["NEGOTIATOR_VAR_DIR"] = tmp.name
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp.name}/bench.sqlite3")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from cases.models import Case, Letter
    from tests import scale_fixtures
    from tests.factories import make_user

    setup_test_environment()
    call_command("migrate", verbosity=0)
    User = django.contrib.auth.get_user_model()
    started = time.perf_counter()
    if connection.vendor == "postgresql":
        if args.refill:
            with connection.cursor() as cursor:
                cursor.execute("TRUNCATE cases_case, cases_auditevent CASCADE")
                cursor.execute("DELETE FROM auth_user WHERE username LIKE 'bench-%'")
        if not Case.objects.exists():
            print(f"generating {args.cases:,} cases in PostgreSQL:")
            scale_fixtures.fill(args.cases)
        else:
            print("reusing the bench rows already in the database (--refill remakes them)")
    else:
        fill_with_orm(args.cases)
    boss = User.objects.filter(username="bench-boss").first() or make_user("bench-boss", superuser=True)
    print(f"{Case.objects.order_by().count():,} cases, {Letter.objects.filter(status='in_review').count():,} "
          f"letters waiting for review; ready in {time.perf_counter() - started:.1f} s on {connection.vendor}")

    waiting = Case.objects.filter(letters__status="in_review").order_by().count()
    page = str(min(50, max(1, waiting // 50)))
    queued = Case.objects.filter(letters__status="in_review").order_by("pk").first()
    debtor = queued.debtor
    reviewer = User.objects.filter(username__startswith="bench-reviewer").order_by("pk").first()
    CASES, QUEUE = "/admin/cases/case/", "/admin/cases/caseinreview/"
    pages = {
        "review queue": (QUEUE, {}),
        f"review queue, page {page}": (QUEUE, {"p": page}),
        "queue: waiting > 7 days": (QUEUE, {"waiting": "gt7"}),
        "queue: status": (QUEUE, {"status__exact": "negotiating"}),
        "queue: product": (QUEUE, {"product": "credit_card"}),
        "queue: province": (QUEUE, {"province": "四川省"}),
        "queue: hardship": (QUEUE, {"hardship": "illness"}),
        "queue: reviewer": (QUEUE, {"reviewer": str(reviewer.pk)} if reviewer else {"reviewer": "none"}),
        "queue: search name": (QUEUE, {"q": debtor.name}),
        "case list": (CASES, {}),
        f"case list, page {page}": (CASES, {"p": page}),
        "cases: status": (CASES, {"status__exact": "negotiating"}),
        "cases: product": (CASES, {"product": "other"}),
        "cases: province": (CASES, {"province": "西藏自治区"}),
        "cases: hardship": (CASES, {"hardship": "disaster"}),
        "cases: reviewer me": (CASES, {"reviewer": "me"}),
        "cases: reviewer none": (CASES, {"reviewer": "none"}),
        "cases: reviewer id": (CASES, {"reviewer": str(reviewer.pk)} if reviewer else {"reviewer": "none"}),
        "cases: all filters": (CASES, {"status__exact": "negotiating", "product": "jiebei", "province": "四川省",
                                       "hardship": "illness"}),
        "cases: search case number": (CASES, {"q": str(queued.pk)}),
        "cases: search phone": (CASES, {"q": debtor.phone}),
        "cases: search name": (CASES, {"q": debtor.name}),
        "cases: search surname": (CASES, {"q": debtor.name[0]}),
        "cases: search no match": (CASES, {"q": "无此人"}),
        "case review page": (f"{CASES}{queued.pk}/review/", {}),
        "admin home (queue count)": ("/admin/", {}),
    }
    client = Client()
    client.force_login(boss)
    print(f"\n{'page':30} {'median':>8} {'p95':>8} {'cpu':>8} {'sql':>8} {'queries':>8}   (ms; {args.runs} runs after a "
          "warm-up; cpu: median Python CPU time of the request; sql: time in the database, one request)")
    for label, (url, params) in pages.items():
        if args.only not in label:
            continue
        assert client.get(url, params).status_code == 200, label  # warm-up: templates, caches
        timings, cpu = [], []
        for _ in range(args.runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url, params)
            timings.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
            assert response.status_code == 200, label
        with CaptureQueriesContext(connection) as queries:
            client.get(url, params)
        p95 = statistics.quantiles(timings, n=20)[-1] if len(timings) > 1 else timings[0]
        sql_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000
        print(f"{label:30} {statistics.median(timings):8.1f} {p95:8.1f} {statistics.median(cpu):8.1f} "
              f"{sql_ms:8.1f} {len(queries):8d}")
        if args.explain:
            print_slowest_plan(connection, queries)
    print(f"\nload average {' '.join(f'{x:.2f}' for x in os.getloadavg())}, {os.cpu_count()} cores")
    tmp.cleanup()


def print_slowest_plan(connection, queries) -> None:
    timed = [(float(q["time"]), q["sql"]) for q in queries.captured_queries if q["sql"].lstrip().startswith("SELECT")]
    if not timed or connection.vendor != "postgresql":
        return
    took, sql = max(timed)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN ANALYZE " + sql)
        plan = "\n".join("      " + row[0] for row in cursor.fetchall())
    print(f"    slowest query {took * 1000:.1f} ms:\n{plan}")


def fill_with_orm(count: int) -> None:
    from django.utils import timezone

    from cases.models import BudgetLine, Case, Debt, Debtor, Letter
    from tests.factories import make_user

    owner = make_user("bench-owner")
    make_user("bench-reviewer", staff=True)
    now = timezone.now()
    provinces = ["广东省", "四川省", "浙江省", "河南省", "湖北省", "西藏自治区"]
    reasons = [["unemployment"], ["illness", "family"], ["business"], ["income_cut"], [], ["disaster"]]
    products = ["huabei", "jiebei", "credit_card", "other"]
    statuses = ["draft", "ready", "negotiating", "agreed"]
    cases = Case.objects.bulk_create(
        (Case(owner=owner, title=f"案件{i}", province=provinces[i % 6], hardship_reasons=reasons[i % 6],
              status=statuses[i % 4]) for i in range(count)), batch_size=500,
    )
    Debtor.objects.bulk_create(
        (Debtor(case=c, name=f"王{c.pk}", phone=f"139{c.pk:08d}", address="某市某区") for c in cases), batch_size=500
    )
    Debt.objects.bulk_create(
        (Debt(case=c, product=products[c.pk % 4], lender="重庆蚂蚁消费金融有限公司", principal=12000,
              overdue_amount=3000) for c in cases), batch_size=500,
    )
    BudgetLine.objects.bulk_create(
        (BudgetLine(case=c, kind=kind, category=cat, amount=amount)
         for c in cases for kind, cat, amount in [("income", "salary", 5200), ("expense", "housing", 1800)]),
        batch_size=500,
    )
    Letter.objects.bulk_create(
        (Letter(case=c, kind="negotiation_request", status=Letter.Status.IN_REVIEW, content_hash=str(c.pk),
                submitted_at=now - timedelta(minutes=i)) for i, c in enumerate(cases) if i % 2 == 0),
        batch_size=500,
    )
    Case.objects.update_waiting_since()  # what Letter.submit_for_review does for each
    print(f"{count} cases made through the ORM (each with a debtor, a debt and two budget lines; half waiting "
          "for review)")


if __name__ == "__main__":
    main()
