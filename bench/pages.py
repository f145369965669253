"""Pages bench: what each page of the load test costs, one request at a time, in
process (Django's test client, production settings, one user with the demo case,
its negotiation request rendered once so the PDF is served from the cache).

    .venv/bin/python bench/pages.py [--runs 40]                  # SQLite, throwaway folder
    .venv/bin/python bench/pages.py --database-url postgres://postgres@127.0.0.1:5432/negotiator_pages
    .venv/bin/python bench/pages.py --instructions [--pages log,proposal]   # needs valgrind

For each page it prints the median and minimum wall time and CPU time of
``--runs`` requests (after two warm-up requests) and the SQL queries one request
runs. On this shared virtual machine those times move by up to a half from one
minute to the next; ``--instructions`` adds the instructions one request executes,
counted by valgrind's callgrind (requests 10 times minus 0 times, divided by 10):
that count repeats to within about 1 %, whatever else the machine is doing, so it
shows whether a change made a page cheaper. It takes ~1.5 min per page.

A PostgreSQL database named in --database-url is dropped and created again.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from load import prepare, production_env, recreate_database  # noqa: E402

INSTRUCTION_REQUESTS = 10


def child(plan_file: str, pages: list[str], runs: int) -> None:
    """Runs in a process of its own with the production settings in its environment."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    plan = json.loads(Path(plan_file).read_text())[0]
    client = Client(HTTP_X_FORWARDED_PROTO="https", secure=True)
    client.force_login(get_user_model().objects.get(username=plan["username"]))
    for name in pages:
        url = plan["pages"][name]
        for _ in range(2):
            assert client.get(url).status_code == 200, name
        count_only = os.environ.get("BENCH_COUNT_ONLY")
        if count_only is not None:  # under callgrind: only the requests, nothing else
            for _ in range(int(count_only)):
                client.get(url)
            continue
        queries = []

        def count(execute, sql, params, many, context):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            client.get(url)
        wall, cpu = [], []
        for _ in range(runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            client.get(url)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        print(json.dumps({"page": name, "wall_median": statistics.median(wall), "wall_min": min(wall),
                          "cpu_median": statistics.median(cpu), "cpu_min": min(cpu), "queries": len(queries)}),
              flush=True)


def instructions(env: dict, plan_file: Path, page: str) -> float:
    """Millions of instructions one request to ``page`` executes (callgrind)."""
    totals = []
    for requests in (0, INSTRUCTION_REQUESTS):
        result = subprocess.run(
            ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, __file__,
             "--child", str(plan_file), "--pages", page, "--runs", "0"],
            cwd=ROOT, env={**env, "BENCH_COUNT_ONLY": str(requests), "PYTHONHASHSEED": "0"},
            capture_output=True, text=True, check=True,
        )
        totals.append(int(re.search(r"Collected : (\d+)", result.stderr).group(1)))
    return (totals[1] - totals[0]) / INSTRUCTION_REQUESTS / 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--pages", help="comma-separated page names (default: all the load test's pages)")
    parser.add_argument("--database-url", help="a PostgreSQL database to use (dropped and created again)")
    parser.add_argument("--instructions", action="store_true", help="count instructions with callgrind")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.pages.split(","), args.runs)
        return 0
    if not 1 <= args.runs <= 1000:
        raise SystemExit("--runs: 1..1000")
    if args.instructions and shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind: sudo apt-get install -y valgrind")

    var_dir = Path(tempfile.mkdtemp(prefix="negotiator-pages-"))
    try:
        database_url = args.database_url or f"sqlite:///{var_dir / 'db.sqlite3'}"
        env = {**production_env(database_url, var_dir), "ALLOWED_HOSTS": "testserver"}
        if args.database_url:
            recreate_database(database_url)
        plan_file = var_dir / "plan.json"
        prepare(env, 1, plan_file, secrets.token_urlsafe(16))  # the bench logs in with force_login
        known = list(json.loads(plan_file.read_text())[0]["pages"])
        pages = args.pages.split(",") if args.pages else known
        if unknown := [name for name in pages if name not in known]:
            raise SystemExit(f"unknown page {', '.join(unknown)}; the pages are: {', '.join(known)}")
        engine = "PostgreSQL" if args.database_url else "SQLite"
        print(f"Pages, one request at a time, in process; {engine}; {args.runs} requests each "
              f"(load average {os.getloadavg()[0]:.2f})")
        header = f"{'page':<18}{'wall median':>12}{'wall min':>10}{'CPU median':>12}{'CPU min':>9}{'queries':>9}"
        print(header + ("  instructions" if args.instructions else ""))
        result = subprocess.run([sys.executable, __file__, "--child", str(plan_file), "--pages", ",".join(pages),
                                 "--runs", str(args.runs)], cwd=ROOT, env=env, capture_output=True, text=True,
                                check=True)
        for line in result.stdout.splitlines():
            row = json.loads(line)
            text = (f"{row['page']:<18}{row['wall_median']:>9.1f} ms{row['wall_min']:>7.1f} ms"
                    f"{row['cpu_median']:>9.1f} ms{row['cpu_min']:>6.1f} ms{row['queries']:>9}")
            if args.instructions:
                text += f"{instructions(env, plan_file, row['page']):>10.1f} M"
            print(text, flush=True)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
