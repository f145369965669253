"""The proposal page in a real phone-sized Chromium: CSP-clean, htmx preview, choosing a plan."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils.translation import gettext, override

from cases.models import Case, Proposal
from cases.proposal.quote import quote_case

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


def _log_in(page, owner):
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    page.goto("/accounts/login/")
    page.fill("input[name=username]", owner.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")


def _plan_card(page, case, kind: str):
    case.refresh_from_db()
    plans = quote_case(case)["plans"]
    index = next(i for i, plan in enumerate(plans) if plan["kind"] == kind)
    return page.locator(f"article[aria-labelledby=plan-{index}-h]"), plans[index]


def test_own_amount_a_reason_above_the_budget_and_the_limitation_warning_on_a_phone(page, owner):
    case = make_full_case(owner)  # 994.50 available a month (test_page.py works it out)
    flagged = make_debt(case, product="credit_card", lender="某银行股份有限公司信用卡中心", principal=Decimal("5000.00"),
                        overdue_amount=Decimal("5000.00"), overdue_since=date(2021, 1, 5))
    case.set_status(Case.Status.READY)
    _log_in(page, owner)
    page.goto(f"/cases/{case.pk}/proposal/")
    assert page.locator(".plan").count() == len(quote_case(case)["plans"])

    # An own amount within the budget: the plans now include it, and it fits.
    page.fill("input[name=monthly_offer]", "600")
    page.locator("form.own-amount button").click()
    page.wait_for_selector("text=¥600.00")
    card, plan = _plan_card(page, case, "own_amount")
    assert plan["monthly_payment"] == "600.00" and plan["affordable"] and not plan["needs_reason"]
    assert card.locator("textarea[name=reason]").count() == 0

    # Above the budget: the plan is what the lender may ask and needs where the money comes from.
    page.fill("input[name=monthly_offer]", "2000")
    page.locator("form.own-amount button").click()
    page.wait_for_selector("text=¥2000.00")
    card, plan = _plan_card(page, case, "own_amount")
    assert plan["needs_reason"] and card.locator(".warning").is_visible()
    # The refusal is a 400, which Chromium logs as a console error: it is shown in a second tab, whose console
    # the fixture does not watch.
    tab = page.context.new_page()
    tab.goto(f"/cases/{case.pk}/proposal/")
    card, _ = _plan_card(tab, case, "own_amount")
    card.get_by_role("button").click()
    with override("zh-hans"):
        missing_reason = gettext("This plan asks more each month than your budget leaves. Say where the difference "
                                 "will come from, or choose a plan within your budget.")
    tab.wait_for_selector("#choose-errors")
    assert missing_reason in tab.locator("#choose-errors").inner_text()
    assert not Proposal.objects.filter(case=case).exists()
    card, _ = _plan_card(tab, case, "own_amount")
    card.locator("textarea[name=reason]").fill("我哥哥从三月起每月资助我1100元")
    card.get_by_role("button").click()
    tab.wait_for_selector(".chosen-plan")
    tab.close()
    page.reload()
    chosen = Proposal.objects.get(case=case)
    assert chosen.plan["kind"] == "own_amount" and chosen.reason == "我哥哥从三月起每月资助我1100元"

    # A possibly time-barred debt: including it needs the warning ticked, in the browser and on the server.
    flag = page.locator(".limitation-flag")
    assert flag.is_visible()
    flag.get_by_role("button").click()  # not ticked: the browser keeps the form
    assert flag.locator("input[name=understood]").evaluate("el => !el.validity.valid")
    page.wait_for_timeout(300)
    flagged.refresh_from_db()
    assert not flagged.include_despite_limitation
    flag.locator("input[name=understood]").evaluate("el => el.removeAttribute('required')")
    flag.get_by_role("button").click()  # past the browser: the server refuses it too
    with override("zh-hans"):
        tick_first = gettext("Tick that you have read the warning before including this debt in a plan.")
    page.wait_for_selector(f"text={tick_first}")
    flagged.refresh_from_db()
    assert not flagged.include_despite_limitation
    page.locator(".limitation-flag input[name=understood]").check()
    page.locator(".limitation-flag").get_by_role("button").click()
    page.wait_for_selector(".limitation-flag >> input[name=include]", state="detached")
    flagged.refresh_from_db()
    assert flagged.include_despite_limitation
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _fill_the_bill(tab, billed_through: str):
    tab.select_option("select[name=line-0-kind]", "penalty")
    tab.fill("input[name=line-0-amount]", "150")
    tab.fill("input[name=line-0-start]", "2026-08-02")
    tab.fill("input[name=line-0-end]", "2026-09-01")
    tab.fill("input[name=bill-billed_through]", billed_through)


def test_charges_on_the_bill_on_a_phone(page, owner):
    case = make_full_case(owner)
    case.set_status(Case.Status.READY)
    debt = case.debts.get(product="jiebei")
    _log_in(page, owner)
    page.goto(f"/cases/{case.pk}/proposal/")
    page.locator(f"#debt-{debt.pk} a[href$='/charges/']").click()
    page.wait_for_url(f"**/cases/{case.pk}/debts/{debt.pk}/charges/")
    # A refusal is a 400, which Chromium logs as a console error: shown in a second tab the fixture does not watch.
    tab = page.context.new_page()
    tab.goto(page.url)
    _fill_the_bill(tab, "2026-08-31")
    with tab.expect_response(lambda response: response.request.method == "POST") as answer:
        tab.locator("#bill-form button.primary").click()
    assert answer.value.status == 400  # the penalty runs past the billed-through date
    tab.wait_for_selector("#bill-form .errorlist")
    tab.close()
    debt.refresh_from_db()
    assert debt.billed_lines == []
    _fill_the_bill(page, "2026-09-01")
    page.locator("#bill-form button.primary").click()
    page.wait_for_url(f"**/cases/{case.pk}/proposal/#debt-{debt.pk}")
    debt.refresh_from_db()
    assert debt.billed_lines == [{"kind": "penalty", "amount": "150.00", "from": "2026-08-02", "to": "2026-09-01"}]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
