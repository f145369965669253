"""The privacy flow in a real phone-sized Chromium: keyboard only, strict CSP, no console errors."""

import pytest
from playwright.sync_api import expect

from cases.models import Case

from ..factories import PASSWORD
from ..privacy_fixtures import make_populated_case, stored_files

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, next_path: str):
    page.goto(f"/accounts/login/?next={next_path}")
    page.get_by_label("用户名").fill("owner")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_label("密码").press("Enter")
    page.wait_for_url(f"**{next_path}")


def test_withdraw_consent_then_delete_the_case_on_a_phone(page, owner, private_media):
    case = make_populated_case(owner)
    _log_in(page, f"/cases/{case.pk}/")
    page.get_by_role("link", name="隐私").click()

    page.get_by_role("button", name="撤回我的同意").focus()
    page.keyboard.press("Enter")
    page.get_by_text("我们已停止处理这个案件").first.wait_for()
    assert Case.objects.get(pk=case.pk).consent_withdrawn

    page.goto(f"/cases/{case.pk}/")
    assert page.get_by_role("alert").get_by_text("已停止处理").is_visible()

    page.goto(f"/cases/{case.pk}/delete/")
    field = page.get_by_label("输入“删除”以确认")
    field.fill("不对")
    field.press("Enter")
    page.locator(".errorlist").get_by_text("请准确输入“删除”以确认。").wait_for()
    expect(page.locator(".error-summary")).to_be_focused()
    assert Case.objects.filter(pk=case.pk).exists()

    page.get_by_label("输入“删除”以确认").fill("删除")
    page.get_by_label("输入“删除”以确认").press("Enter")
    page.wait_for_url("**/dashboard/")
    assert page.get_by_text("案件及其全部文件已删除。").is_visible()
    assert not Case.objects.filter(pk=case.pk).exists()
    assert stored_files(private_media) == []


def test_download_my_data_from_the_account_page(page, owner):
    make_populated_case(owner)
    _log_in(page, "/accounts/")
    with page.expect_download() as download:
        page.get_by_role("button", name="下载我的数据（ZIP 压缩包）").click()
    assert download.value.suggested_filename.startswith("negotiator-export-")
    assert download.value.suggested_filename.endswith(".zip")
