"""The review page in a real browser: no CSP violations, previews load, reveal and approve work.

Each page here loads at most one database-backed subresource: the live server's
in-memory SQLite connection is shared between its threads and cannot serve two
requests that write (session, audit) at the same time."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from cases.models import Letter

from ..factories import make_full_case
from ..review_fixtures import in_review
from ..review_fixtures import group_reviewer, reviewers_group  # noqa: F401
from .test_page import PNG, make_evidence

# It drives Debian's Chromium: `-m "not browser"` leaves it out like the other browser tests.
pytestmark = pytest.mark.browser


def log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                               "url": live_server.url}])


# serialized_rollback: restore the migrations' data (the Reviewers group) for the tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reviewer_reveals_and_approves_in_the_browser(page, live_server, owner, group_reviewer):
    case = make_full_case(owner)
    letter = in_review(case, html="<html><head><style>p{color:#333}</style></head><body><p>尊敬的贷款方</p></body></html>")
    log_in(page, live_server, group_reviewer)

    page.goto("/admin/cases/caseinreview/")
    page.click(f"a[href='{reverse('admin:cases_case_review', args=[case.pk])}']")
    page.click("#section-debtor > summary")
    assert page.locator(".review-masked").first.inner_text().endswith("4512")
    assert page.frame_locator(".review-letter-preview").locator("p").inner_text() == "尊敬的贷款方"

    page.click("button[name=field][value=id_number]")
    assert page.locator(".review-revealed").inner_text() == "110101199003074512"

    page.fill(f"#id_letter{letter.pk}_note", "可以发出。")
    page.click("button[name=decision][value=approve]")
    page.wait_for_url(f"**{reverse('admin:cases_case_review', args=[case.pk])}")
    letter.refresh_from_db()
    assert letter.status == Letter.Status.APPROVED and letter.review_note == "可以发出。"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_image_evidence_is_previewed_in_the_browser(page, live_server, owner, group_reviewer):
    case = make_full_case(owner)
    make_evidence(case, PNG, "工资条.png", "image/png")
    log_in(page, live_server, group_reviewer)
    page.goto(reverse("admin:cases_case_review", args=[case.pk]))
    page.click("#section-evidence > summary")
    image = page.locator(".review-evidence img")
    image.scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('.review-evidence img').complete")
    assert image.evaluate("img => img.naturalWidth") == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_reviewer_sees_the_pending_letter_and_the_chosen_plan_without_scrolling(browser, live_server, owner,
                                                                                       group_reviewer):
    from cases.demo.parts import build_demo_case
    from cases.models import Proposal

    case = build_demo_case(owner)
    pending = case.letters.get(status=Letter.Status.IN_REVIEW)
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN", base_url=live_server.url)
    page = context.new_page()
    log_in(page, live_server, group_reviewer)
    page.goto(reverse("admin:cases_case_review", args=[case.pk]))
    desk = page.locator(".review-desk")
    letter = desk.locator(f"#letter-{pending.pk}")
    assert letter.is_visible() and letter.locator("h3").is_visible()
    heading_box = letter.locator("h3").bounding_box()
    assert heading_box["y"] + heading_box["height"] <= 800
    chosen = desk.locator(".review-chosen")
    box = chosen.bounding_box()
    assert box["y"] + box["height"] <= 800
    plan = Proposal.objects.filter(case=case).latest().plan
    assert str(plan["monthly_payment"]) in chosen.inner_text()
    assert not page.locator("#section-evidence").get_attribute("open") is not None  # the rest is collapsed
    assert page.locator(f"#section-letters #letter-{pending.pk}").count() == 0  # shown once, at the top
    context.close()
