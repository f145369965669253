"""The page "charges on your bill": a debt's billed lines, billed-through date, penalty multiplier and overdue
interest, entered by the owner, validated on the server, and read by the quote."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from cases.models import AuditEvent, Case, Debt
from cases.proposal.quote import quote_case, today_in_china

from ..factories import make_case, make_debt, make_full_case, make_user
from ..review_fixtures import group_reviewer, reviewer_client, reviewers_group  # noqa: F401


@pytest.fixture
def jiebei(owner):
    """The issue's Jiebei loan: 20,000 at 18 %, 2,000 of it overdue for 100 days."""
    case = make_case(owner)
    debt = make_debt(case, product="jiebei", principal=Decimal("20000.00"), overdue_amount=Decimal("2000.00"),
                     annual_rate=Decimal("0.18"), overdue_since=today_in_china() - timedelta(days=100))
    case.set_status(Case.Status.READY)
    return debt


def url(debt: Debt) -> str:
    return reverse("debt_charges", args=[debt.case_id, debt.pk])


def post_data(lines: list[dict], *, initial: int = 0, **settings) -> dict:
    data = {"line-TOTAL_FORMS": str(len(lines)), "line-INITIAL_FORMS": str(initial),
            "line-MIN_NUM_FORMS": "0", "line-MAX_NUM_FORMS": "100"}
    for i, line in enumerate(lines):
        data.update({f"line-{i}-{key}": value for key, value in line.items()})
    data.update({f"bill-{key}": value for key, value in settings.items()})
    return data


def penalty_over_the_100_days(debt: Debt) -> dict:
    return {"kind": "penalty", "amount": "150.00", "start": (debt.overdue_since + timedelta(days=1)).isoformat(),
            "end": today_in_china().isoformat()}


def test_the_page_explains_billed_through_and_copying_the_bill(owner_client, jiebei):
    page = owner_client.get(url(jiebei), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Copy the lender's own figures from the bill" in page
    assert "“Billed through” is the last day your bill counts penalty or overdue fees for" in page
    assert 'name="bill-billed_through"' in page and 'name="bill-penalty_multiplier"' in page
    assert 'name="bill-overdue_interest"' in page and 'name="line-0-kind"' in page
    zh = owner_client.get(url(jiebei), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "Billed through" not in zh and "Copy the lender" not in zh


def test_lines_are_saved_with_their_audit_entry_and_the_quote_tests_them_on_their_base(owner_client, owner, jiebei):
    today = today_in_china()
    response = owner_client.post(url(jiebei), post_data(
        [penalty_over_the_100_days(jiebei), {"kind": "other_fee", "amount": "20.00", "start": "", "end": "",
                                             "base": "20000.00"}, {"kind": "", "amount": ""}],
        billed_through=today.isoformat(), penalty_multiplier="", overdue_interest=""))
    assert response.status_code == 302
    assert response["Location"] == reverse("proposal", args=[jiebei.case_id]) + f"#debt-{jiebei.pk}"
    jiebei.refresh_from_db()
    assert jiebei.billed_lines == [
        {"kind": "penalty", "amount": "150.00", "from": (jiebei.overdue_since + timedelta(days=1)).isoformat(),
         "to": today.isoformat()},
        {"kind": "other_fee", "amount": "20.00", "base": "20000.00"},
    ]
    assert jiebei.billed_charges == Decimal("170.00") and jiebei.billed_through == today
    assert jiebei.overdue_interest == Decimal("0.00") and jiebei.penalty_multiplier is None
    entry = AuditEvent.objects.get(action="debt_billed_charges_changed")
    assert entry.target == f"debt:{jiebei.pk}" and entry.detail == {"lines": 2}

    debt = quote_case(jiebei.case)["debts"][0]
    penalty = next(c for c in debt["charges"] if c["kind"] == "penalty")
    assert (penalty["billed"], penalty["base"], penalty["days"], penalty["amount"]) == (True, "2000.00", 100, "150.00")
    assert not any(c for c in debt["charges"] if not c["billed"] and c["kind"] == "penalty" and c["amount"] != "0.00")
    # The penalty on the 2,000 overdue: 150.00 ÷ 2000 ÷ 100 × 365 = 27.38 % a year; allowed
    # 2000 × 24 % × 100 ÷ 365 = 131.51, so 18.49 above the ceiling. The 20.00 fee on 20,000 is far within it.
    overdue = next(g for g in debt["ceiling_groups"] if g["group"] == "overdue_principal")
    assert overdue["allowed"] == "131.51" and overdue["excess"] == "18.49"
    assert debt["excess_over_cap"] == "18.49" and debt["all_in_apr"] == "0.2738"
    assert debt["billed_charges"] == "170.00"
    other = next(c for c in debt["charges"] if c["kind"] == "other_fee")
    assert other["period_assumed"] is True


def test_the_contract_s_multiplier_and_overdue_interest_reach_the_computation(owner_client, owner):
    case = make_case(owner)
    debt = make_debt(case, product="credit_card", principal=Decimal("10000.00"), overdue_amount=Decimal("10000.00"),
                     annual_rate=Decimal("0.1825"), overdue_since=today_in_china() - timedelta(days=30))
    case.set_status(Case.Status.READY)
    response = owner_client.post(url(debt), post_data([], billed_through="", penalty_multiplier="1.50",
                                                      overdue_interest="100.00"))
    assert response.status_code == 302
    charges = quote_case(case)["debts"][0]["charges"]
    # 10000 × 18.25 % ÷ 365 × 1.5 × 30 = 225.00, and on the 100.00 of overdue interest 2.25
    assert next(c for c in charges if c["kind"] == "interest")["amount"] == "225.00"
    assert next(c for c in charges if c["kind"] == "compound_interest")["amount"] == "2.25"


def test_a_figure_from_the_debts_step_shows_as_one_line_and_can_be_removed(owner_client, owner):
    case = make_case(owner)
    debt = make_debt(case, billed_charges=Decimal("88.00"))
    page = owner_client.get(url(debt)).content.decode()
    assert 'name="line-0-amount"' in page and 'value="88.00"' in page and 'value="overdue_fee" selected' in page
    response = owner_client.post(url(debt), post_data(
        [{"kind": "overdue_fee", "amount": "88.00", "start": "", "end": "", "DELETE": "on"}], initial=1,
        billed_through="", penalty_multiplier="", overdue_interest=""))
    assert response.status_code == 302
    debt.refresh_from_db()
    assert debt.billed_lines == [] and debt.billed_charges == Decimal("0.00")


def test_save_and_add_more_lines_comes_back_to_the_page(owner_client, jiebei):
    data = post_data([penalty_over_the_100_days(jiebei)], billed_through="", penalty_multiplier="",
                     overdue_interest="")
    response = owner_client.post(url(jiebei), {**data, "add_line": "1"})
    assert response.status_code == 302 and response["Location"] == url(jiebei)
    page = owner_client.get(url(jiebei)).content.decode()
    assert 'name="line-2-kind"' in page  # the saved line, then two empty ones


def _future(days: int) -> str:
    return (today_in_china() + timedelta(days=days)).isoformat()


BAD_LINES = [
    ({"kind": "penalty", "amount": "-1.00"}, "Enter an amount of at least 0 yuan, without a minus sign."),
    ({"kind": "penalty", "amount": "NaN"}, "Enter the amount in digits, for example 1200 or 1,200.50"),
    ({"kind": "penalty", "amount": "1.2.3"}, "Enter the amount in digits, for example 1200 or 1,200.50"),
    ({"kind": "penalty", "amount": "1.005"}, "An amount has at most two digits after the point (fen)."),
    ({"kind": "penalty", "amount": "99999999999.00"}, "This amount is larger than any figure this form expects."),
    ({"kind": "late", "amount": "1.00"}, "Select a valid choice."),
    ({"kind": "", "amount": "1.00"}, "This field is required."),
    ({"kind": "penalty", "amount": ""}, "This field is required."),
    ({"kind": "interest", "amount": "1.00", "start": "2026-03-01", "end": "2026-02-01"}, "The period ends before it starts."),
    ({"kind": "interest", "amount": "1.00", "start": "2026-03-01", "end": ""}, "Give both dates of the period, or neither"),
    ({"kind": "interest", "amount": "1.00", "start": "1999-12-31", "end": "2000-01-31"}, "This date is before 2000."),
    ({"kind": "instalment_fee", "amount": "1.00", "start": "2026-01-01", "end": "2036-01-01"}, "more than five years ahead"),
    ({"kind": "interest", "amount": "1.00", "start": _future(2), "end": _future(30)}, "cannot start in the future"),
    ({"kind": "interest", "amount": "1.00", "start": "2026-02-30", "end": "2026-03-01"}, "Enter a valid date."),
    ({"kind": "other_fee", "amount": "1.00", "base": "0.00"}, "Enter an amount of at least 0.01 yuan, without a minus sign."),
    ({"kind": "other_fee", "amount": "1.00", "base": "1,2"}, "Enter the amount in digits, for example 1200 or 1,200.50"),
]


@pytest.mark.parametrize("line, error", BAD_LINES, ids=[error[:30] for _, error in BAD_LINES])
def test_a_wrong_line_is_refused_with_a_clear_error_and_nothing_is_saved(owner_client, jiebei, line, error):
    before = Debt.objects.filter(pk=jiebei.pk).values().get()
    response = owner_client.post(url(jiebei), post_data([line], billed_through="", penalty_multiplier="",
                                                        overdue_interest=""), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert error in response.content.decode()
    assert Debt.objects.filter(pk=jiebei.pk).values().get() == before
    assert not AuditEvent.objects.filter(action="debt_billed_charges_changed").exists()


BAD_SETTINGS = [
    ({"billed_through": _future(1)}, "This date is in the future."),
    ({"billed_through": "1999-01-01"}, "This date is before 2000."),
    ({"billed_through": "yesterday"}, "Enter a valid date."),
    ({"penalty_multiplier": "11"}, "Ensure this value is less than or equal to 10."),
    ({"penalty_multiplier": "-0.5"}, "Ensure this value is greater than or equal to 0."),
    ({"overdue_interest": "-3"}, "Enter an amount of at least 0 yuan, without a minus sign."),
    ({"overdue_interest": "Infinity"}, "Enter the amount in digits, for example 1200 or 1,200.50"),
]


@pytest.mark.parametrize("bill, error", BAD_SETTINGS, ids=[error[:30] for _, error in BAD_SETTINGS])
def test_wrong_bill_settings_are_refused(owner_client, jiebei, bill, error):
    before = Debt.objects.filter(pk=jiebei.pk).values().get()
    data = {"billed_through": "", "penalty_multiplier": "", "overdue_interest": "", **bill}
    response = owner_client.post(url(jiebei), post_data([penalty_over_the_100_days(jiebei)], **data),
                                 HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and error in response.content.decode()
    assert Debt.objects.filter(pk=jiebei.pk).values().get() == before


def test_a_penalty_past_billed_through_would_count_twice_and_is_refused(owner_client, jiebei):
    response = owner_client.post(url(jiebei), post_data(
        [penalty_over_the_100_days(jiebei)], billed_through=(today_in_china() - timedelta(days=10)).isoformat(),
        penalty_multiplier="", overdue_interest=""), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "runs past the “billed through” date, so it would be counted twice" in response.content.decode()
    jiebei.refresh_from_db()
    assert jiebei.billed_lines == [] and jiebei.billed_through is None


def test_too_many_lines_are_refused(owner_client, jiebei):
    lines = [{"kind": "other_fee", "amount": "1.00"}] * 101
    response = owner_client.post(url(jiebei), post_data(lines, billed_through="", penalty_multiplier="",
                                                        overdue_interest=""), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    jiebei.refresh_from_db()
    assert jiebei.billed_lines == []


def test_errors_are_translated(owner_client, jiebei):
    response = owner_client.post(url(jiebei), post_data(
        [{"kind": "interest", "amount": "1.00", "start": "2026-03-01", "end": "2026-02-01"}],
        billed_through="", penalty_multiplier="", overdue_interest=""), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    page = response.content.decode()
    assert "The period ends before it starts" not in page and "截止日早于起始日" in page


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_stranger_gets_a_404_and_changes_nothing(stranger_client, jiebei, method):
    data = post_data([penalty_over_the_100_days(jiebei)], billed_through="", penalty_multiplier="",
                     overdue_interest="")
    response = getattr(stranger_client, method)(url(jiebei), data if method == "post" else None)
    assert response.status_code == 404
    jiebei.refresh_from_db()
    assert jiebei.billed_lines == []


def test_a_debt_of_another_case_under_one_s_own_case_id_is_a_404(owner_client, owner, jiebei):
    other = make_debt(make_case(make_user("someone")))
    own_case = jiebei.case_id
    assert owner_client.get(reverse("debt_charges", args=[own_case, other.pk])).status_code == 404
    response = owner_client.post(reverse("debt_charges", args=[own_case, other.pk]), post_data(
        [{"kind": "penalty", "amount": "1.00"}], billed_through="", penalty_multiplier="", overdue_interest=""))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.billed_lines == []


def test_it_is_the_owner_s_page_only_and_staff_see_no_link(reviewer_client, owner_client, jiebei):
    assert reviewer_client.get(url(jiebei)).status_code == 404
    assert url(jiebei) not in reviewer_client.get(reverse("proposal", args=[jiebei.case_id])).content.decode()
    assert url(jiebei) in owner_client.get(reverse("proposal", args=[jiebei.case_id])).content.decode()


def test_the_review_step_links_each_debt_to_its_charges(owner_client, owner):
    case = make_full_case(owner)
    case.completed_steps = ["about", "debts", "budget", "hardship", "evidence"]
    case.save(update_fields=["completed_steps"])
    page = owner_client.get(reverse("intake_review", args=[case.pk])).content.decode()
    for debt in case.debts.all():
        assert url(debt) in page


def test_queries_are_bounded(owner_client, jiebei, django_assert_max_num_queries):
    lines = [{"kind": "other_fee", "amount": "1.00", "start": "2026-01-01", "end": "2026-01-31"}] * 30
    data = post_data(lines, billed_through="", penalty_multiplier="", overdue_interest="")
    with django_assert_max_num_queries(8):
        assert owner_client.post(url(jiebei), data).status_code == 302
    with django_assert_max_num_queries(6):
        assert owner_client.get(url(jiebei)).status_code == 200


def test_amounts_are_read_as_people_type_them_and_a_unit_is_confirmed_before_it_is_kept(owner_client, jiebei):
    """"1.2万" is shown back as 12000.00 and kept only when saved again; "1,200" and full-width digits are read."""
    line = {"kind": "other_fee", "amount": "1.2万", "start": "", "end": "", "base": "２００００"}
    first = owner_client.post(url(jiebei), post_data([line], billed_through="", penalty_multiplier="",
                                                     overdue_interest="1,200"), HTTP_ACCEPT_LANGUAGE="en")
    assert first.status_code == 400
    page = first.content.decode()
    assert "“1.2万” was read as 12,000.00 yuan. The figure is now in the field: check it and save again." in page
    assert re.search(r'name="line-0-amount" value="12000.00"', page)
    jiebei.refresh_from_db()
    assert jiebei.billed_lines == [] and jiebei.overdue_interest == Decimal("0.00")  # nothing kept yet

    confirmed = {**line, "amount": "12000.00"}
    again = owner_client.post(url(jiebei), post_data([confirmed], billed_through="", penalty_multiplier="",
                                                     overdue_interest="1,200"))
    assert again.status_code == 302
    jiebei.refresh_from_db()
    assert jiebei.billed_lines == [{"kind": "other_fee", "amount": "12000.00", "base": "20000.00"}]
    assert jiebei.overdue_interest == Decimal("1200.00")


def test_amounts_are_text_inputs_so_the_browser_does_not_drop_what_is_typed(owner_client, jiebei):
    page = owner_client.get(url(jiebei)).content.decode()
    for name in ("line-0-amount", "line-0-base", "bill-overdue_interest"):
        tag = re.search(rf'<input[^>]+name="{name}"[^>]*>', page).group(0)
        assert 'type="text"' in tag and 'inputmode="decimal"' in tag and 'data-amount="money"' in tag


def test_a_refused_bill_opens_on_the_error_summary_linking_each_wrong_field(owner_client, jiebei):
    html = owner_client.get(url(jiebei)).content.decode()
    assert re.search(r'<form[^>]+id="bill-form"[^>]+action="[^"]+#error-summary"', html)
    response = owner_client.post(url(jiebei), post_data(
        [{"kind": "penalty", "amount": "abc"}, {"kind": "other_fee", "amount": "5", "base": "-1"}],
        billed_through="", penalty_multiplier="", overdue_interest="-3"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    box = re.search(r'<main id="main">\s*(<div class="error-summary".*?</div>)', response.content.decode(), re.S)
    assert box, "the error summary is not the first thing inside <main>"
    assert 'role="alert" tabindex="-1"' in box.group(1)
    assert re.findall(r'href="#([^"]+)"', box.group(1)) == [
        "id_bill-overdue_interest", "id_line-0-amount", "id_line-1-base"]
    assert "Charge 2 · Charged on (yuan, optional)" in box.group(1)
