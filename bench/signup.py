"""How long sign-up answers a free name and a taken one (issue 16: no account enumeration by timing).

    .venv/bin/python bench/signup.py [--runs 15]

Three answers, each a POST to the sign-up page through Django's test client with the production
password hasher, on a throwaway SQLite database in a temporary folder (never var/):
- "free name": a log-in try with it (Django's stand-in hash), then a new account, the name with
  four digits added (a password hash and the recovery code's), logged in;
- "taken name, other password": the same (the log-in try hashes for real and django-axes counts
  it), and the same answer (decision 025);
- "taken name, its password": its owner is logged in (one hash), an answer only the owner gets.
Each run uses a fresh address so the per-address pause never triggers; the three are interleaved. Prints the median and the
spread of each; the target is that the first two do not differ by more than the spread.
"""

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# A throwaway password for the bench's own accounts in a temporary database, new on every run.
PASSWORD = secrets.token_urlsafe(16)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="neg-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "negotiator.settings")
    os.environ["NEGOTIATOR_VAR_DIR"] = tmp.name
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp.name}/bench.sqlite3"

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.SIGNUP_ADDRESS_LIMIT = settings.AXES_ACCOUNT_FAILURE_LIMIT = 10**6
    call_command("migrate", verbosity=0)
    owner = get_user_model().objects.create_user("taken-name", password=PASSWORD)

    def post(username: str, password: str, n: int) -> float:
        client = Client()
        started = time.perf_counter()
        response = client.post("/accounts/signup/", {"username": username, "password1": password,
                                                     "password2": password}, REMOTE_ADDR=f"127.{n // 65536}.{n // 256 % 256}.{n % 256}")
        elapsed = time.perf_counter() - started
        assert response.status_code == 302, response.status_code  # every answer timed here is a redirect
        return elapsed

    cases = {
        "free name": lambda n: post(f"newcomer-{n}", PASSWORD, n),
        "taken name, other password": lambda n: post(owner.username, "another-quiet-guess-9", n),
        "taken name, its password": lambda n: post(owner.username, PASSWORD, n),
    }
    hasher = settings.PASSWORD_HASHERS[0].rsplit(".", 1)[-1]
    print(f"sign-up POST, {args.runs} runs each after one warm-up, hasher {hasher}")
    counter = iter(range(1, 10**6))
    times = {label: [] for label in cases}
    for label, run in cases.items():
        run(next(counter))
    # Interleaved, so a change in the machine's load weighs on every answer alike.
    for _ in range(args.runs):
        for label, run in cases.items():
            times[label].append(run(next(counter)))
    for label, taken in times.items():
        print(f"  {label:<28} median {statistics.median(taken) * 1000:7.1f} ms  "
              f"(min {min(taken) * 1000:.1f}, max {max(taken) * 1000:.1f})")


if __name__ == "__main__":
    main()
