"""Languages: Simplified Chinese by default, Traditional Chinese and English on offer,
switched in the header and remembered in a cookie."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"
# Files whose strings the foundation owns: all must be translated.
FOUNDATION_SOURCES = (
    "templates/base.html", "templates/cases/pages/landing.html", "templates/cases/pages/dashboard.html",
    "templates/cases/pages/case_detail.html", "templates/registration/", "cases/accounts/forms.py", "cases/models.py",
    "cases/accounts/views.py", "cases/apps.py",
)


def catalog(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def switch(client, language: str, next_url: str = "/"):
    return client.post(reverse("set_language"), {"language": language, "next": next_url})


def page_language(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def test_pages_are_in_simplified_chinese_by_default(client, db):
    response = client.get(reverse("landing"))
    assert page_language(response) == "zh-CN"
    html = response.content.decode()
    assert "协商助手" in html
    assert "它不是律师，也不能代理您" in html
    assert "年化 24% 上限" in html


@pytest.mark.parametrize(
    ("accept", "lang", "text"),
    [("en", "en", "It is not a lawyer"), ("zh-TW", "zh-TW", "協商助手"), ("zh-CN", "zh-CN", "协商助手")],
)
def test_the_browser_language_is_honoured(client, db, accept, lang, text):
    response = client.get(reverse("landing"), HTTP_ACCEPT_LANGUAGE=accept)
    assert page_language(response) == lang
    assert text in response.content.decode()


def test_the_header_offers_all_three_languages_and_marks_the_current_one(client, db):
    html = client.get(reverse("landing")).content.decode()
    buttons = re.findall(r'<button type="submit" name="language" value="([^"]+)"[^>]*>([^<]+)</button>', html)
    assert buttons == [("zh-hans", "简体中文"), ("zh-hant", "繁體中文"), ("en", "English")]
    assert re.search(r'value="zh-hans"[^>]*aria-current="true"', html)


def test_switching_to_english_is_remembered_in_a_cookie(client, db):
    response = switch(client, "en", reverse("login"))
    assert response["Location"] == reverse("login")
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert int(cookie["max-age"]) == 365 * 24 * 3600
    later = client.get(reverse("landing"), HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert page_language(later) == "en"
    assert "Behind on Huabei or Jiebei?" in later.content.decode()


def test_switching_back_to_simplified_chinese(client, db):
    switch(client, "en")
    switch(client, "zh-hans")
    assert "花呗、借呗逾期了？" in client.get(reverse("landing")).content.decode()


def test_switching_to_traditional_chinese(owner_client):
    switch(owner_client, "zh-hant", reverse("dashboard"))
    response = owner_client.get(reverse("dashboard"))
    assert page_language(response) == "zh-TW"
    assert "您還沒有案件" in response.content.decode()


def test_a_language_we_do_not_offer_is_ignored(client, db):
    switch(client, "fr")
    assert page_language(client.get(reverse("landing"))) == "zh-CN"


def test_switching_language_never_redirects_to_another_site(client, db):
    response = switch(client, "en", "https://evil.example/")
    assert response["Location"] == "/"


def test_signed_in_pages_follow_the_switch(owner_client):
    switch(owner_client, "en", reverse("dashboard"))
    assert "My cases" in owner_client.get(reverse("dashboard")).content.decode()


@pytest.mark.parametrize("language", ["zh_Hans", "zh_Hant"])
def test_every_foundation_string_is_translated(language):
    missing = [
        entry.msgid for entry in catalog(language)
        if any(path.startswith(FOUNDATION_SOURCES) for path, _line in entry.occurrences)
        and not (entry.msgstr or any(entry.msgstr_plural.values()))
    ]
    assert missing == []


@pytest.mark.parametrize(("language", "code"), [("zh_Hans", "zh-hans"), ("zh_Hant", "zh-hant")])
def test_the_compiled_catalogs_render_every_translation(language, code):
    entries = [e for e in catalog(language).translated_entries() if not e.msgid_plural and not e.msgctxt]
    assert len(entries) > 100
    with translation.override(code):
        wrong = [(e.msgid, translation.gettext(e.msgid)) for e in entries if translation.gettext(e.msgid) != e.msgstr]
    assert wrong == []


def test_the_traditional_catalog_is_converted_from_the_simplified_one():
    hans = {e.msgid: e.msgstr for e in catalog("zh_Hans")}
    hant = {e.msgid: e.msgstr for e in catalog("zh_Hant")}
    assert hans.keys() == hant.keys()
    assert (hans["Sign up"], hant["Sign up"]) == ("注册", "註冊")
    assert (hans["Bank statement"], hant["Bank statement"]) == ("银行流水", "銀行流水")
    assert hant["Negotiator"] == "協商助手"
