"""Exports opened by the real clients: the anki library and npm's gift-pegjs under Node.

They skip with a reason when the client is missing; under CI=true that skip fails."""

from __future__ import annotations

import html
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
    from nkstudy.formats.ankinotes import export_guid

    exported = export_pack(builtin, "apkg", timestamp=1_700_000_000)
    assert exported.skipped == []  # every type has its note
    deck = tmp_path / "deck.apkg"
    deck.write_bytes(exported.data)
    col = module.Collection(str(tmp_path / "collection.anki2"))
    try:
        request = module.ImportAnkiPackageRequest(package_path=str(deck))
        col.import_anki_package(request)
        assert col.note_count() == len(builtin.questions)
        notes = {}
        for nid in col.find_notes(""):
            note = col.get_note(nid)
            notes[note.guid] = note
        kinds = {"typed": "nkstudy Basic (type in the answer)", "cloze": "nkstudy Cloze"}
        for q in builtin.questions:
            note = notes[export_guid(builtin.id, q.id)]
            assert note.note_type()["name"] == kinds.get(q.type_name, "nkstudy Basic"), q.id
            assert sorted(note.tags) == sorted(q.tags), q.id
            assert q.excerpt is not None
            extra = html.unescape(note["Extra"])
            if q.type_name in ("typed", "cloze"):  # accepted spellings kept (issue 18, defect 9)
                accepted = [html.unescape(a) for a in note["Accept"].split("<br>") if a]
                assert accepted == list(getattr(q, "accept", ())), q.id
            assert " ".join(q.excerpt.split()) in extra and builtin.sources[q.source or ""].title in extra, q.id
            if q.type_name == "cloze":
                assert f"{{{{c1::{html.escape(q.answer_text(), quote=False)}}}}}" in note.fields[0], q.id
                continue
            front, back = (html.unescape(f).split("<br>") for f in note.fields[:2])
            assert front[0] == q.prompt and back == [q.answer_text()], q.id
            if q.type_name in ("typed", "card"):  # no options to list
                assert front == [q.prompt], q.id
                continue
            # a Basic note: the prompt, a blank line, then every option (a match: both columns)
            assert front[1] == "", q.id
            items = sorted(re.sub(r"^(\d+\.|[a-z]\)) ", "", line) for line in front[2:])
            want = list(getattr(q, "options", ())) or (["True", "False"] if q.type_name == "truefalse" else [])
            want = want or list(getattr(q, "answer", ()))  # order: the items
            if q.type_name == "match":  # both columns
                want = [side for pair in q.pairs for side in pair]  # type: ignore[attr-defined]
            assert items == sorted(want), q.id
        assert {q.type_name for q in builtin.questions} >= {"choice", "multi", "truefalse", "order", "typed", "cloze"}
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
    assert not back.skipped and not back.errors

    def blanks(text: str) -> str:
        return re.sub(r"_{3,}", "___", text)

    # every question comes back with its prompt and answer text; Basic notes as cards
    got = sorted((q.type_name, blanks(q.prompt.partition("\n\n")[0]), q.answer_text()) for q in back.questions)
    want = sorted(
        (q.type_name if q.type_name in ("card", "typed", "cloze") else "card", blanks(q.prompt), q.answer_text())
        for q in builtin.questions
    )
    assert got == want
    assert sorted(sorted(q.tags) for q in back.questions) == sorted(sorted(q.tags) for q in builtin.questions)
    # ids survive the trip through Anki (its GUIDs), and so do accepted spellings (issue 18, defects 9 and 17)
    assert sorted(q.id for q in back.questions) == sorted(q.id for q in builtin.questions)
    returned = {q.id: q for q in back.questions}
    for q in builtin.questions:
        if q.type_name in ("typed", "cloze"):
            assert getattr(returned[q.id], "accept", ()) == getattr(q, "accept", ()), q.id


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
    # the file opens with the pack as Moodle's category, then the questions
    category = parsed.pop(0)
    assert category == {"type": "Category", "title": f"$course$/top/{builtin.title}"}
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
