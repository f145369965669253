import pytest

from cases.letters import versions

from ..factories import PASSWORD
from ..letters_fixtures import make_letter_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_letter_page_on_a_phone_generates_previews_and_offers_the_pdf(page, owner):
    case = make_letter_case(owner)
    # base.html names no icon, so Chromium asks for /favicon.ico (a 404 logged as a
    # console error); that is the foundation's to fix, not what this test is about.
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    page.goto("/accounts/login/")
    page.fill("input[name=username]", owner.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form [type=submit]")
    page.wait_for_url("**/dashboard/")
    page.goto(f"/cases/{case.pk}/letters/")
    page.click("text=困难情况说明")
    page.click("form.letter-generate button")
    page.wait_for_selector("#pdf-status a.button")
    frame = page.frame_locator("iframe.letter-preview")
    assert "李秀英" in frame.locator("body").inner_text()
    page.click("text=提交审核")
    page.wait_for_selector(".letter-status-in_review")
    assert case.letters.get(kind="hardship_statement").status == "in_review"
    assert versions.pdf_ready(case.letters.get(kind="hardship_statement"))
