"""`export --format json` then `import --format json` gives the same pack: ids, tags, accepted
answers, related questions, sources with their text, events and excerpts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from formatkit import BUILTIN

from nkstudy.cli import main
from nkstudy.core.model import Pack
from nkstudy.core.packs.loader import load_pack
from nkstudy.formats import export_pack


def test_json_export_imports_back_identically(
    builtin: Pack, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "pack.json"
    assert main(["export", str(BUILTIN), "--format", "json", "-o", str(out)]) == 0
    before = json.loads(out.read_text(encoding="utf-8"))
    first, second = before["questions"][:2]
    first["related"], second["related"] = [second["id"]], [first["id"]]  # related links come back too
    first["difficulty"] = "hard"
    out.write_text(json.dumps(before), encoding="utf-8")
    dest = tmp_path / "again"
    assert main(["import", str(out), "--to", str(dest)]) == 0, capsys.readouterr().err  # known by its content
    loaded = load_pack(dest, strict=True)
    assert loaded.ok and loaded.pack is not None, [p.format() for p in loaded.problems]
    after = json.loads(export_pack(loaded.pack, "json").data)
    assert after == before
    assert loaded.pack.id == builtin.id and loaded.pack.title == builtin.title
    assert any(getattr(q, "accept", ()) for q in loaded.pack.questions) and loaded.pack.events


def test_our_json_is_known_by_its_content(builtin: Pack, tmp_path: Path) -> None:
    from nkstudy.formats.registry import detect

    path = tmp_path / "exported-pack"  # no suffix: the sources come before the questions, far past the head
    path.write_bytes(export_pack(builtin, "json").data)
    assert detect(path).name == "json"


def test_hostile_json_gives_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = {
        "deep.json": "[" * 100_000 + "]" * 100_000,
        "notpack.json": '{"hello": 1}',
        "broken.json": '{"questions": [',
    }
    for name, text in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        assert main(["import", str(path), "--format", "json", "--to", str(tmp_path / ("p-" + name))]) == 1, name
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and str(path) in err[0] and "Traceback" not in err[0], (name, err)


def test_json_with_an_escaping_source_file_stays_inside_the_pack(tmp_path: Path) -> None:
    doc = {
        "format": 1,
        "pack": {"id": "x", "title": "X", "version": "1", "description": "d", "language": "en"},
        "sources": [{"id": "s", "title": "S", "outlet": "O", "published": "2024", "date_from_outside": False,
                     "file": "../../outside.txt", "text": "Kim met Xi in Dalian.\n"}],
        "events": [],
        "questions": [{"id": "q", "type": "card", "prompt": "Where?", "back": "Dalian", "source": "s",
                       "excerpt": "Kim met Xi in Dalian"}],
    }
    path = tmp_path / "x.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    dest = tmp_path / "sub" / "p"
    assert main(["import", str(path), "--to", str(dest)]) == 0
    assert not (tmp_path / "outside.txt").exists() and not (tmp_path / "sub" / "outside.txt").exists()
    loaded = load_pack(dest)
    assert loaded.ok and loaded.pack is not None and loaded.pack.sources["s"].file == "sources/s.txt"
