"""The default schema takes what ``validate`` takes; ``--strict`` gives the stricter one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from nkstudy.cli import main
from nkstudy.core.packs.loader import load_pack
from nkstudy.core.packs.safeyaml import load_yaml
from nkstudy.formats.schema import include_schema, pack_schema

jsonschema = pytest.importorskip("jsonschema")


def _plain(x: Any) -> Any:
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_plain(v) for v in x]
    return x


def _ok(schema: dict[str, Any], path: Path) -> bool:
    data = _plain(load_yaml(path.read_bytes()))
    return not list(jsonschema.Draft202012Validator(schema).iter_errors(data))


def _write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


PACK = "id: p\ntitle: P\nversion: '1'\ndescription: d\nlanguage: en\n"
CARD = "  - id: q{n}\n    type: card\n    prompt: Front {n}\n    back: Back {n}\n"


def test_an_imported_pack_without_sources_passes_the_default_schema_not_the_strict(tmp_path: Path) -> None:
    src = tmp_path / "cards.gift"
    src.write_text("::one:: What is 2+2? {=4}\n\n::two:: Capital of France? {=Paris}\n", encoding="utf-8")
    dest = tmp_path / "imported"
    assert main(["import", str(src), "--to", str(dest)]) == 0
    assert load_pack(dest).ok and not load_pack(dest, strict=True).ok
    files = [dest / "pack.yaml", *sorted((dest / "questions").glob("*.yaml"))]
    assert len(files) >= 2
    assert _ok(pack_schema(), files[0])
    assert all(_ok(include_schema(), f) for f in files[1:])
    assert not _ok(pack_schema(strict=True), files[0])  # strict wants sources
    assert not all(_ok(include_schema(strict=True), f) for f in files[1:])  # and excerpts


def test_nested_include_is_taken_by_the_include_schema_as_by_the_loader(tmp_path: Path) -> None:
    folder = _write(
        tmp_path / "p",
        {
            "pack.yaml": PACK + "include: [a.yaml]\n",
            "a.yaml": "include: [b.yaml]\nquestions:\n" + CARD.format(n=1),
            "b.yaml": "questions:\n" + CARD.format(n=2),
        },
    )
    assert load_pack(folder).ok
    assert _ok(include_schema(), folder / "a.yaml") and _ok(pack_schema(), folder / "pack.yaml")


def test_source_without_excerpt_is_refused_by_both(tmp_path: Path) -> None:
    folder = _write(
        tmp_path / "p",
        {"pack.yaml": PACK + "questions:\n" + CARD.format(n=1) + "    source: art\n"},
    )
    assert not load_pack(folder).ok
    assert not _ok(pack_schema(), folder / "pack.yaml")


def test_schema_strict_flag(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    loose = json.loads(capsys.readouterr().out)
    assert main(["schema", "--strict"]) == 0
    strict = json.loads(capsys.readouterr().out)
    assert "sources" not in loose["required"] and "sources" in strict["required"]
    assert "excerpt" in strict["$defs"]["question"]["required"]
    assert "excerpt" not in loose["$defs"]["question"]["required"]
    assert main(["schema", "include", "--strict"]) == 0
    assert "include" in json.loads(capsys.readouterr().out)["properties"]
