"""The import, new and schema commands, and the schema agreeing with the loader."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from formatkit import BUILTIN, REPO

from mediakit import png
from nkstudy.cli import main
from nkstudy.core.model import QUESTION_TYPES
from nkstudy.core.packs.loader import load_pack
from nkstudy.core.packs.safeyaml import load_yaml
from nkstudy.core.questions import for_type
from nkstudy.formats.schema import OWN, include_schema, pack_schema

jsonschema = pytest.importorskip("jsonschema")


def _plain(x: Any) -> Any:
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_plain(v) for v in x]
    return x


def _errors(schema: dict[str, Any], data: Any) -> list[str]:
    return [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(data)]


def test_schemas_are_valid_and_cover_every_type() -> None:
    jsonschema.Draft202012Validator.check_schema(pack_schema())
    jsonschema.Draft202012Validator.check_schema(include_schema())
    for name, cls in QUESTION_TYPES.items():
        assert set(for_type(OWN, cls).fields) == cls.own_fields(), name


def test_schema_accepts_the_builtin_pack() -> None:
    assert _errors(pack_schema(), _plain(load_yaml((BUILTIN / "pack.yaml").read_bytes()))) == []
    for path in [*sorted((BUILTIN / "questions").glob("*.yaml")), BUILTIN / "events.yaml"]:
        assert _errors(include_schema(), _plain(load_yaml(path.read_bytes()))) == [], path


def _doc_examples() -> list[dict[str, Any]]:
    text = (REPO / "docs" / "packs.md").read_text(encoding="utf-8")
    out = []
    for block in re.findall(r"```yaml\n(.*?)```", text, re.S):
        data = _plain(load_yaml(block.encode("utf-8")))
        if isinstance(data, list) and data and isinstance(data[0], dict) and "type" in data[0]:
            out += data
    return out


def test_schema_and_loader_agree_on_the_doc_examples_and_classic_mistakes(tmp_path: Path) -> None:
    examples = _doc_examples()
    assert {q["type"] for q in examples} >= set(QUESTION_TYPES) - {"card", "match"}
    mistakes = {
        "answer not quoted yes": ("truefalse", lambda q: q.update(answer="yes")),
        "options not a list": ("choice", lambda q: q.update(options="a, b")),
        "unknown field": ("typed", lambda q: q.update(answers=["x"])),
        "unknown type": ("choice", lambda q: q.update(type="choose")),
        "missing prompt": ("multi", lambda q: q.pop("prompt")),
        "tag with a space and capitals": ("choice", lambda q: q.update(tags=["Who else"])),
        "tag too long": ("choice", lambda q: q.update(tags=["a" * 65])),
        "tag starting with a dot": ("choice", lambda q: q.update(tags=[".who"])),
        "one option": ("choice", lambda q: q.update(options=[q["answer"]])),
        "cloze without blank": ("cloze", lambda q: q.update(prompt="No blank here.")),
    }
    cases: list[tuple[str, dict[str, Any], bool]] = [(q["id"], q, True) for q in examples]
    free = copy.deepcopy(next(q for q in examples if q["type"] == "choice"))
    cases.append(("free tags", dict(free, tags=["who", "geo.europe", "anki_deck-2", "a" * 64]), True))
    for label, (kind, change) in mistakes.items():
        q = copy.deepcopy(next(q for q in examples if q["type"] == kind))
        change(q)
        cases.append((label, q, False))
    for label, q, good in cases:
        q = dict(q, source="art", excerpt="A senior Chinese official")
        schema_ok = not _errors(include_schema(), {"questions": [q]})
        folder = tmp_path / re.sub(r"\W", "-", label)
        (folder / "sources").mkdir(parents=True)
        (folder / "sources" / "a.txt").write_text("A senior Chinese official met Kim.\n", encoding="utf-8")
        for entry in q.get("media", []):  # the pictures an example names: real ones
            (folder / "media").mkdir(exist_ok=True)
            (folder / entry).write_bytes(png())
        pack = {
            "id": "p",
            "title": "P",
            "version": "1",
            "description": "d",
            "language": "en",
            "sources": [{"id": "art", "file": "sources/a.txt", "title": "A", "outlet": "O", "published": "2024"}],
            "questions": [q],
        }
        (folder / "pack.yaml").write_text(json.dumps(pack), encoding="utf-8")
        assert (not _errors(pack_schema(), pack)) == good, label
        loader_ok = load_pack(folder).ok
        assert (schema_ok, loader_ok) == (good, good), label


def test_new_writes_a_valid_pack_with_every_type(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "my-pack"
    assert main(["new", str(folder), "--title", "Mine"]) == 0
    first = (folder / "pack.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=schema/pack.schema.json"
    loaded = load_pack(folder)
    assert loaded.ok and loaded.pack is not None
    assert {q.type_name for q in loaded.pack.questions} == set(QUESTION_TYPES)
    assert loaded.pack.events and loaded.pack.title == "Mine"
    assert (
        _errors(
            json.loads((folder / "schema" / "pack.schema.json").read_text()),
            _plain(load_yaml((folder / "pack.yaml").read_bytes())),
        )
        == []
    )
    assert main(["new", str(folder)]) == 1
    assert "not an empty folder" in capsys.readouterr().err


def test_new_pack_passes_its_own_giveaway_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The starter pack is what authors copy: `validate --giveaways` must not fail on it.
    folder = tmp_path / "my-pack"
    assert main(["new", str(folder)]) == 0
    capsys.readouterr()
    assert main(["validate", "--giveaways", str(folder)]) == 0
    assert "0 unlinked" in capsys.readouterr().out


def test_schema_command_prints_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "nkstudy pack.yaml"
    assert main(["schema", "include"]) == 0
    assert "questions" in json.loads(capsys.readouterr().out)["properties"]


def test_import_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "q.gift"
    src.write_text("Capital of Italy?{=Rome}\n\nEssay\x1b[2J?{}\n\nBroken{=a\n", encoding="utf-8")
    dest = tmp_path / "out"
    code = main(["import", str(src), "--to", str(dest), "--title", "Imported"])
    out, err = capsys.readouterr()
    assert code == 1  # one record had an error
    assert "imported 1 question, skipped 1, 1 error" in out
    assert "essay" in err and "\x1b" not in err and "\\x1b" in err
    loaded = load_pack(dest)
    assert loaded.ok and loaded.pack is not None and loaded.pack.questions[0].answer_text() == "Rome"
    assert main(["import", str(tmp_path / "missing.csv"), "--to", str(tmp_path / "o2")]) == 1
    assert capsys.readouterr().err.count("\n") == 1
    assert main(["import", str(src), "--to", str(tmp_path / "o3"), "--id", "Bad Id"]) == 2
    assert main(["import", str(src)]) == 2  # --to is required


def test_new_and_import_share_the_pack_id_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "q.gift"
    src.write_text("Capital of Italy?{=Rome}\n", encoding="utf-8")
    for argv in (["new", str(tmp_path / "n")], ["import", str(src), "--to", str(tmp_path / "i")]):
        assert main([*argv, "--id", "Bad Id"]) == 2
        assert capsys.readouterr().err.strip().endswith("--id 'Bad Id': use lowercase letters, digits and '-'")
        assert not (tmp_path / argv[-1]).exists()
    # without --id, the id comes from the folder's name
    assert main(["new", str(tmp_path / "My Pack!")]) == 0
    loaded = load_pack(tmp_path / "My Pack!")
    assert loaded.pack is not None and loaded.pack.id == "my-pack"
    assert main(["import", str(src), "--to", str(tmp_path / "Été 2024")]) == 0
    loaded = load_pack(tmp_path / "Été 2024")
    assert loaded.pack is not None and loaded.pack.id == "ete-2024"


def test_export_tsv_is_documented_and_works(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "pack.tsv"
    assert main(["export", str(BUILTIN), "--format", "tsv", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("#separator:tab\n") and "\t" in text.splitlines()[5]
    assert "tsv" in (REPO / "docs" / "authoring.md").read_text(encoding="utf-8").split("## Sending a pack back")[1]
    assert main(["export", str(BUILTIN), "--format", "xlsx"]) == 2


def test_import_of_a_file_named_with_a_control_character(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The file's name goes into the pack's description: it must be made visible, not refused.
    src = tmp_path / "words\x1b[2J.csv"
    src.write_text("front,back\nhello,world\n", encoding="utf-8")
    assert main(["import", str(src), "--to", str(tmp_path / "out")]) == 0
    captured = capsys.readouterr()
    assert "\x1b" not in captured.out + captured.err
    loaded = load_pack(tmp_path / "out")
    assert loaded.ok and loaded.pack is not None
    assert "\x1b" not in (tmp_path / "out" / "pack.yaml").read_text(encoding="utf-8")
    assert len(loaded.pack.questions) == 1


def test_giveaway_lines_name_the_file_as_docs_packs_md_shows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # docs/packs.md shows `nkstudy validate --giveaways my-pack`: each line starts with the path as given.
    monkeypatch.chdir(tmp_path)
    assert main(["new", "my-pack"]) == 0
    capsys.readouterr()
    assert main(["validate", "--giveaways", "my-pack"]) == 0
    pairs = [line for line in capsys.readouterr().out.splitlines() if " gives away " in line]
    assert pairs and all(line.startswith("my-pack/questions/examples.yaml:") for line in pairs)
    docs = (Path(__file__).resolve().parents[2] / "docs" / "packs.md").read_text(encoding="utf-8")
    shown = [line for line in docs.splitlines() if " gives away " in line and line[:1] not in "`|-" and ":" in line]
    assert shown and all(line.startswith("my-pack/questions/") for line in shown), shown
