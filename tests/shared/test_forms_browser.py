"""Issue 17 in a real Chromium at phone size: errors you cannot miss, work you cannot lose, amounts as typed."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from cases.models import BudgetLine, Debt

from ..conftest import PHONE, log_in, submit_log_in
from ..factories import make_case, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A form sent back with errors answers 400 (409 for a stale tab), which Chromium logs as a failed load.
REFUSED_FORM = re.compile(r"^Failed to load resource: the server responded with a status of 40[09] ")


@pytest.fixture
def page(browser, live_server):
    """conftest's phone-sized page, except that a form refused with 400/409 is not a console error."""
    context = browser.new_context(viewport=PHONE, locale="zh-CN", base_url=live_server.url)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text)
            if msg.type == "error" and not REFUSED_FORM.match(msg.text) else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.set_default_timeout(10_000)
    yield page
    context.close()
    assert not errors, f"browser console errors: {errors}"


def ready_for(step: str, username: str = "phoneuser"):
    user = make_user(username)
    case = make_case(user, title="手机上的案件")
    steps = ["about", "debts", "budget", "hardship", "evidence"]
    case.completed_steps = steps[: steps.index(step)]
    case.save(update_fields=["completed_steps"])
    return user, case


def fill_debt(page, i: int, product: str, principal: str, lender: str | None = None) -> None:
    page.select_option(f"select[name='debts-{i}-product']", product)
    if lender is not None:
        page.fill(f"input[name='debts-{i}-lender']", lender)
    page.fill(f"input[name='debts-{i}-principal']", principal)
    page.fill(f"input[name='debts-{i}-overdue_amount']", "1000")
    page.fill(f"input[name='debts-{i}-overdue_since']", "2026-08-01")


def test_an_error_in_the_third_debt_leaves_the_first_two_saved_and_focuses_the_summary(page):
    user, case = ready_for("debts")
    log_in(page, user.username)
    page.goto(reverse("intake_debts", args=[case.pk]))
    fill_debt(page, 0, "huabei", "12000")
    page.fill("input[name='debts-0-rate']", "0")
    for i in (1, 2):
        page.click("button[name=add_row]")
        page.wait_for_selector(f"select[name='debts-{i}-product']")
    fill_debt(page, 1, "jiebei", "20,000")
    page.fill("input[name='debts-1-rate']", "0.03")
    page.select_option("select[name='debts-1-rate_period']", "day")
    fill_debt(page, 2, "other", "8000", lender="")
    page.click("#debts-form button.primary")

    summary = page.locator("main > .error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    assert page.url.endswith("#error-summary")
    expect(summary.locator("a")).to_have_count(1)
    assert [(d.product, d.principal) for d in Debt.objects.filter(case=case)] == [
        ("huabei", Decimal("12000.00")), ("jiebei", Decimal("20000.00"))]

    summary.locator("a").click()
    lender = page.locator("#id_debts-2-lender")
    expect(lender).to_be_focused()
    lender.fill("某网络小额贷款有限公司")
    page.fill("input[name='debts-2-rate']", "18")
    page.click("#debts-form button.primary")
    page.wait_for_url(re.compile(r"/intake/budget/"))
    assert Debt.objects.filter(case=case).count() == 3


def test_a_figure_in_wan_becomes_12000_after_confirmation_and_the_totals_follow_the_server(page):
    user, case = ready_for("budget")
    log_in(page, user.username)
    page.goto(reverse("intake_budget", args=[case.pk]))
    page.fill("input[name=amount_salary]", "1.2万")
    expect(page.locator("#id_amount_salary_note")).to_contain_text("12,000.00")
    page.fill("input[name=amount_food]", "-1800")
    expect(page.locator("#id_amount_food_note")).to_have_class(re.compile("error"))
    expect(page.locator("[data-total=expense]")).to_have_text("0.00")
    expect(page.locator("[data-total=income]")).to_have_text("12000.00")
    page.fill("input[name=amount_food]", "１，８００")
    expect(page.locator("[data-total=expense]")).to_have_text("1800.00")
    page.click("#budget-form button.primary")

    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator("input[name=amount_salary]")).to_have_value("12000.00")
    assert not BudgetLine.objects.filter(case=case).exists()
    page.click("#budget-form button.primary")
    page.wait_for_url(re.compile(r"/intake/hardship/"))
    assert dict(BudgetLine.objects.filter(case=case).values_list("category", "amount")) == {
        "salary": Decimal("12000.00"), "food": Decimal("1800.00")}


def test_a_file_over_the_limit_is_refused_in_the_browser_before_it_is_sent(page, settings):
    from cases.models import Evidence

    settings.EVIDENCE_MAX_FILE_BYTES = 2 * 1048576
    user, case = ready_for("evidence")
    log_in(page, user.username)
    page.goto(reverse("intake_evidence", args=[case.pk]))
    sent = []
    page.on("request", lambda request: sent.append(request.url) if "/evidence/upload/" in request.url else None)
    page.set_input_files("input[type=file]", files=[{"name": "大照片.jpg", "mimeType": "image/jpeg",
                                                     "buffer": b"\xff\xd8\xff" + b"0" * (3 * 1048576)}])
    note = page.locator("#id_file_size")
    expect(note).to_contain_text("3.0 MB")
    page.click("form.upload-form button[type=submit]")
    expect(page.locator("#id_file")).to_be_focused()
    assert not sent and not Evidence.objects.exists()


def test_the_schedule_comes_into_view_and_takes_focus(page):
    from cases.demo.parts import build_demo_case

    user = make_user("planuser")
    case = build_demo_case(user)
    log_in(page, user.username)
    page.goto(reverse("proposal", args=[case.pk]))
    page.locator("a[href*='?plan=']").last.click()
    panel = page.locator("#plan-detail")
    expect(panel).to_be_focused()
    expect(panel).to_be_in_viewport()


SCREENSHOTS = __import__("pathlib").Path(__file__).resolve().parent.parent / "var" / "screenshots" / "large-text"


def test_large_text_pages_at_phone_size_have_no_horizontal_scroll(page):
    """Screenshots go to var/screenshots/large-text/ (git-ignored) for a person to look at."""
    from cases.demo.parts import build_demo_case

    user = make_user("olderuser")
    case = build_demo_case(user)
    log_in(page, user.username)
    page.goto(reverse("account"))
    page.check("#id_large_text")
    page.click("form.large-text-setting button[type=submit]")
    expect(page.locator("html")).to_have_class(re.compile("large-text"))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    names = ["dashboard", "account", "case_detail", "intake_about", "intake_debts", "intake_budget",
             "intake_hardship", "intake_evidence", "intake_review", "proposal", "log", "timeline", "letters_index"]
    too_wide = []
    for name in names:
        page.goto(reverse(name) if name in ("dashboard", "account") else reverse(name, args=[case.pk]))
        assert "large-text" in page.locator("html").get_attribute("class")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide.append(f"{name}: {width}px")
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    assert not too_wide, too_wide
    body_size = page.evaluate("() => getComputedStyle(document.body).fontSize")
    assert body_size == "20px"


def test_what_was_typed_when_the_session_ended_is_offered_back_after_logging_in(page):
    from django.conf import settings

    user, case = ready_for("hardship")
    log_in(page, user.username)
    page.goto(reverse("intake_hardship", args=[case.pk]))
    page.check("input[name=hardship_reasons][value=illness]")
    page.fill("textarea[name=hardship_what_happened]", "今年三月住院两个月，收入中断。")
    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)  # the session ends while the user types
    page.click("main form.wizard-form button.primary")
    page.wait_for_url("**/accounts/login/**")
    submit_log_in(page, user.username)
    page.wait_for_url(re.compile(r"/intake/hardship/"))
    offer = page.locator(".draft-offer")
    expect(offer).to_be_visible()
    offer.locator("button.primary").click()
    expect(page.locator("textarea[name=hardship_what_happened]")).to_have_value("今年三月住院两个月，收入中断。")
    expect(page.locator("input[name=hardship_reasons][value=illness]")).to_be_checked()
    expect(offer).to_have_count(0)
    page.reload()
    expect(page.locator(".draft-offer")).to_have_count(0)  # offered once; nothing stays behind


def drafts(page) -> list[str]:
    return page.evaluate("() => Object.keys(sessionStorage).filter((key) => key.startsWith('negotiator-draft:'))")


def expire_and_send_the_debts(page, user, case) -> None:
    """Three debts typed, two of them in rows added with htmx; the session ends; the user saves."""
    from django.conf import settings

    log_in(page, user.username)
    page.goto(reverse("intake_debts", args=[case.pk]))
    fill_debt(page, 0, "huabei", "12000")
    for i in (1, 2):
        page.click("button[name=add_row]")
        page.wait_for_selector(f"select[name='debts-{i}-product']")
    fill_debt(page, 1, "jiebei", "20,000")
    page.fill("input[name='debts-1-rate']", "0.03")
    fill_debt(page, 2, "other", "8000", lender="某网络小额贷款有限公司")
    page.fill("input[name='debts-2-account_number']", "6222020200112233")
    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)
    page.click("#debts-form button.primary")
    page.wait_for_url("**/accounts/login/**")


def test_debt_rows_added_with_htmx_come_back_after_the_session_ended(page):
    user, case = ready_for("debts")
    expire_and_send_the_debts(page, user, case)
    submit_log_in(page, user.username)
    page.wait_for_url(re.compile(r"/intake/debts/"))
    expect(page.locator("[data-debt-row]")).to_have_count(1)  # the page as the server has it
    offer = page.locator(".draft-offer")
    expect(offer).to_be_visible()
    offer.locator("button.primary").click()
    expect(offer).to_have_count(0)
    expect(page.locator("[data-debt-row]")).to_have_count(3)
    expect(page.locator("input[name='debts-TOTAL_FORMS']")).to_have_value("3")
    expect(page.locator("select[name='debts-1-product']")).to_have_value("jiebei")
    expect(page.locator("input[name='debts-1-principal']")).to_have_value("20,000")
    expect(page.locator("input[name='debts-1-rate']")).to_have_value("0.03")
    expect(page.locator("input[name='debts-2-lender']")).to_have_value("某网络小额贷款有限公司")
    expect(page.locator("input[name='debts-2-account_number']")).to_have_value("")  # never kept in the tab
    expect(page.locator("#debt-total-principal")).to_have_text("40000.00")
    assert drafts(page) == []
    page.fill("input[name='debts-0-rate']", "0")
    page.fill("input[name='debts-2-rate']", "18")
    page.click("#debts-form button.primary")
    page.wait_for_url(re.compile(r"/intake/budget/"))
    assert [d.product for d in Debt.objects.filter(case=case)] == ["huabei", "jiebei", "other"]


def test_a_draft_is_never_offered_to_another_account_on_the_same_device(page):
    user, case = ready_for("debts")
    other = make_user("othersamephone")
    make_case(other, title="另一人的案件")
    expire_and_send_the_debts(page, user, case)
    assert len(drafts(page)) == 1
    page.goto(reverse("login"))  # someone else signs in on the same phone, in the same tab
    submit_log_in(page, other.username)
    page.wait_for_url("**/dashboard/")
    assert drafts(page) == []
    expect(page.locator(".draft-offer")).to_have_count(0)


def test_logging_out_drops_every_draft_of_the_tab(page):
    user, case = ready_for("debts")
    expire_and_send_the_debts(page, user, case)
    submit_log_in(page, user.username)
    page.wait_for_url(re.compile(r"/intake/debts/"))
    expect(page.locator(".draft-offer")).to_be_visible()
    assert len(drafts(page)) == 1
    page.locator("form[data-drops-drafts] button").click()
    page.wait_for_load_state()
    assert drafts(page) == []
