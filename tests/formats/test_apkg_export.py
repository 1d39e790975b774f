"""The .apkg export itself, read back with sqlite3: deck ids and Basic notes (the anki library: test_real_clients)."""

from __future__ import annotations

import html
import io
import json
import sqlite3
import zipfile
from dataclasses import replace

from nkstudy.core.model import Pack
from nkstudy.formats import export_pack
from nkstudy.formats.apkg import deck_id


def _decks_and_notes(data: bytes) -> tuple[set[int], list[list[str]]]:
    """The deck ids (without Anki's Default deck) and each note's fields in an exported package."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        raw = archive.read("collection.anki2")
    db = sqlite3.connect(":memory:")
    try:
        db.deserialize(raw)
        decks = {int(k) for k in json.loads(db.execute("select decks from col").fetchone()[0])} - {1}
        notes = [row[0].split("\x1f") for row in db.execute("select flds from notes order by id")]
    finally:
        db.close()
    return decks, notes


def test_deck_id_comes_from_the_whole_pack_id(builtin: Pack) -> None:
    ids = ["nk-china-visits", "nk-china-visits-2024", "nk-chi", "nk-chix"]
    assert len({deck_id(i) for i in ids}) == len(ids)  # the old 6-byte prefix gave them all one deck
    assert all((1 << 30) <= deck_id(i) < (1 << 31) for i in ids)
    assert deck_id("nk-china-visits") == deck_id("nk-china-visits")
    other = replace(builtin, info=replace(builtin.info, id="nk-china-visits-2024"))
    first, _ = _decks_and_notes(export_pack(builtin, "apkg").data)
    second, _ = _decks_and_notes(export_pack(other, "apkg").data)
    assert first == {deck_id(builtin.id)} and second == {deck_id(other.id)} and first != second


def test_every_question_is_a_note_with_front_back_and_extra(builtin: Pack) -> None:
    exported = export_pack(builtin, "apkg", timestamp=1_700_000_000)
    _, notes = _decks_and_notes(exported.data)
    assert len(notes) == len(builtin.questions) and not exported.skipped
    order = next(q for q in builtin.questions if q.type_name == "order")
    front = next(n[0] for n in notes if n[0].startswith(html.escape(order.prompt, quote=False)))
    listed = front.split("<br>")[2:]
    assert sorted(line.split(". ", 1)[1] for line in listed) == sorted(order.answer)
    assert [line.split(". ", 1)[1] for line in listed] != list(order.answer)  # shuffled: the front hides the answer
    # the same pack gives the same fronts every time
    assert _decks_and_notes(export_pack(builtin, "apkg", timestamp=5).data)[1] == notes
