"""Creates the load test's users, each with the complete demo case (its letters
rendered once, so downloads are served from the cache), and writes the URLs each
simulated user visits. Called by bench/load.py with the production settings."""

import json
import sys

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.urls import reverse  # noqa: E402

from cases.demo.parts import build_demo_case  # noqa: E402
from cases.letters.pdf import ensure_pdf  # noqa: E402
from cases.models import Letter  # noqa: E402

WIZARD = ["intake_about", "intake_debts", "intake_budget", "intake_hardship", "intake_evidence", "intake_review"]


def main(count: int, password: str, plan_path: str) -> None:
    User = get_user_model()
    plan = []
    for n in range(count):
        user, created = User.objects.get_or_create(username=f"load{n:03d}")
        if created:
            user.set_password(password)
            user.save()
        case = build_demo_case(user)
        letter = Letter.objects.filter(case=case, kind="negotiation_request").order_by("-version").first()
        pages = {"dashboard": reverse("dashboard"), "case": reverse("case_detail", args=[case.pk])}
        pages.update({name: reverse(name, args=[case.pk]) for name in WIZARD})
        pages["proposal"] = reverse("proposal", args=[case.pk])
        pages["log"] = reverse("log", args=[case.pk])
        if letter:
            ensure_pdf(letter)  # served from the cache during the run, as in production
            pages["letter_pdf"] = reverse("letter_pdf", args=[case.pk, letter.kind, letter.version])
        plan.append({"username": user.username, "pages": pages})
    with open(plan_path, "w") as fh:
        json.dump(plan, fh)
    print(f"prepared {count} users with complete cases")


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2], sys.argv[3])
