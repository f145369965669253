"""A real Chromium on a phone-sized screen walks the foundation's main path.

The `page` fixture fails the test on any console error, which includes every
Content-Security-Policy violation (an inline script or style, htmx eval)."""

import re

import pytest
from playwright.sync_api import expect

from ..factories import PASSWORD, make_user

pytestmark = pytest.mark.browser


def test_sign_up_log_out_log_in_and_switch_language(page, db):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("花呗、借呗逾期了？先准备好，再去协商。")

    page.get_by_role("link", name="免费开始").click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    page.locator("#id_username").fill("xiaoming")
    page.locator("#id_email").fill("xiaoming@example.com")
    page.locator("#id_password1").fill("river-lantern-quiet-42")
    page.locator("#id_password2").fill("river-lantern-quiet-42")
    page.get_by_role("button", name="注册").click()

    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("我的案件")
    expect(page.get_by_role("status")).to_contain_text("欢迎！您的账户已经建好了。")
    expect(page.get_by_role("button", name="开始建立我的案件")).to_be_visible()
    # The name typed with four digits added (decision 025), shown in the welcome and beside the recovery code.
    username = page.locator(".recovery-code .login-name").inner_text()
    assert re.fullmatch(r"xiaoming-[0-9]{4}", username)
    expect(page.get_by_role("status")).to_contain_text(f"您的用户名是 {username}")

    page.get_by_role("button", name="退出登录").click()
    expect(page).to_have_url(re.compile(r"/$"))
    page.get_by_role("navigation").get_by_role("link", name="登录").click()
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("river-lantern-quiet-42")
    page.locator("main").get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My cases")
    expect(page.get_by_role("button", name="Start my case")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.reload()  # remembered, not just this once
    expect(page.get_by_role("heading", level=1)).to_have_text("My cases")

    page.get_by_role("button", name="简体中文").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("我的案件")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")


def test_a_wrong_password_shows_the_error_on_a_phone(page, db):
    make_user("owner")
    page.goto("/accounts/login/")
    page.locator("#id_username").fill("owner")
    page.locator("#id_password").fill(PASSWORD + "x")
    page.locator("main").get_by_role("button", name="登录").click()
    expect(page.locator(".errorlist")).to_contain_text("用户名或密码不正确")
    # Mobile-first: nothing wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
