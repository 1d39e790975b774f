"""Every command's --help fits an 80-column terminal: no line is cut or wrapped."""

from __future__ import annotations

import pytest

from nkstudy.cli import main

# every command, the top level and the commands with actions of their own
COMMANDS = ["", "study", "stats", "cards", "settings", "optimize", "packs", "profiles", "profiles rename",
            "profiles delete", "validate", "export", "import", "new", "schema", "drill", "live", "board",
            "serve", "report", "worksheet", "db", "db status", "db upgrade", "db copy"]


@pytest.mark.parametrize("command", COMMANDS)
def test_help_lines_fit_80_columns(command: str, capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    assert main([*command.split(), "--help"]) == 0
    out = capsys.readouterr().out
    assert out.strip()
    wide = [line for line in out.splitlines() if len(line) > 80]
    assert wide == [], wide
