"""Apps depend one way: organisations knows nothing of hubs, and hub guards no models."""

import ast
from pathlib import Path

GOVERNANCE = Path(__file__).resolve().parent.parent / "governance"


def _imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, at module level or inside a function."""
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
        elif isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
    return modules


def test_organisations_imports_nothing_from_hubs():
    offending = {
        str(path.relative_to(GOVERNANCE)): module
        for path in (GOVERNANCE / "organisations").rglob("*.py")
        for module in _imported_modules(path)
        if module.startswith("governance.hubs")
    }
    assert offending == {}


def test_hub_guards_import_choices_but_no_models():
    modules = _imported_modules(GOVERNANCE / "hubs" / "guards.py")
    assert {module for module in modules if module.startswith("governance.")} == {
        "governance.hubs.choices"
    }
