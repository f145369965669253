"""The finance engine: pure Python, no Django.

What a debtor really owes, what is contestable under the 24 % ceiling, what they
can afford, and which repayment plan to ask for. Frozen dataclasses in
(``inputs``), frozen dataclasses out (``results``); ``quote`` ties it together and
``codec`` turns JSON-ready dicts into inputs and results into JSON-ready dicts.
"""

from .engine import quote
from .inputs import BudgetItem, CaseInput, DebtInput
from .results import Quote

__all__ = ["BudgetItem", "CaseInput", "DebtInput", "Quote", "quote"]
