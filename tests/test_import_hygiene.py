"""The layers stay apart: the contracts in pyproject.toml hold (and catch a break), the import graph has
no cycle, no command imports another, and core, store and the CLI's fast paths load without Textual or Rich."""

from __future__ import annotations

import ast
import os
import shutil
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


# -- the layer contracts (import-linter, declared in pyproject.toml) ------------

ROOT = Path(__file__).resolve().parents[1]


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """Run ``lint-imports`` over the package under ``root/src`` with ``root/pyproject.toml``."""
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    assert exe, "import-linter is not installed (pip install '.[test]')"
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    return subprocess.run([exe, "--no-cache"], cwd=root, capture_output=True, text=True, env=env, timeout=120)


def test_layer_contracts_hold() -> None:
    proc = _lint_imports(ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize(
    ("module", "line"),
    [
        ("core/model.py", "import rich"),  # the core stays pure
        ("store/db.py", "from nkstudy import engine"),  # a layer importing upwards
        ("tui/widgets/rating.py", "import sqlite3"),  # a widget touching SQLite
        ("formats/csv.py", "from nkstudy.store import db"),  # a format reaching the store
    ],
)
def test_layer_contracts_catch_a_break(tmp_path: Path, module: str, line: str) -> None:
    shutil.copytree(ROOT / "src", tmp_path / "src", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "src" / "nkstudy" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", encoding="utf-8")
    proc = _lint_imports(tmp_path)
    assert proc.returncode != 0, proc.stdout


def test_no_command_imports_another() -> None:
    graph = import_graph()
    from nkstudy.cli import commands as command_modules

    # the modules of the commands themselves; helpers beside them (common, lines, live_student) may be shared
    commands = {m.__name__ for m in command_modules()}
    assert len(commands) >= 5
    assert sorted((m, t) for m in commands for t in graph[m] if t in commands) == []
