"""Exports opened by the real clients: the anki library and npm's gift-pegjs under Node.

They skip with a reason when the client is missing; under CI=true that skip fails."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

from formatkit import gift_pegjs, need

from nkstudy.core.model import Pack
from nkstudy.formats import export_pack, import_files


def _anki():
    try:
        from anki.collection import Collection  # noqa: F401
    except ImportError:
        return None
    import anki.collection

    return anki.collection


def test_exported_apkg_opens_in_the_anki_library(builtin: Pack, tmp_path: Path) -> None:
    module = _anki()
    need(module, "the 'anki' Python package is not installed (pip install 'nkstudy[interop]')")
    exported = export_pack(builtin, "apkg", timestamp=1_700_000_000)
    deck = tmp_path / "deck.apkg"
    deck.write_bytes(exported.data)
    col = module.Collection(str(tmp_path / "collection.anki2"))
    try:
        request = module.ImportAnkiPackageRequest(package_path=str(deck))
        col.import_anki_package(request)
        held = [q for q in builtin.questions if q.type_name in ("card", "typed", "cloze")]
        assert col.note_count() == len(held)
        fronts = set()
        for nid in col.find_notes(""):
            note = col.get_note(nid)
            fronts.add(note.fields[0])
            assert note.note_type()["name"].startswith("nkstudy ")
        typed = [q for q in held if q.type_name == "typed"]
        assert typed[0].prompt in fronts
        cloze = [q for q in held if q.type_name == "cloze"][0]
        assert any(f"{{{{c1::{cloze.answer_text()}}}}}" in f for f in fronts)
        # and the anki library's own newer package format (.anki21b, zstd) reads back in
        out = tmp_path / "from-anki.apkg"
        col.export_anki_package(
            out_path=str(out),
            options=module.ExportAnkiPackageOptions(with_scheduling=False, with_media=False, legacy=False),
            limit=module.DeckIdLimit(col.decks.id_for_name(builtin.title))
            if col.decks.id_for_name(builtin.title)
            else None,
        )
    finally:
        col.close()
    import zipfile

    assert "collection.anki21b" in zipfile.ZipFile(out).namelist()
    back = import_files([out], "apkg")

    def blanks(text: str) -> str:
        return re.sub(r"_{3,}", "___", text)

    assert sorted(blanks(q.prompt) for q in back.questions) == sorted(blanks(q.prompt) for q in held)


_NODE_SCRIPT = """
const fs = require('fs');
const parser = require('gift-pegjs');
const out = parser.parse(fs.readFileSync(process.argv[2], 'utf8'));
process.stdout.write(JSON.stringify(out));
"""


def test_exported_gift_parses_with_gift_pegjs(builtin: Pack, tmp_path: Path) -> None:
    cache = gift_pegjs()
    need(cache, "node/npm or the npm package gift-pegjs is unavailable")
    assert cache is not None
    exported = export_pack(builtin, "gift")
    path = tmp_path / "pack.gift"
    path.write_bytes(exported.data)
    script = tmp_path / "parse.js"
    script.write_text(_NODE_SCRIPT, encoding="utf-8")
    node = shutil.which("node")
    assert node
    done = subprocess.run(
        [node, str(script), str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        env={"NODE_PATH": str(cache / "node_modules"), "PATH": str(Path(node).parent)},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    parsed = json.loads(done.stdout)
    held = [q for q in builtin.questions if q.type_name in ("choice", "multi", "truefalse", "typed", "cloze", "match")]
    assert len(parsed) == len(held)
    want = {"choice": "MC", "multi": "MC", "truefalse": "TF", "typed": "Short", "cloze": "Short", "match": "Matching"}
    for q, item in zip(held, parsed, strict=True):
        assert item["type"] == want[q.type_name], q.id
        assert item["title"] == q.id
        if q.type_name in ("choice", "multi"):
            assert [c["text"]["text"] for c in item["choices"]] == list(q.options)
            right = [c["text"]["text"] for c in item["choices"] if c["isCorrect"] or (c["weight"] or 0) > 0]
            assert right == ([q.answer] if q.type_name == "choice" else q.ordered_answer())
        elif q.type_name == "truefalse":
            assert item["isTrue"] is q.answer
        elif q.type_name in ("typed", "cloze"):
            assert [c["text"]["text"] for c in item["choices"]] == [q.answer, *q.accept]
            assert item["hasEmbeddedAnswers"] is (q.type_name == "cloze")
