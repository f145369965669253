"""From signup to a ready case in a real Chromium on a phone-sized screen."""

import re

import pytest
from playwright.sync_api import expect

from cases.models import BudgetLine, Case, Debt, Evidence

from ..intake_fixtures import jpeg_bytes, pdf_bytes, png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEBTS = [
    {"product": "huabei", "principal": "12000", "overdue_amount": "3000", "overdue_since": "2026-08-01",
     "rate": "", "rate_period": "year"},
    {"product": "jiebei", "principal": "20000", "overdue_amount": "5000", "overdue_since": "2026-08-10",
     "rate": "0.03", "rate_period": "day"},
    {"product": "credit_card", "lender": "招商银行股份有限公司", "principal": "8000.50", "overdue_amount": "2000",
     "overdue_since": "2026-09-01", "rate": "18.25", "rate_period": "year"},
]
BUDGET = {"salary": "3800", "benefits": "1350", "housing": "1900", "utilities": "260", "food": "1500",
          "transport": "180", "children": "450", "communication": "98"}


def fill_debt(page, i, row):
    page.select_option(f"select[name='debts-{i}-product']", row["product"])
    if "lender" in row:
        page.fill(f"input[name='debts-{i}-lender']", row["lender"])
    for field in ("principal", "overdue_amount", "overdue_since", "rate"):
        if row[field]:
            page.fill(f"input[name='debts-{i}-{field}']", row[field])
    page.select_option(f"select[name='debts-{i}-rate_period']", row["rate_period"])


def test_signup_to_a_ready_case_on_a_phone(page, live_server):
    page.goto("/accounts/signup/")
    page.fill("input[name=username]", "zhangwei")
    page.fill("input[name=password1]", "quiet-river-2026")
    page.fill("input[name=password2]", "quiet-river-2026")
    page.click("form button[type=submit] >> nth=-1")
    page.wait_for_url(re.compile(r"/dashboard/$"))
    page.click("main form[action$='/cases/new/'] button")

    # 1. Consent, then about you
    page.wait_for_url(re.compile(r"/intake/about/$"))
    page.check("#id_agree")
    page.click("main form button[type=submit]")
    page.fill("input[name='debtor-name']", "张伟")
    page.fill("input[name='debtor-id_number']", "110101199003074512")
    page.fill("input[name='debtor-phone']", "13800138000")
    page.fill("input[name='debtor-address']", "广东省深圳市南山区科技园路1号")
    page.select_option("select[name='case-province']", "广东省")
    page.fill("input[name='case-city']", "深圳市")
    page.fill("input[name='case-household_size']", "3")
    page.fill("input[name='case-dependants']", "1")
    page.click("main form.wizard-form button.primary")

    # 2. Debts: three rows, two of them added inline by htmx
    page.wait_for_url(re.compile(r"/intake/debts/$"))
    fill_debt(page, 0, DEBTS[0])
    assert page.input_value("input[name='debts-0-lender']") == "重庆蚂蚁消费金融有限公司"
    for i in (1, 2):
        page.click("button[name=add_row]")
        page.wait_for_selector(f"select[name='debts-{i}-product']")
        fill_debt(page, i, DEBTS[i])
    assert page.input_value("#id_debts-TOTAL_FORMS") == "3"
    assert page.text_content("#debt-total-principal") == "40000.50"
    assert "10.80" in page.text_content("[data-debt-row] >> nth=1")  # 0.03 % a day = 10.80 % a year
    page.click("#debts-form button.primary")

    # 3. Budget: eight lines, live surplus
    page.wait_for_url(re.compile(r"/intake/budget/$"))
    for category, amount in BUDGET.items():
        page.fill(f"input[name='amount_{category}']", amount)
    assert page.text_content("[data-total=surplus]") == "762.00"
    page.click("#budget-form button.primary")

    # 4. Hardship
    page.wait_for_url(re.compile(r"/intake/hardship/$"))
    page.check("input[name=hardship_reasons][value=unemployment]")
    page.check("input[name=hardship_reasons][value=illness]")
    page.fill("input[name=hardship_since]", "2026-06-20")
    page.fill("textarea[name=hardship_what_happened]", "公司裁员，随后又生病住院。")
    page.fill("textarea[name=hardship_can_pay]", "每月大约700元。")
    page.click("main form.wizard-form button.primary")

    # 5. Evidence: four files through htmx uploads
    page.wait_for_url(re.compile(r"/intake/evidence/$"))
    case = Case.objects.get(owner__username__startswith="zhangwei-")
    debts = list(Debt.objects.filter(case=case))
    files = [
        ("花呗账单.pdf", "application/pdf", pdf_bytes(), "bill", debts[0].pk, False),
        ("借呗合同.png", "image/png", png_bytes(), "contract", debts[1].pk, False),
        ("信用卡账单.jpg", "image/jpeg", jpeg_bytes(), "bill", debts[2].pk, False),
        ("解除劳动合同通知.png", "image/png", png_bytes((0, 90, 0)), "unemployment", None, True),
    ]
    for n, (name, mime, content, kind, debt, hardship) in enumerate(files, start=1):
        page.set_input_files("#evidence-panel form.upload-form input[type=file]", {"name": name, "mimeType": mime, "buffer": content})
        page.select_option("#evidence-panel form.upload-form select[name=kind]", kind)
        if debt:
            page.select_option("#evidence-panel form.upload-form select[name=debt]", str(debt))
        if hardship:
            page.check("#evidence-panel form.upload-form input[name=supports_hardship]")
        page.click("#evidence-panel form.upload-form button[type=submit]")
        expect(page.locator(".evidence-item")).to_have_count(n)
    assert "校验码" in page.text_content("#evidence-panel")
    page.click("main form.wizard-form button.primary")

    # 6. Review, then ready
    page.wait_for_url(re.compile(r"/intake/review/$"))
    assert "4512" in page.text_content("main") and "110101199003074512" not in page.content()
    page.check("input[name=confirm]")
    page.click("main form button.primary")
    page.wait_for_url(re.compile(rf"/cases/{case.pk}/$"))

    case.refresh_from_db()
    assert case.status == Case.Status.READY
    assert Debt.objects.filter(case=case).count() == 3
    assert BudgetLine.objects.filter(case=case).count() == 8
    assert case.hardship_reasons == ["unemployment", "illness"]
    assert Evidence.objects.filter(case=case).count() == 4


@pytest.fixture
def page_without_js(browser, live_server):
    from ..conftest import PHONE

    context = browser.new_context(viewport=PHONE, locale="zh-CN", base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_the_wizard_works_without_javascript(page_without_js, live_server):
    from ..factories import PASSWORD, make_case, make_user

    page = page_without_js
    user = make_user("lina")
    case = make_case(user, consent=False)
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "lina")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.goto(f"/cases/{case.pk}/intake/")
    page.check("#id_agree")
    page.click("main form button[type=submit]")
    page.fill("input[name='debtor-name']", "李娜")
    page.fill("input[name='debtor-phone']", "13900139000")
    page.fill("input[name='debtor-address']", "浙江省杭州市西湖区文三路100号")
    page.select_option("select[name='case-province']", "浙江省")
    page.fill("input[name='case-city']", "杭州市")
    page.click("main form.wizard-form button.primary")

    page.wait_for_url(re.compile(r"/intake/debts/(#error-summary)?$"))
    fill_debt(page, 0, DEBTS[0])
    page.click("button[name=add_row]")  # without JS: saves, then shows a blank row
    page.wait_for_url(re.compile(r"/intake/debts/\?add=1"))
    assert page.input_value("input[name='debts-0-lender']") == "重庆蚂蚁消费金融有限公司"  # the server's default
    fill_debt(page, 1, DEBTS[1])
    page.click("#debts-form button.primary")
    page.wait_for_url(re.compile(r"/intake/budget/(#error-summary)?$"))
    assert Debt.objects.filter(case=case).count() == 2
