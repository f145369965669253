"""cases.proposal.quote: a case's rows -> the same dict `manage.py quote` prints."""

import json
from datetime import date
from decimal import Decimal
from io import StringIO

from django.core.management import call_command

from cases.finance.codec import MAX_HOUSEHOLD
from cases.proposal.quote import budget_of, engine_input_for, quote_case, today_in_china

from ..factories import make_budget_line, make_case, make_debt, make_full_case

AS_OF = date(2026, 11, 22)


def test_quote_case_matches_the_quote_command_for_the_same_input(owner, tmp_path):
    case = make_full_case(owner)
    path = tmp_path / "case.json"
    path.write_text(json.dumps(engine_input_for(case, AS_OF)), encoding="utf-8")
    out = StringIO()
    call_command("quote", str(path), stdout=out)
    assert quote_case(case, AS_OF) == json.loads(out.getvalue())


def test_debt_ids_are_the_primary_keys_as_strings(owner):
    case = make_full_case(owner)
    ids = [debt["id"] for debt in quote_case(case, AS_OF)["debts"]]
    assert ids == [str(pk) for pk in case.debts.values_list("pk", flat=True)]


def test_engine_input_carries_every_debt_field_and_the_budget(owner):
    case = make_case(owner, savings=Decimal("8000.00"))
    debt = make_debt(case, product="other", billed_charges=Decimal("88.00"), grace_days=2,
                     lender_claimed_total=Decimal("13000.00"), penalty_daily_rate=Decimal("0.0006"))
    make_budget_line(case, "income", "salary", "6100.50")
    make_budget_line(case, "expense", "food", "1500.00")
    data = engine_input_for(case, AS_OF)
    assert data["as_of"] == "2026-11-22"
    assert data["savings"] == "8000.00"
    assert data["debts"] == [{
        "id": str(debt.pk), "product": "other", "lender": "重庆蚂蚁消费金融有限公司", "principal": "12000.00",
        "overdue_amount": "3000.00", "overdue_since": "2026-08-01", "annual_rate": "0", "billed_charges": "88.00",
        "grace_days": 2, "lender_claimed_total": "13000.00", "penalty_daily_rate": "0.0006",
        "billed_through": None, "overdue_interest": "0.00", "penalty_multiplier": None, "accelerated_on": None,
        "amount_received": None, "day_count": None, "lender_type": "licensed", "contract_date": None,
        "last_due_date": None, "last_payment_date": None, "events": [], "include_despite_limitation": False,
    }]
    assert (data["household_size"], data["city"], data["floor_per_person"]) == (3, "深圳市", "1365.00")
    assert data["lpr"][-1] == {"from": "2025-05-20", "rate": "0.0300"}
    assert data["income"] == [{"category": "salary", "amount": "6100.50"}]
    assert data["expenses"] == [{"category": "food", "amount": "1500.00"}]


def test_as_of_defaults_to_today_in_china(owner):
    case = make_full_case(owner)
    assert quote_case(case)["as_of"] == today_in_china().isoformat()


def test_a_household_the_model_admits_but_larger_than_the_engine_reads_is_counted_at_the_engines_most(owner):
    case = make_full_case(owner)
    case.household_size = 30  # the model admits 30; the engine reads at most MAX_HOUSEHOLD
    case.save(update_fields=["household_size"])
    result = quote_case(case, AS_OF)
    assert engine_input_for(case, AS_OF)["household_size"] == MAX_HOUSEHOLD < 30
    assert result["budget"]["floor"]["household_size"] == MAX_HOUSEHOLD
    assert f"{budget_of(case).essential:.2f}" == result["budget"]["essential"]


def test_it_reads_the_case_in_six_queries_however_many_rows(owner, django_assert_num_queries):
    case = make_full_case(owner)
    for _ in range(5):
        make_debt(case)
        make_budget_line(case, "expense", "transport", "100.00")
    # debts, budget lines, the log's events, the living-cost floor, the LPR table
    with django_assert_num_queries(6):  # + the agreements (issue 18)
        result = quote_case(case, AS_OF)
    assert len(result["debts"]) == 7
    assert result["budget"]["expenses"] == "3500.00"


def test_the_logs_incoming_contacts_are_demands_that_interrupt_limitation(owner):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from cases.models import Contact

    case = make_case(owner)
    debt = make_debt(case, overdue_since=date(2022, 1, 10))
    assert quote_case(case, AS_OF)["debts"][0]["limitation"] == "may_be_time_barred"
    call = Contact.objects.create(case=case, channel="collector_call", direction="incoming", outcome="info",
                                  occurred_at=datetime(2024, 6, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    call.debts.add(debt)
    # a collector's call on 2024-06-01, within the three years from 2022-01-10, restarts them: ok until 2027-06-01
    result = quote_case(case, AS_OF)["debts"][0]
    assert (result["limitation"], result["limitation_from"]) == ("ok", "2024-06-01")
