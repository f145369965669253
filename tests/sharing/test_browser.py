"""Real browser, two people (issue 20): the owner invites, the helper accepts in a second browser context, logs a
call, the owner sees it attributed to the helper, removes access, and the helper's next request is a 404."""

import pytest
from django.urls import reverse

from ..conftest import PHONE
from ..factories import PASSWORD, make_case, make_debt, make_user


def _log_in(page, username):
    page.set_extra_http_headers({"Accept-Language": "zh-CN"})  # the words the owner reads are checked below
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    page.goto(reverse("login"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/dashboard/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_owner_invites_helper_logs_a_call_owner_sees_it_and_revokes(page, browser, live_server):
    owner = make_user("owner")
    make_user("daughter")
    case = make_case(owner, title="妈妈的花呗")
    make_debt(case)

    _log_in(page, "owner")
    page.goto(reverse("case_sharing", args=[case.pk]))
    page.locator("input[name=role][value=help]").check()
    page.fill("#id_label", "女儿")
    page.locator("#invite-title + form button[type=submit]").click()
    link = page.locator("#invitation-link").input_value()
    assert "/share/" in link

    context = browser.new_context(viewport=PHONE, locale="zh-CN", base_url=live_server.url)
    helper = context.new_page()
    helper.set_default_timeout(10_000)
    _log_in(helper, "daughter")
    helper.goto(link)
    helper.locator("main form button[type=submit]").click()
    helper.wait_for_url(f"**{reverse('case_detail', args=[case.pk])}")
    helper.goto(reverse("log", args=[case.pk]))
    form = helper.locator("#quick-add")
    form.locator("#id_channel").select_option("hotline")
    form.locator("#id_direction").select_option("outgoing")
    form.locator("#id_organisation").fill("支付宝客服 95188")
    form.locator("#id_outcome").select_option("no_answer")
    form.locator("button[type=submit]").click()
    helper.locator(".contacts > li").first.wait_for()

    page.goto(reverse("case_sharing", args=[case.pk]))
    activity = page.locator(".share .activity li").first
    assert "daughter" in activity.inner_text() and "记录了一次联系" in activity.inner_text()
    page.locator(".share form[action$='/end/'] button").click()
    page.wait_for_url(f"**{reverse('case_sharing', args=[case.pk])}")

    response = helper.goto(reverse("log", args=[case.pk]))
    assert response.status == 404
    context.close()
