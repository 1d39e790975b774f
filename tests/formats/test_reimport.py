"""Importing a newer version of a file into the same folder updates the pack: ids survive (so
learners keep their progress), --dry-run lists what is added, changed and removed."""

from __future__ import annotations

from pathlib import Path

import pytest

from nkstudy.cli import main
from nkstudy.core.packs.loader import load_pack

FIRST = "Capital of France?,Paris\nCapital of Italy?,Rome\nCapital of Spain?,Madrid\n"
SECOND = "Capital of Italy?,Roma\nCapital of France?,Paris\nCapital of Peru?,Lima\n"


def _ids(folder: Path) -> dict[str, str]:
    loaded = load_pack(folder)
    assert loaded.ok and loaded.pack is not None
    return {q.prompt: q.id for q in loaded.pack.questions}


def test_reimport_updates_never_duplicates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = tmp_path / "capitals.csv"
    sheet.write_text(FIRST, encoding="utf-8")
    dest = tmp_path / "capitals"
    assert main(["import", str(sheet), "--to", str(dest), "--id", "caps"]) == 0
    first = _ids(dest)
    capsys.readouterr()
    sheet.write_text(SECOND, encoding="utf-8")
    assert main(["import", str(sheet), "--to", str(dest), "--dry-run"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert f"+ {_content_id('Capital of Peru?')}" in out
    assert f"~ {first['Capital of Italy?']}" in out and f"- {first['Capital of Spain?']}" in out
    assert "1 added, 1 changed, 1 removed, 1 unchanged" in out[-1]
    assert _ids(dest) == first  # a dry run writes nothing
    assert main(["import", str(sheet), "--to", str(dest)]) == 0
    again = _ids(dest)
    assert len(again) == 3  # no -2 copies
    assert again["Capital of France?"] == first["Capital of France?"]
    assert again["Capital of Italy?"] == first["Capital of Italy?"]
    loaded = load_pack(dest)
    assert loaded.pack is not None and loaded.pack.id == "caps"  # the pack id stays: progress is kept by it
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def _content_id(prompt: str) -> str:
    from nkstudy.formats.common import content_id, slug

    return slug(content_id(prompt))


def test_a_folder_that_is_not_a_pack_is_never_replaced(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = tmp_path / "c.csv"
    sheet.write_text(FIRST, encoding="utf-8")
    dest = tmp_path / "notes"
    dest.mkdir()
    (dest / "mine.txt").write_text("keep me", encoding="utf-8")
    assert main(["import", str(sheet), "--to", str(dest)]) == 1
    assert (dest / "mine.txt").read_text(encoding="utf-8") == "keep me"
    assert "not an empty folder" in capsys.readouterr().err
