"""Demo part: a wrong record on the demo user's credit report (issue 19): the card bank reported its
debt overdue a month before it was (the July bill was paid on time; the debt is overdue from 5 August, as the
debts step records), so the objection letter has something true to say that agrees with the rest of the case."""

from ..lenders import lenders_of
from ..models import Case, CreditRecordError
from .lawsuit import PLAINTIFF


def add_credit_error(case: Case) -> CreditRecordError | None:
    lender = next((item for item in lenders_of(case.debts.all()) if item.name == PLAINTIFF), None)
    if lender is None or case.credit_record_errors.exists():
        return None
    return CreditRecordError.record(
        case, lender, problem=CreditRecordError.Problem.WRONG_DATES,
        details="信用报告显示该账户自2026年7月5日起逾期，但7月的账单本人已于2026年7月3日按时还清，"
                "该账户实际自2026年8月5日起才逾期。",
        account="7890", addressee=CreditRecordError.Addressee.LENDER, by=case.owner)
