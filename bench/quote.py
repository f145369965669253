"""Time to quote a case with 20 debts and 60 budget lines, in-process.

Run: .venv/bin/python bench/quote.py  (no database needed: the engine is pure Python)
Target: well under 10 ms per quote.
"""

import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cases.finance.codec import case_from_dict, quote_dict, quote_to_dict  # noqa: E402
from cases.finance.engine import quote  # noqa: E402

AS_OF = date(2026, 11, 22)
PRODUCTS = ["huabei", "jiebei", "wangshangdai", "credit_card", "other"]


def sample_case(income_total: str) -> dict:
    debts = [
        {
            "id": f"d{i}",
            "product": PRODUCTS[i % 5],
            "lender": "重庆蚂蚁消费金融有限公司",
            "principal": f"{3000 + 731 * i}.50",
            "overdue_amount": f"{800 + 97 * i}.25",
            "overdue_since": (AS_OF - timedelta(days=30 + 11 * i)).isoformat(),
            "annual_rate": "0.108",
            "billed_charges": f"{15 * i}.00",
            "grace_days": i % 4,
            "lender_claimed_total": None if i % 3 else f"{4000 + 800 * i}.00",
            "penalty_daily_rate": "0.0005" if i % 5 == 4 else None,
        }
        for i in range(20)
    ]
    income = [{"category": "salary", "amount": income_total}] + [
        {"category": "other_income", "amount": "10.00"} for _ in range(19)
    ]
    expenses = [{"category": "food", "amount": f"{40 + i}.00"} for i in range(40)]
    return {"as_of": AS_OF.isoformat(), "savings": "5000.00", "debts": debts, "income": income,
            "expenses": expenses, "safety_margin": "0.10"}


def per_call(fn, arg, batches: int = 7, repeat: int = 50) -> float:
    """Milliseconds per call: the best of several batches (the least disturbed by other load)."""
    fn(arg)
    best = float("inf")
    for _ in range(batches):
        start = time.perf_counter()
        for _ in range(repeat):
            fn(arg)
        best = min(best, (time.perf_counter() - start) / repeat * 1000)
    return best


def main() -> None:
    for label, income in (("affordable (short terms)", "9000.00"), ("nothing affordable (60-month search)", "500.00")):
        data = sample_case(income)
        parsed = case_from_dict(data)
        print(f"20 debts, 60 budget lines, {label}:")
        print(f"  engine only (dataclasses in/out): {per_call(quote, parsed):6.2f} ms")
        print(f"  engine + JSON output dict:        {per_call(lambda c: quote_to_dict(quote(c)), parsed):6.2f} ms")
        print(f"  parse + engine + output dict:     {per_call(quote_dict, data):6.2f} ms")


if __name__ == "__main__":
    main()
