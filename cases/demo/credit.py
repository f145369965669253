"""Demo part: a wrong record on the demo user's credit report (issue 19): the card bank reported its
debt overdue from a date before the bill was due, so the objection letter has something true to say."""

from ..lenders import lenders_of
from ..models import Case, CreditRecordError
from .lawsuit import PLAINTIFF


def add_credit_error(case: Case) -> CreditRecordError | None:
    lender = next((item for item in lenders_of(case.debts.all()) if item.name == PLAINTIFF), None)
    if lender is None or case.credit_record_errors.exists():
        return None
    return CreditRecordError.record(
        case, lender, problem=CreditRecordError.Problem.WRONG_DATES,
        details="信用报告显示该账户自2026年3月1日起逾期，但该期账单的到期还款日为2026年3月25日，本人在此之前并未逾期。",
        account="7890", addressee=CreditRecordError.Addressee.LENDER, by=case.owner)
