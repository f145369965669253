"""The superuser's admin in words (issue 17): the other apps by translated names, permissions as what they allow,
and the audit trail as sentences, not codes."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from cases.audit_words import ACTIONS
from cases.models import AuditEvent, Case
from cases.review.audit_trail import details, target

from ..factories import make_case, make_user
from ..review_fixtures import reviewers_group, superuser, superuser_client  # noqa: F401
from ..words import visible_text

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def test_the_other_apps_have_chinese_names_on_the_admin_home(superuser_client):
    text = visible_text(superuser_client.get(reverse("admin:index"), **ZH).content.decode())
    assert "登录保护" in text and "后台任务" in text
    assert "Axes" not in text and "Tasks Database Backend" not in text


def test_permissions_read_as_app_model_and_what_they_allow(superuser_client, reviewers_group):
    html = superuser_client.get(reverse("admin:auth_group_change", args=[reviewers_group.pk]), **ZH).content.decode()
    assert "案件 | 债务 | 可查看" in html and "登录保护 | 登录记录 | 可删除" in html
    assert "可以把案件分配给审核人" in html  # a permission of our own, by its translated name
    assert "Can view" not in html and "Can assign" not in html


def test_every_action_the_code_records_has_its_words():
    """Each action code written anywhere in cases/ is in the table (a new one fails here, not on a page)."""
    from pathlib import Path

    source = "\n".join(p.read_text() for p in Path("cases").rglob("*.py") if "migrations" not in p.parts)
    written = set(re.findall(r'(?:record|entry|event)\(\s*\w+,\s*"([a-z_.]+)"', source))
    # and both codes of every ``record(by, "a" if x else "b", …)``
    written |= {code for pair in re.findall(r'record\(\s*\w+,\s*"([a-z_.]+)" if \w+ else "([a-z_.]+)"', source)
                for code in pair}
    written |= {f"letter.{decision}" for decision in ("approved", "changes_requested")}
    written |= {"consent_given", "privacy.consent_given"}
    assert len(written) > 30
    assert written <= set(ACTIONS), written - set(ACTIONS)


def test_an_audit_entry_is_shown_as_sentences(superuser_client, owner):
    case = make_case(owner)
    entry = AuditEvent.objects.record(owner, "letter_generated", case=case, target="letter:18",
                                      kind="hardship_statement", lender="l565cfe969e", version=2)
    html = superuser_client.get(reverse("admin:cases_auditevent_changelist"), **ZH).content.decode()
    text = visible_text(html).replace("\n", " ")
    assert "生成了信件草稿" in text and "信件" in text
    assert "类型: 困难情况说明; 贷款机构代号: ; 版本: 2" in text  # the lender's key is data, marked so
    assert '<span class="ref" translate="no">l565cfe969e</span>' in html
    assert "letter_generated" not in text and "hardship_statement" not in text
    page = visible_text(superuser_client.get(reverse("admin:cases_auditevent_change", args=[entry.pk]), **ZH)
                        .content.decode())
    assert "生成了信件草稿" in page and "letter_generated" not in page


def test_the_audit_filter_lists_actions_by_their_words_and_still_filters_by_code(superuser_client, owner):
    case = make_case(owner)
    AuditEvent.objects.record(owner, "evidence_deleted", case=case, target="evidence:3")
    AuditEvent.objects.record(owner, "contact.add", case=case, target="contact:4")
    url = reverse("admin:cases_auditevent_changelist")
    text = visible_text(superuser_client.get(url, **ZH).content.decode())
    assert "删除了证据" in text and "记录了一次联系" in text
    filtered = visible_text(superuser_client.get(url + "?action=evidence_deleted", **ZH).content.decode())
    assert "1 条结果" in filtered and "删除了证据\n证据" in filtered  # the filter lists every action by its words


@pytest.mark.parametrize("stored, shown", [
    ("letter:18", "信件"), ("account_number_7", "合同号或账户号"), ("phone", "手机号"), ("", "—"),
])
def test_targets_read_as_words(stored, shown):
    from django.utils import translation

    with translation.override("zh-hans"):
        assert visible_text(str(target(stored))).replace("\n", " ") == shown


def test_details_translate_codes_and_keep_figures(owner):
    from django.utils import translation

    case = make_case(owner)
    entries = [
        (AuditEvent.objects.entry(owner, "agreement.check_in", case=case, result="short"), "结果: 少还了"),
        (AuditEvent.objects.entry(owner, "case.deleted", case=case, reason="retention"), "原因: 保存期限届满后删除"),
        (AuditEvent.objects.entry(owner, "evidence_uploaded", case=case, content_type="image/png", size=2048),
         "文件类型: image/png; 大小: 2.0\xa0KB"),
        (AuditEvent.objects.entry(owner, "admin.cases_exported", count=3, sensitive=True), "案件: 3; 包含隐藏信息: 是"),
        (AuditEvent.objects.entry(owner, "monthly_offer_set", case=case, amount="800.00"), "金额（元）: 800.00"),
        (AuditEvent.objects.entry(owner, "privacy.export", case=case), "—"),
    ]
    with translation.override("zh-hans"):
        for entry, shown in entries:
            assert str(details(entry)) == shown
