"""Apps depend one way: organisations knows nothing of hubs, hub guards no models, and no
module imports one that imports it back (at module level or inside a function)."""

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


def test_hub_guards_import_no_models():
    modules = _imported_modules(GOVERNANCE / "hubs" / "guards.py")
    assert not {m for m in modules if m.startswith("governance.") and m.endswith(".models")}


def _module_name(path: Path) -> str:
    parts = path.relative_to(GOVERNANCE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _import_graph() -> dict[str, set[str]]:
    """Module → the governance modules it imports (an imported name may be a module)."""
    paths = [p for p in GOVERNANCE.rglob("*.py") if "migrations" not in p.parts]
    known = {_module_name(path) for path in paths}
    graph = {}
    for path in paths:
        targets = _imported_modules(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                targets.update(f"{node.module}.{alias.name}" for alias in node.names)
        graph[_module_name(path)] = {target for target in targets if target in known}
    return graph


def test_no_import_cycles_between_modules():
    graph = _import_graph()
    cycles, visiting, done = [], [], set()

    def visit(module: str) -> None:
        if module in done:
            return
        if module in visiting:
            cycles.append(visiting[visiting.index(module) :] + [module])
            return
        visiting.append(module)
        for target in sorted(graph[module]):
            visit(target)
        visiting.pop()
        done.add(module)

    for module in sorted(graph):
        visit(module)
    assert cycles == []
