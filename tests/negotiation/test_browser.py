"""Real browser, phone viewport: log three contacts, one with misconduct, and see
the ladder suggest the collection complaint (issue 6)."""

import pytest
from playwright.sync_api import expect
from django.urls import reverse

from ..factories import PASSWORD, make_case, make_debt, make_user


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_log_three_contacts_on_a_phone_and_get_the_collection_complaint(page):
    user = make_user("phoneuser")
    case = make_case(user, title="手机上的案件")
    make_debt(case)
    # The foundation has no favicon yet; Chromium's automatic request would log a 404.
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    page.goto(reverse("login"))
    page.fill("#id_username", "phoneuser")
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/dashboard/")

    page.goto(reverse("log", args=[case.pk]))
    form = page.locator("#quick-add")
    # 1: the 95188 line did not answer.
    form.locator("#id_channel").select_option("hotline")
    form.locator("#id_direction").select_option("outgoing")
    form.locator("#id_organisation").fill("支付宝客服 95188")
    form.locator("#id_phone_number").fill("95188")
    form.locator("#id_outcome").select_option("no_answer")
    form.locator("button[type=submit]").click()
    page.locator(".contacts > li").first.wait_for()
    assert page.locator(".contacts > li").count() == 1

    # 2: the save is confirmed beside a fresh form; "same as last time" fills in the channel and counterpart.
    expect(page.locator("#contact-saved")).to_contain_text("支付宝客服 95188")
    form = page.locator("#quick-add")
    assert form.locator("#id_phone_number").input_value() == ""
    page.locator("a[href$='?same=1#quick-title']").click()
    # A full page load: until htmx has started, the next save would be a plain POST and a redirect.
    page.wait_for_url("**/?same=1#quick-title", wait_until="load")
    form = page.locator("#quick-add")
    expect(form.locator("#id_phone_number")).to_have_value("95188")
    assert form.locator("#id_channel").input_value() == "hotline"
    form.locator("#id_outcome").select_option("refused")
    form.locator("button[type=submit]").click()
    page.locator(".contacts > li").nth(1).wait_for()

    # 3: a collector calls late at night and threatens to tell my employer.
    form = page.locator("#quick-add")
    form.locator("#id_occurred_at").fill("2026-11-20T22:40")
    form.locator("#id_channel").select_option("collector_call")
    form.locator("#id_direction").select_option("incoming")
    form.locator("#id_organisation").fill("某资产管理公司")
    form.locator("#id_phone_number").fill("021-60887316")
    form.locator("#id_outcome").select_option("info")
    form.locator("details.more summary").click()
    form.locator("input[name=misconduct][value=threat_insult]").check()
    form.locator("#id_notes").fill("说要打电话到我单位")
    form.locator("button[type=submit]").click()
    page.locator(".contacts > li").nth(2).wait_for()

    step = page.locator('[data-rule="misconduct"]')
    step.wait_for()
    link = step.locator("a.button")
    assert link.get_attribute("href") == reverse("letter_kind", args=[case.pk, "collection_complaint"])
    flagged = page.locator(".contacts > li.flagged")
    assert flagged.count() == 1
    assert flagged.locator(".flags li").count() == 2  # the threat, and the call after 22:00
    # Still on the same page: htmx swapped the log in place.
    assert page.url.endswith(reverse("log", args=[case.pk]) + "?same=1#quick-title")
    # The log fits the phone: nothing wider than the viewport.
    assert page.locator("#log-body").bounding_box()["width"] <= 390

    # Inline edit: the unanswered call becomes a form in place, then an entry again.
    unanswered = page.locator(".contacts > li:has(.outcome-no_answer)")
    entry_id = unanswered.get_attribute("id")
    unanswered.locator("a[hx-get]").click()
    editing = page.locator(f"#{entry_id}.editing")
    editing.wait_for()
    editing.locator("select[name=outcome]").select_option("callback")
    editing.locator("button[type=submit]").click()
    page.locator(f"#{entry_id}:not(.editing) .outcome-callback").wait_for()

    # Inline delete, after confirming.
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f"#{entry_id} form[hx-post] button").click()
    page.locator(f"#{entry_id}").wait_for(state="detached")
    assert page.locator(".contacts > li").count() == 2
    assert page.url.split("?")[0].endswith(reverse("log", args=[case.pk]))

    page.locator('[data-rule="misconduct"] a.button').click()
    # The kind's link leads to the letter to the case's one lender (issue 15: one addressee per letter).
    page.wait_for_url(f"**{reverse('letter_kind', args=[case.pk, 'collection_complaint'])}*/")
