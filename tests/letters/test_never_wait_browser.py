"""The user never waits for a PDF (issue 21), in a real phone-sized Chromium: choose a plan →
write letters (each click answers at once: the render is only queued) → the letters page shows
every PDF being prepared, then ready, by itself (htmx polling that stops), without a click.

The renders are run by django-tasks-db's own worker code (``db_worker``'s ``Worker``, in batch
mode), in this process: it then shares the test's database whatever it is (SQLite in memory or
PostgreSQL). The worker's forked, limited render and a real ``db_worker`` process are covered by
``test_worker_crash.py``; here the subject is the page, which never renders and never blocks."""

import pytest
from django.urls import reverse
from django_tasks_db.management.commands.db_worker import Worker
from playwright.sync_api import expect

from cases.letters import versions
from cases.lenders import lender_slug
from cases.models import Case, LetterRender, Proposal
from cases.tasks import LETTERS_QUEUE

from ..conftest import log_in
from ..letters_fixtures import make_letter_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LENDER = lender_slug("重庆蚂蚁消费金融有限公司")  # the fixtures' one lender
KINDS = ["hardship_statement", "negotiation_request", "evidence_index"]


@pytest.fixture
def queued_renders(settings):
    """The production backend: an enqueued render waits in the database for a worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", LETTERS_QUEUE]}}


def _run_letters_worker() -> None:
    Worker(queue_names=[LETTERS_QUEUE], interval=0, batch=True, backend_name="default", startup_delay=False,
           max_tasks=None, worker_id="browser-test", excluded_queue_names=[]).run()


def test_choose_a_plan_write_letters_and_every_pdf_becomes_ready_without_a_click(page, owner, queued_renders):
    case = make_letter_case(owner, with_proposal=False)
    case.set_status(Case.Status.READY)
    log_in(page, owner.username)

    page.goto(reverse("proposal", args=[case.pk]))
    page.locator(".plan button.primary").first.click()
    page.wait_for_selector(".chosen-plan")
    assert Proposal.objects.filter(case=case).exists()

    for kind in KINDS:
        page.goto(reverse("letter_page", args=[case.pk, kind, LENDER]))
        page.click("form.letter-generate button")
        # The click answered with the letter and its PDF queued, not rendered.
        page.wait_for_selector("#pdf-status .spinner")
        letter = case.letters.get(kind=kind)
        assert not versions.pdf_ready(letter)
        render = LetterRender.objects.get(letter=letter)
        assert render.finished_at is None and render.task_id

    page.goto(reverse("letters_index", args=[case.pk]))
    rows = page.locator(".letter-row .pdf-state")
    assert rows.count() == len(KINDS)
    assert page.locator(".letter-row .pdf-preparing").count() == len(KINDS)
    assert page.locator("#letter-lists[hx-trigger]").count() == 1  # polling

    _run_letters_worker()  # the letters' worker takes the queued renders

    # No click: the page's own polling shows every PDF ready, then stops polling.
    expect(page.locator(".letter-row .pdf-ready")).to_have_count(len(KINDS), timeout=30_000)
    expect(page.locator(".letter-row .pdf-preparing")).to_have_count(0)
    page.wait_for_selector("#letter-lists:not([hx-trigger])")
    assert "3" in page.locator(".pdf-summary").inner_text()
    for kind in KINDS:
        assert versions.pdf_ready(case.letters.get(kind=kind))
    assert set(LetterRender.objects.filter(letter__case=case).values_list("renders", flat=True)) == {1}

    # The ready link is the PDF itself.
    href = page.locator(".letter-row .pdf-ready").first.get_attribute("href")
    response = page.request.get(href)
    assert response.status == 200 and response.body().startswith(b"%PDF-")
