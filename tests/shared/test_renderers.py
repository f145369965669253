"""The form renderer writes the common form templates in Python: every page with a
form must come out exactly as Django's own templates render it, empty, filled
and with errors, in each language."""

import re

import django
import pytest
from django.conf import settings
from django.forms.renderers import BaseRenderer
from django.urls import reverse

from cases import renderers
from cases.demo.parts import build_demo_case
from cases.renderers import FastFormRenderer

from ..review_fixtures import group_reviewer, reviewers_group  # noqa: F401

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not settings.FAST_FORM_RENDERER or not renderers.checked_version(django.VERSION),
                       reason="compares the fast form renderer with Django's templates; it is off "
                       "(FAST_FORM_RENDERER=0 or a Django version it refuses)"),
]


class TemplatesOnly(FastFormRenderer):
    """The reference: every template rendered by Jinja2 (or Django's template language)."""

    def render(self, template_name, context, request=None):
        return BaseRenderer.render(self, template_name, context, request=request)


# Values that change with every request, whatever the renderer.
_VOLATILE = [
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"'), 'name="csrfmiddlewaretoken" value="…"'),
    (re.compile(r'"X-CSRFToken": "[^"]+"'), '"X-CSRFToken": "…"'),
    (re.compile(r'nonce="[^"]+"'), 'nonce="…"'),
]


def _page(client, settings, renderer: str, method: str, url: str, data=None) -> str:
    settings.FORM_RENDERER = renderer
    response = client.post(url, data or {}) if method == "post" else client.get(url)
    assert response.status_code in (200, 302, 400, 409), (method, url, response.status_code)
    html = response.content.decode()
    for pattern, replacement in _VOLATILE:
        html = pattern.sub(replacement, html)
    return html


HOSTILE = {"version": "x", "principal": "-1e999", "name": "<script>alert(1)</script>", "debts-TOTAL_FORMS": "2",
           "debts-INITIAL_FORMS": "0", "debts-0-product": "nope", "debts-0-principal": "abc",
           "debts-1-overdue_since": "2026-02-30", "asked": "\x01", "occurred_at": "yesterday",
           "misconduct": ["not-a-choice"], "amount": "NaN"}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_form_page_renders_exactly_as_djangos_templates_do(client, settings, owner, language):
    case = build_demo_case(owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(owner)
    reference = f"{TemplatesOnly.__module__}.{TemplatesOnly.__qualname__}"
    fast = "cases.renderers.FastFormRenderer"
    pages = [("get", reverse(name, args=[case.pk])) for name in (
        "intake_about", "intake_debts", "intake_budget", "intake_hardship", "intake_evidence",
        "intake_review", "proposal", "log", "case_privacy", "case_delete")]
    pages += [("post", reverse(name, args=[case.pk]), HOSTILE) for name in (
        "intake_about", "intake_debts", "intake_budget", "intake_hardship", "intake_evidence", "intake_review",
        "proposal_choose", "case_delete", "evidence_upload")]
    pages += [("get", reverse("intake_debt_row", args=[case.pk]) + "?debts-TOTAL_FORMS=3"),
              ("get", reverse("contact_edit", args=[case.pk, case.contacts.first().pk])),
              ("post", reverse("contact_add", args=[case.pk]), HOSTILE),
              ("get", reverse("account")), ("get", reverse("account_delete")), ("post", reverse("account_delete"), {})]
    forms_shown = 0
    for method, url, *data in pages:
        outputs = []
        for renderer in (fast, reference):
            if data:  # the case's current version: the forms are validated, and refuse the hostile values
                case.refresh_from_db()
                data = [{**data[0], "version": str(case.version)}]
            outputs.append(_page(client, settings, renderer, method, url, *data))
        assert outputs[0] == outputs[1], url
        forms_shown += "<input" in outputs[0] and ("<select" in outputs[0] or "<textarea" in outputs[0])
    assert forms_shown >= 10


def test_signup_and_login_forms_with_errors_render_exactly_as_djangos_templates_do(client, settings, db):
    reference = f"{TemplatesOnly.__module__}.{TemplatesOnly.__qualname__}"
    for method, url, data in [("get", reverse("signup"), None), ("post", reverse("signup"), HOSTILE),
                              ("get", reverse("login"), None), ("post", reverse("login"), {"username": "<b>x</b>"})]:
        ours = _page(client, settings, "cases.renderers.FastFormRenderer", method, url, data)
        assert ours == _page(client, settings, reference, method, url, data), url


def test_the_reviewers_admin_forms_render_exactly_as_djangos_templates_do(client, settings, owner, group_reviewer):
    case = build_demo_case(owner)
    client.force_login(group_reviewer)
    reference = f"{TemplatesOnly.__module__}.{TemplatesOnly.__qualname__}"
    for url in [reverse("admin:cases_case_change", args=[case.pk]), reverse("admin:cases_case_changelist")]:
        ours = _page(client, settings, "cases.renderers.FastFormRenderer", "get", url)
        assert ours == _page(client, settings, reference, "get", url), url
