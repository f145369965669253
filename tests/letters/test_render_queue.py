"""The user never waits for a PDF (issue 21): a version's render is queued as soon as it is
written or approved (once per content), on the letters' own task queue; the letters page shows
each PDF's state and polls with htmx until none is being prepared, without ever rendering."""

from datetime import timedelta

import pytest
from django.tasks import default_task_backend
from django.urls import reverse
from django.utils import timezone

from cases.lenders import lender_slug
from cases.letters import renders, versions
from cases.letters.views import POLL_LIMIT
from cases.models import Letter, LetterRender
from cases.review import workplace
from cases.tasks import LETTERS_QUEUE, render_letter_pdf

from ..factories import make_user
from ..letters_fixtures import make_letter_case

LENDER = lender_slug("重庆蚂蚁消费金融有限公司")  # make_letter_case's one lender


@pytest.fixture
def background_tasks(settings):
    """Tasks wait in the (dummy) queue until the test runs them, as with a real worker."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend",
                                  "QUEUES": ["default", LETTERS_QUEUE]}}
    default_task_backend.clear()
    return default_task_backend


def _run_queued(backend) -> None:
    for result in list(backend.results):
        render_letter_pdf.call(*result.args, **result.kwargs)
    backend.clear()


def test_writing_a_version_queues_its_pdf_once_on_the_letters_queue(owner, background_tasks,
                                                                     django_capture_on_commit_callbacks):
    case = make_letter_case(owner)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        letter = versions.generate(case, "hardship_statement")
    assert len(callbacks) == 1
    [result] = background_tasks.results
    assert result.task.queue_name == LETTERS_QUEUE and result.args == [letter.pk]
    assert LetterRender.objects.get().name == versions.pdf_name(letter)
    with django_capture_on_commit_callbacks(execute=True):
        assert versions.generate(case, "hardship_statement") == letter  # the same content: nothing new
    assert len(background_tasks.results) == 1

    case.hardship_actions += "另外已申请公益法律援助。"
    case.save()
    with django_capture_on_commit_callbacks(execute=True):
        refreshed = versions.generate(case, "hardship_statement")  # the draft refreshed in place
    assert refreshed.pk == letter.pk and refreshed.content_hash != letter.content_hash
    assert len(background_tasks.results) == 2
    assert set(LetterRender.objects.values_list("name", flat=True)) == {versions.pdf_name(letter),
                                                                         versions.pdf_name(refreshed)}


def test_nothing_is_queued_when_the_version_is_not_written(owner, background_tasks,
                                                            django_capture_on_commit_callbacks):
    case = make_letter_case(owner, with_proposal=False)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(versions.MissingData):
        versions.generate(case, "negotiation_request")  # no plan chosen yet
    assert background_tasks.results == [] and not LetterRender.objects.exists()


def test_approving_a_letter_queues_its_final_pdf(owner, background_tasks, django_capture_on_commit_callbacks):
    case = make_letter_case(owner)
    with django_capture_on_commit_callbacks(execute=True):
        letter = versions.generate(case, "hardship_statement")
    _run_queued(background_tasks)
    letter.submit_for_review(by=owner)
    reviewer = make_user("approver", staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        workplace.decide(letter.pk, case, reviewer, workplace.APPROVE, "")
    letter.refresh_from_db()
    assert letter.is_final and not versions.pdf_ready(letter)
    [result] = background_tasks.results
    assert result.task.queue_name == LETTERS_QUEUE
    assert LetterRender.objects.filter(name=versions.pdf_name(letter)).exists()
    _run_queued(background_tasks)
    assert versions.pdf_ready(letter)


def test_asking_for_changes_queues_nothing(owner, background_tasks, django_capture_on_commit_callbacks):
    case = make_letter_case(owner)
    with django_capture_on_commit_callbacks(execute=True):
        letter = versions.generate(case, "hardship_statement")
    _run_queued(background_tasks)
    letter.submit_for_review(by=owner)
    with django_capture_on_commit_callbacks(execute=True):
        workplace.decide(letter.pk, case, make_user("asker", staff=True), workplace.REQUEST_CHANGES, "请补充。")
    assert background_tasks.results == []


def _index(client, case, HTTP_ACCEPT_LANGUAGE="zh-hans", **params):
    """The letters page, or with ``params`` (``n``) its htmx poll."""
    headers = {"HTTP_HX_REQUEST": "true"} if params else {}
    return client.get(reverse("letters_index", args=[case.pk]), params, HTTP_ACCEPT_LANGUAGE=HTTP_ACCEPT_LANGUAGE,
                      **headers)


def test_the_letters_page_shows_pdfs_being_prepared_then_ready_and_stops_polling(
        owner_client, owner, background_tasks, django_capture_on_commit_callbacks, django_assert_max_num_queries):
    case = make_letter_case(owner)
    with django_capture_on_commit_callbacks(execute=True):
        for kind in ("hardship_statement", "negotiation_request"):
            versions.generate(case, kind)
    page = _index(owner_client, case).content.decode()
    assert page.count("pdf-preparing") == 2 and "pdf-ready" not in page
    assert 'hx-get="%s?n=1"' % reverse("letters_index", args=[case.pk]) in page and 'hx-trigger="every 1s"' in page

    _run_queued(background_tasks)  # what the letters' worker does
    with django_assert_max_num_queries(22):  # the same as the page: the PDFs' states are one query
        response = _index(owner_client, case, n="1")
    poll = response.content.decode()
    assert poll.lstrip().startswith('<div id="letter-lists"')  # the partial only
    assert poll.count("pdf-ready") == 2 and "pdf-preparing" not in poll
    assert "hx-trigger" not in poll  # nothing left to prepare: polling stops
    for letter in case.letters.all():
        assert reverse("letter_pdf", args=letter.url_args) in poll


def test_the_page_itself_never_renders_and_the_poll_gives_up_after_a_minute(owner_client, owner, settings):
    """With the immediate backend too: a version never queued (written before renders were queued
    on writing) is left to the poll, which queues it; the full page never renders anything."""
    case = make_letter_case(owner)
    letter = versions.generate(case, "hardship_statement")  # in the test's transaction: nothing queued
    assert not LetterRender.objects.exists()
    page = _index(owner_client, case).content.decode()
    assert "pdf-preparing" in page and not LetterRender.objects.exists() and not versions.pdf_ready(letter)

    poll = _index(owner_client, case, n=str(POLL_LIMIT + 5)).content.decode()
    assert "hx-trigger" not in poll and "taking longer than usual" not in poll  # rendered by the poll (immediate)
    assert "pdf-ready" in poll and versions.pdf_ready(letter)


def test_a_poll_past_the_limit_stops_and_says_so(owner_client, owner, background_tasks,
                                                django_capture_on_commit_callbacks):
    case = make_letter_case(owner)
    with django_capture_on_commit_callbacks(execute=True):
        versions.generate(case, "hardship_statement")
    for n in (str(POLL_LIMIT - 1), "-5", "abc"):  # a bad count starts again, never polls for ever
        assert "hx-trigger" in _index(owner_client, case, n=n).content.decode()
    for n in (str(POLL_LIMIT), "99999"):
        poll = _index(owner_client, case, n=n, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "hx-trigger" not in poll and "pdf-preparing" in poll and "taking longer than usual" in poll


def test_a_refused_pdf_says_why_on_the_letters_page_and_is_not_polled(owner_client, owner, settings,
                                                                       django_capture_on_commit_callbacks):
    settings.LETTER_MAX_PAGES = 1
    case = make_letter_case(owner, what_happened="失业。" * 900)  # more than one page
    with django_capture_on_commit_callbacks(execute=True):  # the immediate backend renders, and refuses
        letter = versions.generate(case, "hardship_statement")
    assert LetterRender.objects.get().error.startswith("too_long:")
    page = owner_client.get(reverse("letters_index", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "pdf-refused" in page and "more than the 1 pages we print" in page
    assert "hx-trigger" not in page and not versions.pdf_ready(letter)


def test_a_strangers_poll_is_404(stranger_client, owner):
    case = make_letter_case(owner)
    versions.generate(case, "hardship_statement")  # outside a commit capture: never queued
    assert _index(stranger_client, case, n="1").status_code == 404
    assert not LetterRender.objects.exists()  # the stranger's poll queued nothing


def test_the_poll_queues_again_a_render_lost_with_its_worker(owner_client, owner, background_tasks,
                                                             django_capture_on_commit_callbacks):
    case = make_letter_case(owner)
    with django_capture_on_commit_callbacks(execute=True):
        versions.generate(case, "hardship_statement")
    assert len(background_tasks.results) == 1
    _index(owner_client, case, n="1")
    assert len(background_tasks.results) == 1  # waiting in the queue: not queued again
    an_hour_ago = timezone.now() - timedelta(hours=1)
    LetterRender.objects.update(queued_at=an_hour_ago, started_at=an_hour_ago)  # its worker was killed
    assert "pdf-preparing" in _index(owner_client, case, n="2").content.decode()
    assert len(background_tasks.results) == 2
    _index(owner_client, case, n="3")
    assert len(background_tasks.results) == 2  # once
    _run_queued(background_tasks)
    assert "pdf-ready" in _index(owner_client, case, n="4").content.decode()
