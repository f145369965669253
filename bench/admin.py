"""Render time of the reviewers' changelists with 10,000 cases.

    .venv/bin/python bench/admin.py [--cases 10000] [--runs 7]

Uses a throwaway SQLite database in a temporary folder (never var/), or the
database in DATABASE_URL if you set one you can afford to fill. Target: under
300 ms per changelist page.
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
    parser.add_argument("--runs", type=int, default=7)
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
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from cases.models import BudgetLine, Case, Debt, Debtor, Letter
    from tests.factories import make_user

    setup_test_environment()
    call_command("migrate", verbosity=0)
    owner = make_user("bench-owner")
    boss = make_user("bench-boss", superuser=True)
    now = timezone.now()
    provinces = ["广东省", "四川省", "浙江省", "河南省", "湖北省"]
    reasons = [["unemployment"], ["illness", "family"], ["business"], ["income_cut"], []]
    started = time.perf_counter()
    cases = Case.objects.bulk_create(
        (Case(owner=owner, title=f"案件{i}", province=provinces[i % 5], hardship_reasons=reasons[i % 5])
         for i in range(args.cases)), batch_size=500,
    )
    Debtor.objects.bulk_create(
        (Debtor(case=c, name=f"用户{c.pk}", phone=f"139{c.pk:08d}", address="某市某区") for c in cases), batch_size=500
    )
    Debt.objects.bulk_create(
        (Debt(case=c, product="huabei", lender="重庆蚂蚁消费金融有限公司", principal=12000, overdue_amount=3000)
         for c in cases), batch_size=500,
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
    print(f"{args.cases} cases (each with a debtor, a debt and two budget lines; half waiting for review) "
          f"created in {time.perf_counter() - started:.1f} s on {connection.vendor}")

    client = Client()
    client.force_login(boss)
    pages = {
        "case list": ("/admin/cases/case/", {}),
        "case list, filtered + search": ("/admin/cases/case/", {"hardship": "illness", "product": "huabei",
                                                                "q": "用户", "province": "四川省"}),
        "review queue": ("/admin/cases/caseinreview/", {}),
        "review queue, page 50": ("/admin/cases/caseinreview/", {"p": "50"}),
        "review queue, filtered": ("/admin/cases/caseinreview/", {"waiting": "gt7", "hardship": "illness"}),
    }
    for label, (url, params) in pages.items():
        assert client.get(url, params).status_code == 200  # warm-up: templates, caches
        timings = []
        for _ in range(args.runs):
            start = time.perf_counter()
            response = client.get(url, params)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        print(f"{label:32} median {statistics.median(timings):6.1f} ms  (min {min(timings):.1f}, "
              f"max {max(timings):.1f}, {args.runs} runs)")
    tmp.cleanup()


if __name__ == "__main__":
    main()
