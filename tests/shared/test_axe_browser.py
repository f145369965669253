"""axe-core (bundled by the PyPI package axe-playwright-python, no CDN) on every debtor page, empty, filled and
with errors, and on the reviewer's queue and review page, at phone size: zero violations (issue 17)."""

from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from cases.demo.parts import build_demo_case
from cases.models import AuditEvent, pseudonym
from cases.lenders import CASE_WIDE, lenders_of
from cases.letters.kinds import KINDS, SLUGS

from ..factories import make_case, make_user
from ..log_fixtures import make_contact
from ..review_fixtures import group_reviewer, reviewers_group  # noqa: F401
from .test_forms_browser import page  # noqa: F401  (a refused form's 400 is not a console error)
from .test_words_zh import with_an_agreement

# No serialized_rollback: after an earlier live-server test's flush recreated the content types, reloading the
# serialized ones collides with them; the Reviewers group is recreated by its fixture (review_fixtures.py).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Axe()


def log_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                               "url": live_server.url}])


def violations(page) -> list[str]:
    results = AXE.run(page)
    return [f"{page.url}: {v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(node["target"][0] if isinstance(node["target"][0], str) else str(node["target"])
                        for node in v["nodes"][:3])
            for v in results.response["violations"]]


def check(page, url: str) -> list[str]:
    page.goto(url)
    return violations(page)


def test_every_debtor_page_filled_has_no_axe_violation(page, live_server):
    owner = make_user("axeowner")
    case = build_demo_case(owner)
    with_an_agreement(case)  # the log shows the agreed plan and its check-in form
    log_in(page, live_server, owner)
    urls = [reverse("dashboard"), reverse("account"), reverse("password_change"), reverse("account_delete"),
            reverse("reminders")]
    urls += [reverse(name, args=[case.pk]) for name in (
        "case_detail", "intake_about", "intake_debts", "intake_budget", "intake_hardship", "intake_evidence",
        "intake_review", "proposal", "log", "timeline", "letters_index", "case_privacy", "case_delete",
        "lawsuits")]
    urls += [reverse("letter_kind", args=[case.pk, slug]) for slug in SLUGS]
    # Letters per lender, the call cards and the lawsuits (issues 15 and 18): every kind for one lender, one
    # kind for every lender.
    lenders = lenders_of(case.debts.all())
    urls += [reverse("letter_page", args=[case.pk, slug, CASE_WIDE.url_slug if KINDS[slug].case_wide else lenders[0].slug])
             for slug in SLUGS]
    urls += [reverse("letter_page", args=[case.pk, "negotiation_request", lender.slug]) for lender in lenders[1:]]
    urls += [reverse("call_card", args=[case.pk, lender.slug]) for lender in lenders]
    urls += [reverse("lawsuit_edit", args=[case.pk, suit.pk]) for suit in case.lawsuits.all()]
    # Not the letter preview (letter_preview): it is the letter document itself, the print layout the PDF is
    # made from, with a faint 草稿 watermark by design; the debtor reads it through letter_kind's page.
    found = [problem for url in urls for problem in check(page, url)]
    assert not found, "\n".join(found)


def test_every_debtor_page_empty_and_with_errors_has_no_axe_violation(page, live_server):
    owner = make_user("axeempty")
    case = make_case(owner, consent=False, province="", city="")
    log_in(page, live_server, owner)
    found = []
    for url in [reverse("landing"), reverse("dashboard"), reverse("intake_about", args=[case.pk])]:
        found += check(page, url)
    page.click("main form button[type=submit]")  # consent not ticked
    found += violations(page)
    page.check("#id_agree")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**{reverse('intake_about', args=[case.pk])}")
    found += violations(page)
    page.click("main form.wizard-form button.primary")  # everything empty
    found += violations(page)
    case.completed_steps = ["about"]
    case.save(update_fields=["completed_steps"])
    found += check(page, reverse("intake_debts", args=[case.pk]))
    page.click("#debts-form button.primary")
    found += violations(page)
    case.completed_steps = ["about", "debts"]
    case.save(update_fields=["completed_steps"])
    found += check(page, reverse("intake_budget", args=[case.pk]))
    page.fill("input[name=amount_food]", "-1800")
    page.click("#budget-form button.primary")
    found += violations(page)
    case.completed_steps = ["about", "debts", "budget"]
    case.save(update_fields=["completed_steps"])
    found += check(page, reverse("intake_hardship", args=[case.pk]))
    page.click("main form.wizard-form button.primary")
    found += violations(page)
    assert not found, "\n".join(found)


def test_the_new_forms_with_errors_have_no_axe_violation(page, live_server):
    """Finance v2's own monthly amount, the lawsuit form and the reminders (issues 14, 15, 18), refused."""
    owner = make_user("axenewforms")
    case = build_demo_case(owner)
    log_in(page, live_server, owner)
    found = check(page, reverse("proposal", args=[case.pk]))
    page.fill("form.own-amount input[name=monthly_offer]", "-5")
    page.click("form.own-amount button[type=submit]")
    page.wait_for_selector(".error-summary")
    found += violations(page)
    found += check(page, reverse("lawsuits", args=[case.pk]))
    page.fill("#id_claim_total", "abc")
    page.click("main form button.primary")
    page.wait_for_selector(".error-summary")
    found += violations(page)
    found += check(page, reverse("reminders"))
    page.check("#id_email_opt_in")
    page.fill("#id_email", "")
    page.click("main form:last-of-type button.primary")
    page.wait_for_selector(".error-summary")
    found += violations(page)
    assert not found, "\n".join(found)


def test_public_pages_and_their_errors_have_no_axe_violation(page, live_server):
    found = []
    for url in [reverse("landing"), reverse("login"), reverse("signup"), reverse("password_reset"),
                reverse("recover")]:
        found += check(page, url)
    page.click("main form button[type=submit]")  # the recovery form, empty
    found += violations(page)
    page.goto(reverse("signup"))
    page.click("main form button[type=submit]")
    found += violations(page)
    page.goto(reverse("login"))
    page.fill("#id_username", "nobody")
    page.fill("#id_password", "wrong")
    page.click("main form button[type=submit]")
    found += violations(page)
    assert not found, "\n".join(found)


def test_the_review_queue_and_review_page_have_no_axe_violation(page, live_server, group_reviewer):
    owner = make_user("axereviewed")
    case = build_demo_case(owner)
    log_in(page, live_server, group_reviewer)
    found = check(page, "/admin/cases/caseinreview/")
    found += check(page, reverse("admin:cases_case_review", args=[case.pk]))
    found += check(page, reverse("admin:index"))
    assert not found, "\n".join(found)


def test_the_charges_check_in_and_offer_forms_with_errors_have_no_axe_violation(page, live_server):
    """The forms that now answer with the error summary (issue 17's gaps): the charges on a bill, the monthly
    check-in on the log and on the dashboard, recording an offer as agreed."""
    owner = make_user("axegaps")
    case = build_demo_case(owner)
    agreement = with_an_agreement(case)
    for debt in case.debts.all():  # an offer per debt (one past the time limit gets no form): on the first page
        make_contact(case, outcome="offer", offer_monthly=Decimal("100.00"), offer_months=12, debts=[debt],
                     occurred_at=timezone.now())
    debt = case.debts.first()
    log_in(page, live_server, owner)
    found = check(page, reverse("debt_charges", args=[case.pk, debt.pk]))
    page.fill("input[name='line-0-amount']", "1.2万")
    page.click("#bill-form button.primary")
    page.wait_for_selector(".error-summary")
    found += violations(page)
    for url in (reverse("log", args=[case.pk]), reverse("dashboard")):
        found += check(page, url)
        form = page.locator(f"#check-in-{agreement.pk}")
        form.locator("input[value=short]").check()
        form.locator("button[type=submit]").click()
        page.wait_for_selector(".error-summary")
        found += violations(page)
    found += check(page, reverse("log", args=[case.pk]))
    accept = page.locator("form.accept-offer").first
    expect(accept).to_be_visible()
    accept.locator("input[name=first_due]").fill("1999-01-01")
    accept.locator("button[type=submit]").click()
    page.wait_for_selector(".error-summary")
    found += violations(page)
    assert not found, "\n".join(found)


def test_the_superuser_s_admin_pages_have_no_axe_violation(page, live_server, django_user_model):
    owner = make_user("axeaudit")
    case = build_demo_case(owner)
    boss = django_user_model.objects.create_superuser("axeboss", "boss@example.com", "x-Very-long-pw-123")
    log_in(page, live_server, boss)
    found = []
    for url in [reverse("admin:index"), reverse("admin:cases_auditevent_changelist"),
                reverse("admin:auth_group_changelist"), reverse("admin:app_list", args=["axes"])]:
        found += check(page, url)
    entry = AuditEvent.objects.filter(case_ref__endswith=pseudonym("case", case.pk)[5:]).first()
    found += check(page, reverse("admin:cases_auditevent_change", args=[entry.pk]))
    assert not found, "\n".join(found)
