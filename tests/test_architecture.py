"""The shape of the package, checked by reading its source: module size, import circles and
every hand-written ``__all__``.

A module over :data:`MAX_LINES` lines holds more than one concern; an import circle means two
modules cannot be read (or tested) apart.  Both crept in once unnoticed, so a scan keeps them out.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "daily_papers"
MAX_LINES = 500


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES: dict[str, Path] = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str, path: Path) -> set[str]:
    """The package's own modules that ``name`` imports (at any depth, TYPE_CHECKING too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            targets = [module] + [f"{module}.{alias.name}" for alias in node.names]
        else:
            continue
        found.update(t for t in targets if t in MODULES and t != name)
    # importing a submodule runs its packages' __init__ too, but those are not circles of code
    return {t for t in found if not name.startswith(t + ".")}


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def test_the_scan_sees_the_package() -> None:
    assert "daily_papers.app" in MODULES
    assert "daily_papers.arxiv.client" in GRAPH["daily_papers.app"] | {
        m for deps in GRAPH.values() for m in deps
    }
    assert "daily_papers.models" in GRAPH["daily_papers.state"]


#: Tables of data whose rows do not count towards the limit: one row per option is one
#: concern however many options there are.  Everything else in the module still counts.
_DATA_TABLES = {"daily_papers.options": "OPTIONS"}


def _table_lines(source: str, name: str) -> int:
    """How many lines the module-level assignment to ``name`` spans (0 when there is none)."""
    for node in ast.parse(source).body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            assert node.end_lineno is not None
            return node.end_lineno - node.lineno + 1
    return 0


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_is_over_the_line_limit(name: str) -> None:
    source = MODULES[name].read_text(encoding="utf-8")
    table = _DATA_TABLES.get(name)
    lines = source.count("\n") - (_table_lines(source, table) if table else 0)
    assert lines <= MAX_LINES, (
        f"{name} has {lines} lines (limit {MAX_LINES}): split it by concern (CONTRIBUTING.md)"
    )


def test_a_data_table_is_found_where_it_is_exempted() -> None:
    for name, table in _DATA_TABLES.items():
        assert _table_lines(MODULES[name].read_text(encoding="utf-8"), table) > 100, name


def _circle() -> list[str] | None:
    """One import circle as a path of module names, or None (depth-first, colours)."""
    state: dict[str, int] = {}  # 1: on the stack, 2: done
    stack: list[str] = []

    def visit(name: str) -> list[str] | None:
        state[name] = 1
        stack.append(name)
        for target in sorted(GRAPH[name]):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        stack.pop()
        state[name] = 2
        return None

    for name in sorted(GRAPH):
        if name not in state:
            found = visit(name)
            if found:
                return found
    return None


def test_there_is_no_import_circle() -> None:
    circle = _circle()
    assert circle is None, "import circle: " + " -> ".join(circle or [])


def test_the_circle_finder_finds_a_circle(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(GRAPH, "daily_papers.models", {"daily_papers.state"})
    assert _circle() is not None


def _hand_written_all(path: Path) -> list[str] | None:
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            return [ast.literal_eval(e) for e in node.value.elts]  # type: ignore[attr-defined]
    return None


WITH_ALL = sorted(name for name, path in MODULES.items() if _hand_written_all(path) is not None)


def test_some_modules_declare_all() -> None:
    assert "daily_papers.render" in WITH_ALL


@pytest.mark.parametrize("name", WITH_ALL)
def test_every_name_in_all_exists_once(name: str) -> None:
    declared = _hand_written_all(MODULES[name]) or []
    module = importlib.import_module(name)
    assert len(declared) == len(set(declared)), f"{name}.__all__ repeats a name"
    missing = [n for n in declared if not hasattr(module, n)]
    assert not missing, f"{name}.__all__ names what the module does not define: {missing}"
