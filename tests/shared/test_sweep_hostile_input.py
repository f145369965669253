"""The bad-input sweep (issue 8): every form and JSON/CLI entry point gets random and
hostile input; the answer is never a 500, the page says what is wrong, and nothing is
saved. Free text that is accepted is shown escaped, on pages and in PDFs."""

import json
import re
from datetime import date
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from cases.intake.steps import STEPS
from cases.lenders import lender_slug
from cases.letters import pdf, versions
from cases.models import BudgetLine, Case, Contact, Debtor, Evidence, Letter
from cases.proposal.quote import engine_input_for, quote_fingerprint, today_in_china

from ..conftest import pdftotext
from ..factories import PASSWORD, make_budget_line, make_case, make_debt, make_debtor, make_user
from ..letters_fixtures import choose_plan, make_letter_case, tiny_pdf
from ..sweep_fixtures import (
    ATTR_BREAK,
    BAD_NUMBERS,
    HTML_PAYLOADS,
    SCRIPT,
    SWEEP,
    TEMPLATE,
    bad_date,
    bad_number,
    hostile_text,
    refused_text,
    shows_an_error,
    snapshot,
)

TEN_MB = "x" * (10 * 1024 * 1024)


def wizard_case(owner, **fields) -> Case:
    """A case with every wizard step done, one debt, a debtor and a budget."""
    case = make_case(owner, completed_steps=list(STEPS), status=Case.Status.READY, **fields)
    make_debtor(case)
    make_debt(case, overdue_since=date(2026, 8, 1))
    make_budget_line(case, "income", "salary", "5200.00")
    make_budget_line(case, "expense", "housing", "1800.00")
    case.hardship_reasons = ["unemployment"]
    case.hardship_since = date(2026, 6, 1)
    case.hardship_what_happened = "公司裁员"
    case.save()
    return case


def post_rejected(client, url, data, before, case=None, **extra):
    """POST, then: no 500, an error shown, nothing saved. Returns the response."""
    response = client.post(url, data, **extra)
    assert response.status_code < 500
    assert response.status_code not in (301, 302), f"hostile input was accepted: {data}"
    assert shows_an_error(response), response.content.decode()[:2000]
    assert snapshot(case) == before
    return response


# --- The baselines: each valid payload below is accepted, so a refusal in the
# --- hostile tests is due to the one hostile value they put in.

def about_data(case):
    return {
        "version": str(case.version), "debtor-name": "李四", "debtor-id_number": "", "debtor-phone": "13900139000",
        "debtor-address": "北京市朝阳区建国路1号", "case-province": "广东省", "case-city": "深圳市",
        "case-household_size": "3", "case-dependants": "1",
    }


def debts_data(case):
    debt = case.debts.get()
    return {
        "version": str(case.version), "debts-TOTAL_FORMS": "1", "debts-INITIAL_FORMS": "1",
        "debts-MIN_NUM_FORMS": "0", "debts-MAX_NUM_FORMS": "30", "debts-0-id": str(debt.pk),
        "debts-0-product": "huabei", "debts-0-lender": "重庆蚂蚁消费金融有限公司", "debts-0-account_number": "",
        "debts-0-principal": "12000.00", "debts-0-overdue_amount": "3000.00", "debts-0-overdue_since": "2026-08-01",
        "debts-0-billed_charges": "0", "debts-0-grace_days": "0", "debts-0-lender_claimed_total": "",
        "debts-0-rate": "0", "debts-0-rate_period": "year", "debts-0-penalty_rate": "",
    }


def budget_data(case):
    data = {"version": str(case.version), "savings": ""}
    for category in BudgetLine.Category.values:
        data[f"amount_{category}"] = ""
        data[f"label_{category}"] = ""
    data["amount_salary"] = "5200"
    return data


def hardship_data(case):
    return {
        "version": str(case.version), "hardship_reasons": ["unemployment"], "hardship_since": "2026-06-01",
        "hardship_what_happened": "公司裁员", "hardship_income_change": "", "hardship_actions": "",
        "hardship_can_pay": "",
    }


def contact_data():
    return {
        "occurred_at": "2026-10-09T10:00", "channel": "hotline", "direction": "outgoing", "organisation": "支付宝客服",
        "phone_number": "95188", "outcome": "info", "notes": "", "person_name": "", "staff_id": "", "asked": "",
        "offer_months": "", "offer_monthly": "", "offer_waiver": "", "offer_deferral_months": "", "offer_text": "",
        "event": "", "follow_up_on": "",
    }


def choose_data(case):
    return {"plan": "0", "fingerprint": quote_fingerprint(engine_input_for(case, today_in_china()))}


WIZARD = {
    "intake_about": about_data, "intake_debts": debts_data, "intake_budget": budget_data,
    "intake_hardship": hardship_data,
}


@pytest.mark.parametrize("name", [*WIZARD, "proposal_choose"])
def test_the_valid_baselines_are_accepted(owner_client, owner, name):
    case = wizard_case(owner)
    data = choose_data(case) if name == "proposal_choose" else WIZARD[name](case)
    response = owner_client.post(reverse(name, args=[case.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]


def test_the_valid_contact_is_accepted(owner_client, owner):
    case = wizard_case(owner)
    response = owner_client.post(reverse("contact_add", args=[case.pk]), contact_data())
    assert response.status_code == 302
    assert case.contacts.count() == 1


# --- Intake wizard -----------------------------------------------------------

ABOUT_REFUSED = {
    "version": bad_number(), "case-household_size": bad_number(), "case-dependants": bad_number(),
    "debtor-phone": st.sampled_from(["²²²²²²²²", "١٣٨٠٠١٣٨٠٠٠", "１３８００１３８０００", "138\x00", "+", SCRIPT]) | bad_number(),
    "debtor-id_number": st.sampled_from(["¹" * 17 + "X", "١" * 18, "1" * 17 + "x\x00", "1" * 16, SCRIPT * 2]),
    "case-province": hostile_text(40), "debtor-name": refused_text(60), "debtor-address": refused_text(200),
    "case-city": refused_text(40),
}


@SWEEP
@given(field=st.sampled_from(sorted(ABOUT_REFUSED)), data=st.data())
def test_about_step_refuses_hostile_values(owner_client, owner, field, data):
    case = wizard_case(owner)
    payload = about_data(case) | {field: data.draw(ABOUT_REFUSED[field], label=field)}
    post_rejected(owner_client, reverse("intake_about", args=[case.pk]), payload, snapshot(case), case)


@pytest.mark.parametrize("field, value", [
    ("debtor-phone", "²²²²²²²²"), ("debtor-phone", "١٣٨٠٠١٣٨٠٠٠"), ("debtor-id_number", "¹" * 17 + "X"),
    ("debtor-id_number", "١" * 18), ("debtor-id_number", "1" * 17 + "ß"),
])
def test_about_step_refuses_digits_that_are_not_0_to_9(owner_client, owner, field, value):
    """Bug found by the sweep: str.isdigit() let "²" and "١" through as phone and ID digits."""
    case = wizard_case(owner)
    payload = about_data(case) | {field: value}
    post_rejected(owner_client, reverse("intake_about", args=[case.pk]), payload, snapshot(case), case)


DEBT_REFUSED = {
    **{f"debts-0-{name}": bad_number() for name in
       ("principal", "overdue_amount", "billed_charges", "grace_days", "rate", "penalty_rate", "lender_claimed_total")},
    "debts-0-overdue_since": bad_date(), "debts-0-product": hostile_text(20), "debts-0-rate_period": hostile_text(10),
    "debts-0-lender": refused_text(100), "debts-0-account_number": refused_text(40), "debts-0-id": bad_number(),
    "debts-TOTAL_FORMS": st.sampled_from(["9" * 40, "NaN", "-1", "1e999", "0x10", "²", "9" * 5000, "31"]),
    "version": bad_number(),
}


OPTIONAL_DEBT_FIELDS = {f"debts-0-{name}" for name in
                        ("billed_charges", "penalty_rate", "lender_claimed_total", "grace_days", "rate", "account_number",
                         "overdue_since", "lender")}


@SWEEP
@given(field=st.sampled_from(sorted(DEBT_REFUSED)), data=st.data())
@example(field="debts-0-grace_days", data=None)  # 366: above the contract's 365 days
def test_debts_step_refuses_hostile_values(owner_client, owner, field, data):
    case = wizard_case(owner)
    value = "366" if data is None else data.draw(DEBT_REFUSED[field], label=field)
    if field in OPTIONAL_DEBT_FIELDS and not value.strip():
        return  # optional: empty means none (or 0)
    payload = debts_data(case) | {field: value}
    post_rejected(owner_client, reverse("intake_debts", args=[case.pk]), payload, snapshot(case), case)


@pytest.mark.parametrize("value", ["sNaN", "-sNaN", "sNaN42"])
@pytest.mark.parametrize("name", ["principal", "overdue_amount", "billed_charges", "rate", "penalty_rate",
                                  "lender_claimed_total"])
def test_debts_step_refuses_a_signalling_nan(owner_client, owner, name, value):
    """Bug found by the sweep: Decimal("sNaN") reached the formset's has_changed(), whose comparison raised."""
    case = wizard_case(owner)
    payload = debts_data(case) | {f"debts-0-{name}": value}
    post_rejected(owner_client, reverse("intake_debts", args=[case.pk]), payload, snapshot(case), case)


BUDGET_REFUSED = {
    "savings": bad_number(), "amount_salary": bad_number(), "amount_housing": bad_number(),
    "label_salary": refused_text(80), "version": bad_number(),
}


@SWEEP
@given(field=st.sampled_from(sorted(BUDGET_REFUSED)), data=st.data())
def test_budget_step_refuses_hostile_values(owner_client, owner, field, data):
    case = wizard_case(owner)
    payload = budget_data(case) | {field: data.draw(BUDGET_REFUSED[field], label=field)}
    if field in ("savings", "amount_housing") and not payload[field].strip():
        return  # optional amounts: empty is no line
    post_rejected(owner_client, reverse("intake_budget", args=[case.pk]), payload, snapshot(case), case)


HARDSHIP_REFUSED = {
    "hardship_reasons": st.lists(hostile_text(30), min_size=1, max_size=3), "hardship_since": bad_date(),
    "hardship_what_happened": refused_text(2000), "hardship_can_pay": refused_text(2000), "version": bad_number(),
}


@SWEEP
@given(field=st.sampled_from(sorted(HARDSHIP_REFUSED)), data=st.data())
@example(field="hardship_since", data=None)  # the future
def test_hardship_step_refuses_hostile_values(owner_client, owner, field, data):
    case = wizard_case(owner)
    value = "2999-01-01" if data is None else data.draw(HARDSHIP_REFUSED[field], label=field)
    payload = hardship_data(case) | {field: value}
    post_rejected(owner_client, reverse("intake_hardship", args=[case.pk]), payload, snapshot(case), case)


@SWEEP
@given(value=bad_number())
def test_intake_consent_and_review_refuse_hostile_values(client, owner, value):
    client.force_login(owner)
    case = wizard_case(owner)
    before = snapshot(case)
    post_rejected(client, reverse("intake_review", args=[case.pk]), {"version": value, "confirm": "on"}, before, case)
    fresh = make_case(owner, consent=False)
    before = snapshot(fresh)
    post_rejected(client, reverse("intake_consent", args=[fresh.pk]), {"agree": value if value in ("", " ") else ""},
                  before, fresh)


# --- Evidence upload -----------------------------------------------------------

EVIDENCE_REFUSED = {
    "kind": hostile_text(30), "debt": bad_number(), "note": refused_text(300), "file": st.sampled_from([
        ("x.pdf", b"%PDF-1.4 not really"), ("<script>.png", SCRIPT.encode()), ("a.exe", b"MZ\x90\x00"),
        ("empty.pdf", b""), ("\x00.pdf", b"\x00" * 64), ("p.jpg", "<html>".encode("utf-16")),
    ]),
}


@SWEEP
@given(field=st.sampled_from(sorted(EVIDENCE_REFUSED)), data=st.data(), htmx=st.booleans())
def test_evidence_upload_refuses_hostile_values(owner_client, owner, field, data, htmx):
    case = wizard_case(owner)
    value = data.draw(EVIDENCE_REFUSED[field], label=field)
    payload = {"kind": "bill", "debt": "", "note": "", "supports_hardship": ""}
    name, content = ("bill.pdf", tiny_pdf(1))
    if field == "file":
        name, content = value
    else:
        payload[field] = value
    payload["file"] = SimpleUploadedFile(name, content, content_type="application/pdf")
    post_rejected(owner_client, reverse("evidence_upload", args=[case.pk]), payload, snapshot(case), case,
                  headers={"HX-Request": "true"} if htmx else {})


# --- Proposal ---------------------------------------------------------------------

@SWEEP
@given(field=st.sampled_from(["plan", "fingerprint"]),
       value=bad_number() | hostile_text(100).filter(lambda s: not any(c.isdigit() for c in s)))
def test_choosing_a_plan_refuses_hostile_values(owner_client, owner, field, value):
    case = wizard_case(owner)
    payload = choose_data(case) | {field: value}
    post_rejected(owner_client, reverse("proposal_choose", args=[case.pk]), payload, snapshot(case), case)


@pytest.mark.parametrize("plan", ["²", "١", "9" * 5000, "-1", "NaN", "\x00", "99", SCRIPT])
def test_the_proposal_page_ignores_a_hostile_plan_parameter(owner_client, owner, plan):
    """Bug found by the sweep: ?plan=² passed str.isdigit() and int() raised (a 500)."""
    case = wizard_case(owner)
    response = owner_client.get(reverse("proposal", args=[case.pk]), {"plan": plan})
    assert response.status_code == (400 if "\x00" in plan else 200)  # NUL: RejectNulMiddleware
    assert SCRIPT not in response.content.decode()


# --- Negotiation log -------------------------------------------------------------

CONTACT_REFUSED = {
    "occurred_at": bad_date() | st.sampled_from(["2999-01-01T10:00", "1999-12-31T10:00", "0001-01-01T00:00"]),
    "channel": hostile_text(30), "direction": hostile_text(30), "outcome": hostile_text(30),
    "offer_months": bad_number() | st.sampled_from(["0", "121", "32768"]),
    "offer_monthly": bad_number() | st.sampled_from(["0", "100000000", "1.001"]),
    "offer_waiver": bad_number(), "follow_up_on": bad_date(),
    "phone_number": st.sampled_from(["²²²²", "١٢٣", SCRIPT, "95188\x00", "'; DROP TABLE x; --"]),
    "person_name": refused_text(60), "organisation": refused_text(100), "notes": st.builds(lambda s: s + "\x00", hostile_text(50)),
    "misconduct": st.lists(hostile_text(30), min_size=1, max_size=2), "debts": st.lists(bad_number(), min_size=1, max_size=2),
}
OPTIONAL_CONTACT_FIELDS = {"offer_months", "offer_monthly", "offer_waiver", "follow_up_on", "debts"}


@SWEEP
@given(field=st.sampled_from(sorted(CONTACT_REFUSED)), data=st.data(), edit=st.booleans(), htmx=st.booleans())
def test_the_log_refuses_hostile_contacts(owner_client, owner, field, data, edit, htmx):
    case = wizard_case(owner)
    value = data.draw(CONTACT_REFUSED[field], label=field)
    if field in OPTIONAL_CONTACT_FIELDS and isinstance(value, str) and not value.strip():
        return
    url = reverse("contact_add", args=[case.pk])
    if edit:
        contact = Contact.objects.create(case=case, channel="hotline", direction="outgoing", outcome="info")
        url = reverse("contact_edit", args=[case.pk, contact.pk])
    post_rejected(owner_client, url, contact_data() | {field: value}, snapshot(case), case,
                  headers={"HX-Request": "true"} if htmx else {})


@pytest.mark.parametrize("phone", ["²²²²²", "٩٥١٨٨"])
def test_the_log_refuses_a_phone_number_in_other_digits(owner_client, owner, phone):
    """Bug found by the sweep: the log's phone check used str.isdigit() too."""
    case = wizard_case(owner)
    post_rejected(owner_client, reverse("contact_add", args=[case.pk]), contact_data() | {"phone_number": phone},
                  snapshot(case), case)


def test_agreeing_to_a_contact_that_is_no_agreement_is_refused(owner_client, owner):
    case = wizard_case(owner)
    contact = Contact.objects.create(case=case, channel="hotline", direction="outgoing", outcome="refused")
    before = snapshot(case)
    response = owner_client.post(reverse("contact_agree", args=[case.pk, contact.pk]), {"x": SCRIPT}, follow=True)
    assert shows_an_error(response)
    assert snapshot(case) == before


# --- Letters ------------------------------------------------------------------------

def test_generating_a_letter_for_an_incomplete_case_is_refused(owner_client, owner):
    case = make_case(owner)
    make_debt(case)
    before = snapshot(case)
    response = owner_client.post(reverse("letter_generate", args=[case.pk, "negotiation_request",
                                                                  lender_slug(case.debts.get().lender)]),
                                 {"kind": SCRIPT, "version": "NaN"}, follow=True)
    assert shows_an_error(response)
    assert snapshot(case) == before


@pytest.mark.parametrize("kind", ["x<script>", "../../etc", "NaN", "negotiation_request%00", "9" * 300])
def test_a_hostile_letter_kind_is_not_found(owner_client, owner, kind):
    case = wizard_case(owner)
    before = snapshot(case)
    url = f"/cases/{case.pk}/letters/{kind}/{lender_slug('重庆蚂蚁消费金融有限公司')}/generate/"
    assert owner_client.post(url).status_code == (400 if "%00" in kind else 404)
    assert snapshot(case) == before


def test_submitting_a_letter_twice_is_refused(owner_client, owner):
    case = make_letter_case(owner)
    letter = versions.generate(case, "negotiation_request")
    letter.submit_for_review()
    before = snapshot(case)
    response = owner_client.post(reverse("letter_submit", args=letter.url_args),
                                 {"version": "9" * 40}, follow=True)
    assert shows_an_error(response)
    assert snapshot(case) == before


# --- Privacy and account ---------------------------------------------------------------

@SWEEP
@given(value=hostile_text(40))
def test_deleting_a_case_needs_the_exact_word(owner_client, owner, value):
    if value.strip().lower() in {"delete", "删除"}:
        return
    case = wizard_case(owner)
    post_rejected(owner_client, reverse("case_delete", args=[case.pk]), {"confirm": value}, snapshot(case), case)


@SWEEP
@given(value=st.sampled_from(["", "false", "False", "FALSE"]))  # a checkbox: any other value means ticked
def test_consent_needs_the_box_ticked(owner_client, owner, value):
    case = make_case(owner, consent=False)
    post_rejected(owner_client, reverse("case_consent_give", args=[case.pk]), {"agree": value}, snapshot(case), case)


@SWEEP
@given(value=hostile_text(100))
def test_deleting_the_account_needs_the_password(client, owner, value):
    from axes.utils import reset

    reset()
    client.force_login(owner)
    case = wizard_case(owner)
    post_rejected(client, reverse("account_delete"), {"password": value}, snapshot(case), case)


SIGNUP_REFUSED = {
    "username": refused_text(150) | st.sampled_from([SCRIPT, "a b", "'; DROP TABLE auth_user; --", "\u202eadmin"]),
    "email": hostile_text(60).filter(lambda s: "@" not in s) | st.sampled_from([f"{SCRIPT}@x.cn", "a@b@c", "x@\x00.cn"]),
    "password2": hostile_text(60),
}


@SWEEP
@given(field=st.sampled_from(sorted(SIGNUP_REFUSED)), data=st.data())
def test_signup_refuses_hostile_values(client, db, field, data):
    payload = {"username": "newbie", "email": "", "password1": PASSWORD, "password2": PASSWORD}
    payload[field] = data.draw(SIGNUP_REFUSED[field], label=field)
    if field == "email" and not payload["email"].strip():
        return  # optional
    post_rejected(client, reverse("signup"), payload, snapshot())


@SWEEP
@given(field=st.sampled_from(["old_password", "new_password2"]), value=hostile_text(100))
def test_password_change_refuses_hostile_values(owner_client, owner, field, value):
    payload = {"old_password": PASSWORD, "new_password1": "another-horse-staple-9", "new_password2": "another-horse-staple-9"}
    payload[field] = value
    post_rejected(owner_client, reverse("password_change"), payload, snapshot())
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)


# --- Admin: the reviewers' forms --------------------------------------------------------

@SWEEP
@given(decision=hostile_text(30), note=hostile_text(200))
def test_a_review_decision_refuses_hostile_values(superuser_client_, owner, decision, note):
    case = make_letter_case(owner, with_proposal=False, with_evidence=False, with_misconduct=False)
    letter = Letter.objects.create(case=case, kind="negotiation_request", snapshot={}, content_hash="x" * 64,
                                   html="<p>x</p>", status=Letter.Status.IN_REVIEW)
    before = snapshot(case)
    url = reverse("admin:cases_case_decide", args=[case.pk, letter.pk])
    post_rejected(superuser_client_, url, {"decision": decision, "note": note}, before, case)


@pytest.fixture
def superuser_client_(db):
    client = Client()
    client.force_login(make_user("boss", superuser=True))
    return client


@pytest.mark.parametrize("text", ["", "  ", "a\x00b"])
def test_a_reviewer_note_refuses_empty_or_nul_text(superuser_client_, owner, text):
    case = wizard_case(owner)
    before = snapshot(case)
    post_rejected(superuser_client_, reverse("admin:cases_case_note", args=[case.pk]), {"text": text}, before, case)


@pytest.mark.parametrize("model, field", [("Debt", "principal"), ("Debt", "overdue_amount"), ("BudgetLine", "amount")])
def test_the_case_admin_inlines_refuse_a_signalling_nan(owner, model, field):
    """The admin's own inline formsets (superusers edit debts and budget lines there) call has_changed() too."""
    from django.contrib import admin as django_admin
    from django.forms.models import model_to_dict
    from django.test import RequestFactory

    case = wizard_case(owner)
    request = RequestFactory().post("/")
    request.user = make_user("boss", superuser=True)
    case_admin = django_admin.site._registry[Case]
    inline = next(i for i in case_admin.get_inline_instances(request, case) if i.model.__name__ == model)
    formset_class = inline.get_formset(request, case)
    prefix = formset_class.get_default_prefix()
    row = inline.model.objects.filter(case=case).first()
    data = {f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-INITIAL_FORMS": "1", f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000"}
    for name, value in model_to_dict(row).items():
        data[f"{prefix}-0-{name}"] = "" if value is None else str(value)
    data[f"{prefix}-0-{field}"] = "sNaN"
    formset = formset_class(data, instance=case, prefix=prefix)
    assert not formset.is_valid()
    assert formset.forms[0].errors[field]


# --- 10 MB bodies and mismatched encodings ----------------------------------------------------

@pytest.mark.parametrize("name", ["intake_about", "intake_hardship", "intake_budget", "contact_add", "proposal_choose"])
def test_a_10_mb_form_is_a_clean_400(owner_client, owner, name):
    case = wizard_case(owner)
    before = snapshot(case)
    response = owner_client.post(reverse(name, args=[case.pk]), {"version": str(case.version), "notes": TEN_MB,
                                                                  "hardship_what_happened": TEN_MB})
    assert response.status_code == 400
    assert snapshot(case) == before


def test_a_10_mb_note_beside_an_upload_is_a_clean_400(owner_client, owner):
    case = wizard_case(owner)
    before = snapshot(case)
    response = owner_client.post(reverse("evidence_upload", args=[case.pk]), {
        "kind": "bill", "note": TEN_MB, "file": SimpleUploadedFile("bill.pdf", tiny_pdf(1), "application/pdf"),
    })
    assert response.status_code == 400
    assert snapshot(case) == before


def test_a_10_mb_signup_is_a_clean_400(client, db):
    before = snapshot()
    response = client.post(reverse("signup"), {"username": TEN_MB, "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 400
    assert snapshot() == before


@pytest.mark.parametrize("charset", ["utf-8", "latin-1", "gbk", "utf-16", "no-such-charset"])
def test_a_body_in_another_encoding_is_refused_or_read_safely(owner_client, owner, charset):
    """Bytes that are not what the header says: refused with an error, or decoded and checked like any text."""
    case = wizard_case(owner)
    before = snapshot(case)
    data = about_data(case)
    body = "&".join(f"{k}={v}" for k, v in data.items() if k != "case-household_size").encode("gbk")
    body += b"&case-household_size=\xff\xfe3"
    response = owner_client.generic("POST", reverse("intake_about", args=[case.pk]), body,
                                    content_type=f"application/x-www-form-urlencoded; charset={charset}")
    assert response.status_code < 500
    assert shows_an_error(response)
    assert snapshot(case) == before


# --- CLI: manage.py quote and render_letter ----------------------------------------------------

VALID_QUOTE = {
    "as_of": "2026-11-01",
    "debts": [{"id": "1", "product": "huabei", "lender": "", "principal": "12000.00", "overdue_amount": "3000.00",
               "overdue_since": "2026-08-01"}],
}
QUOTE_PATHS = [("as_of",), ("savings",), ("safety_margin",), ("deferral_months",), ("debts", 0, "principal"),
               ("debts", 0, "overdue_amount"), ("debts", 0, "overdue_since"), ("debts", 0, "annual_rate"),
               ("debts", 0, "grace_days"), ("debts", 0, "product"), ("debts", 0, "penalty_daily_rate"),
               ("debts",)]  # (a debt id may be any non-empty string)


def run_quote(tmp_path, text: str | bytes):
    path = tmp_path / "case.json"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
    with pytest.raises(CommandError) as caught:
        call_command("quote", str(path))
    assert caught.value.returncode == 2
    message = str(caught.value)
    assert message.startswith(str(path)) and message.isprintable()
    return message


@SWEEP
@given(path=st.sampled_from(QUOTE_PATHS), value=st.sampled_from(BAD_NUMBERS) | st.sampled_from(
    [None, [], {}, True, -1, 10**30, 1e308]) | hostile_text(50).filter(lambda s: not any(c.isdigit() for c in s)))
def test_quote_command_refuses_hostile_json(tmp_path, path, value):
    data = json.loads(json.dumps(VALID_QUOTE))
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is None and path[-1] in ("penalty_daily_rate", "overdue_since"):
        return  # null allowed: no rate given / not overdue
    if value == [] and path == ("debts",):
        return  # no debts is a valid (empty) quote
    target[path[-1]] = value
    run_quote(tmp_path, json.dumps(data, ensure_ascii=False))


@pytest.mark.parametrize("text", [
    "9" * 5000,  # bug found by the sweep: int() refuses 4300+ digits, a ValueError json.loads does not wrap
    "[" * 100_000,  # bug found by the sweep: RecursionError
    '{"as_of": "2026-11-01", "debts": [], "savings": ' + "9" * 5000 + "}",
    "NaN", "Infinity", '{"as_of": NaN}', "", "\x00", "\ufeff{}", b"\xff\xfe{\x00}\x00", b"{\"as_of\": \"\xe4\"}",
    json.dumps(VALID_QUOTE).replace('"12000.00"', "1e999"), json.dumps(VALID_QUOTE).replace('"12000.00"', "NaN"),
])
def test_quote_command_refuses_unusable_files(tmp_path, text):
    run_quote(tmp_path, text)


@pytest.mark.parametrize("path, value", [(("as_of",), "\n"), (("debts", 0, "product"), "x\nCommandError: fake"),
                                         (("debts", 0, "lender"), 5), (("savings",), "\u202e1"), (("x\ny",), 1)])
def test_quote_command_errors_stay_on_one_line(tmp_path, path, value):
    """Bug found by the sweep: a value with a newline was echoed raw, splitting the one-line error."""
    data = json.loads(json.dumps(VALID_QUOTE))
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    message = run_quote(tmp_path, json.dumps(data, ensure_ascii=False))
    assert "\u202e" not in message and "\x00" not in message


def test_quote_command_accepts_the_valid_baseline(tmp_path, capsys):
    path = tmp_path / "case.json"
    path.write_text(json.dumps(VALID_QUOTE))
    call_command("quote", str(path))
    assert json.loads(capsys.readouterr().out)["debts"][0]["id"] == "1"


@pytest.mark.parametrize("args", [
    ["abc", "negotiation_request"], ["9" * 30, "negotiation_request"], ["-1", "negotiation_request"],
    ["NaN", "negotiation_request"], ["{case}", "x<script>"], ["{case}", "../../etc/passwd"],
    ["{case}", "negotiation_request", "--bundle"],
])
def test_render_letter_refuses_hostile_arguments(tmp_path, owner, args):
    case = make_case(owner)
    out = tmp_path / "out.pdf"
    with pytest.raises(CommandError):
        call_command("render_letter", *[a.replace("{case}", str(case.pk)) for a in args], "-o", str(out))
    assert not out.exists()
    assert not Letter.objects.exists()


@pytest.mark.parametrize("output", ["{tmp}/no/such/dir/x.pdf", "{tmp}", "{tmp}/a\x00b.pdf"])
def test_render_letter_refuses_a_hostile_output_path(tmp_path, owner, output):
    case = make_letter_case(owner, with_evidence=False)
    with pytest.raises(CommandError):
        call_command("render_letter", str(case.pk), "negotiation_request", "-o", output.replace("{tmp}", str(tmp_path)))


# --- Escaping: what is accepted is shown as text, never as markup --------------------------------

def assert_escaped(html: str) -> None:
    assert SCRIPT not in html and "<img src=x" not in html and "onerror=alert(1)>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{ 7*7 }}" in html  # shown literally, never evaluated


def hostile_case(owner) -> Case:
    """A full case whose every free-text field that is shown back holds the payloads."""
    case = make_letter_case(owner, name=SCRIPT, what_happened=f"{SCRIPT} {ATTR_BREAK} {TEMPLATE}")
    Debtor.objects.filter(case=case).update(address=f"{ATTR_BREAK} {TEMPLATE}")
    case.debts.filter(product="huabei").update(lender=f"{SCRIPT}{TEMPLATE}")
    Case.objects.filter(pk=case.pk).update(hardship_income_change=ATTR_BREAK, hardship_actions=TEMPLATE,
                                           hardship_can_pay=SCRIPT, status=Case.Status.READY,
                                           completed_steps=list(STEPS))
    Contact.objects.filter(case=case).update(notes=f"{SCRIPT}{ATTR_BREAK}{TEMPLATE}", offer_text=SCRIPT,
                                             person_name=ATTR_BREAK[:60], organisation=TEMPLATE)
    Evidence.objects.filter(case=case).update(note=f"{SCRIPT}{ATTR_BREAK}{TEMPLATE}", original_name=f"{SCRIPT}.pdf")
    case.refresh_from_db()
    return case


def test_accepted_payloads_are_saved_as_typed(owner_client, owner):
    """The forms keep such text verbatim (they are names and stories, not code): escaping is the templates' job."""
    case = wizard_case(owner)
    response = owner_client.post(reverse("intake_about", args=[case.pk]), about_data(case) | {
        "debtor-name": SCRIPT, "debtor-address": f"{ATTR_BREAK} {TEMPLATE}"})
    assert response.status_code == 302
    assert Debtor.objects.get(case=case).name == SCRIPT


PAGES = ["case_detail", "intake_about", "intake_debts", "intake_budget", "intake_hardship", "intake_evidence",
         "intake_review", "proposal", "log", "timeline", "letters_index"]


@pytest.mark.parametrize("name", PAGES)
def test_pages_show_payloads_escaped(owner_client, owner, name):
    case = hostile_case(owner)
    response = owner_client.get(reverse(name, args=[case.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert SCRIPT not in html and "<img src=x" not in html and "onerror=alert(1)>" not in html


@pytest.mark.parametrize("name", ["intake_review", "log", "intake_evidence"])
def test_pages_show_payloads_as_text(owner_client, owner, name):
    case = hostile_case(owner)
    assert_escaped(owner_client.get(reverse(name, args=[case.pk])).content.decode())


def test_a_hostile_upload_name_and_note_are_shown_escaped(owner_client, owner):
    case = wizard_case(owner)
    response = owner_client.post(reverse("evidence_upload", args=[case.pk]), {
        "kind": "bill", "note": f"{SCRIPT}{ATTR_BREAK}{TEMPLATE}",
        "file": SimpleUploadedFile(f"{SCRIPT}.pdf", tiny_pdf(1), "application/pdf"),
    }, follow=True)
    assert response.status_code == 200
    assert case.evidence.count() == 1
    assert_escaped(response.content.decode())
    download = owner_client.get(reverse("evidence_download", args=[case.pk, case.evidence.get().pk]))
    assert "<" not in download["Content-Disposition"].split("filename", 1)[0]
    assert '"' not in re.sub(r'filename="[^"]*"', "", download["Content-Disposition"]).replace("filename*=", "")


def test_a_logged_contact_is_shown_escaped(owner_client, owner):
    case = wizard_case(owner)
    response = owner_client.post(reverse("contact_add", args=[case.pk]), contact_data() | {
        "notes": f"{SCRIPT}{TEMPLATE}", "offer_text": ATTR_BREAK, "person_name": SCRIPT}, follow=True)
    assert response.status_code == 200
    assert_escaped(response.content.decode())
    contact = case.contacts.get()
    assert_escaped(owner_client.get(reverse("contact_edit", args=[case.pk, contact.pk])).content.decode())


def test_letters_show_payloads_escaped_in_html_and_as_text_in_the_pdf(owner_client, owner, tmp_path):
    case = hostile_case(owner)
    choose_plan(case)  # the figures of the case as the payloads left it (letters print only the plan's)
    letter = versions.generate(case, "hardship_statement", f"{SCRIPT}{TEMPLATE}")  # the lender named by the payload
    preview = owner_client.get(reverse("letter_preview", args=letter.url_args))
    assert preview.status_code == 200
    assert_escaped(preview.content.decode())
    path = tmp_path / "letter.pdf"
    with versions.storage().open(pdf.ensure_pdf(letter), "rb") as fh:
        path.write_bytes(fh.read())
    text = re.sub(r"\s+", "", pdftotext(path))
    for payload in HTML_PAYLOADS:
        assert re.sub(r"\s+", "", payload) in text, payload


def test_reviewer_notes_are_shown_escaped_to_staff_and_to_the_user(superuser_client_, owner_client, owner):
    case = hostile_case(owner)
    choose_plan(case)  # the figures of the case as the payloads left it (letters print only the plan's)
    letter = versions.generate(case, "negotiation_request", f"{SCRIPT}{TEMPLATE}")
    letter.submit_for_review()
    response = superuser_client_.post(reverse("admin:cases_case_note", args=[case.pk]),
                                      {"text": f"{SCRIPT}{ATTR_BREAK}{TEMPLATE}"}, follow=True)
    assert response.status_code == 200
    assert_escaped(response.content.decode())
    response = superuser_client_.post(reverse("admin:cases_case_decide", args=[case.pk, letter.pk]), {
        "decision": "request_changes", "note": f"{SCRIPT}{ATTR_BREAK}{TEMPLATE}"}, follow=True)
    assert response.status_code == 200
    assert_escaped(response.content.decode())
    page = owner_client.get(reverse("letter_page", args=[case.pk, letter.kind, letter.lender_slug]))
    assert_escaped(page.content.decode())


# --- Query strings: every page with a hostile parameter ---------------------------------------------

QUERY_PARAMS = ["plan", "page", "n", "kind", "debt", "add", "debts-TOTAL_FORMS", "next", "q", "o", "p", "e",
                "status", "product", "hardship", "reviewer", "waiting", "province", "action__exact", "all", "_popup"]
HOSTILE_QUERY_VALUES = st.sampled_from([*BAD_NUMBERS, "²", "١", "9" * 5000, "\x00", "%00", SCRIPT]) | hostile_text(40)
FIXTURE_LENDER = lender_slug("重庆蚂蚁消费金融有限公司")
CASE_PAGES = [*PAGES, "letter_kind:negotiation_request", f"letter_page:negotiation_request:{FIXTURE_LENDER}",
              f"letter_status:negotiation_request:{FIXTURE_LENDER}:1", "intake_debt_row"]
ADMIN_PAGES = ["cases_case_changelist", "cases_caseinreview_changelist", "cases_letter_changelist",
               "cases_auditevent_changelist", "auth_user_changelist", "cases_case_review"]


def page_url(spec: str, case: Case) -> str:
    name, *rest = spec.split(":")
    return reverse(name, args=[case.pk, *rest])


@SWEEP
@given(spec=st.sampled_from(CASE_PAGES), param=st.sampled_from(QUERY_PARAMS), value=HOSTILE_QUERY_VALUES,
       htmx=st.booleans())
def test_pages_answer_hostile_query_strings(owner_client, owner, spec, param, value, htmx):
    case = make_letter_case(owner, with_evidence=False)
    Case.objects.filter(pk=case.pk).update(status=Case.Status.READY, completed_steps=list(STEPS))
    versions.generate(case, "negotiation_request")
    headers = {"HX-Request": "true"} if htmx else {}
    response = owner_client.get(page_url(spec, case), {param: value}, headers=headers)
    assert response.status_code in (200, 302, 404) or (response.status_code == 400 and "\x00" in param + value)
    assert SCRIPT not in response.content.decode()


@SWEEP
@given(name=st.sampled_from(ADMIN_PAGES), param=st.sampled_from(QUERY_PARAMS), value=HOSTILE_QUERY_VALUES)
@example(name="cases_case_changelist", param="reviewer", value="²")  # bug found by the sweep: a 500
@example(name="cases_case_changelist", param="reviewer", value="9" * 5000)
@example(name="cases_case_changelist", param="q", value="abc")
def test_admin_pages_answer_hostile_query_strings(superuser_client_, owner, name, param, value):
    case = wizard_case(owner)
    args = [case.pk] if name == "cases_case_review" else []
    response = superuser_client_.get(reverse(f"admin:{name}", args=args), {param: value})
    assert response.status_code in (200, 302, 400, 404)
    assert SCRIPT not in response.content.decode()


@pytest.mark.parametrize("url", ["/admin/cases/letter/?kind=%00", "/admin/cases/case/?q=a%00b", "/admin/cases/case/?province=%00",
                                 "/admin/auth/user/?q=%00", "/admin/cases/auditevent/?action=%00"])
def test_a_nul_in_the_query_string_is_a_400(superuser_client_, url):
    """Bug found by the sweep on PostgreSQL: admin filters passed NUL to the database (DataError, a 500)."""
    response = superuser_client_.get(url)
    assert response.status_code == 400


# --- Public and remaining entry points ---------------------------------------------------------------

@SWEEP
@given(field=st.sampled_from(["username", "password"]), value=hostile_text(200) | st.sampled_from(["x" * 5000]))
def test_login_refuses_hostile_credentials(client, owner, field, value):
    from axes.utils import reset

    reset()
    payload = {"username": owner.username, "password": "wrong-" + PASSWORD} | {field: value}
    before = snapshot()
    response = client.post(reverse("login"), payload)
    assert response.status_code < 500
    assert "_auth_user_id" not in client.session
    assert shows_an_error(response) or response.status_code in (403, 429)  # refused, or locked out
    assert snapshot() == before | {"audit": snapshot()["audit"]}


def test_login_refuses_an_over_long_username(client, db):
    """Bug found by the sweep on PostgreSQL: the stock form let a 5000-character name reach authenticate(),
    and django-axes could not store it in its 255-character column (a 500)."""
    from axes.models import AccessAttempt

    response = client.post(reverse("login"), {"username": "x" * 5000, "password": "whatever"})
    assert response.status_code == 200
    assert shows_an_error(response)
    assert not AccessAttempt.objects.filter(username__startswith="xxxx").exists()


@SWEEP
@given(email=hostile_text(80).filter(lambda s: "@" not in s or "\x00" in s).filter(str.strip))
def test_password_reset_refuses_hostile_addresses(client, db, mailoutbox, email):
    response = client.post(reverse("password_reset"), {"email": email})
    assert response.status_code == 200
    assert shows_an_error(response)
    assert mailoutbox == []


@pytest.mark.parametrize("uidb64, token", [("<script>", "x"), ("%00", "NaN"), ("9" * 300, "9" * 300), ("MQ", "set-password")])
def test_password_reset_confirm_answers_hostile_links(client, owner, uidb64, token):
    response = client.get(f"/accounts/reset/{uidb64}/{token}/")
    assert response.status_code in ((400,) if "%00" in uidb64 else (200, 302, 404))
    assert SCRIPT not in response.content.decode()


@SWEEP
@given(language=hostile_text(30), next_url=st.sampled_from(["https://evil.example/", "//evil.example", "javascript:alert(1)",
                                                            "\\\\evil.example", "/\x00", SCRIPT]) | hostile_text(40))
def test_set_language_never_redirects_off_site(client, db, language, next_url):
    response = client.post(reverse("set_language"), {"language": language, "next": next_url})
    assert response.status_code in (302, 204, 400)
    location = urlsplit(response.get("Location", "/").replace("\\", "/"))
    assert not location.scheme and not location.netloc


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "/\\evil.example"])
def test_a_follow_up_never_redirects_off_site(owner_client, owner, next_url):
    case = wizard_case(owner)
    contact = Contact.objects.create(case=case, channel="hotline", direction="outgoing", outcome="callback",
                                     follow_up_on=date(2026, 12, 1))
    response = owner_client.post(reverse("follow_up_done", args=[case.pk, contact.pk]), {"next": next_url})
    assert response.status_code == 302
    assert response["Location"] == reverse("log", args=[case.pk])


@SWEEP
@given(reviewer=bad_number() | hostile_text(30), action=st.sampled_from(["assign_to_reviewer", "export_as_csv", SCRIPT]),
       selected=st.lists(bad_number(), max_size=3))
def test_admin_bulk_actions_refuse_hostile_values(superuser_client_, owner, reviewer, action, selected):
    case = wizard_case(owner)
    before = snapshot(case)
    response = superuser_client_.post(reverse("admin:cases_case_changelist"), {
        "action": action, "reviewer": reviewer, "_selected_action": selected or [str(case.pk)], "index": "0"})
    assert response.status_code in (200, 302)
    assert snapshot(case)["case"] == before["case"]
    assert snapshot(case)["case"]["assigned_reviewer_id"] is None


@SWEEP
@given(field=hostile_text(40) | bad_number())
def test_admin_reveal_refuses_hostile_fields(superuser_client_, owner, field):
    case = wizard_case(owner)
    response = superuser_client_.post(reverse("admin:cases_case_reveal", args=[case.pk]), {"field": field})
    assert response.status_code == 404
