"""The proposal page: charges worked out, ceiling check, budget, plans, choice."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from cases.models import AuditEvent, Case, Proposal
from cases.proposal.quote import engine_input_for, quote_fingerprint, today_in_china

from ..factories import make_budget_line, make_case, make_debt, make_full_case
from ..review_fixtures import group_reviewer, reviewer_client, reviewers_group  # noqa: F401


@pytest.fixture
def ready_case(owner):
    case = make_full_case(owner)
    case.set_status(Case.Status.READY, by=owner)
    return case


def url(case, name="proposal"):
    return reverse(name, args=[case.pk])


def choose(client, case, plan: int, fingerprint: str | None = None, **extra):
    fingerprint = fingerprint or quote_fingerprint(engine_input_for(case, today_in_china()))
    return client.post(url(case, "proposal_choose"), {"plan": plan, "fingerprint": fingerprint}, **extra)


def test_it_shows_charges_budget_plans_and_the_limitation_warning(owner_client, ready_case):
    response = owner_client.get(url(ready_case), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Huabei overdue fee" in page and "Penalty interest (overdue amount" in page
    assert "0.05 % a day on 3000.00 yuan, for" in page  # the computation, line by line, in words (issue 17)
    assert "Available for your lenders each month" in page
    assert "restarts the three-year period" in page
    for title in ("Full balance in instalments", "Instalments with the penalty waived", "A pause, then instalments"):
        assert title in page
    assert page.count("Recommended</span>") == 1
    assert "<svg" in page and 'class="chart-line"' in page


def test_budget_figures_come_from_the_case(owner_client, ready_case):
    page = owner_client.get(url(ready_case), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # 3 people in 深圳市: the floor 3 × 1365.00 = 4095.00 is above the 1800 + 1200 = 3000.00 entered, so it
    # decides: 5200 − 4095 = 1105.00 left; 10 % kept back -> 994.50 available
    assert "¥4095.00" in page and "¥1105.00" in page and "¥994.50" in page
    assert "the floor, not your figure, is used" in page and "not yet checked this figure" in page


def test_excess_over_the_ceiling_is_highlighted_and_explained(owner_client, owner):
    case = make_case(owner)
    make_debt(case, product="other", principal=Decimal("10000.00"), overdue_amount=Decimal("10000.00"),
              overdue_since=today_in_china() - timedelta(days=100), billed_charges=Decimal("200.00"),
              penalty_daily_rate=Decimal("0.001"), billed_through=today_in_china() - timedelta(days=100))
    case.set_status(Case.Status.READY)
    page = owner_client.get(url(case), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # 200.00 billed before, 1000.00 computed after: 1200.00 against 10000 × 24 % × 100 ÷ 365 = 657.53 -> 542.47 above
    assert "¥542.47 above the legal ceiling" in page
    assert "43.80 % a year" in page
    assert '<td class="num">43.80%</td>' in page  # the all-in rate, shown as a percentage
    assert 'class="line-excess_over_cap excess"' in page


def test_lender_figure_is_shown_beside_ours(owner_client, owner):
    case = make_case(owner)
    make_debt(case, overdue_since=None, lender_claimed_total=Decimal("12500.00"))
    case.set_status(Case.Status.READY)
    page = owner_client.get(url(case), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The lender says you owe ¥12500.00; by our count it is ¥12000.00, a difference of ¥500.00." in page


def test_a_draft_case_is_told_what_is_missing(owner_client, owner):
    case = make_case(owner)
    page = owner_client.get(url(case), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Before we can work out plans" in page
    assert "so your case is marked ready" in page
    assert "Add at least one debt" in page
    assert "Choose this plan" not in page


def test_a_ready_case_without_debts_is_told_to_add_one(owner_client, owner):
    case = make_case(owner)
    case.set_status(Case.Status.READY)
    page = owner_client.get(url(case), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Add at least one debt" in page and "marked ready" not in page


def test_choosing_a_plan_saves_a_snapshot_letters_can_cite(owner_client, owner, ready_case):
    response = choose(owner_client, ready_case, 1)
    assert response.status_code == 302 and response["Location"] == url(ready_case)
    proposal = Proposal.objects.get(case=ready_case)
    assert proposal.chosen_plan == 1
    assert proposal.plan["kind"] == "waiver"
    assert proposal.engine_input == engine_input_for(ready_case, today_in_china())
    assert proposal.engine_output["debts"][0]["id"] == str(ready_case.debts.first().pk)
    assert AuditEvent.objects.filter(action="proposal_chosen").count() == 1
    page = owner_client.get(url(ready_case), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You chose <strong>Instalments with the penalty waived</strong>" in page
    assert "The plan you chose." in page


def test_choosing_again_keeps_the_earlier_snapshot(owner_client, ready_case):
    choose(owner_client, ready_case, 0)
    choose(owner_client, ready_case, 2)
    assert list(ready_case.proposals.values_list("chosen_plan", flat=True)) == [2, 0]


@pytest.mark.parametrize("plan", ["99", "-1", "abc", ""])
def test_an_unknown_plan_is_refused_and_nothing_saved(owner_client, ready_case, plan):
    fingerprint = quote_fingerprint(engine_input_for(ready_case, today_in_china()))
    response = owner_client.post(url(ready_case, "proposal_choose"), {"plan": plan, "fingerprint": fingerprint},
                                 HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert not Proposal.objects.exists()
    assert 'role="alert"' in response.content.decode()


def test_a_choice_made_on_stale_figures_is_refused(owner_client, ready_case):
    page_fingerprint = quote_fingerprint(engine_input_for(ready_case, today_in_china()))
    make_budget_line(ready_case, "expense", "medical", "500.00")  # edited in another tab
    response = choose(owner_client, ready_case, 0, fingerprint=page_fingerprint, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "Your figures changed after this page was opened" in response.content.decode()
    assert not Proposal.objects.exists()


def test_choosing_on_a_case_that_is_not_ready_saves_nothing(owner_client, owner):
    case = make_full_case(owner)  # still a draft
    assert choose(owner_client, case, 0).status_code == 302
    assert not Proposal.objects.exists()


def test_choose_rejects_get(owner_client, ready_case):
    assert owner_client.get(url(ready_case, "proposal_choose")).status_code == 405


def test_stranger_gets_404_for_the_proposal_page(stranger_client, ready_case):
    assert stranger_client.get(url(ready_case)).status_code == 404
    assert stranger_client.get(url(ready_case) + "?plan=0", HTTP_HX_REQUEST="true").status_code == 404


def test_stranger_gets_404_when_choosing_a_plan(stranger_client, ready_case):
    fingerprint = quote_fingerprint(engine_input_for(ready_case, today_in_china()))
    response = stranger_client.post(url(ready_case, "proposal_choose"), {"plan": 0, "fingerprint": fingerprint})
    assert response.status_code == 404
    assert not Proposal.objects.exists()


def test_unknown_case_gets_404(owner_client, ready_case):
    assert owner_client.get(reverse("proposal", args=[ready_case.pk + 1000])).status_code == 404


def test_the_page_rejects_post(owner_client, ready_case):
    assert owner_client.post(url(ready_case), {"plan": 0}).status_code == 405
    assert not Proposal.objects.exists()


def test_staff_do_not_see_the_proposal_page(client, reviewer, ready_case):
    """Issue 16: staff see the figures on the review page only."""
    client.force_login(reviewer)
    assert client.get(url(ready_case)).status_code == 404


def test_htmx_preview_returns_only_the_plan_detail(owner_client, ready_case):
    response = owner_client.get(url(ready_case) + "?plan=2", HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="plan-detail"')
    assert "Interest stopped, principal only" in page
    assert "not saved until you choose it" in page
    assert "<html" not in page


def test_preview_without_javascript_renders_the_whole_page(owner_client, ready_case):
    page = owner_client.get(url(ready_case) + "?plan=2", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<html" in page and "not saved until you choose it" in page


def test_queries_do_not_grow_with_the_number_of_debts(owner_client, ready_case, django_assert_max_num_queries):
    for _ in range(15):
        make_debt(ready_case, overdue_since=date(2026, 9, 1))
        make_budget_line(ready_case, "expense", "transport", "10.00")
    choose(owner_client, ready_case, 0)
    # session, user, case, debts, budget lines, agreements (issue 18), latest proposal; then the session's save (3 statements)
    with django_assert_max_num_queries(10):
        assert owner_client.get(url(ready_case)).status_code == 200


def test_the_case_hub_links_to_the_proposal(owner_client, ready_case):
    assert url(ready_case) in owner_client.get(reverse("case_detail", args=[ready_case.pk])).content.decode()


def test_page_has_no_inline_styles_or_scripts(owner_client, ready_case):
    page = owner_client.get(url(ready_case)).content.decode()
    assert "style=" not in page and "<script>" not in page and "hx-on" not in page


def test_when_nothing_is_affordable_the_page_says_so_and_marks_the_pause(owner_client, owner):
    case = make_case(owner)
    make_debt(case)
    make_budget_line(case, "income", "benefits", "1500.00")
    make_budget_line(case, "expense", "housing", "1600.00")
    case.set_status(Case.Status.READY)
    page = owner_client.get(url(case), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No repayment of what you owe fits what you have left each month" in page
    assert 'class="deficit">¥-2595.00' in page  # 1500 − max(1600, the floor 3 × 1365.00)
    recommended = page.split('class="card plan recommended"')[1].split("</article>")[0]
    assert "A pause with no payment, reviewed later" in recommended and "It promises no payment." in recommended


def test_the_page_says_when_the_chosen_plan_rests_on_old_figures(owner_client, ready_case):
    choose(owner_client, ready_case, 0)
    page = owner_client.get(url(ready_case), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "have changed since then" not in page
    make_debt(ready_case, product="other", lender="某银行")
    page = owner_client.get(url(ready_case), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "have changed since then" in page


def test_the_chosen_plan_shows_what_each_lender_is_asked_to_accept(owner_client, ready_case):
    choose(owner_client, ready_case, 1)
    page = owner_client.get(url(ready_case), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    detail = page.split('id="plan-detail"')[1]
    assert "What each lender is asked to accept" in detail
    parts = Proposal.objects.get().plan["parts"]
    assert parts
    for part in parts:
        assert part["lender"] in detail
        assert f'¥{part["monthly_payment"]}' in detail and f'¥{part["waived"]}' in detail


# --- Finance v2: own amount, limitation choice, reasons ----------------------------------


def test_the_users_own_amount_becomes_a_plan(owner_client, ready_case):
    response = owner_client.post(url(ready_case, "proposal_own_amount"), {"monthly_offer": "700.00"})
    assert response.status_code == 302
    ready_case.refresh_from_db()
    assert ready_case.monthly_offer == Decimal("700.00")
    assert AuditEvent.objects.filter(action="monthly_offer_set").exists()
    page = owner_client.get(url(ready_case), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "My own monthly amount" in page and "¥700.00" in page
    owner_client.post(url(ready_case, "proposal_own_amount"), {"monthly_offer": ""})
    ready_case.refresh_from_db()
    assert ready_case.monthly_offer is None


@pytest.mark.parametrize("bad", ["-5", "abc", "0", "NaN", "12.345"])
def test_a_bad_own_amount_changes_nothing(owner_client, ready_case, bad):
    response = owner_client.post(url(ready_case, "proposal_own_amount"), {"monthly_offer": bad}, follow=True,
                                 HTTP_ACCEPT_LANGUAGE="en")
    ready_case.refresh_from_db()
    assert ready_case.monthly_offer is None
    assert 'class="messages' in response.content.decode() or "error" in response.content.decode()


def test_a_possibly_time_barred_debt_is_flagged_left_out_and_included_only_after_the_warning(owner_client, owner):
    case = make_case(owner)
    old = make_debt(case, overdue_since=date(2021, 3, 1))
    make_debt(case, lender="招商银行")
    case.set_status(Case.Status.READY)
    page = owner_client.get(url(case), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "May be time-barred" in page and "gives up that defence for the whole debt" in page
    assert "It is left out of every plan below." in page
    # without ticking that the warning was read, nothing changes
    owner_client.post(url(case, "proposal_include_debt"), {"debt": old.pk, "include": "on"})
    old.refresh_from_db()
    assert not old.include_despite_limitation
    owner_client.post(url(case, "proposal_include_debt"), {"debt": old.pk, "include": "on", "understood": "on"})
    old.refresh_from_db()
    assert old.include_despite_limitation
    assert AuditEvent.objects.filter(action="debt_included_despite_limitation").exists()
    page = owner_client.get(url(case), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You chose to include this debt in the plans." in page


def test_another_users_debt_cannot_be_included(owner_client, ready_case, stranger):
    other = make_debt(make_case(stranger), overdue_since=date(2021, 3, 1))
    response = owner_client.post(url(ready_case, "proposal_include_debt"),
                                 {"debt": other.pk, "include": "on", "understood": "on"})
    assert response.status_code == 404
    other.refresh_from_db()
    assert not other.include_despite_limitation


def test_strangers_get_404_for_the_own_amount_and_the_limitation_choice(stranger_client, ready_case):
    debt = ready_case.debts.first()
    assert stranger_client.post(url(ready_case, "proposal_own_amount"), {"monthly_offer": "1"}).status_code == 404
    assert stranger_client.post(url(ready_case, "proposal_include_debt"), {"debt": debt.pk}).status_code == 404
    assert stranger_client.get(url(ready_case, "proposal_own_amount")).status_code in (404, 405)


def test_a_plan_above_the_budget_needs_a_reason_which_the_reviewer_sees(owner_client, owner,
                                                                        reviewer_client):  # noqa: F811
    case = make_case(owner)
    make_debt(case, principal=Decimal("50000.00"))  # 50000 ÷ 60 = 833.34 > 364.50 available
    make_budget_line(case, "income", "salary", "4500.00")
    make_budget_line(case, "expense", "housing", "4000.00")
    case.set_status(Case.Status.READY)
    quote = engine_input_for(case, today_in_china())
    from cases.finance.codec import quote_dict

    plans = quote_dict(quote)["plans"]
    above = next(i for i, p in enumerate(plans) if p["needs_reason"])
    assert choose(owner_client, case, above).status_code == 400
    assert not Proposal.objects.exists()
    fingerprint = quote_fingerprint(quote)
    owner_client.post(url(case, "proposal_choose"), {"plan": above, "fingerprint": fingerprint,
                                                     "reason": "家人每月资助1000元"})
    proposal = Proposal.objects.get()
    assert proposal.reason == "家人每月资助1000元" and proposal.as_of == today_in_china()
    page = reviewer_client.get(reverse("admin:cases_case_review", args=[case.pk]),
                               HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "家人每月资助1000元" in page


def test_the_snapshot_gives_each_lender_only_its_own_debts_and_part(owner_client, ready_case):
    choose(owner_client, ready_case, 0)
    proposal = Proposal.objects.get()
    lender = proposal.engine_output["debts"][0]["lender"]
    view = proposal.for_lender(lender)
    assert view["as_of"] == today_in_china().isoformat()
    assert {d["lender"] for d in view["debts"]} == {lender}
    assert view["part"]["lender"] == lender and view["budget"]["available"]
    assert Decimal(view["part"]["total"]) == sum(Decimal(i["amount"]) for i in view["part"]["schedule"])
