"""Plain factory functions for tests: explicit, no magic. Each returns saved objects."""

import itertools
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from cases.models import BudgetLine, Case, Debt, Debtor

_seq = itertools.count(1)
PASSWORD = "correct-horse-battery-7"


def make_user(username: str | None = None, *, staff: bool = False, superuser: bool = False, **extra):
    User = get_user_model()
    username = username or f"user{next(_seq)}"
    user = User(username=username, is_staff=staff or superuser, is_superuser=superuser, **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


def make_case(owner=None, *, consent: bool = True, **fields) -> Case:
    owner = owner or make_user()
    defaults = {"title": "测试案件", "province": "广东省", "city": "深圳市", "household_size": 3, "dependants": 1}
    defaults.update(fields)
    case = Case.objects.create(owner=owner, **defaults)
    if consent:
        case.consent_at = timezone.now()
        case.consent_version = "test"
        case.save(update_fields=["consent_at", "consent_version"])
    return case


def make_debtor(case: Case, **fields) -> Debtor:
    defaults = {"name": "张三", "id_number": "110101199003074512", "phone": "13800138000", "address": "深圳市南山区科技园路1号"}
    defaults.update(fields)
    return Debtor.objects.create(case=case, **defaults)


def make_debt(case: Case, **fields) -> Debt:
    defaults = {
        "product": "huabei",
        "lender": "重庆蚂蚁消费金融有限公司",
        "account_number": "HB2024000012345678",
        "principal": Decimal("12000.00"),
        "overdue_amount": Decimal("3000.00"),
        "overdue_since": date(2026, 8, 1),
        "annual_rate": Decimal("0"),
    }
    defaults.update(fields)
    return Debt.objects.create(case=case, **defaults)


def make_budget_line(case: Case, kind: str, category: str, amount: str, **fields) -> BudgetLine:
    return BudgetLine.objects.create(case=case, kind=kind, category=category, amount=Decimal(amount), **fields)


def make_full_case(owner=None) -> Case:
    """A case with a debtor, two debts and a small budget."""
    case = make_case(owner)
    make_debtor(case)
    make_debt(case)
    make_debt(case, product="jiebei", principal=Decimal("20000.00"), overdue_amount=Decimal("5000.00"),
              annual_rate=Decimal("0.108"), account_number="JB2023000098765432")
    make_budget_line(case, "income", "salary", "5200.00")
    make_budget_line(case, "expense", "housing", "1800.00")
    make_budget_line(case, "expense", "food", "1200.00")
    return case
