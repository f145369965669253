"""Locust user for bench/load.py: log in, walk the wizard, view the proposal,
download a letter. Bounded by locust's -t; talks only to --host (127.0.0.1).

FastHttpUser (geventhttpclient) rather than HttpUser (requests): locust shares
the server's two cores, and the requests-based client spends several times the
CPU per request that the pages themselves take.

The pages are measured at full load: every user signs in first (a login hashes
the password, about a second of CPU by design, so twenty of them fill both cores for a
while); once the last one is in, the statistics are reset, the login times are
written to LOAD_LOGINS, and the run goes on for LOAD_SECONDS."""

import itertools
import json
import os
import re
import statistics
import time

import gevent
from gevent.event import Event

from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

PLAN = json.load(open(os.environ["LOAD_PLAN"]))
PASSWORD = os.environ["LOAD_PASSWORD"]
_next = itertools.count()
USERS = int(os.environ["LOAD_USERS"])
SECONDS = int(os.environ["LOAD_SECONDS"])
_logins: list[float] = []
_all_signed_in = Event()
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Debtor(FastHttpUser):
    """Production runs behind a TLS-terminating proxy that sets X-Forwarded-Proto;
    this client talks plain HTTP to gunicorn as that proxy would. Its cookies are
    Secure, which a client only sends over https, so it sends them explicitly."""

    wait_time = between(0.5, 1.5)

    def headers(self, **extra):
        cookie = "; ".join(f"{c.name}={c.value}" for c in self.client.cookiejar)
        return {"X-Forwarded-Proto": "https", "Cookie": cookie, **extra}

    def on_start(self):
        me = PLAN[next(_next) % len(PLAN)]
        self.pages = me["pages"]
        started = time.perf_counter()
        login = self.client.get("/accounts/login/", name="login (form)", headers=self.headers())
        token = CSRF.search(login.text).group(1)
        response = self.client.post(
            "/accounts/login/",
            {"username": me["username"], "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers=self.headers(Referer=self.host.replace("http://", "https://") + "/accounts/login/"),
            name="login (post)",
            allow_redirects=False,
        )
        if response.status_code != 302 or response.headers.get("Location") != "/dashboard/":
            raise RuntimeError(f"login failed for {me['username']}: HTTP {response.status_code}")
        _logins.append((time.perf_counter() - started) * 1000)
        if len(_logins) == USERS:
            self.measure_from_now()
        _all_signed_in.wait()

    def measure_from_now(self):
        with open(os.environ["LOAD_LOGINS"], "w") as fh:
            json.dump({"count": len(_logins), "median_ms": statistics.median(_logins), "max_ms": max(_logins)}, fh)
        self.environment.stats.reset_all()
        _all_signed_in.set()
        gevent.spawn_later(SECONDS, self.environment.runner.quit)

    def view(self, name):
        with self.client.get(self.pages[name], name=name, headers=self.headers(), catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{name}: HTTP {response.status_code}")

    @task(3)
    def walk_wizard(self):
        for name in ("intake_about", "intake_debts", "intake_budget", "intake_hardship", "intake_evidence",
                     "intake_review"):
            self.view(name)

    @task(3)
    def proposal(self):
        self.view("proposal")

    @task(2)
    def dashboard_and_log(self):
        self.view("dashboard")
        self.view("case")
        self.view("log")

    @task(2)
    def letter(self):
        if "letter_pdf" in self.pages:
            self.view("letter_pdf")
