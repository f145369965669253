"""`manage.py quote CASE.json`: JSON in, JSON out; bad input -> one line, exit code 2."""

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

GOOD = {
    "as_of": "2026-11-22",
    "savings": "0.00",
    "debts": [{"id": "d1", "product": "huabei", "lender": "重庆蚂蚁消费金融有限公司", "principal": "12000.00",
               "overdue_amount": "3000.00", "overdue_since": "2026-08-01", "annual_rate": "0.00",
               "billed_charges": "0.00", "grace_days": 0, "lender_claimed_total": None}],
    "income": [{"category": "salary", "amount": "5200.00"}],
    "expenses": [{"category": "housing", "amount": "1800.00"}],
    "safety_margin": "0.10",
}


def write(tmp_path: Path, data) -> str:
    path = tmp_path / "case.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def run_quote(path: str) -> dict:
    out = StringIO()
    call_command("quote", path, stdout=out)
    return json.loads(out.getvalue())


def with_debt(**changes):
    debt = {**GOOD["debts"][0], **changes}
    return {**GOOD, "debts": [{k: v for k, v in debt.items() if v is not ...}]}


def test_it_prints_the_quote_as_json_with_amounts_as_strings(tmp_path):
    result = run_quote(write(tmp_path, GOOD))
    debt = result["debts"][0]
    assert debt["id"] == "d1"
    assert debt["days_overdue"] == 113
    assert debt["computed_charges"] == "169.50"
    # on the 3000.00 the fee runs on: 169.50 ÷ 3000 ÷ 113 × 365 = 0.1825; 3000 × 24 % × 113 ÷ 365 = 222.90
    assert debt["all_in_apr"] == "0.1825"
    assert debt["allowed_at_cap"] == "222.90"
    assert (debt["ceiling_rule"], debt["ceiling_rate"], debt["day_count"], debt["limitation"]) == (
        "24%", "0.2400", 365, "ok")
    assert debt["charges"] == [{"kind": "overdue_fee", "billed": False, "base": "3000.00", "from": "2026-08-02",
                                "to": "2026-11-22", "days": 113, "amount": "169.50", "period_assumed": False,
                                "group": "overdue_principal"}]
    assert debt["excess_over_cap"] == "0.00"
    assert debt["balance"] == "12169.50"
    assert result["totals"] == {"principal": "12000.00", "billed_charges": "0.00", "computed_charges": "169.50",
                                "cost": "169.50", "balance": "12169.50", "excess_over_cap": "0.00"}
    assert result["budget"]["available"] == "3060.00"
    assert result["pro_rata"] == [{"id": "d1", "share": "3060.00"}]
    plan = result["plans"][result["recommended"]]
    # 12169.50 ÷ 4 = 3042.375 -> 3042.38 fits 3060.00 (3 months: 4056.50 does not)
    assert (plan["kind"], plan["months"], plan["monthly_payment"]) == ("full_balance", 4, "3042.38")
    assert plan["schedule"][0] == {"due": "2026-12-22", "amount": "3042.38"}
    assert plan["schedule"][-1] == {"due": "2027-03-22", "amount": "3042.36"}
    assert plan["needs_reason"] is False
    assert plan["parts"] == [{"lender": "重庆蚂蚁消费金融有限公司", "debt_ids": ["d1"], "total": "12169.50",
                              "waived": "0.00", "monthly_payment": "3042.38", "schedule": plan["schedule"]}]
    assert result["budget"]["floor"] == {"per_person": "800.00", "household_size": 1, "amount": "800.00",
                                         "region": "", "applied": False, "verified": False}


def test_billed_charges_as_lines_with_their_period_and_base(tmp_path):
    fee = {"kind": "instalment_fee", "amount": "528.00", "from": "2026-01-01", "to": "2026-12-31", "base": "12000.00"}
    result = run_quote(write(tmp_path, with_debt(billed_charges=[fee], overdue_amount="1000.00",
                                                 overdue_since="2026-11-17")))
    debt = result["debts"][0]
    assert debt["excess_over_cap"] == "0.00"
    assert debt["charges"][0] == {"kind": "instalment_fee", "billed": True, "base": "6500.00", "from": "2026-01-01",
                                  "to": "2026-12-31", "days": 365, "amount": "528.00", "period_assumed": False,
                                  "group": "instalment_balance"}


def test_the_last_due_date_and_an_own_amount_are_read(tmp_path):
    data = {**with_debt(last_due_date="2023-01-10", overdue_since="2023-01-10"), "monthly_offer": "500.00"}
    result = run_quote(write(tmp_path, data))
    assert result["debts"][0]["limitation"] == "may_be_time_barred"
    assert result["excluded"] == ["d1"] and result["plans"] == [] and result["recommended"] is None

def test_it_accepts_json_numbers_and_omitted_optional_fields(tmp_path):
    text = ('{"as_of": "2026-11-22", "debts": [{"id": "d1", "product": "jiebei", "lender": "", '
            '"principal": 20000, "overdue_amount": 5000.00, "overdue_since": "2026-07-15", "annual_rate": 0.108}]}')
    result = run_quote(write(tmp_path, text))
    # 5000 × 0.108 ÷ 360 × 1.5 × 130 = 292.50
    assert result["debts"][0]["computed_charges"] == "292.50"
    assert result["budget"]["available"] == "0.00"
    assert result["none_affordable"] is True


def test_it_reads_standard_input(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "stdin", StringIO(json.dumps(GOOD)))
    assert run_quote("-")["debts"][0]["id"] == "d1"


BAD = {
    "invalid JSON": ('{"as_of": "2026-11-22", "debts": [', "not valid JSON"),
    "unknown product": (with_debt(product="baitiao"), "debts[0].product: unknown product \"baitiao\""),
    "negative amount": (with_debt(principal="-1.00"), "debts[0].principal: must not be negative"),
    "non-numeric amount": (with_debt(overdue_amount="三千"), "debts[0].overdue_amount: must be a non-negative amount"),
    "boolean amount": (with_debt(billed_charges=True), "debts[0].billed_charges: must be a non-negative amount"),
    "fractions of a fen": (with_debt(principal="12.345"), "debts[0].principal: must have at most 2 decimal places"),
    "bad date": (with_debt(overdue_since="2026-02-30"), "debts[0].overdue_since: is not a real date"),
    "date in another format": ({**GOOD, "as_of": "22/11/2026"}, "as_of: must be a date like"),
    "missing field": (with_debt(principal=...), "debts[0].principal: is missing"),
    "missing as_of": ({k: v for k, v in GOOD.items() if k != "as_of"}, "as_of: is missing"),
    "unknown field": ({**GOOD, "savigns": "1.00"}, "savigns: is not a known field"),
    "duplicate ids": ({**GOOD, "debts": GOOD["debts"] * 2}, "debts[1].id: \"d1\" is used by another debt"),
    "not an object": ("[1, 2]", "the case: must be an object"),
    "debts not a list": ({**GOOD, "debts": {}}, "debts: must be a list"),
    "grace days out of range": (with_debt(grace_days=-1), "debts[0].grace_days: must be a whole number from 0"),
    "rate out of range": (with_debt(annual_rate="36"), "debts[0].annual_rate: must be a fraction between 0 and 10"),
    "bad budget line": ({**GOOD, "income": [{"category": "salary", "amount": "-5"}]}, "income[0].amount: must not"),
    "safety margin of 100 %": ({**GOOD, "safety_margin": "1"}, "safety_margin: must be a fraction between 0 and 0.99"),
    "unknown charge kind": (with_debt(billed_charges=[{"kind": "tip", "amount": "1.00"}]),
                            "debts[0].billed_charges[0].kind: unknown value \"tip\""),
    "charge period backwards": (with_debt(billed_charges=[{"kind": "penalty", "amount": "1.00", "from": "2026-02-01",
                                                           "to": "2026-01-01"}]),
                                "debts[0].billed_charges[0].to: must not be before"),
    "unknown charge field": (with_debt(billed_charges=[{"kind": "penalty", "amount": "1", "rate": "1"}]),
                             "debts[0].billed_charges[0].rate: is not a known field"),
    "day count of 300": (with_debt(day_count=300), "debts[0].day_count: unknown value 300"),
    "unknown lender type": (with_debt(lender_type="loan shark"), "debts[0].lender_type: unknown value"),
    "bad last due date": (with_debt(last_due_date="yesterday"), "debts[0].last_due_date: must be a date like"),
    "include as text": (with_debt(include_despite_limitation="yes"), "must be true or false"),
    "household of 0": ({**GOOD, "household_size": 0}, "household_size: must be a whole number from 1 to 20"),
    "review of 9 months": ({**GOOD, "review_months": 9}, "review_months: unknown value 9"),
    "review of 12.0 months": ({**GOOD, "review_months": 12.0}, "review_months: unknown value"),
    "day count of 360.0": (with_debt(day_count=360.0), "debts[0].day_count: unknown value"),
    "negative own amount": ({**GOOD, "monthly_offer": "-100"}, "monthly_offer: must not be negative"),
}


@pytest.mark.parametrize("kind", BAD)
def test_bad_input_is_one_clear_line_exit_code_2_and_nothing_on_stdout(tmp_path, kind):
    data, expected = BAD[kind]
    path = write(tmp_path, data)
    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("quote", path, stdout=out)
    assert raised.value.returncode == 2
    message = str(raised.value)
    assert expected in message
    assert message.startswith(path) and "\n" not in message
    assert out.getvalue() == ""


def test_missing_file_is_bad_input(tmp_path):
    with pytest.raises(CommandError) as raised:
        call_command("quote", str(tmp_path / "nope.json"), stdout=StringIO())
    assert raised.value.returncode == 2
    assert "cannot read the file" in str(raised.value)


def test_from_the_shell_bad_input_writes_one_line_to_stderr_and_exits_2(tmp_path):
    path = write(tmp_path, with_debt(product="baitiao"))
    manage = Path(__file__).resolve().parents[2] / "manage.py"
    done = subprocess.run([sys.executable, str(manage), "quote", path], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1
    assert "unknown product" in done.stderr


def test_the_worked_example_in_the_docs_is_what_the_command_prints(tmp_path):
    doc = (Path(__file__).resolve().parents[2] / "docs" / "quote.md").read_text(encoding="utf-8")
    blocks = doc.split("```json\n")[1:]
    example_input, example_output = (block.split("```")[0] for block in blocks[-2:])
    assert run_quote(write(tmp_path, example_input)) == json.loads(example_output)
