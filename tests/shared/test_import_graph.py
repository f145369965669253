"""The modules of ``cases/`` import each other without a cycle, and none hides an
import of our own code inside a function to dodge one.

The graph is read from the source with ``ast`` (nothing is imported): an edge for
every import executed when a module loads (module level and class bodies, not
function bodies, not ``if TYPE_CHECKING:`` blocks), relative imports resolved,
``from package import name`` pointing at the submodule when ``name`` is one, and
importing ``a.b.c`` also running the packages ``a`` and ``a.b`` (except those
the importer lives in, which are already loading).

The one place an import of our own code may sit in a function is an
``AppConfig.ready`` in ``apps.py``: models cannot be imported before the app
registry is ready (Django's documented idiom, not a cycle).
"""

import ast
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    target: str  # the imported module
    line: int
    in_function: bool


def module_names(package_dir: Path) -> dict[str, Path]:
    """``dotted.name -> file`` for every module of the package below ``package_dir``'s parent."""
    base = package_dir.parent
    names = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = list(path.relative_to(base).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[".".join(parts)] = path
    return names


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(node: ast.AST, in_function: bool = False):
    """(import node, inside a function?) for every import below ``node``, skipping TYPE_CHECKING blocks."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child.test):
            for other in child.orelse:
                yield from _walk(ast.Module(body=[other], type_ignores=[]), in_function)
            continue
        if isinstance(child, (ast.Import, ast.ImportFrom)):
            yield child, in_function
        inner = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        yield from _walk(child, inner)


def imports_of(module: str, path: Path, modules: dict[str, Path]) -> list[Import]:
    is_package = path.name == "__init__.py"
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node, in_function in _walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            targets = [base]
            targets += [f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in modules]
        for target in targets:
            # importing a.b.c runs a and a.b first, unless the importer is inside them (already loading)
            parts = target.split(".")
            chain = [".".join(parts[: i + 1]) for i in range(len(parts))]
            for name in chain:
                if name not in modules or name == module:
                    continue
                if name != target and (module == name or module.startswith(name + ".")):
                    continue
                found.append(Import(module, name, node.lineno, in_function))
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module, or a module importing itself (Tarjan)."""
    index, low, stack, on_stack, result = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in sorted(graph.get(node, ())):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph.get(node, ()):
                result.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return result


def check(package_dir: Path) -> tuple[list[list[str]], list[str]]:
    """(import cycles, function-level imports of the package's own modules) in the package at ``package_dir``."""
    modules = module_names(package_dir)
    graph: dict[str, set[str]] = {name: set() for name in modules}
    hidden = []
    for module, path in modules.items():
        for found in imports_of(module, path, modules):
            if not found.in_function:
                graph[module].add(found.target)
            elif not (path.name == "apps.py" and _in_ready(path, found.line)):
                hidden.append(f"{path.relative_to(package_dir.parent)}:{found.line} imports {found.target}")
    return cycles(graph), sorted(set(hidden))


def _in_ready(path: Path, line: int) -> bool:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef) and node.name == "ready" and node.lineno <= line <= node.end_lineno:
            return True
    return False


def test_cases_has_no_import_cycle():
    found, _hidden = check(ROOT / "cases")
    assert found == []


def test_no_import_of_our_own_code_hides_in_a_function():
    _cycles, hidden = check(ROOT / "cases")
    assert hidden == []


# The rules tables (each row a legal or financial fact with its source) import only
# Django and these leaf modules of ours, never the models or a feature.
RULES_TABLES = ("cases.finance.rules", "cases.negotiation.rules", "cases.letters.rules", "cases.roads.rules")
LEAVES = {"cases", "cases.letters", "cases.negotiation", "cases.letters.choices", "cases.negotiation.rules",
          "cases.roads", "cases.roads.rules",
          # the pure finance engine's rules and date arithmetic (no Django): the log counts months and
          # the limitation period as the engine does, from one rule
          "cases.finance", "cases.finance.rules", "cases.finance.limitation", "cases.finance.inputs",
          # a lender's name and kind (bank, consumer-finance company...), which decides what binds it (no Django)
          "cases.lenders"}


@pytest.mark.parametrize("module", RULES_TABLES)
def test_rules_tables_import_only_leaf_modules(module):
    modules = module_names(ROOT / "cases")
    targets = {found.target for found in imports_of(module, modules[module], modules)}
    assert targets <= LEAVES
    # and those leaves import nothing of ours but each other
    for leaf in targets - {"cases", "cases.letters", "cases.negotiation", "cases.roads", "cases.finance"}:
        assert {found.target for found in imports_of(leaf, modules[leaf], modules)} <= LEAVES


def test_the_graph_sees_the_real_imports():
    """A check that found no edges would pass for ever: the known ones are there."""
    modules = module_names(ROOT / "cases")
    targets = {found.target for found in imports_of("cases.letters.kinds", modules["cases.letters.kinds"], modules)}
    assert {"cases.letters.choices", "cases.letters.context"} <= targets
    targets = {found.target for found in imports_of("cases.urls", modules["cases.urls"], modules)}
    assert {"cases.intake.views", "cases.letters.views", "cases.negotiation.views"} <= targets


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    package = tmp_path / "pkg"
    for name, text in files.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return package


ACYCLIC = {
    "__init__.py": "",
    "models.py": "from .rules import TABLE\n",
    "rules.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .models import Thing\nTABLE = {}\n",
    "feature/__init__.py": "",
    "feature/views.py": "from .. import models\nfrom ..rules import TABLE\n",
    "apps.py": "class Config:\n    def ready(self):\n        from . import models\n",
}


def test_an_acyclic_package_passes(tmp_path):
    assert check(_package(tmp_path, ACYCLIC)) == ([], [])


@pytest.mark.parametrize(
    ("change", "cycle"),
    [
        ({"rules.py": "from .models import Thing\n"}, ["pkg.models", "pkg.rules"]),
        ({"rules.py": "from . import feature\n", "feature/__init__.py": "from . import views\n"},
         ["pkg.feature", "pkg.feature.views", "pkg.models", "pkg.rules"]),
        ({"rules.py": "import pkg.feature.views\n"}, ["pkg.feature.views", "pkg.models", "pkg.rules"]),
        ({"rules.py": "class Table:\n    from .models import Thing\n"}, ["pkg.models", "pkg.rules"]),
    ],
    ids=["from-import", "through-a-package", "absolute-import", "class-body"],
)
def test_a_cycle_is_found(tmp_path, change, cycle):
    assert check(_package(tmp_path, {**ACYCLIC, **change}))[0] == [cycle]


def test_an_import_hidden_in_a_function_is_found(tmp_path):
    package = _package(tmp_path, {**ACYCLIC, "rules.py": "def table():\n    from .models import Thing\n"})
    assert check(package) == ([], ["pkg/rules.py:2 imports pkg.models"])
