"""Demo part: the card bank has sued (issue 15): the court defence is filled from this record."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from ..models import Case, Lawsuit

PLAINTIFF = "招商银行股份有限公司信用卡中心"


def add_lawsuit(case: Case) -> Lawsuit | None:
    if case.lawsuits.exists() or not case.debts.filter(lender=PLAINTIFF).exists():
        return None
    return Lawsuit.objects.create(
        case=case, court="深圳市南山区人民法院", case_number="（2026）粤0305民初18324号", plaintiff=PLAINTIFF,
        served_on=timezone.localdate() - timedelta(days=4),
        claim_principal=Decimal("12480.00"), claim_interest=Decimal("1092.00"), claim_penalty=Decimal("624.00"),
        claim_fees=Decimal("78.00"), claim_lawyer_fees=Decimal("2000.00"), claim_acceleration=True,
        claim_total=Decimal("16274.00"),
    )
