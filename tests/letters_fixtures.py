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
from cases.proposal.quote import engine_input_for, quote_case

from .factories import make_budget_line, make_case, make_debt, make_debtor
from .intake_fixtures import pdf_bytes


ANT = "重庆蚂蚁消费金融有限公司"  # make_letter_case's lender, and the demo's consumer-finance company
CMB = "招商银行股份有限公司信用卡中心"  # the demo's card bank

OVERDUE_DAYS = 113


def choose_plan(case, kind: str = "waiver") -> Proposal:
    """The user picks ``kind`` from the finance engine's quote, as the proposal page does."""
    output = quote_case(case)
    index = next(i for i, plan in enumerate(output["plans"]) if plan["kind"] == kind)
    return Proposal.objects.create(case=case, engine_input=engine_input_for(case), engine_output=output,
                                   chosen_plan=index)


def tiny_pdf(pages: int = 2) -> bytes:
    return pdf_bytes(pages)


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
    # Overdue a fixed number of days before today, so the engine's figures (and the
    # excess over the 24 % ceiling the Jiebei charges create) do not drift with the date.
    overdue_since = timezone.localdate() - timedelta(days=OVERDUE_DAYS)
    huabei = make_debt(case, overdue_since=overdue_since)
    jiebei = make_debt(case, product="jiebei", principal=Decimal("20000.00"), overdue_amount=Decimal("5000.00"),
              annual_rate=Decimal("0.108"), account_number="JB2023000098765432", billed_charges=Decimal("2860.40"),
              overdue_since=overdue_since)
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
        incident = Contact.objects.create(
            case=case, occurred_at=timezone.make_aware(datetime(2026, 10, 9, 22, 40)), channel="collector_call",
            direction="incoming", organisation="某催收公司", person_name="王先生", phone_number="02188886666",
            outcome="info", misconduct=["threat_insult", "third_party"],
            notes="晚上10点40分来电，称如不马上还清就联系我的单位和家人。",
        )
        incident.debts.set([huabei])
    call = Contact.objects.create(
        case=case, occurred_at=timezone.make_aware(datetime(2026, 9, 20, 10, 5)), channel="hotline",
        direction="outgoing", organisation="支付宝客服", staff_id="A1024", asked="申请分24期还款并减免罚息",
        outcome="refused", offer_text="只能延期一个月",
    )
    call.debts.set([huabei, jiebei])
    if with_proposal:
        choose_plan(case)
    return case
