"""Load test: N users walk the wizard, view the proposal and download a letter
against gunicorn + PostgreSQL on 127.0.0.1, driven by locust (headless).

    .venv/bin/python -m pip install -r bench/requirements.txt
    .venv/bin/python bench/load.py --users 20 --seconds 60

It creates its own database (``negotiator_load`` by default; --database-url to
change), one user with a complete case per simulated user, renders each user's
letter once (so downloads come from the cache, as in production), starts
gunicorn with production settings and negotiator/gunicorn.conf.py, runs locust and prints requests/s and
p50/p95/p99 per page. The pages are measured for --seconds once every user has
signed in (the logins, slow by design, are reported apart); locust's own time
limit bounds the whole run at --seconds + 120 s. Only loopback addresses are
used. The CPU the server's processes and locust used is printed too: they all
share this machine's cores. GUNICORN_EXTRA adds options to gunicorn's command
line, for experiments (e.g. GUNICORN_EXTRA="--threads 2").
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def production_env(database_url: str, var_dir: Path) -> dict:
    from cryptography.fernet import Fernet

    env = dict(os.environ)
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        NEGOTIATOR_VAR_DIR=str(var_dir),
        PRIVATE_MEDIA_ROOT=str(var_dir / "private"),
        STATIC_ROOT=str(var_dir / "static"),
        FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        SECURE_SSL_REDIRECT="0",
        TASK_BACKEND="immediate",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="negotiator.settings",
        PYTHONPATH=str(ROOT),
    )
    return env


def recreate_database(database_url: str) -> None:
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def prepare(env: dict, users: int, plan_file: Path, password: str) -> None:
    """Migrate, create users with complete cases, warm the letter cache; write the URLs to visit."""
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [python, "bench/load_fixtures.py", str(users), password, str(plan_file)], cwd=ROOT, env=env, check=True
    )


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except Exception:
            time.sleep(0.3)
    raise SystemExit(f"server at {url} did not answer within {seconds} s")


def cpu_seconds() -> dict[str, float]:
    """CPU time (user + system) used so far by the server's processes, read from /proc.
    A process's count includes its children that have exited (a PostgreSQL backend
    ends when gunicorn drops a connection; its time is then the postmaster's)."""
    tick = os.sysconf("SC_CLK_TCK")
    totals = {"gunicorn": 0.0, "postgres": 0.0}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used = sum(int(value) for value in fields[11:15]) / tick  # utime, stime, cutime, cstime
        program = cmdline.split(b"\0")[0]
        if b"gunicorn" in cmdline:
            totals["gunicorn"] += used
        elif program.startswith(b"postgres") or program.endswith(b"/postgres"):
            totals["postgres"] += used
    return totals


def steal_seconds() -> float:
    """Time the hypervisor gave this virtual machine's cores to others (the "st" of vmstat):
    when it is large, the run measured a machine shared with someone else's load."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()
    return int(fields[8]) / os.sysconf("SC_CLK_TCK") if len(fields) > 8 else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    # One sync worker per core: PostgreSQL and locust share this machine's cores, and
    # with more workers than cores every query's round trip waits for a time slice
    # (docs/performance.md).
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/negotiator_load")
    args = parser.parse_args()
    if shutil.which("locust", path=str(Path(sys.executable).parent)) is None:
        raise SystemExit("locust is not installed: .venv/bin/python -m pip install -r bench/requirements.txt")
    if not (1 <= args.users <= 200 and 5 <= args.seconds <= 600):
        raise SystemExit("keep the load bounded: --users 1..200, --seconds 5..600")

    var_dir = Path(tempfile.mkdtemp(prefix="negotiator-load-"))
    env = production_env(args.database_url, var_dir)
    recreate_database(args.database_url)
    plan_file = var_dir / "plan.json"
    password = secrets.token_urlsafe(16)  # a throwaway database's users: a new password each run
    prepare(env, args.users, plan_file, password)

    host = f"http://127.0.0.1:{args.port}"
    gunicorn = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", str(ROOT / "negotiator/gunicorn.conf.py"),
         "negotiator.wsgi", "-b", f"127.0.0.1:{args.port}",
         "-w", str(args.workers), *os.environ.get("GUNICORN_EXTRA", "").split(), "--access-logfile", "/dev/null", "--error-logfile", str(var_dir / "gunicorn.log")],
        cwd=ROOT, env=env,
    )
    try:
        wait_for(host + "/")
        csv_prefix = var_dir / "locust"
        before, children, steal = cpu_seconds(), os.times(), steal_seconds()
        started = time.monotonic()
        subprocess.run(
            [str(Path(sys.executable).parent / "locust"), "-f", str(ROOT / "bench/locustfile.py"), "--headless",
             "-u", str(args.users), "-r", str(max(1, args.users // 4)), "-t", f"{args.seconds + 120}s",
             "--host", host, "--csv", str(csv_prefix), "--only-summary", "--stop-timeout", "5"],
            cwd=ROOT, check=False,
            env={**env, "LOAD_PLAN": str(plan_file), "LOAD_PASSWORD": password, "LOAD_USERS": str(args.users),
                 "LOAD_SECONDS": str(args.seconds), "LOAD_LOGINS": str(var_dir / "logins.json")},
        )
        elapsed = time.monotonic() - started
        after, children_after = cpu_seconds(), os.times()
        used = {name: after[name] - before[name] for name in after}
        used["locust"] = (children_after.children_user + children_after.children_system
                          - children.children_user - children.children_system)
        used["stolen by the hypervisor"] = steal_seconds() - steal
        report(csv_prefix.with_name("locust_stats.csv"), args)
        logins = json.loads((var_dir / "logins.json").read_text())
        print(f"Before the measured period: {logins['count']} users signed in, login page + post median "
              f"{logins['median_ms']:.0f} ms, slowest {logins['max_ms']:.0f} ms (password hashing, by design)")
        print("CPU used during the run (of " f"{elapsed * os.cpu_count():.0f} core-seconds): "
              + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in used.items()))
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=20)
        shutil.rmtree(var_dir, ignore_errors=True)
    return 0


def report(stats_csv: Path, args) -> None:
    import csv

    rows = list(csv.DictReader(stats_csv.open()))
    print(f"\nLoad test: {args.users} users, all signed in, for {args.seconds} s; gunicorn {args.workers} workers, "
          f"PostgreSQL, {os.cpu_count()} cores")
    print(f"{'page':<28}{'requests':>9}{'fails':>7}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}")
    for row in rows:
        print(f"{row['Name'][:27]:<28}{row['Request Count']:>9}{row['Failure Count']:>7}"
              f"{float(row['Requests/s']):>8.1f}{row['50%']:>8}{row['95%']:>8}{row['99%']:>8}")
    print(json.dumps({r["Name"]: {"p95_ms": r["95%"], "fails": r["Failure Count"]} for r in rows}))


if __name__ == "__main__":
    sys.exit(main())
