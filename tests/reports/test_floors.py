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


def test_reports_imports_nothing_from_the_floors_above():
    # compare/ plugs its topic classifier and figure refresh in through reports/hooks.py.
    assert _upward_imports() == []


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
