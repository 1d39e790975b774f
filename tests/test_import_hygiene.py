"""The layers stay apart: core, store and engine never import Textual or Rich,
and the CLI's fast paths import neither."""

from __future__ import annotations

import subprocess
import sys

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
        "nkstudy.core.loader",
        "nkstudy.core.discovery",
        "nkstudy.core.text",
        "nkstudy.core.schedule",
        "nkstudy.core.session",
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
