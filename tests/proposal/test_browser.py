"""The proposal page in a real phone-sized Chromium: CSP-clean, htmx preview, choosing a plan."""

from decimal import Decimal

import pytest

from cases.models import Case, Proposal

from ..factories import PASSWORD, make_debt, make_full_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_preview_a_schedule_and_choose_a_plan_on_a_phone(page, owner, tmp_path):
    case = make_full_case(owner)
    make_debt(case, product="other", lender="某小额贷款公司", principal=Decimal("6000.00"),
              overdue_amount=Decimal("6000.00"), billed_charges=Decimal("900.00"), penalty_daily_rate=Decimal("0.001"))
    case.set_status(Case.Status.READY)
    # The site has no favicon yet (base.html); keep Chromium's automatic request out of the console.
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    page.goto("/accounts/login/")
    page.fill("input[name=username]", owner.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.goto(f"/cases/{case.pk}/proposal/")
    assert page.locator(".limitation-warning").is_visible()
    assert page.locator("tr.excess").count() == 1
    assert page.locator("#plan-detail svg polyline.chart-line").count() == 1

    page.locator(".plan").nth(2).get_by_role("link").click()  # htmx swaps in the stop-interest schedule
    page.wait_for_selector("#plan-detail >> text=停息挂账")
    assert "/proposal/" in page.url and "plan=" not in page.url
    page.screenshot(path=tmp_path / "proposal.png", full_page=True)

    page.locator(".plan").nth(2).get_by_role("button").click()
    page.wait_for_selector(".chosen-plan")
    assert Proposal.objects.get(case=case).plan["kind"] == "stop_interest"
    # nothing wider than the phone
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
