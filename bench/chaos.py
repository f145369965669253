"""Reliability run: N users work on their cases against gunicorn + PostgreSQL + the
database task worker (django-tasks-db ``db_worker``) on 127.0.0.1 for a bounded
time, while a gunicorn worker or the task runner is killed (SIGKILL) at random.

    .venv/bin/python bench/chaos.py --users 8 --seconds 300

Each simulated user (a thread with its own cookie jar) signs in and, in a loop,
reads their pages, logs contacts (sometimes submitting the same form twice),
uploads small photos, regenerates their evidence index and downloads its PDF,
and asks for another user's case, log and evidence. Every page is searched for
the other users' markers (a random string in each case's title and log notes).

Afterwards the task runner is left running, each user's latest letter is asked
for until its PDF comes (a render lost with a killed worker is queued again
after RENDER_REQUEUE_AFTER, 10 s here), and it prints:

- cross-user leaks: pages that showed another user's marker, and other users'
  URLs that answered anything but 404;
- lost rows: contacts and files whose POST was answered with success but that
  are not in the database; double submits that made two entries;
- ``check_storage``: orphaned files, rows without their file, and interrupted
  uploads (named in the upload journal, so not orphans);
- renders: queued PDFs (``LetterRender``), finished, finished exactly once,
  run more than once (a killed worker's render queued again), render tasks
  in the queue table;
- requests, errors caused by the kills, and kills made.

It creates its own database (``negotiator_security`` by default; --database-url)
and a temporary folder, and uses loopback addresses only. Figures only: it
decides nothing (bench/README.md).
"""

import argparse
import http.client
import http.cookiejar
import io
import json
import os
import random
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

KIND = "evidence_index"
TOKEN = re.compile(r'name="form_token" value="([0-9a-f]{32})"')
PDF_LINK = re.compile(rf'href="(/cases/\d+/letters/{KIND}/[\w-]+/v\d+/pdf/)"')


# --- In the application's environment (subprocesses) ----------------------------------------


def prepare(count: int, password: str, plan_path: str) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from cases.demo.parts import build_demo_case
    from cases.letters.context import case_lenders
    from cases.models import Case, Contact

    plan = []
    for n in range(count):
        user = get_user_model().objects.create_user(f"chaos{n:03d}", password=password)
        case = build_demo_case(user)
        marker = f"MARK{n:03d}x{secrets.token_hex(4)}"
        Case.objects.filter(pk=case.pk).update(title=f"案件 {marker}")
        Contact.objects.filter(case=case).update(notes=f"{marker} 演示记录")
        plan.append({"username": user.username, "case": case.pk, "marker": marker,
                     "lender": case_lenders(case)[0].slug,
                     "evidence": list(case.evidence.values_list("pk", flat=True))})
    Path(plan_path).write_text(json.dumps(plan))


def report(plan_path: str, out_path: str) -> None:
    import django

    django.setup()
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from cases.files import dangling_rows, interrupted_uploads, orphaned_files
    from cases.models import Contact, Evidence, LetterRender

    plan = json.loads(Path(plan_path).read_text())
    cases = [row["case"] for row in plan]
    rows = list(LetterRender.objects.values("name", "finished_at", "renders", "attempts", "error"))
    tasks = Counter(
        (row["status"]) for row in DBTaskResult.objects.filter(task_path="cases.tasks.render_letter_pdf").values("status"))
    duplicates = (Contact.objects.filter(case__in=cases).exclude(form_token="").values("case", "form_token")
                  .annotate(n=Count("pk")).filter(n__gt=1).count())
    result = {
        "tokens": list(Contact.objects.filter(case__in=cases).exclude(form_token="").values_list("form_token", flat=True)),
        "hashes": list(Evidence.objects.filter(case__in=cases).values_list("sha256", flat=True)),
        "contacts": Contact.objects.filter(case__in=cases).count(),
        "evidence": Evidence.objects.filter(case__in=cases).count(),
        "duplicate_tokens": duplicates,
        "orphaned_files": orphaned_files(),
        "interrupted_uploads": interrupted_uploads(),
        "dangling_rows": dangling_rows(),
        "renders": {
            "queued": len(rows),
            "finished": sum(1 for r in rows if r["finished_at"]),
            "finished_once": sum(1 for r in rows if r["finished_at"] and r["renders"] == 1),
            "rendered": sum(1 for r in rows if r["finished_at"] and not r["error"]),
            "superseded": sum(1 for r in rows if r["error"] == "superseded"),
            "refused_or_failed": dict(Counter(r["error"] for r in rows if r["error"] not in ("", "superseded"))),
            "run_more_than_once": sum(1 for r in rows if r["attempts"] > 1),
            "unfinished": [r["name"] for r in rows if not r["finished_at"]],
        },
        "render_tasks": dict(tasks),
    }
    Path(out_path).write_text(json.dumps(result, default=str))


# --- The driver -------------------------------------------------------------------------------


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class LoopbackPolicy(http.cookiejar.DefaultCookiePolicy):
    """Production cookies are Secure; on 127.0.0.1 without TLS they are sent all the same."""

    def return_ok_secure(self, cookie, request):
        return True


class Browser:
    """One user's cookie jar; answers are (status, body), a dropped connection is status 0."""

    def __init__(self, host: str):
        self.host = host
        self.jar = http.cookiejar.CookieJar(LoopbackPolicy())
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def _csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def request(self, path: str, data: bytes | None = None, content_type: str = "") -> tuple[int, str]:
        headers = {"Accept-Language": "en"}
        if data is not None:
            headers.update({"X-CSRFToken": self._csrf(), "Content-Type": content_type})
        req = urllib.request.Request(self.host + path, data=data, headers=headers)
        try:
            with self.opener.open(req, timeout=60) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            try:
                return exc.code, exc.read().decode("utf-8", "replace")
            except (OSError, http.client.HTTPException):  # the worker died while answering
                return 0, ""
        except (OSError, http.client.HTTPException):
            return 0, ""

    def get(self, path: str) -> tuple[int, str]:
        return self.request(path)

    def post(self, path: str, fields: dict) -> tuple[int, str]:
        body = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": self._csrf()}).encode()
        return self.request(path, body, "application/x-www-form-urlencoded")

    def upload(self, path: str, fields: dict, name: str, content: bytes, mime: str) -> tuple[int, str]:
        boundary = uuid.uuid4().hex
        parts = []
        for key, value in {**fields, "csrfmiddlewaretoken": self._csrf()}.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                     f"Content-Type: {mime}\r\n\r\n".encode() + content + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(path, b"".join(parts), f"multipart/form-data; boundary={boundary}")


def png(seed: int) -> bytes:
    from PIL import Image

    rng = random.Random(seed)
    out = io.BytesIO()
    Image.frombytes("RGB", (16, 16), bytes(rng.randrange(256) for _ in range(16 * 16 * 3))).save(out, "PNG")
    return out.getvalue()


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts = Counter()
        self.tokens: set[str] = set()
        self.hashes: set[str] = set()
        self.leaks: list[str] = []

    def add(self, key: str, n: int = 1) -> None:
        with self.lock:
            self.counts[key] += n


def user_loop(host: str, me: dict, others: list[dict], password: str, deadline: float, tally: Tally,
              seed: int) -> None:
    import hashlib

    rng = random.Random(seed)
    browser = Browser(host)
    case = me["case"]
    foreign = [o["marker"] for o in others]

    def check(path: str, status: int, body: str) -> None:
        tally.add("requests")
        if status == 0:
            tally.add("dropped connections (killed worker)")
        elif status >= 500:
            tally.add(f"{status} answers")
        for marker in foreign:
            if marker in body:
                with tally.lock:
                    tally.leaks.append(f"{me['username']} saw {marker} on {path}")

    def login() -> bool:
        status, _ = browser.get("/accounts/login/")
        status, _ = browser.post("/accounts/login/", {"username": me["username"], "password": password})
        tally.add("logins")
        return status == 302

    while not login():
        if time.monotonic() > deadline:
            return
        time.sleep(1)
    while time.monotonic() < deadline:
        action = rng.random()
        if action < 0.35:
            path = rng.choice(["/dashboard/", f"/cases/{case}/", f"/cases/{case}/log/", f"/cases/{case}/timeline/",
                               f"/cases/{case}/letters/"])
            status, body = browser.get(path)
            check(path, status, body)
            if status == 302 and "/accounts/login/" in body:
                login()
        elif action < 0.55:
            status, body = browser.get(f"/cases/{case}/log/")
            check("log", status, body)
            match = TOKEN.search(body)
            if not match:
                continue
            fields = {"occurred_at": time.strftime("%Y-%m-%dT%H:%M"), "channel": "hotline", "direction": "outgoing",
                      "outcome": "info", "notes": f"{me['marker']} chaos {rng.random():.6f}",
                      "form_token": match.group(1)}
            for _ in range(2 if rng.random() < 0.3 else 1):  # a double submit now and then
                status, body = browser.post(f"/cases/{case}/log/add/", fields)
                check("contact_add", status, body)
                if status == 302:
                    with tally.lock:
                        tally.tokens.add(match.group(1))
                    tally.add("contact posts answered as saved")
        elif action < 0.7:
            content = png(rng.randrange(1 << 30))
            status, body = browser.upload(f"/cases/{case}/evidence/upload/", {"kind": "other", "note": me["marker"]},
                                          "photo.png", content, "image/png")
            check("evidence_upload", status, body)
            if status == 302:
                with tally.lock:
                    tally.hashes.add(hashlib.sha256(content).hexdigest())
                tally.add("files saved")
            elif status == 400:
                tally.add("uploads refused (limits)")
        elif action < 0.85:
            status, body = browser.post(f"/cases/{case}/letters/{KIND}/{me['lender']}/generate/", {})
            check("letter_generate", status, body)
            status, body = browser.get(f"/cases/{case}/letters/{KIND}/{me['lender']}/")
            check("letter_page", status, body)
            link = PDF_LINK.search(body)
            for _ in range(rng.randrange(1, 4)) if link else ():
                status, body = browser.get(link.group(1))
                tally.add("requests")
                tally.add("pdf ready" if status == 200 else "pdf not ready yet" if status == 302 else f"pdf {status}")
        else:
            other = rng.choice(others)
            for path in (f"/cases/{other['case']}/", f"/cases/{other['case']}/log/",
                         f"/cases/{other['case']}/evidence/{other['evidence'][0]}/"):
                status, body = browser.get(path)
                check(path, status, body)
                if status not in (0, 404):
                    with tally.lock:
                        tally.leaks.append(f"{me['username']} got {status} for {path} ({other['username']}'s)")


def children_of(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--kill-every", type=float, default=10.0, help="mean seconds between kills")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/negotiator_security")
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    if not (2 <= args.users <= 50 and 10 <= args.seconds <= 900):
        raise SystemExit("keep it bounded: --users 2..50, --seconds 10..900")
    from load import production_env, recreate_database, wait_for

    rng = random.Random(args.seed)
    var_dir = Path(tempfile.mkdtemp(prefix="negotiator-chaos-"))
    env = production_env(args.database_url, var_dir)
    env.update(TASK_BACKEND="database", RENDER_REQUEUE_AFTER="10", REVIEW_ASSIGNED_ONLY="1")
    recreate_database(args.database_url)
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    password = secrets.token_urlsafe(16)
    plan_file, report_file = var_dir / "plan.json", var_dir / "report.json"
    subprocess.run([python, __file__, "--prepare", str(args.users), password, str(plan_file)], cwd=ROOT, env=env,
                   check=True)
    plan = json.loads(plan_file.read_text())

    host = f"http://127.0.0.1:{args.port}"
    logs = open(var_dir / "server.log", "w")
    gunicorn = subprocess.Popen(
        [str(Path(python).parent / "gunicorn"), "-c", str(ROOT / "negotiator/gunicorn.conf.py"), "negotiator.wsgi",
         "-b", f"127.0.0.1:{args.port}", "-w", str(args.workers), "--access-logfile", "/dev/null"],
        cwd=ROOT, env=env, stdout=logs, stderr=logs)

    def start_runner():
        return subprocess.Popen([python, "manage.py", "db_worker", "--queue-name", "*", "--interval", "0.5",
                                 "--no-reload"], cwd=ROOT, env=env, stdout=logs, stderr=logs)

    runner = start_runner()
    kills = Counter()
    tally = Tally()
    try:
        wait_for(host + "/")
        deadline = time.monotonic() + args.seconds
        threads = [threading.Thread(target=user_loop, daemon=True, args=(
            host, me, [o for o in plan if o is not me], password, deadline, tally, args.seed * 1000 + n))
            for n, me in enumerate(plan)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        while time.monotonic() < deadline:
            time.sleep(min(rng.expovariate(1 / args.kill_every), max(0.0, deadline - time.monotonic())))
            if time.monotonic() >= deadline:
                break
            if rng.random() < 0.5:
                workers = children_of(gunicorn.pid)
                if workers:
                    os.kill(rng.choice(workers), signal.SIGKILL)
                    kills["gunicorn worker"] += 1
            else:
                runner.kill()
                runner.wait()
                kills["task runner"] += 1
                time.sleep(rng.uniform(0.5, 3))
                runner = start_runner()
        for thread in threads:
            thread.join(timeout=120)
        elapsed = time.monotonic() - started

        # Drain: every user's latest letter until its PDF is there (lost renders are queued again).
        settle_started = time.monotonic()
        waiting = {me["username"]: me for me in plan}
        browsers = {}
        while waiting and time.monotonic() - settle_started < 180:
            for username, me in list(waiting.items()):
                browser = browsers.setdefault(username, Browser(host))
                if not any(c.name == "sessionid" for c in browser.jar):
                    browser.get("/accounts/login/")
                    browser.post("/accounts/login/", {"username": username, "password": password})
                status, body = browser.get(f"/cases/{me['case']}/letters/{KIND}/{me['lender']}/")
                link = PDF_LINK.search(body)
                if status == 200 and (not link or browser.get(link.group(1))[0] == 200):
                    del waiting[username]
            time.sleep(2)
        time.sleep(3)
        subprocess.run([python, __file__, "--report", str(plan_file), str(report_file)], cwd=ROOT, env=env,
                       check=True)
        result = json.loads(report_file.read_text())
    finally:
        runner.kill()
        gunicorn.send_signal(signal.SIGTERM)
        try:
            gunicorn.wait(timeout=20)
        except subprocess.TimeoutExpired:
            gunicorn.kill()
        logs.close()

    lost_contacts = sorted(tally.tokens - set(result["tokens"]))
    lost_files = sorted(tally.hashes - set(result["hashes"]))
    renders = result["renders"]
    print(f"\nChaos run: {args.users} users for {elapsed:.0f} s against gunicorn ({args.workers} workers) + "
          f"PostgreSQL + db_worker, {os.cpu_count()} cores; kills: "
          + ", ".join(f"{name} {n}" for name, n in sorted(kills.items())))
    print("requests: " + ", ".join(f"{key} {n}" for key, n in sorted(tally.counts.items())))
    print(f"cross-user leaks: {len(tally.leaks)}" + "".join(f"\n  {leak}" for leak in tally.leaks[:20]))
    print(f"lost rows: {len(lost_contacts)} contacts, {len(lost_files)} files (of {len(tally.tokens)} contacts and "
          f"{len(tally.hashes)} files answered as saved; in the database {result['contacts']} contacts, "
          f"{result['evidence']} files); double submits that made two entries: {result['duplicate_tokens']}")
    print(f"check_storage: {len(result['orphaned_files'])} orphaned files, {len(result['dangling_rows'])} rows "
          f"without their file, {len(result['interrupted_uploads'])} interrupted uploads (a worker killed between "
          "storing a file and inserting its row: named in the upload journal, removed by --delete-orphans)" + "".join(f"\n  {name}" for name in result["orphaned_files"][:20])
          + "".join(f"\n  {row}" for row in result["dangling_rows"][:20]))
    print(f"renders: {renders['queued']} queued, {renders['finished']} finished, {renders['finished_once']} finished "
          f"exactly once, {renders['rendered']} rendered, {renders['superseded']} superseded by a newer draft, "
          f"{renders['refused_or_failed']} refused or failed, {renders['run_more_than_once']} run again after a "
          f"kill, unfinished: {len(renders['unfinished'])}; render tasks by status: {result['render_tasks']}")
    print(f"letters still without a PDF after the drain: {len(waiting)}")
    shutil.rmtree(var_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--prepare":
        sys.path.insert(0, str(ROOT))
        prepare(int(sys.argv[2]), sys.argv[3], sys.argv[4])
    elif len(sys.argv) > 1 and sys.argv[1] == "--report":
        sys.path.insert(0, str(ROOT))
        report(sys.argv[2], sys.argv[3])
    else:
        sys.exit(main())
