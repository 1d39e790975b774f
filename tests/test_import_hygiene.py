"""The layers stay apart: core, store and engine never import Textual or Rich,
and the CLI's fast paths import neither."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

CHECK = """
import sys, importlib
for name in {modules!r}:
    importlib.import_module(name)
bad = sorted(m for m in sys.modules if m.split('.')[0] in {forbidden!r})
print(','.join(bad))
"""


def _imported(modules: list[str], forbidden: list[str]) -> str:
    code = CHECK.format(modules=modules, forbidden=forbidden)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def _existing(names: list[str]) -> list[str]:
    import importlib.util

    return [n for n in names if importlib.util.find_spec(n) is not None]


@pytest.mark.parametrize(
    "module",
    [
        "nkstudy.core.model",
        "nkstudy.core.packs.loader",
        "nkstudy.core.packs.discovery",
        "nkstudy.core.text",
        "nkstudy.core.study.schedule",
        "nkstudy.core.study.session",
        "nkstudy.core.study.planning",
        "nkstudy.core.study.progress",
        "nkstudy.core.study.results",
        "nkstudy.core.study.stats",
        "nkstudy.core.classroom.drill",
        "nkstudy.core.classroom.analysis",
        "nkstudy.formats",
        "nkstudy.classroom.report",
        "nkstudy.classroom.worksheet",
        "nkstudy.store",
        "nkstudy.store.db",
        "nkstudy.engine",
    ],
)
def test_core_and_store_import_neither_textual_nor_rich(module: str) -> None:
    assert _existing([module]) == [module]
    assert _imported([module], ["textual", "rich"]) == ""


def test_version_imports_no_ui_or_yaml() -> None:
    code = (
        "import sys\n"
        "from nkstudy.cli import main\n"
        "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
        "heavy = ('textual', 'rich', 'yaml', 'fsrs', 'sqlite3')\n"
        "print('MODS=' + ','.join(sorted(m for m in sys.modules if m.split('.')[0] in heavy)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "MODS=\n" in out.stdout
    assert "nkstudy 0." in out.stdout


# -- the import graph ---------------------------------------------------------

SRC = Path(__file__).resolve().parents[1] / "src"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph() -> dict[str, set[str]]:
    """Every nkstudy module and the nkstudy modules it imports, anywhere in its source.

    Imports inside functions and under ``TYPE_CHECKING`` count too: a lazy import is
    still a dependency, and a type-only one still ties the two modules together.
    """
    modules = {_module_name(p): p for p in (SRC / "nkstudy").rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in modules
                           else node.module for alias in node.names]
            graph[name].update(t for t in targets if t in modules and t != name)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules (first == last), or None."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state:
            found = visit(start)
            if found:
                return found
    return None


def test_find_cycle_sees_a_cycle_and_a_clean_graph() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_no_import_cycles_in_nkstudy() -> None:
    graph = import_graph()
    assert "nkstudy.engine" in graph and graph["nkstudy.engine"], "the graph was not built"
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def _imports_of(graph: dict[str, set[str]], prefix: str) -> set[tuple[str, str]]:
    return {(m, t) for m, targets in graph.items() if m == prefix or m.startswith(prefix + ".") for t in targets}


def test_layers_import_only_downwards() -> None:
    graph = import_graph()
    upward = {
        "nkstudy.core": ("nkstudy.store", "nkstudy.engine", "nkstudy.present", "nkstudy.tui", "nkstudy.cli"),
        "nkstudy.store": ("nkstudy.engine", "nkstudy.present", "nkstudy.tui", "nkstudy.cli"),
        "nkstudy.engine": ("nkstudy.present", "nkstudy.tui", "nkstudy.cli"),
        "nkstudy.present": ("nkstudy.store", "nkstudy.engine", "nkstudy.tui", "nkstudy.cli"),
        "nkstudy.tui": ("nkstudy.cli",),
        # import/export and printable reports are pure: files in, model out
        "nkstudy.formats": ("nkstudy.store", "nkstudy.engine", "nkstudy.present", "nkstudy.tui", "nkstudy.cli"),
        "nkstudy.classroom": ("nkstudy.store", "nkstudy.engine", "nkstudy.present", "nkstudy.tui", "nkstudy.cli"),
    }
    bad = sorted((m, t) for layer, banned in upward.items() for m, t in _imports_of(graph, layer)
                 if t.startswith(banned))
    assert bad == []


def test_no_screen_or_widget_imports_the_app_and_no_command_imports_another() -> None:
    graph = import_graph()
    screens = set().union(*(_imports_of(graph, room) for room in (
        "nkstudy.tui.screens", "nkstudy.tui.widgets", "nkstudy.tui.study.screens", "nkstudy.tui.classroom.screens")))
    apps = {"nkstudy.tui.study.app", "nkstudy.tui.classroom.drill_app", "nkstudy.tui.classroom.board_app"}
    assert sorted((m, t) for m, t in screens if t in apps) == []
    commands = {m for m in graph if m.startswith("nkstudy.cli.") and m != "nkstudy.cli.common"}
    assert len(commands) >= 5
    assert sorted((m, t) for m in commands for t in graph[m] if t in commands) == []


def test_widgets_never_touch_sqlite_or_the_store() -> None:
    for path in (SRC / "nkstudy" / "tui").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        names |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert not {n for n in names if n == "sqlite3" or n.startswith("nkstudy.store")}, path
