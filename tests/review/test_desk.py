"""The reviewer's desk (issue 17): the admin home leads with the queue and its count, the queue names the letters
waiting, letter kinds by their titles, no raw JSON and no "object (N)"."""

import re

import pytest
from django.urls import reverse

from cases.demo.parts import build_demo_case
from cases.models import AuditEvent, Letter, Proposal

from ..factories import make_user
from ..review_fixtures import group_reviewer, reviewers_group  # noqa: F401

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def test_the_admin_home_leads_with_the_review_queue_and_its_count(client, owner, group_reviewer):
    build_demo_case(owner)
    client.force_login(group_reviewer)
    html = client.get(reverse("admin:index"), **ZH).content.decode()
    lead = re.search(r'id="review-queue-lead".*?</div>', html, re.S).group(0)
    assert "1 个案件有信件等待审核" in lead
    assert html.index('id="review-queue-lead"') < html.index('id="content-main"')
    assert reverse("admin:cases_caseinreview_changelist") in lead


def test_the_queue_names_the_letters_waiting_by_their_titles(client, owner, group_reviewer):
    case = build_demo_case(owner)
    client.force_login(group_reviewer)
    waiting = case.letters.get(status=Letter.Status.IN_REVIEW)
    html = client.get(reverse("admin:cases_caseinreview_changelist"), **ZH).content.decode()
    assert f"{waiting.kind_title}（第 {waiting.version} 版）" in html
    assert "等待审核的信件" in html


def test_letters_and_proposals_show_titles_and_plans_not_codes_or_json(client, owner):
    case = build_demo_case(owner)
    client.force_login(make_user("chief", superuser=True))
    letter = case.letters.first()
    pages = [reverse("admin:cases_letter_changelist"), reverse("admin:cases_letter_change", args=[letter.pk]),
             reverse("admin:cases_proposal_changelist"),
             reverse("admin:cases_proposal_change", args=[Proposal.objects.filter(case=case).first().pk]),
             reverse("admin:cases_auditevent_change", args=[AuditEvent.objects.first().pk])]
    for url in pages:
        html = client.get(url, **ZH).content.decode()
        assert "object (" not in html, url
        assert '{"' not in html and "&quot;" not in html.split("<main", 1)[-1].split("</main>")[0].replace(
            'class="', ""), url
        assert letter.kind not in re.sub(r'(href|value|name|class|id|for)="[^"]*"', "", html.split("<main", 1)[-1]), url
