"""Errors you cannot miss and work you cannot lose (issue 17), checked through the views."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation
from django.urls import reverse

from cases.amounts import MoneyField, RateField, Unreadable, read_amount
from cases.models import Agreement, BudgetLine, Case, Debt

from ..factories import PASSWORD, make_debt, make_full_case
from ..intake.test_wizard import EN, budget_data, debt_row, debts_data, done, url

pytestmark = pytest.mark.django_db


def summary(html: str) -> str:
    match = re.search(r'<main id="main">\s*(<div class="error-summary".*?</div>)', html, re.S)
    assert match, "the error summary is not the first thing inside <main>"
    return match.group(1)


def test_the_error_summary_is_first_in_main_and_links_each_wrong_field(owner_client, case):
    done(case, "about")
    rows = [debt_row(0), debt_row(1), debt_row(2, product="other", lender="", principal="abc")]
    response = owner_client.post(url("intake_debts", case), debts_data(case, rows), **EN)
    box = summary(response.content.decode())
    assert 'role="alert" tabindex="-1"' in box
    assert re.findall(r'href="#([^"]+)"', box) == ["id_debts-2-lender", "id_debts-2-principal"]
    assert "Debt 3 · Lender" in box
    assert 'id="id_debts-2-principal"' in response.content.decode()


def test_forms_post_to_the_summary_so_the_page_opens_on_it_without_javascript(owner_client, case):
    done(case, "about")
    html = owner_client.get(url("intake_debts", case)).content.decode()
    assert re.search(r'<form[^>]+id="debts-form"[^>]+action="[^"]+#error-summary"', html)
    assert "error-summary" not in html.split("<main", 1)[1].split("<form", 1)[0]


def test_an_error_in_the_third_debt_keeps_the_first_two_and_a_second_save_adds_only_the_third(owner_client, case):
    done(case, "about")
    rows = [debt_row(0), debt_row(1, product="jiebei", principal="20000", rate="10.8"),
            debt_row(2, product="other", lender="", principal="8000")]
    response = owner_client.post(url("intake_debts", case), debts_data(case, rows), **EN)
    assert response.status_code == 400
    assert "The 2 debts without errors are saved" in response.content.decode()
    saved = list(Debt.objects.filter(case=case))
    assert [(d.product, d.position) for d in saved] == [("huabei", 0), ("jiebei", 1)]
    page = response.content.decode()
    for debt in saved:
        assert f'value="{debt.pk}"' in page
    assert 'name="debts-INITIAL_FORMS" value="2"' in page
    case.refresh_from_db()
    assert f'name="version" value="{case.version}"' in page

    fixed = [debt_row(0, id=str(saved[0].pk)), debt_row(1, id=str(saved[1].pk), product="jiebei", principal="20000", rate="10.8"),
             debt_row(2, product="other", lender="某小贷公司", principal="8000")]
    response = owner_client.post(url("intake_debts", case), debts_data(case, fixed, initial=2), **EN)
    assert response.status_code == 302
    assert [(d.product, d.position) for d in Debt.objects.filter(case=case)] == [
        ("huabei", 0), ("jiebei", 1), ("other", 2)]


def test_a_wrong_new_row_between_two_good_ones_moves_below_them_and_nothing_is_lost(owner_client, case):
    done(case, "about")
    rows = [debt_row(0), debt_row(1, product="other", lender="", principal="777"),
            debt_row(2, product="jiebei", principal="20000", rate="10.8")]
    response = owner_client.post(url("intake_debts", case), debts_data(case, rows), **EN)
    page = response.content.decode()
    assert [d.product for d in Debt.objects.filter(case=case)] == ["huabei", "jiebei"]
    assert re.search(r'name="debts-2-principal" value="777"', page)
    assert 'href="#id_debts-2-lender"' in summary(page)


def test_a_removal_waits_until_the_page_saves_without_errors(owner_client, case):
    done(case, "about")
    kept = make_debt(case)
    rows = [debt_row(0, id=str(kept.pk), DELETE="on"), debt_row(1, principal="abc")]
    response = owner_client.post(url("intake_debts", case), debts_data(case, rows, initial=1), **EN)
    assert response.status_code == 400
    assert Debt.objects.filter(pk=kept.pk).exists()
    assert Debt.objects.filter(case=case).count() == 1


def test_a_stale_tab_with_an_error_writes_no_row(owner_client, case):
    done(case, "about")
    rows = [debt_row(0), debt_row(1, principal="abc")]
    data = debts_data(case, rows)
    data["version"] = case.version + 5
    response = owner_client.post(url("intake_debts", case), data, **EN)
    assert response.status_code == 400
    assert not Debt.objects.exists()


@pytest.mark.parametrize(
    ("typed", "value", "unit"),
    [("1,200", "1200", ""), ("1200.5", "1200.5", ""), ("１２００．５０", "1200.50", ""), ("¥1,200元", "1200", ""),
     ("1.2万", "12000.0", "万"), ("3千", "3000", "千"), ("1.5w", "15000.0", "w"), ("2 百", "200", "百")],
)
def test_amounts_are_read_as_people_type_them(typed, value, unit):
    reading = read_amount(typed)
    assert (reading.value, reading.unit) == (Decimal(value), unit)


@pytest.mark.parametrize("typed", ["1,2", "12,00", "abc", "1.2.3", "万", "1e5", "NaN", "--1", "1,200,00"])
def test_unclear_amounts_are_refused(typed):
    with pytest.raises(Unreadable):
        read_amount(typed)


def test_a_figure_with_a_unit_is_shown_back_converted_and_kept_only_when_saved_again(owner_client, case):
    done(case, "about", "debts")
    response = owner_client.post(url("intake_budget", case), budget_data(case, salary="1.2万", food="1,500"), **EN)
    assert response.status_code == 400
    page = response.content.decode()
    assert "“1.2万” was read as 12,000.00 yuan" in summary(page)
    assert re.search(r'name="amount_salary" value="12000.00"', page)
    assert re.search(r'name="amount_food" value="1,500"', page)
    assert not BudgetLine.objects.filter(case=case).exists()
    response = owner_client.post(url("intake_budget", case), budget_data(case, salary="12000.00", food="1,500"), **EN)
    assert response.status_code == 302
    assert dict(BudgetLine.objects.filter(case=case).values_list("category", "amount")) == {
        "salary": Decimal("12000.00"), "food": Decimal("1500.00")}


def test_money_field_refuses_negative_amounts_with_its_own_words():
    field = MoneyField(min_value=Decimal("0"), max_digits=12, decimal_places=2, required=False)
    with pytest.raises(Exception, match="without a minus sign"):
        field.clean("-1800")
    assert field.clean("") is None
    assert field.clean("　") is None


def test_rate_field_takes_a_percent_sign_and_full_width_digits():
    field = RateField(min_value=Decimal("0"), max_digits=9, decimal_places=4, required=False)
    assert field.clean("０.０５％") == Decimal("0.05")
    assert field.clean("18.25 %") == Decimal("18.25")
    with pytest.raises(Exception, match="as a number"):
        field.clean("5%%")


@pytest.mark.parametrize(
    ("product", "ticked", "saved_rate"),
    [("credit_card", True, Decimal("0.182500")), ("jiebei", True, Decimal("0")), ("huabei", False, Decimal("0"))],
)
def test_an_empty_rate_is_asked_for_and_the_usual_one_kept_only_when_ticked(owner_client, case, product, ticked, saved_rate):
    done(case, "about")
    row = {"product": product, "lender": "某银行"}
    if product != "huabei":
        response = owner_client.post(url("intake_debts", case), debts_data(case, [debt_row(0, **row)]), **EN)
        page = response.content.decode()
        assert response.status_code == 400
        assert 'href="#id_debts-0-rate"' in summary(page)
        assert 'name="debts-0-accept_usual_rate"' in page
        assert not Debt.objects.exists()
        case.refresh_from_db()
    if ticked:
        row["accept_usual_rate"] = "on"
    response = owner_client.post(url("intake_debts", case), debts_data(case, [debt_row(0, **row)]), **EN)
    assert response.status_code == 302
    assert Debt.objects.get(case=case).annual_rate == saved_rate


def test_the_usual_rate_box_is_not_shown_where_no_rate_is_needed(owner_client, case):
    done(case, "about")
    page = owner_client.get(url("intake_debts", case)).content.decode()
    assert "accept_usual_rate" not in page


def test_the_dashboard_says_where_a_draft_continues(owner_client, case):
    done(case, "about", "debts", "budget")
    html = owner_client.get(reverse("dashboard"), **EN).content.decode()
    assert "Continue at step 4 of 6: What happened" in html


def test_the_owner_names_a_case_and_the_dashboard_shows_the_name(owner_client, case):
    response = owner_client.post(reverse("case_rename", args=[case.pk]), {"title": "花呗和招行信用卡"}, **EN)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.title == "花呗和招行信用卡"
    assert "花呗和招行信用卡" in owner_client.get(reverse("dashboard")).content.decode()


def test_an_empty_name_is_refused_with_the_summary_and_changes_nothing(owner_client, case):
    response = owner_client.post(reverse("case_rename", args=[case.pk]), {"title": "  "}, **EN)
    assert response.status_code == 400
    assert 'href="#id_title"' in summary(response.content.decode())
    case.refresh_from_db()
    assert case.title == "测试案件"


def test_a_stranger_cannot_rename_my_case(stranger_client, case):
    assert stranger_client.post(reverse("case_rename", args=[case.pk]), {"title": "x"}).status_code == 404
    assert stranger_client.get(reverse("case_rename", args=[case.pk])).status_code in (404, 405)


def test_a_weak_new_password_is_refused_under_the_new_password_not_the_confirmation(owner_client):
    response = owner_client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"}, **EN)
    form = response.context["form"]
    assert "new_password1" in form.errors and "new_password2" not in form.errors
    assert 'href="#id_new_password1"' in summary(response.content.decode())


def test_an_empty_huabei_rate_is_not_shown_as_zero_percent_on_the_review_page(owner_client, case):
    done(case, "about", "debts", "budget", "hardship", "evidence")
    make_debt(case, product="huabei", annual_rate=Decimal("0"))
    html = owner_client.get(url("intake_review", case), **EN).content.decode()
    assert "0.00 %" not in html
    assert "none entered (Huabei charges its overdue fee of 0.05 % a day instead)" in html


@pytest.mark.parametrize("typed", ["²", "½", "١٢٣", "1e5"])
def test_lookalike_digits_are_refused_not_read_as_numbers(typed):
    with pytest.raises(Unreadable):
        read_amount(typed)


@pytest.mark.parametrize("typed", ["元", "¥", "块", "万", "　元"])
def test_a_unit_or_currency_alone_is_refused_not_taken_as_empty(typed):
    field = MoneyField(min_value=Decimal("0"), max_digits=12, decimal_places=2, required=False)
    with translation.override("en"), pytest.raises(Exception, match="in digits"):
        field.clean(typed)


# --- Main's new forms that take amounts (issues 14, 15, 18): the same reading, the same summary --------------


@pytest.fixture
def ready_case(owner):
    case = make_full_case(owner)
    case.set_status(Case.Status.READY, by=owner)
    return case


def test_the_own_monthly_amount_is_read_as_typed_and_a_unit_is_shown_back_for_confirmation(owner_client,
                                                                                         ready_case):
    own = reverse("proposal_own_amount", args=[ready_case.pk])
    response = owner_client.post(own, {"monthly_offer": "1.2千"}, **EN)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#id_monthly_offer"' in summary(html)
    assert re.search(r'name="monthly_offer" value="1200.00"', html)  # converted, for the user to confirm
    ready_case.refresh_from_db()
    assert ready_case.monthly_offer is None
    assert owner_client.post(own, {"monthly_offer": "１,２００"}, **EN).status_code == 302
    ready_case.refresh_from_db()
    assert ready_case.monthly_offer == Decimal("1200.00")


def test_a_negative_own_amount_is_refused_in_words_and_nothing_changes(owner_client, ready_case):
    response = owner_client.post(reverse("proposal_own_amount", args=[ready_case.pk]), {"monthly_offer": "-5"}, **EN)
    assert response.status_code == 400
    assert "without a minus sign" in summary(response.content.decode())
    ready_case.refresh_from_db()
    assert ready_case.monthly_offer is None


def test_lawsuit_claims_are_read_as_typed_with_one_error_summary(owner_client, ready_case):
    lender = ready_case.debts.first().lender
    base = {"court": "深圳市福田区人民法院", "plaintiff": lender, "served_on": "2026-11-01"}
    response = owner_client.post(reverse("lawsuits", args=[ready_case.pk]),
                                 {**base, "claim_principal": "1.2万", "claim_interest": "abc"}, **EN)
    assert response.status_code == 200
    html = response.content.decode()
    box = summary(html)
    assert re.findall(r'href="#([^"]+)"', box) == ["id_claim_principal", "id_claim_interest"]
    assert html.count('class="error-summary"') == 1
    assert re.search(r'name="claim_principal" value="12000.00"', html)
    assert not ready_case.lawsuits.exists()
    response = owner_client.post(reverse("lawsuits", args=[ready_case.pk]),
                                 {**base, "claim_principal": "12,000.00", "claim_interest": "３００"}, **EN)
    assert response.status_code == 302
    suit = ready_case.lawsuits.get()
    assert (suit.claim_principal, suit.claim_interest) == (Decimal("12000.00"), Decimal("300.00"))


def test_a_check_in_amount_with_a_unit_is_shown_back_converted_and_saves_nothing(owner_client, ready_case):
    debt = ready_case.debts.first()
    agreement = Agreement.objects.create(case=ready_case, lender=debt.lender, lender_slug="x", months=3,
                                         monthly=Decimal("3000.00"), first_due=date(2026, 11, 15),
                                         agreed_on=date(2026, 10, 20))
    check_in = reverse("agreement_check_in", args=[ready_case.pk, agreement.pk])
    response = owner_client.post(check_in, {"due_on": "2026-11-15", "result": "short", "paid": "1.2千"}, **EN)
    # The log page again with the refused form: the converted figure stands in the field, to be confirmed.
    assert response.status_code == 400
    assert "“1.2千” was read as 1,200.00 yuan. The figure is now in the field" in response.content.decode()
    assert f'id="check-in-{agreement.pk}-paid" inputmode="decimal" data-amount="money" value="1200.00"' in (
        response.content.decode())
    assert not agreement.check_ins.exists()
    owner_client.post(check_in, {"due_on": "2026-11-15", "result": "short", "paid": "1,200"}, **EN)
    assert agreement.check_ins.get().paid == Decimal("1200.00")
