"""Views speak HTTP only: no view module writes rows or audit entries itself.

Writes are model or manager methods (``BudgetLine.objects.replace_for``,
``Case.mark_ready``, ``Contact.remove``...) and each writes the audit entry for
its change. A ModelForm's ``form.save()`` is Django's idiom and allowed.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WRITES = {"save", "bulk_create", "bulk_update", "delete"}


def view_modules() -> list[Path]:
    found = [*ROOT.glob("cases/**/views.py"), *ROOT.glob("cases/**/*_views.py")]
    return sorted(path for path in found if "migrations" not in path.parts)


def _receiver(node: ast.expr) -> str:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else ""


def offences(source: str, name: str = "<views>") -> list[str]:
    """What in the source writes rows or audit entries itself."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            method = node.func.attr
            receiver = _receiver(node.func.value)
            if method in WRITES and not (method == "save" and receiver.endswith("form")):
                found.append(f"{name}:{node.lineno} calls {receiver}….{method}()")
            if method == "record" and receiver == "audit":
                found.append(f"{name}:{node.lineno} calls audit.record()")
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            names = {alias.name for alias in node.names}
            if module.split(".")[-1] == "audit" or "audit" in names:
                found.append(f"{name}:{node.lineno} imports the audit trail")
    return found


def test_there_are_view_modules_to_check():
    names = {str(path.relative_to(ROOT)) for path in view_modules()}
    assert {"cases/intake/views.py", "cases/intake/evidence_views.py", "cases/letters/views.py",
            "cases/negotiation/views.py", "cases/review/admin_views.py"} <= names


@pytest.mark.parametrize("path", view_modules(), ids=lambda path: str(path.relative_to(ROOT)))
def test_view_module_writes_nothing_itself(path):
    assert offences(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT))) == []


@pytest.mark.parametrize(
    "source",
    [
        "def v(request):\n    contact.save(update_fields=['x'])\n",
        "def v(request):\n    Debt.objects.bulk_create(rows)\n",
        "def v(request):\n    Debt.objects.filter(case=case).bulk_update(rows, fields)\n",
        "def v(request):\n    evidence.delete()\n",
        "from .. import audit\n",
        "from ..audit import record\n",
        "def v(request):\n    audit.record(request.user, 'x')\n",
    ],
)
def test_a_write_in_a_view_is_found(source):
    assert offences(source)


def test_a_model_forms_save_is_allowed():
    assert offences("def v(request):\n    contact = form.save()\n    formset_form.save()\n") == []
