"""The coach in a real phone-sized Chromium (issue 18): choose a plan → call card → log the call
with an offer → offer check → accept → the check-in marks a missed payment → the at-risk next step."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from cases.lenders import lender_slug
from cases.models import Agreement, Case, Proposal

from ..conftest import log_in
from ..factories import make_budget_line, make_case, make_debt, make_debtor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANT = "重庆蚂蚁消费金融有限公司"


def test_from_the_plan_to_the_call_to_a_missed_payment_on_a_phone(page, owner):
    case = make_case(owner, title="手机上的协商", hardship_reasons=["unemployment"], hardship_since=date(2026, 6, 1))
    make_debtor(case)
    make_debt(case, lender=ANT, overdue_since=date(2026, 8, 1), last_due_date=date(2026, 8, 1))
    make_budget_line(case, "income", "salary", "9000.00")
    make_budget_line(case, "expense", "housing", "3000.00")
    case.set_status(Case.Status.READY)
    log_in(page, owner.username)

    # 1. Choose the recommended plan.
    page.goto(reverse("proposal", args=[case.pk]))
    page.locator(".plan button.primary").first.click()
    page.wait_for_selector(".chosen-plan")
    assert Proposal.objects.filter(case=case).exists()

    # 2. The log offers a call card for the lender; the card asks for no more than the budget leaves.
    page.goto(reverse("log", args=[case.pk]))
    page.locator(".call-cards a.button").first.click()
    page.wait_for_url(f"**{reverse('call_card', args=[case.pk, lender_slug(ANT)])}")
    assert "95188" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # 3. After the call, one tap: the quick-add form knows the lender and the round.
    page.locator("#log-this-call").click()
    page.wait_for_url("**/log/?*")
    form = page.locator("#quick-add")
    assert form.locator("#id_organisation").input_value() == ANT
    assert form.locator("#id_notes").input_value() == "第1轮协商（协商通话卡）。"
    form.locator("#id_outcome").select_option("offer")
    if form.locator("details.more").get_attribute("open") is None:
        form.locator("details.more summary").click()
    form.locator("#id_offer_monthly").fill("100.00")
    form.locator("#id_offer_months").fill("12")
    form.locator("button[type=submit]").click()

    # 4. The offer is checked at once against the lender's share of the budget.
    check = page.locator(".contacts .offer-check")
    check.wait_for()
    assert check.get_attribute("data-verdict") == "accept"

    # 5. Accept: the agreement is recorded for this lender.
    check.locator("input[name=first_due]").fill("2026-11-15")
    check.locator(".accept-offer button").click()
    page.locator("#agreements .agreement-item").wait_for()
    agreement = Agreement.objects.get(case=case)
    assert (agreement.lender_slug, agreement.monthly, agreement.months) == (lender_slug(ANT), Decimal("100.00"), 12)

    # 6. The first month's check-in, from the dashboard: the payment was missed.
    page.goto(reverse("dashboard"))
    check_in = page.locator(f"#check-in-{agreement.pk}")
    check_in.locator("input[value=missed]").check()
    check_in.locator("button[type=submit]").click()
    page.wait_for_url("**/dashboard/")

    # 7. The plan is at risk, and the next step is offered: a call card for a new plan.
    step = page.locator(".check-ins-due .next-step")
    step.wait_for()
    agreement.refresh_from_db()
    assert agreement.status == "at_risk"
    assert page.locator(".check-ins-due .badge.status-at_risk").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    step.locator("a.button.primary").click()
    page.wait_for_url(f"**{reverse('call_card', args=[case.pk, lender_slug(ANT)])}")
    card = page.locator("main").inner_text()
    assert "第2轮" in card and "100.00" in card  # round 2 recalls what they offered last time
