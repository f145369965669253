"""``quote``: the whole computation for a case as of a date."""

from .budget import emergency_reserve, living_cost_floor, monthly_budget, split_pro_rata
from .charges import debt_result
from .inputs import CaseInput
from .money import ZERO
from .plans import recommend, repayment_plans
from .results import Quote, Totals
from .rules import LPR_TABLE


def quote(case: CaseInput) -> Quote:
    lpr = case.lpr if case.lpr is not None else LPR_TABLE
    debts = tuple(debt_result(debt, case.as_of, lpr) for debt in case.debts)
    totals = Totals(
        principal=sum((d.principal for d in debts), ZERO),
        billed_charges=sum((d.billed_charges for d in debts), ZERO),
        computed_charges=sum((d.computed_charges for d in debts), ZERO),
        cost=sum((d.cost for d in debts), ZERO),
        balance=sum((d.balance for d in debts), ZERO),
        excess_over_cap=sum((d.excess_over_cap for d in debts), ZERO),
    )
    floor = living_cost_floor(case.household_size, case.city, case.floor_per_person)
    budget = monthly_budget(case.income, case.expenses, case.safety_margin, floor)
    reserve = emergency_reserve(budget, case.reserve_months)
    offered = max(ZERO, case.savings - reserve)
    # A debt whose limitation status is not "ok" is in no plan unless the user chose to
    # include it after the warning (DOMAIN.md "Limitation": any plan acknowledges it).
    in_plans = tuple(d for d in debts if d.in_plans)
    plans = repayment_plans(in_plans, budget, offered, case.as_of, case.deferral_months, case.monthly_offer,
                            case.review_months)
    recommended, none_affordable = recommend(plans)
    return Quote(
        as_of=case.as_of,
        debts=debts,
        totals=totals,
        budget=budget,
        savings=case.savings,
        pro_rata=split_pro_rata(budget.available, {d.id: d.balance - d.excess_over_cap for d in in_plans}),
        plans=plans,
        recommended=recommended,
        none_affordable=none_affordable,
        reserve=reserve,
        savings_offered=offered,
        excluded=tuple(sorted(d.id for d in debts if not d.in_plans)),
        monthly_offer=case.monthly_offer,
    )
