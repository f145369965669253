import io
import json
import zipfile

import pytest
from django.urls import reverse

from cases.models import AccountSettings, ReminderSent, ReminderSettings

from ..factories import make_user
from ..privacy_fixtures import JPEG_BYTES, PDF_BYTES, add_evidence, make_populated_case


def _export(client) -> zipfile.ZipFile:
    response = client.post(reverse("account_export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="negotiator-export-')
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


@pytest.mark.storage
def test_export_holds_everything_about_me_with_my_files(owner_client, owner):
    case = make_populated_case(owner)
    archive = _export(owner_client)
    data = json.loads(archive.read("data.json"))

    assert data["account"]["username"] == "owner"
    [exported] = data["cases"]
    assert exported["id"] == case.pk
    assert exported["debtor"]["id_number"] == "110101199003074512"  # decrypted: it is the user's own copy
    assert {d["account_number"] for d in exported["debts"]} == {"HB2024000012345678", "JB2023000098765432"}
    assert {d["principal"] for d in exported["debts"]} == {"12000.00", "20000.00"}
    assert [b["monthly_amount"] for b in exported["budget_lines"]].count("1800.00") == 1
    assert exported["hardship"]["what_happened"] == "公司裁员，2026年8月起失业"
    assert exported["contacts"][0]["person_name"] == "李专员"
    assert exported["proposals"][0]["engine_output"] == case.proposals.get().engine_output
    assert exported["consent"]["text_version"] == "test"

    [evidence] = exported["evidence"]
    assert archive.read(evidence["file_in_zip"]) == JPEG_BYTES
    [letter] = exported["letters"]
    assert letter["kind"] == "negotiation_request"
    assert archive.read(letter["pdf_in_zip"]) == PDF_BYTES
    assert "html" not in letter and "snapshot" not in letter  # metadata only; the PDF is the letter


def test_export_contains_nothing_of_other_users(owner_client, owner):
    make_populated_case(owner)
    other = make_populated_case(make_user("someone"))
    archive = _export(owner_client)
    data = json.loads(archive.read("data.json"))
    assert other.pk not in [c["id"] for c in data["cases"]]
    assert not [n for n in archive.namelist() if n.startswith(f"cases/{other.pk}/")]


def test_export_file_names_cannot_escape_the_archive(owner_client, owner):
    case = make_populated_case(owner)
    add_evidence(case, content=b"other", name="../../etc/passwd", content_type="text/plain")
    names = _export(owner_client).namelist()
    assert all(".." not in n and not n.startswith("/") for n in names)


def test_export_rejects_get(owner_client):
    assert owner_client.get(reverse("account_export")).status_code == 405


def test_export_needs_login(client, db):
    response = client.post(reverse("account_export"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_export_queries_do_not_grow_with_the_number_of_cases(owner_client, owner, django_assert_max_num_queries):
    make_populated_case(owner)
    with django_assert_max_num_queries(24) as one:  # per account: its settings, reminders, shares (issues 16, 20)
        _export(owner_client)
    for _ in range(3):
        make_populated_case(owner)
    with django_assert_max_num_queries(len(one.captured_queries)):
        _export(owner_client)


def test_export_holds_the_later_parts_of_a_case_too(owner_client, owner):
    """A copy of everything (PIPL Art 45) includes what later issues added to a case: agreements with their
    check-ins, lawsuits, wrong credit records, the monthly offer, the confirmed statements and the debts'
    contract details (issue 14). Before, the export left all of them out."""
    from datetime import date
    from decimal import Decimal

    from cases.models import Agreement, CheckIn, CreditRecordError, Lawsuit

    case = make_populated_case(owner)
    type(case).objects.filter(pk=case.pk).update(monthly_offer=Decimal("900.00"), statements=["no_income"])
    debt = case.debts.first()
    type(debt).objects.filter(pk=debt.pk).update(contract_date=date(2023, 3, 1), amount_received=Decimal("11000.00"))
    agreement = Agreement.objects.create(case=case, lender="重庆蚂蚁消费金融有限公司", lender_slug="ant", monthly=Decimal("500.00"),
                                         months=24, first_due=date(2026, 12, 10), agreed_on=date(2026, 11, 20))
    CheckIn.objects.create(agreement=agreement, due_on=date(2026, 12, 10), result="short", paid=Decimal("300.00"))
    Lawsuit.objects.create(case=case, court="北京市朝阳区人民法院", plaintiff="某银行", claim_total=Decimal("35000.00"))
    CreditRecordError.objects.create(case=case, lender="某银行", lender_slug="bank", problem="not_mine",
                                     details="这笔贷款不是我的")

    [exported] = json.loads(_export(owner_client).read("data.json"))["cases"]
    assert exported["monthly_offer"] == "900.00" and exported["statements"] == ["no_income"]
    debt_row = next(d for d in exported["debts"] if d["id"] == debt.pk)
    assert (debt_row["contract_date"], debt_row["amount_received"]) == ("2023-03-01", "11000.00")
    [agreement_row] = exported["agreements"]
    assert (agreement_row["monthly"], agreement_row["months"]) == ("500.00", 24)
    assert agreement_row["check_ins"] == [{"due_on": "2026-12-10", "result": "short", "paid": "300.00",
                                           "created_at": agreement_row["check_ins"][0]["created_at"]}]
    [lawsuit_row] = exported["lawsuits"]
    assert (lawsuit_row["court"], lawsuit_row["claim_total"]) == ("北京市朝阳区人民法院", "35000.00")
    [error_row] = exported["credit_record_errors"]
    assert (error_row["lender"], error_row["details"]) == ("某银行", "这笔贷款不是我的")


def test_export_holds_my_account_settings_but_no_hash_or_key(owner_client, owner):
    """Issue 16: the export lacked reminder settings, large text and when the recovery code was made."""
    preferences = AccountSettings.of(owner)
    preferences.new_recovery_code()
    preferences.set_large_text(True)
    reminders = ReminderSettings.for_user(owner)
    feed = reminders.new_feed(owner)
    reminders.set_email(True, "en", "owner@example.com", (22, 7), owner)
    ReminderSent.objects.create(user=owner, key="follow_up:1:2026-12-03")
    text = _export(owner_client).read("data.json").decode()
    account = json.loads(text)["account"]

    assert account["large_text"] is True
    assert account["recovery_code_made_at"].startswith(str(preferences.recovery_code_at.date()))
    assert account["reminders"] == {"email_opt_in": True, "language": "en", "quiet_from": 22, "quiet_until": 7,
                                    "last_sent_on": None, "calendar_feed_on": True}
    assert [sent["item"] for sent in account["reminders_sent"]] == ["follow_up:1:2026-12-03"]
    assert account["email"] == "owner@example.com"
    preferences.refresh_from_db()
    reminders.refresh_from_db()
    for secret in (preferences.recovery_code_hash, preferences.recovery_code_hash.split("$")[-1], feed,
                   reminders.unsubscribe_token):
        assert secret not in text


def test_export_of_an_account_without_settings_says_so(owner_client, owner):
    account = json.loads(_export(owner_client).read("data.json"))["account"]
    assert account["large_text"] is False and account["recovery_code_made_at"] is None
    assert account["reminders"] is None and account["reminders_sent"] == []
