"""The ground floor stays the ground floor: reports/ imports nothing from the floors above."""

import ast
from pathlib import Path

import reports

HIGHER_FLOORS = ("search", "compare", "research")
REPORTS_DIR = Path(reports.__file__).resolve().parent


def _imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[str] = []
    for node in ast.walk(tree):  # also imports inside functions
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
                "import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant):
            found.append(str(node.args[0].value))
    return found


def _upward_imports() -> list[str]:
    bad = []
    for path in sorted(REPORTS_DIR.rglob("*.py")):
        for module in _imported_modules(path):
            if module.split(".")[0] in HIGHER_FLOORS:
                bad.append(f"{path.relative_to(REPORTS_DIR.parent)}: {module}")
    return bad


# reports/services.py still calls compare/ for section topics and indicators on import (the
# write path predates the floor rule); moving those hooks is its own change.  Nothing else may
# join this list, and nothing in reports/ may import search/.
KNOWN_COMPARE_IMPORTS = {
    "reports/services.py: compare.topics",
    "reports/services.py: compare.services",
}


def test_reports_imports_nothing_from_search():
    assert [line for line in _upward_imports() if line.split(": ")[1].startswith("search")] == []


def test_reports_imports_from_higher_floors_only_the_known_compare_hooks():
    assert set(_upward_imports()) <= KNOWN_COMPARE_IMPORTS


def test_the_scan_sees_imports_inside_functions(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from search.folding import fold\n    import compare.topics\n")
    assert _imported_modules(sample) == ["search.folding", "compare.topics"]


def test_folding_module_imports_neither_reports_nor_search():
    modules = _imported_modules(REPORTS_DIR / "folding.py")
    assert not [m for m in modules if m.split(".")[0] in ("reports", *HIGHER_FLOORS)]


def test_search_folding_is_the_same_folding():
    from reports import folding
    from search import folding as search_folding
    from search.analysis import fold

    assert search_folding.fold is folding.fold is fold
    assert fold("蘇州工業園區ＡＢＣ") == "苏州工业园区abc"
