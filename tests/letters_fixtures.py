"""A realistic case for letters: debtor, debts, budget, hardship, evidence files,
a negotiation log with a collection incident and a chosen proposal whose
``engine_output`` has the finance engine's shape (BRIEF.md contract)."""

import hashlib
import io
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from cases.models import Contact, Evidence, Proposal

from .factories import make_budget_line, make_case, make_debt, make_debtor


def engine_output_for(case, *, months: int = 24, monthly: str = "1150.00", first_due: date = date(2026, 12, 15)) -> dict:
    """What ``quote_case`` returns for ``case``, with figures a finance engine could produce."""
    debts = list(case.debts.all())
    rows, balance, excess = [], Decimal("0"), Decimal("0")
    for debt in debts:
        charges = (debt.overdue_amount * Decimal("0.0005") * 113).quantize(Decimal("0.01")) + debt.billed_charges
        debt_excess = (charges * Decimal("0.3")).quantize(Decimal("0.01"))
        debt_balance = debt.principal + charges
        balance += debt_balance
        excess += debt_excess
        rows.append({
            "id": str(debt.pk), "product": debt.product, "lender": debt.lender, "days_overdue": 113,
            "computed_charges": str(charges), "cost": str(charges), "all_in_apr": "31.25%",
            "allowed_at_cap": str(charges - debt_excess), "excess_over_cap": str(debt_excess),
            "balance": str(debt_balance),
        })
    monthly_d = Decimal(monthly)
    schedule = [
        {"due": (first_due.replace(day=1) + timedelta(days=31 * i)).replace(day=15).isoformat(), "amount": monthly}
        for i in range(months)
    ]
    total = monthly_d * months
    plan = {"kind": "waiver", "months": months, "monthly_payment": monthly, "total": str(total),
            "affordable": True, "schedule": schedule}
    full = {"kind": "full_balance", "months": 36, "monthly_payment": str((balance / 36).quantize(Decimal("0.01"))),
            "total": str(balance), "affordable": False, "schedule": []}
    return {
        "as_of": "2026-11-22",
        "debts": rows,
        "totals": {"balance": str(balance), "excess_over_cap": str(excess)},
        "budget": {"income": "6800.00", "expenses": "5350.00", "surplus": "1450.00", "available": "1150.00"},
        "pro_rata": [{"id": row["id"], "share": "0.5"} for row in rows],
        "plans": [full, plan],
        "recommended": 1,
    }


def tiny_pdf(pages: int = 2) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def tiny_png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (400, 300), (200, 220, 240)).save(out, "PNG")
    return out.getvalue()


def add_evidence(case, kind: str, name: str, data: bytes, content_type: str, pages=None, note: str = "") -> Evidence:
    item = Evidence(case=case, kind=kind, original_name=name, size=len(data), content_type=content_type,
                    sha256=hashlib.sha256(data).hexdigest(), pages=pages, note=note)
    item.file.save(name, ContentFile(data), save=False)
    item.save()
    return item


def make_letter_case(owner=None, *, name: str = "李秀英", what_happened: str | None = None, with_proposal=True,
                     with_misconduct=True, with_evidence=True):
    case = make_case(owner, title="花呗借呗协商")
    make_debtor(case, name=name, address="广东省深圳市南山区桃源街道龙珠大道88号3栋502室")
    make_debt(case)
    make_debt(case, product="jiebei", principal=Decimal("20000.00"), overdue_amount=Decimal("5000.00"),
              annual_rate=Decimal("0.108"), account_number="JB2023000098765432", billed_charges=Decimal("860.40"))
    make_budget_line(case, "income", "salary", "5200.00", label="新工作试用期工资")
    make_budget_line(case, "income", "family_support", "1600.00")
    make_budget_line(case, "expense", "housing", "2300.00")
    make_budget_line(case, "expense", "food", "1800.00")
    make_budget_line(case, "expense", "children", "1250.00")
    case.hardship_reasons = ["unemployment", "illness"]
    case.hardship_since = date(2026, 6, 1)
    case.hardship_what_happened = what_happened or (
        "2026年6月公司裁员，我失去了工作；同月母亲住院手术，医疗费用大部分由我承担。"
    )
    case.hardship_income_change = "失业前月收入约9500元，目前新工作试用期月收入5200元。"
    case.hardship_actions = "已找到新工作，并削减了全部非必要开支。"
    case.hardship_can_pay = "每月可稳定拿出1150元用于还款。"
    case.save()
    if with_evidence:
        add_evidence(case, "unemployment", "解除劳动合同通知书.pdf", tiny_pdf(2), "application/pdf", pages=2,
                     note="2026年6月被公司解除劳动合同")
        add_evidence(case, "medical", "住院费用清单.png", tiny_png(), "image/png")
    if with_misconduct:
        Contact.objects.create(
            case=case, occurred_at=timezone.make_aware(datetime(2026, 10, 9, 22, 40)), channel="collector_call",
            direction="incoming", organisation="某催收公司", person_name="王先生", phone_number="02188886666",
            outcome="info", misconduct=["night_calls", "third_party"],
            notes="晚上10点40分来电，称如不马上还清就联系我的单位和家人。",
        )
    Contact.objects.create(
        case=case, occurred_at=timezone.make_aware(datetime(2026, 9, 20, 10, 5)), channel="hotline",
        direction="outgoing", organisation="支付宝客服", staff_id="A1024", asked="申请分24期还款并减免罚息",
        outcome="refused", offer_text="只能延期一个月",
    )
    if with_proposal:
        output = engine_output_for(case)
        Proposal.objects.create(case=case, engine_input={"case": case.pk}, engine_output=output, chosen_plan=1)
    return case
