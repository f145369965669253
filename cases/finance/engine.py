"""``quote``: the whole computation for a case as of a date."""

from .budget import monthly_budget, split_pro_rata
from .charges import debt_result
from .inputs import CaseInput
from .money import ZERO
from .plans import recommend, repayment_plans
from .results import Quote, Totals


def quote(case: CaseInput) -> Quote:
    debts = tuple(debt_result(debt, case.as_of) for debt in case.debts)
    totals = Totals(
        principal=sum((d.principal for d in debts), ZERO),
        billed_charges=sum((d.billed_charges for d in debts), ZERO),
        computed_charges=sum((d.computed_charges for d in debts), ZERO),
        cost=sum((d.cost for d in debts), ZERO),
        balance=sum((d.balance for d in debts), ZERO),
        excess_over_cap=sum((d.excess_over_cap for d in debts), ZERO),
    )
    budget = monthly_budget(case.income, case.expenses, case.safety_margin)
    plans = repayment_plans(debts, budget, case.savings, case.as_of, case.deferral_months)
    recommended, none_affordable = recommend(plans)
    return Quote(
        as_of=case.as_of,
        debts=debts,
        totals=totals,
        budget=budget,
        savings=case.savings,
        pro_rata=split_pro_rata(budget.available, {d.id: d.balance for d in debts}),
        plans=plans,
        recommended=recommended,
        none_affordable=none_affordable,
    )
