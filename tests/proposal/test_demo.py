"""The demo part for the proposal: the recommended plan, once the case has debts."""

from cases.demo import DEMO_CASE_TITLE, seed
from cases.demo.proposal import add_proposal
from cases.models import Proposal

from ..factories import make_case


def test_a_case_without_debts_gets_no_demo_proposal(db):
    assert add_proposal(make_case()) is None
    assert not Proposal.objects.exists()


def test_demo_proposal_is_the_recommended_plan_and_is_made_once(db):
    # The intake demo part gives the demo case its debts and budget first.
    case = seed()["case"]
    assert case.title == DEMO_CASE_TITLE
    proposal = Proposal.objects.get(case=case)
    assert proposal.chosen_plan == proposal.engine_output["recommended"]
    assert proposal.engine_output["as_of"] == "2026-11-22"
    seed()
    assert Proposal.objects.count() == 1


def test_the_demo_is_realistic_and_its_chosen_plan_fits_the_available_307_80(db):
    from decimal import Decimal

    proposal = Proposal.objects.get(case=seed()["case"])
    output = proposal.engine_output
    # 5150.00 income − 4808.00 essential (above the floor 3 × 1365.00 = 4095.00) = 342.00; less 10 % -> 307.80
    assert output["budget"]["available"] == "307.80" and output["budget"]["floor"]["applied"] is False
    plan = proposal.plan
    assert plan["kind"] == "arrangement" and plan["affordable"] and not plan["needs_reason"]
    # 307.80 a month for 12 months, split 招商银行 61.26 / 蚂蚁消金 246.54 (pro rata to what each is owed)
    assert (plan["monthly_payment"], plan["months"], plan["total"]) == ("307.80", 12, "3693.60")
    assert sum(Decimal(part["monthly_payment"]) for part in plan["parts"]) == Decimal("307.80")
    assert proposal.as_of.isoformat() == output["as_of"] == "2026-11-22"
    # Every repayment of the balance within 60 months asks more than 307.80: none is chosen without a reason.
    above = [p for p in output["plans"] if Decimal(p["monthly_payment"]) > Decimal("307.80")]
    assert above and all(p["needs_reason"] and not p["affordable"] for p in above)
    # The old 2021 loan may be time-barred: it is in no plan; the three live debts are.
    assert [d["limitation"] for d in output["debts"]] == ["ok", "ok", "ok", "may_be_time_barred"]
    assert [d["in_plans"] for d in output["debts"]] == [True, True, True, False]


def test_on_the_demo_case_no_plan_above_307_80_can_be_chosen_without_a_reason(client, db):
    from django.urls import reverse

    from cases.proposal.quote import engine_input_for, quote_fingerprint, today_in_china

    case = seed()["case"]
    client.force_login(case.owner)
    engine_input = engine_input_for(case, today_in_china())
    fingerprint = quote_fingerprint(engine_input)
    from cases.finance.codec import quote_dict

    plans = quote_dict(engine_input)["plans"]
    assert quote_dict(engine_input)["budget"]["available"] == "307.80"
    above = next(i for i, p in enumerate(plans) if p["needs_reason"])
    before = Proposal.objects.count()
    response = client.post(reverse("proposal_choose", args=[case.pk]),
                           {"plan": above, "fingerprint": fingerprint, "reason": "  "}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "Say where the difference will come from" in response.content.decode()
    assert Proposal.objects.count() == before
    reason = "我哥哥从2027年1月起每月资助800元"
    response = client.post(reverse("proposal_choose", args=[case.pk]),
                           {"plan": above, "fingerprint": fingerprint, "reason": reason})
    assert response.status_code == 302
    chosen = Proposal.objects.filter(case=case).first()
    assert (chosen.chosen_plan, chosen.reason, chosen.as_of) == (above, reason, today_in_china())
