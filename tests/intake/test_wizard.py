from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import BudgetLine, Case, CaseStatusChange, Debt, Debtor, Evidence

from ..factories import make_budget_line, make_case, make_debt, make_debtor

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def url(name, case, *args):
    return reverse(name, args=[case.pk, *args])


def about_data(case, **over):
    data = {
        "version": case.version,
        "debtor-name": "张伟", "debtor-id_number": "110101199003074512", "debtor-phone": "138 0013 8000",
        "debtor-address": "广东省深圳市南山区科技园路1号", "case-province": "广东省", "case-city": "深圳市",
        "case-household_size": "3", "case-dependants": "1",
    }
    data.update(over)
    return data


def debt_row(i, **over):
    row = {
        f"debts-{i}-product": "huabei", f"debts-{i}-lender": "", f"debts-{i}-account_number": "HB20240001",
        f"debts-{i}-principal": "12000.00", f"debts-{i}-overdue_amount": "3000.00",
        f"debts-{i}-overdue_since": "2026-08-01", f"debts-{i}-billed_charges": "150.50",
        f"debts-{i}-rate": "", f"debts-{i}-rate_period": "year", f"debts-{i}-grace_days": "3",
    }
    row.update({f"debts-{i}-{k}": v for k, v in over.items()})
    return row


def debts_data(case, rows, initial=0):
    data = {"version": case.version, "debts-TOTAL_FORMS": str(len(rows)), "debts-INITIAL_FORMS": str(initial),
            "debts-MIN_NUM_FORMS": "0", "debts-MAX_NUM_FORMS": "1000"}
    for row in rows:
        data.update(row)
    return data


def budget_data(case, **amounts):
    data = {"version": case.version, "savings": ""}
    for category, amount in amounts.items():
        data[f"amount_{category}"] = amount
    return data


def hardship_data(case, **over):
    data = {
        "version": case.version, "hardship_reasons": ["unemployment", "illness"], "hardship_since": "2026-06-15",
        "hardship_what_happened": "公司裁员，我失业了。", "hardship_income_change": "从8000元降到0。",
        "hardship_actions": "在找工作。", "hardship_can_pay": "每月800元。",
    }
    data.update(over)
    return data


@pytest.fixture
def fresh_case(owner):
    return make_case(owner, consent=False, province="", city="")


def done(case, *steps):
    case.completed_steps = list(steps)
    case.save(update_fields=["completed_steps"])
    return case


# --- Start, consent, resume --------------------------------------------------------


def test_a_new_case_starts_at_consent(owner_client, fresh_case):
    response = owner_client.get(url("intake_start", fresh_case))
    assert response["Location"] == url("intake_about", fresh_case)
    page = owner_client.get(url("intake_about", fresh_case), **EN).content.decode()
    assert "Your consent comes first" in page
    assert settings.CONSENT_TEXT_VERSION in page
    assert 'name="debtor-name"' not in page


def test_without_consent_no_later_step_opens(owner_client, fresh_case):
    for step in ["debts", "budget", "hardship", "evidence", "review"]:
        assert owner_client.get(url(f"intake_{step}", fresh_case))["Location"] == url("intake_about", fresh_case)


def test_about_cannot_be_saved_without_consent(owner_client, fresh_case):
    owner_client.post(url("intake_about", fresh_case), about_data(fresh_case))
    assert not Debtor.objects.exists()


def test_consent_must_be_ticked(owner_client, fresh_case):
    response = owner_client.post(url("intake_consent", fresh_case), {}, **EN)
    assert response.status_code == 400
    assert "Without your consent" in response.content.decode()
    fresh_case.refresh_from_db()
    assert fresh_case.consent_at is None


def test_consent_records_time_and_text_version(owner_client, fresh_case):
    response = owner_client.post(url("intake_consent", fresh_case), {"agree": "on"})
    assert response.status_code == 302
    fresh_case.refresh_from_db()
    assert fresh_case.consent_at is not None
    assert fresh_case.consent_version == settings.CONSENT_TEXT_VERSION


def test_consent_rejects_get(owner_client, fresh_case):
    assert owner_client.get(url("intake_consent", fresh_case)).status_code == 405


def test_resume_lands_on_the_first_incomplete_step(owner_client, case):
    done(case, "about", "debts")
    assert owner_client.get(url("intake_start", case))["Location"] == url("intake_budget", case)


def test_a_step_beyond_the_first_incomplete_redirects_there(owner_client, case):
    done(case, "about")
    assert owner_client.get(url("intake_review", case))["Location"] == url("intake_debts", case)


def test_editing_a_step_of_a_complete_case_returns_to_review(owner_client, case):
    done(case, "about", "debts", "budget", "hardship", "evidence")
    response = owner_client.post(url("intake_hardship", case), hardship_data(case))
    assert response["Location"] == url("intake_review", case)


def test_completed_steps_can_be_reopened_and_are_linked(owner_client, case):
    done(case, "about", "debts", "budget")
    make_debtor(case)
    assert owner_client.get(url("intake_about", case)).status_code == 200
    page = owner_client.get(url("intake_hardship", case)).content.decode()
    for step in ["about", "debts", "budget"]:
        assert f'href="{url("intake_" + step, case)}"' in page
    assert f'href="{url("intake_evidence", case)}"' not in page
    assert 'aria-current="step"' in page


# --- About you ------------------------------------------------------------------


def test_about_saves_debtor_and_case_and_moves_on(owner_client, case):
    response = owner_client.post(url("intake_about", case), about_data(case))
    assert response["Location"] == url("intake_debts", case)
    debtor = Debtor.objects.get(case=case)
    assert debtor.phone == "13800138000"
    assert debtor.id_number == "110101199003074512"
    case.refresh_from_db()
    assert case.completed_steps == ["about"] and case.household_size == 3


def test_the_id_number_is_shown_masked_and_kept_when_left_empty(owner_client, case):
    make_debtor(case)
    page = owner_client.get(url("intake_about", case)).content.decode()
    assert "110101199003074512" not in page
    assert "**************4512" in page
    assert owner_client.post(url("intake_about", case), about_data(case, **{"debtor-id_number": ""})).status_code == 302
    assert Debtor.objects.get(case=case).id_number == "110101199003074512"


def test_the_id_number_is_encrypted_in_the_database(owner_client, case):
    from django.db import connection

    owner_client.post(url("intake_about", case), about_data(case))
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM cases_debtor")
        (raw,) = cursor.fetchone()
    assert "110101199003074512" not in raw


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("debtor-id_number", "1101011990030745", "18 characters"),
        ("debtor-phone", "call me", "digits only"),
        ("debtor-name", "", "This field is required."),
        ("case-province", "", "This field is required."),
        ("case-province", "Atlantis", "Select a valid choice"),
        ("case-household_size", "0", "greater than or equal to 1"),
        ("case-dependants", "3", "Dependants must be fewer"),
    ],
)
def test_about_bad_input_is_shown_next_to_the_field_and_nothing_saved(owner_client, case, field, value, message):
    response = owner_client.post(url("intake_about", case), about_data(case, **{field: value}), **EN)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Debtor.objects.exists()
    case.refresh_from_db()
    assert case.completed_steps == [] and case.version == 1


# --- Debts ----------------------------------------------------------------------


def test_three_debts_are_saved_with_default_lenders_and_converted_rates(owner_client, case):
    done(case, "about")
    rows = [
        debt_row(0),
        debt_row(1, product="jiebei", rate="0.05", rate_period="day", account_number="JB99887766"),
        debt_row(2, product="credit_card", lender="招商银行股份有限公司", rate="18", rate_period="year",
                 principal="8000", overdue_amount="8000", billed_charges=""),
    ]
    response = owner_client.post(url("intake_debts", case), debts_data(case, rows))
    assert response["Location"] == url("intake_budget", case)
    huabei, jiebei, card = Debt.objects.filter(case=case)
    assert huabei.lender == "重庆蚂蚁消费金融有限公司" and huabei.billed_charges == Decimal("150.50")
    assert jiebei.annual_rate == Decimal("0.180000")  # 0.05 % a day × 360
    assert card.annual_rate == Decimal("0.180000") and card.lender == "招商银行股份有限公司"
    assert [huabei.position, jiebei.position, card.position] == [0, 1, 2]


def test_penalty_rate_and_lender_total_are_optional_and_stored(owner_client, case):
    done(case, "about")
    rows = [debt_row(0), debt_row(1, product="credit_card", lender="招商银行", penalty_rate="0.05", rate="18",
                                  lender_claimed_total="13050.20")]
    assert owner_client.post(url("intake_debts", case), debts_data(case, rows)).status_code == 302
    plain, card = Debt.objects.filter(case=case)
    assert plain.penalty_daily_rate is None and plain.lender_claimed_total is None
    assert card.penalty_daily_rate == Decimal("0.000500")
    assert card.lender_claimed_total == Decimal("13050.20")
    page = owner_client.get(url("intake_debts", case)).content.decode()
    assert 'name="debts-1-penalty_rate" value="0.05"' in page


def test_the_account_number_is_masked_on_the_page(owner_client, case):
    done(case, "about", "debts")
    make_debt(case, account_number="HB2024000012345678")
    page = owner_client.get(url("intake_debts", case)).content.decode()
    assert "HB2024000012345678" not in page and "5678" in page


def test_a_debt_is_removed_with_its_checkbox(owner_client, case):
    done(case, "about", "debts")
    keep, drop = make_debt(case), make_debt(case, product="jiebei")
    rows = [debt_row(0, id=str(keep.pk)), debt_row(1, id=str(drop.pk), DELETE="on")]
    assert owner_client.post(url("intake_debts", case), debts_data(case, rows, initial=2)).status_code == 302
    assert list(Debt.objects.filter(case=case)) == [keep]
    assert Debt.objects.get(pk=keep.pk).account_number == "HB20240001"


def test_a_blank_account_number_keeps_the_saved_one(owner_client, case):
    done(case, "about")
    debt = make_debt(case, account_number="HB2024000012345678")
    data = debts_data(case, [debt_row(0, id=str(debt.pk), account_number="")], 1)
    assert owner_client.post(url("intake_debts", case), data).status_code == 302
    assert Debt.objects.get(pk=debt.pk).account_number == "HB2024000012345678"


def test_at_least_one_debt_is_needed(owner_client, case):
    done(case, "about")
    response = owner_client.post(url("intake_debts", case), debts_data(case, []), **EN)
    assert response.status_code == 400
    assert "Add at least one debt." in response.content.decode()


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"principal": "-5"}, "at least 0 yuan, without a minus sign"),
        ({"principal": "100.123"}, "at most two digits after the point"),
        ({"principal": "abc"}, "Enter the amount in digits"),
        ({"overdue_amount": "20000"}, "cannot be more than the principal plus charges (12150.50 yuan)"),
        ({"overdue_since": (date.today() + timedelta(days=30)).isoformat()}, "This date is in the future"),
        ({"rate": "5", "rate_period": "day"}, "above 1000 %"),
        ({"product": "other", "lender": ""}, "Please enter the lender"),
        ({"product": "bitcoin"}, "Select a valid choice"),
        ({"penalty_rate": "2"}, "higher than any lawful figure"),
        ({"lender_claimed_total": "-1"}, "at least 0 yuan, without a minus sign"),
    ],
)
def test_debt_bad_input_is_refused_and_only_the_valid_row_is_kept(owner_client, case, over, message):
    done(case, "about")
    rows = [debt_row(0), debt_row(1, **over)]
    response = owner_client.post(url("intake_debts", case), debts_data(case, rows), **EN)
    assert response.status_code == 400
    assert message in response.content.decode()
    kept = list(Debt.objects.filter(case=case))
    assert [(d.principal, d.position) for d in kept] == [(Decimal("12000.00"), 0)]
    case.refresh_from_db()
    assert case.version == 2
    assert "debts" not in case.completed_steps


def test_a_debt_of_another_case_cannot_be_edited_through_the_formset(owner_client, case, stranger):
    done(case, "about")
    foreign = make_debt(make_case(stranger), principal=Decimal("1.00"), overdue_amount=Decimal("0"))
    rows = [debt_row(0, id=str(foreign.pk), principal="999", overdue_amount="0")]
    response = owner_client.post(url("intake_debts", case), debts_data(case, rows, initial=1), **EN)
    assert response.status_code == 400
    assert "This debt no longer exists" in response.content.decode()
    assert not Debt.objects.filter(case=case).exists()
    foreign.refresh_from_db()
    assert foreign.principal == Decimal("1.00")


def test_add_row_without_javascript_saves_and_shows_a_blank_row(owner_client, case):
    done(case, "about")
    data = debts_data(case, [debt_row(0)])
    data["add_row"] = "1"
    response = owner_client.post(url("intake_debts", case), data)
    assert response["Location"] == url("intake_debts", case) + "?add=1#debt-rows"
    page = owner_client.get(response["Location"]).content.decode()
    assert 'name="debts-1-principal"' in page and 'name="debts-TOTAL_FORMS" value="2"' in page


def test_new_row_partial_bumps_the_form_count(owner_client, case):
    response = owner_client.get(url("intake_debt_row", case), {"debts-TOTAL_FORMS": "2"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'name="debts-2-principal"' in body
    assert 'hx-swap-oob="true"' in body and 'value="3"' in body
    assert "<html" not in body


@pytest.mark.parametrize(("sent", "index"), [("abc", 0), ("-4", 0), ("5000", 29)])
def test_new_row_index_is_clamped(owner_client, case, sent, index):
    body = owner_client.get(url("intake_debt_row", case), {"debts-TOTAL_FORMS": sent}).content.decode()
    assert f'name="debts-{index}-principal"' in body


# --- Budget -----------------------------------------------------------------------


EIGHT_LINES = {
    "salary": "4500", "benefits": "800", "housing": "1800", "utilities": "300.50", "food": "1200",
    "transport": "200", "children": "600", "communication": "99",
}


def test_budget_saves_one_line_per_category_and_totals(owner_client, case):
    done(case, "about", "debts")
    response = owner_client.post(url("intake_budget", case), budget_data(case, **EIGHT_LINES))
    assert response["Location"] == url("intake_hardship", case)
    lines = BudgetLine.objects.filter(case=case)
    assert lines.count() == 8
    assert lines.get(category="salary").kind == "income" and lines.get(category="food").kind == "expense"
    page = owner_client.get(url("intake_budget", case)).content.decode()
    assert "5300.00" in page and "4199.50" in page and "1100.50" in page


def test_budget_label_is_kept(owner_client, case):
    done(case, "about", "debts")
    data = budget_data(case, salary="4000")
    data["label_salary"] = "快递员工资"
    assert owner_client.post(url("intake_budget", case), data).status_code == 302
    assert BudgetLine.objects.get(case=case).label == "快递员工资"


def test_budget_resave_replaces_lines(owner_client, case):
    done(case, "about", "debts")
    make_budget_line(case, "expense", "food", "999")
    assert owner_client.post(url("intake_budget", case), budget_data(case, salary="4000")).status_code == 302
    assert list(BudgetLine.objects.filter(case=case).values_list("category", flat=True)) == ["salary"]


def test_budget_shows_guidance_per_category(owner_client, case):
    done(case, "about", "debts")
    page = owner_client.get(url("intake_budget", case), **EN).content.decode()
    assert "Take-home pay after tax" in page and "Mobile phone and home internet." in page


@pytest.mark.parametrize(
    ("amounts", "message"),
    [
        ({"food": "-1"}, "at least 0 yuan, without a minus sign"),
        ({"food": "1.005"}, "at most two digits after the point"),
        ({"food": "1,0"}, "Enter the amount in digits"),
        ({"food": "1.5万"}, "“1.5万” was read as 15,000.00 yuan"),
        ({}, "Enter at least one amount"),
    ],
)
def test_budget_bad_input_saves_nothing(owner_client, case, amounts, message):
    done(case, "about", "debts")
    make_budget_line(case, "income", "salary", "5000")
    response = owner_client.post(url("intake_budget", case), budget_data(case, **amounts), **EN)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert list(BudgetLine.objects.filter(case=case).values_list("category", flat=True)) == ["salary"]


# --- Hardship ---------------------------------------------------------------------


def test_the_hardship_step_says_what_is_printed_in_every_lenders_letter(owner_client, case):
    done(case, "about", "debts", "budget")
    html = owner_client.get(url("intake_hardship", case), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "会原样写进给每一家出借方的信里" in html and "不必提到其他出借方" in html


def test_hardship_saves_reasons_and_narrative(owner_client, case):
    done(case, "about", "debts", "budget")
    response = owner_client.post(url("intake_hardship", case), hardship_data(case))
    assert response["Location"] == url("intake_evidence", case)
    case.refresh_from_db()
    assert case.hardship_reasons == ["unemployment", "illness"]
    assert case.hardship_since == date(2026, 6, 15)
    assert case.hardship_can_pay == "每月800元。"


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"hardship_reasons": []}, "Choose at least one reason."),
        ({"hardship_reasons": ["lottery"]}, "Select a valid choice"),
        ({"hardship_since": (timezone.localdate() + timedelta(days=2)).isoformat()}, "This date is in the future"),
        ({"hardship_since": "2026-13-40"}, "Enter a valid date."),
        ({"hardship_what_happened": ""}, "This field is required."),
        ({"hardship_actions": "找" * 2001}, "at most 2000 characters"),
    ],
)
def test_hardship_bad_input_saves_nothing(owner_client, case, over, message):
    done(case, "about", "debts", "budget")
    response = owner_client.post(url("intake_hardship", case), hardship_data(case, **over), **EN)
    assert response.status_code == 400
    assert message in response.content.decode()
    case.refresh_from_db()
    assert case.hardship_reasons == [] and case.version == 1


# --- Optimistic locking -------------------------------------------------------------


def test_a_stale_tab_is_refused_and_keeps_its_input(owner, case):
    done(case, "about", "debts", "budget")
    first, second = Client(), Client()
    first.force_login(owner)
    second.force_login(owner)
    stale_version = case.version
    assert first.post(url("intake_hardship", case), hardship_data(case, hardship_can_pay="一个月500")).status_code == 302

    response = second.post(
        url("intake_hardship", case), hardship_data(case, version=stale_version, hardship_can_pay="每月1000元"), **EN
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "changed in another tab" in body
    assert "每月1000元" in body  # the second tab's input is shown again, not lost
    case.refresh_from_db()
    assert case.hardship_can_pay == "一个月500"  # and the first save is not overwritten
    assert f'name="version" value="{case.version}"' in body

    again = second.post(url("intake_hardship", case), hardship_data(case, hardship_can_pay="每月1000元"))
    assert again.status_code == 302
    case.refresh_from_db()
    assert case.hardship_can_pay == "每月1000元"


def test_a_stale_debts_save_writes_no_rows(owner_client, case):
    done(case, "about")
    stale = case.version
    case.touch(stale)
    response = owner_client.post(url("intake_debts", case), debts_data(case, [debt_row(0)]) | {"version": stale}, **EN)
    assert response.status_code == 409
    assert not Debt.objects.exists()
    assert 'name="debts-0-principal"' in response.content.decode()


def test_a_stale_budget_save_keeps_the_old_lines(owner_client, case):
    done(case, "about", "debts")
    make_budget_line(case, "income", "salary", "5000")
    stale = case.version
    case.touch(stale)
    response = owner_client.post(url("intake_budget", case), budget_data(case, food="100") | {"version": stale})
    assert response.status_code == 409
    assert list(BudgetLine.objects.filter(case=case).values_list("category", flat=True)) == ["salary"]


def test_a_stale_about_save_keeps_the_debtor(owner_client, case):
    make_debtor(case, name="张三")
    stale = case.version
    case.touch(stale)
    response = owner_client.post(url("intake_about", case), about_data(case, version=stale, **{"debtor-name": "李四"}))
    assert response.status_code == 409
    assert Debtor.objects.get(case=case).name == "张三"


# --- Evidence step and review --------------------------------------------------------


def ready_to_review(case):
    make_debtor(case)
    debt = make_debt(case, overdue_since=date(2026, 5, 1))
    make_budget_line(case, "income", "salary", "3000")
    make_budget_line(case, "expense", "housing", "3500")
    case.hardship_reasons = ["unemployment"]
    case.hardship_since = date(2026, 6, 1)
    case.hardship_what_happened = "失业"
    case.save()
    return done(case, "about", "debts", "budget", "hardship", "evidence"), debt


def test_evidence_step_shows_the_checklist(owner_client, case):
    ready_to_review(case)
    page = owner_client.get(url("intake_evidence", case), **EN).content.decode()
    assert "Proof that you lost your job" in page
    assert "A bill, statement or contract for Huabei" in page
    assert "Proof of your current income" in page


def test_evidence_continue_marks_the_step_done(owner_client, case):
    done(case, "about", "debts", "budget", "hardship")
    response = owner_client.post(url("intake_evidence", case), {"version": case.version})
    assert response["Location"] == url("intake_review", case)


def test_review_warns_about_missing_evidence_deficit_and_dates(owner_client, case):
    ready_to_review(case)
    page = owner_client.get(url("intake_review", case), **EN).content.decode()
    assert "Evidence still missing" in page
    assert "500.00 yuan a month more than your income" in page
    assert "before your hardship started on 2026-06-01" in page
    assert "110101199003074512" not in page and "HB2024000012345678" not in page


def test_review_marks_the_case_ready_and_records_the_change(owner_client, owner, case):
    ready_to_review(case)
    response = owner_client.post(url("intake_review", case), {"version": case.version, "confirm": "on"})
    assert response["Location"] == reverse("case_detail", args=[case.pk])
    case.refresh_from_db()
    assert case.status == Case.Status.READY
    change = CaseStatusChange.objects.get(case=case)
    assert (change.from_status, change.to_status, change.by) == ("draft", "ready", owner)
    assert "review" in case.completed_steps


def test_review_needs_confirmation(owner_client, case):
    ready_to_review(case)
    response = owner_client.post(url("intake_review", case), {"version": case.version}, **EN)
    assert response.status_code == 400
    assert "Please confirm" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFT


def test_review_with_a_stale_version_does_not_mark_ready(owner_client, case):
    ready_to_review(case)
    stale = case.version
    case.touch(stale)
    response = owner_client.post(url("intake_review", case), {"version": stale, "confirm": "on"}, **EN)
    assert response.status_code == 409
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFT


# --- Bounded queries ---------------------------------------------------------------


def _big_case(case, debts: int, lines: int):
    make_debtor(case)
    for i in range(debts):
        make_debt(case, account_number=f"HB{i:08d}")
    categories = list(BudgetLine.Category.values)
    for i in range(lines):
        cat = categories[i % len(categories)]
        make_budget_line(case, "income" if cat in BudgetLine.INCOME_CATEGORIES else "expense", cat, "100")
    for i, debt in enumerate(Debt.objects.filter(case=case)):
        Evidence.objects.create(
            case=case, kind="bill", debt=debt, file=ContentFile(b"%d" % i, name="x"), original_name=f"{i}.pdf",
            size=1, content_type="application/pdf", sha256=f"{i:064d}",
        )
    case.hardship_reasons = ["unemployment", "illness"]
    case.hardship_since = date(2026, 6, 1)
    case.save()
    return done(case, "about", "debts", "budget", "hardship", "evidence")


def _queries_for(client, case, step) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url(f"intake_{step}", case)).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("step", ["about", "debts", "budget", "hardship", "evidence", "review"])
def test_every_wizard_page_runs_a_bounded_number_of_queries(owner, step):
    small, big = _big_case(make_case(owner), debts=1, lines=1), _big_case(make_case(owner), debts=20, lines=20)
    client = Client()
    client.force_login(owner)
    with_one = _queries_for(client, small, step)
    assert _queries_for(client, big, step) == with_one <= 12


def test_saving_many_debts_runs_a_bounded_number_of_queries(owner_client, case, django_assert_max_num_queries):
    done(case, "about")
    debts = [make_debt(case) for _ in range(12)]
    rows = [debt_row(i, id=str(d.pk)) for i, d in enumerate(debts)]
    with django_assert_max_num_queries(14):
        assert owner_client.post(url("intake_debts", case), debts_data(case, rows, initial=12)).status_code == 302


def test_messages_are_in_simplified_chinese_by_default(owner_client, case):
    done(case, "about")
    rows = [debt_row(0, overdue_amount="20000")]
    response = owner_client.post(url("intake_debts", case), debts_data(case, rows))
    assert response.status_code == 400
    assert "逾期金额不能超过本金加费用（12150.50 元）" in response.content.decode()
