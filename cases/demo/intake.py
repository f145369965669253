"""Demo part: the debtor, three debts, a household budget, the hardship story and
four small evidence files (made here, stored through the normal private storage)."""

import hashlib
import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from ..intake.steps import STEPS
from ..models import BudgetLine, Case, Debt, Debtor, Evidence

SHANGHAI = ZoneInfo("Asia/Shanghai")

DEBTS = [
    {"product": "huabei", "lender": "重庆蚂蚁消费金融有限公司", "account_number": "HB2023110800457812",
     "principal": "18650.00", "overdue_amount": "4210.35", "overdue_since": date(2026, 7, 10),
     "annual_rate": "0", "billed_charges": "186.40", "grace_days": 3, "billed_through": date(2026, 10, 9),
     "last_due_date": date(2026, 7, 10)},
    {"product": "jiebei", "lender": "重庆蚂蚁消费金融有限公司", "account_number": "JB2024030512093366",
     "principal": "32000.00", "overdue_amount": "5866.67", "overdue_since": date(2026, 7, 25),
     "annual_rate": "0.108000", "billed_charges": "412.80", "grace_days": 3, "billed_through": date(2026, 9, 14),
     # Ant quotes 年利率 = 日利率 × 360; the bill shows July's interest and the penalty to 14 Sep.
     "day_count": 360, "contract_date": date(2024, 3, 5), "last_due_date": date(2026, 7, 25),
     "billed_lines": [{"kind": "interest", "amount": "288.00", "from": "2026-06-25", "to": "2026-07-24"},
                      {"kind": "penalty", "amount": "124.80", "from": "2026-07-29", "to": "2026-09-14"}]},
    {"product": "credit_card", "lender": "招商银行股份有限公司信用卡中心", "account_number": "6225881234567890",
     "principal": "12480.00", "overdue_amount": "2350.00", "overdue_since": date(2026, 8, 5),
     "annual_rate": "0.182500", "billed_charges": "265.20", "grace_days": 0, "billed_through": date(2026, 10, 5),
     "last_due_date": date(2026, 8, 5), "last_payment_date": date(2026, 8, 20),
     # The statement's interest runs on the whole balance for the month; the 违约金 bears no interest.
     "billed_lines": [{"kind": "interest", "amount": "187.20", "from": "2026-08-06", "to": "2026-09-05",
                       "base": "12480.00"},
                      {"kind": "other_fee", "amount": "78.00", "from": "2026-08-06", "to": "2026-10-05"}]},
    # An old cash loan, last due in April 2022 and untouched since: more than three years without a demand
    # or a payment, so it may be time-barred (DOMAIN.md "Limitation"): no letter offers payment on it.
    {"product": "jiebei", "lender": "重庆蚂蚁消费金融有限公司", "account_number": "JB2021061100238841",
     "principal": "5200.00", "overdue_amount": "5200.00", "overdue_since": date(2022, 4, 15),
     "annual_rate": "0.182500", "billed_charges": "0.00", "grace_days": 0, "last_due_date": date(2022, 4, 15),
     "contract_date": date(2021, 6, 11)},
]

BUDGET = [
    ("income", "salary", "3800.00", "快递站分拣（临时工）"),
    ("income", "benefits", "1350.00", "失业保险金"),
    ("expense", "housing", "1900.00", "南山区一室一厅房租"),
    ("expense", "utilities", "260.00", "水电燃气、物业"),
    ("expense", "food", "1500.00", "三口之家伙食"),
    ("expense", "transport", "180.00", "地铁公交"),
    ("expense", "children", "450.00", "女儿幼儿园伙食费"),
    ("expense", "medical", "320.00", "降压药、复查"),
    ("expense", "communication", "98.00", "手机和宽带"),
    ("expense", "savings", "100.00", "应急"),
]


def _demo_pdf() -> bytes:
    """A one-page 'bill' with a few lines of (ASCII) text, drawn with a base font."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    font = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
    })
    page[NameObject("/Resources")] = DictionaryObject({
        NameObject("/Font"): DictionaryObject({NameObject("/F1"): font}),
    })
    lines = ["Huabei statement 2026-08 (demo)", "Account HB****7812", "Overdue since 2026-07-10", "Overdue amount CNY 4210.35"]
    text = "BT /F1 14 Tf 60 780 Td 20 TL " + " ".join(f"({ln}) Tj T*" for ln in lines) + " ET"
    stream = DecodedStreamObject()
    stream.set_data(text.encode())
    page.replace_contents(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _demo_png(color: tuple[int, int, int], label: str) -> bytes:
    image = Image.new("RGB", (360, 240), (250, 250, 250))
    draw = ImageDraw.Draw(image)
    draw.rectangle([10, 10, 350, 230], outline=color, width=4)
    draw.text((30, 100), label, fill=color)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _evidence_files(debts: list[Debt]) -> list[dict]:
    huabei, jiebei, card = debts[:3]
    return [
        {"name": "花呗账单-2026年8月.pdf", "content": _demo_pdf(), "type": "application/pdf", "pages": 1,
         "kind": "bill", "debt": huabei, "note": "支付宝里导出的8月账单",
         "proves": "花呗逾期金额及已计收的逾期费"},
        {"name": "借呗借款合同截图.png", "content": _demo_png((11, 92, 173), "Jiebei contract (demo)"),
         "type": "image/png", "kind": "contract", "debt": jiebei, "note": "", "proves": "借呗借款金额、期限和利率的约定"},
        {"name": "信用卡对账单.png", "content": _demo_png((160, 30, 30), "Card statement (demo)"),
         "type": "image/png", "kind": "bill", "debt": card, "note": "", "proves": "信用卡欠款金额及已计收的利息、违约金"},
        {"name": "解除劳动合同通知书.png", "content": _demo_png((30, 120, 60), "Termination notice (demo)"),
         "type": "image/png", "kind": "unemployment", "debt": None, "hardship": True, "note": "原公司2026年6月出具",
         "proves": "本人于2026年6月被解除劳动合同、失去工资收入"},
    ]


def add_intake(case: Case) -> None:
    Debtor.objects.get_or_create(case=case, defaults={
        "name": "张建华", "id_number": "440305198806152318", "phone": "13926581437",
        "address": "广东省深圳市南山区桃源街道龙珠四路18号丽雅苑3栋1102",
    })
    if not case.completed_steps:
        if not case.consent_at:
            case.consent_at = datetime(2026, 9, 1, 20, 15, tzinfo=SHANGHAI)
            case.consent_version = settings.CONSENT_TEXT_VERSION
        case.province, case.city = "广东省", "深圳市"
        case.household_size, case.dependants = 3, 1
        case.savings = Decimal("800.00")
        if not case.hardship_reasons:
            case.hardship_reasons = ["unemployment", "illness"]
            case.hardship_since = date(2026, 6, 20)
            case.hardship_what_happened = (
                "2026年6月公司业务收缩，我被裁员。7月又查出高血压，需要长期服药和定期复查，"
                "一时找不到稳定工作，从7月起几笔欠款都没能按时还上。"
            )
            case.hardship_income_change = "以前月薪税后约9500元；现在做快递分拣临时工每月约3800元，另有失业保险金1350元。"
            # Printed in every lender's letter: nothing that names another lender or claims a payment the
            # debts do not record.
            case.hardship_actions = "一直在投简历找工作；搬到了更便宜的房子；削减了家里的各项开支；主动联系贷款机构说明情况、申请协商。"
            case.hardship_can_pay = "扣除家里必要开支后，每月大约能拿出300元还款，希望停止罚息，把欠款分更多期慢慢还清。"
        case.completed_steps = list(STEPS[:-1])
        case.save()

    if not case.debts.exists():
        Debt.objects.bulk_create([
            Debt(case=case, position=i, **{**row, "principal": Decimal(row["principal"]),
                                           "overdue_amount": Decimal(row["overdue_amount"]),
                                           "annual_rate": Decimal(row["annual_rate"]),
                                           "billed_charges": Decimal(row["billed_charges"])})
            for i, row in enumerate(DEBTS)
        ])
    if not case.budget_lines.exists():
        BudgetLine.objects.bulk_create([
            BudgetLine(case=case, kind=kind, category=category, amount=Decimal(amount), label=label,
                       position=BudgetLine.Category.values.index(category))
            for kind, category, amount, label in BUDGET
        ])
    if not case.evidence.exists():
        debts = list(case.debts.all())
        for item in _evidence_files(debts):
            content = item["content"]
            evidence = Evidence(
                case=case, kind=item["kind"], debt=item["debt"], supports_hardship=item.get("hardship", False),
                original_name=item["name"], size=len(content), content_type=item["type"],
                sha256=hashlib.sha256(content).hexdigest(), pages=item.get("pages"), note=item["note"],
                proves=item.get("proves", ""),
            )
            evidence.file.save(item["name"], ContentFile(content), save=False)
            evidence.save()
    if case.status == Case.Status.DRAFT:
        case.set_status(Case.Status.READY)
        Case.objects.filter(pk=case.pk).update(completed_steps=list(STEPS))
        case.completed_steps = list(STEPS)
