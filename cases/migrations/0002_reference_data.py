"""Reference data staff can edit in the admin afterwards.

One-year LPR: PBOC / National Interbank Funding Center announcements (DOMAIN.md, H).
Hotlines: DOMAIN.md, "Complaint and escalation channels".
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

LPR = [
    (date(2019, 8, 20), "0.0425"),
    (date(2020, 2, 20), "0.0405"),
    (date(2020, 4, 20), "0.0385"),
    (date(2021, 12, 20), "0.0380"),
    (date(2022, 1, 20), "0.0370"),
    (date(2022, 8, 22), "0.0365"),
    (date(2023, 6, 20), "0.0355"),
    (date(2023, 8, 21), "0.0345"),
    (date(2024, 7, 22), "0.0335"),
    (date(2024, 10, 21), "0.0310"),
    (date(2025, 5, 20), "0.0300"),
]

HOTLINES = [
    ("支付宝 / 蚂蚁消费金融 客服", "95188", "24 小时；境外拨打 +86 571 95188", ""),
    ("国家金融监督管理总局 投诉热线", "12378", "工作日 9:00–17:00", "银行、消费金融公司、催收行为"),
    ("中国人民银行 金融消费权益保护", "12363", "", "征信、支付"),
    ("公共法律服务（法律援助）", "12348", "", ""),
    ("市场监督管理投诉", "12315", "", "一般不受理信贷纠纷"),
]


def forwards(apps, schema_editor):
    LprRate = apps.get_model("cases", "LprRate")
    Hotline = apps.get_model("cases", "Hotline")
    for effective_from, rate in LPR:
        LprRate.objects.get_or_create(effective_from=effective_from, defaults={"one_year": Decimal(rate)})
    for position, (name, number, hours, note) in enumerate(HOTLINES):
        Hotline.objects.get_or_create(number=number, defaults={"name": name, "hours": hours, "note": note, "position": position})


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
