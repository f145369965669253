"""Outcomes per lender (issue 18): derived from the log, the agreements and the check-ins, and the
reviewers' anonymous counts beside the review queue (small counts shown as "<3")."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from cases.lenders import lender_slug
from cases.models import Agreement
from cases.negotiation.outcomes import agreement_kind, case_outcomes, lender_table

from ..factories import make_case, make_debt, make_debtor, make_user
from ..log_fixtures import make_contact
from ..review_fixtures import client_for, group_reviewer, reviewer_client, reviewers_group  # noqa: F401

ANT = "重庆蚂蚁消费金融有限公司"
URL = "/admin/cases/lenderoutcome/"


def agree(case, lender, months=12, waiver=None, status="on_track", contact=None):
    return Agreement.objects.create(case=case, lender=lender, lender_slug=lender_slug(lender), monthly=Decimal("100"),
                                    months=months, waiver=waiver, first_due=date(2026, 12, 1),
                                    agreed_on=date(2026, 11, 1), status=status, contact=contact)


@pytest.fixture
def five_cases(db):
    cases = []
    for n in range(5):
        case = make_case(title=f"私密案件{n}")
        make_debtor(case, name=f"王{n}")
        cases.append((case, make_debt(case, lender=ANT)))
    (c1, d1), (c2, d2), (c3, d3), (c4, d4), (c5, d5) = cases
    make_contact(c1, outcome="refused", debts=[d1])  # asked
    agree(c1, "招商银行")  # a lender in one case only
    offer = make_contact(c2, outcome="offer", offer_monthly=Decimal("100"), offer_months=12, debts=[d2])
    agree(c2, ANT, status="kept", contact=offer)
    make_debt(c2, lender="某小额贷款公司")
    make_contact(c2, outcome="refused", organisation="某小额贷款公司")
    make_contact(c3, direction="incoming", outcome="offer", offer_text="减免一半", debts=[d3])  # offered, not asked
    agree(c3, ANT, waiver=Decimal("500"))
    make_contact(c4, outcome="no_answer", debts=[d4])  # tried, not asked
    make_contact(c5, direction="incoming", outcome="offer", asked="分24期", offer_months=24, debts=[d5])
    agree(c5, ANT, months=24)
    withdrawn = make_case(title="撤回的案件")
    withdrawn.withdraw_consent()
    agree(withdrawn, ANT, months=60)  # left out: the debtor withdrew consent
    return [c for c, _d in cases]


def test_the_kind_of_plan_is_read_from_the_terms():
    assert agreement_kind(12, Decimal("1.00"), 3) == "waiver"
    assert agreement_kind(12, None, 3) == "deferral"
    assert [agreement_kind(m, Decimal("0"), 0) for m in (1, 12, 13, 36, 37, 60)] == [
        "up_to_12", "up_to_12", "up_to_36", "up_to_36", "longer", "longer"]


def test_outcomes_per_case_and_lender_come_from_the_log_and_the_agreements(five_cases):
    c1, c2, c3, c4, c5 = five_cases
    found = case_outcomes([c.pk for c in five_cases])
    ant = lender_slug(ANT)
    assert [(o.asked, o.offered, o.agreed, o.kept) for o in (found[c.pk][ant] for c in five_cases)] == [
        (True, False, False, False), (True, True, True, True), (False, True, True, False),
        (False, False, False, False), (True, True, True, False)]
    assert found[c3.pk][ant].kinds == ["waiver"] and found[c5.pk][ant].kinds == ["up_to_36"]
    assert found[c2.pk][lender_slug("某小额贷款公司")].asked


def test_the_table_is_anonymous_and_hides_small_counts(five_cases):
    with translation.override("en"):
        table = lender_table()
    assert [row["lender"] for row in table] == [ANT, "Other lenders (fewer than 3 cases each)"]
    ant, pooled = table
    assert ant["cases"] == "5" and ant["stages"] == ["3", "3", "3", "<3"]
    assert ant["kinds"] == ["<3", "0", "<3", "<3", "0"]  # waiver, pause, ≤12, 13–36, longer; no withdrawn case
    assert pooled["cases"] == "<3" and pooled["stages"] == ["<3", "0", "<3", "0"]


def test_reviewers_see_the_page_beside_the_queue_without_any_case_or_debtor(reviewer_client, five_cases,
                                                                            django_assert_max_num_queries):
    index = reviewer_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert URL in index and "/admin/cases/caseinreview/" in index
    with django_assert_max_num_queries(9):  # session, user, permissions, the cases' debts, contacts and agreements
        response = reviewer_client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200 and ANT in html and "&lt;3" in html
    assert "招商银行" not in html and "某小额贷款公司" not in html
    assert "私密案件" not in html and "王0" not in html and "/review/" not in html
    for case in five_cases:
        assert reverse("admin:cases_case_review", args=[case.pk]) not in html
    agreement = Agreement.objects.first()
    assert reviewer_client.get(f"{URL}{agreement.pk}/change/").status_code == 404  # no row to open


def test_queries_do_not_grow_with_the_cases(reviewer_client, five_cases, django_assert_max_num_queries):
    for n in range(10):
        case = make_case()
        make_contact(case, outcome="offer", offer_months=6, debts=[make_debt(case, lender=ANT)])
    with django_assert_max_num_queries(9):
        assert reviewer_client.get(URL).status_code == 200


def test_users_and_staff_without_the_queue_get_no_page(client, owner, five_cases):
    client.force_login(owner)
    assert client.get(URL).status_code == 404
    assert client_for(make_user("clerk", staff=True)).get(URL).status_code == 404
