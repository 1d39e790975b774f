"""Anki files written by the real anki library, read as Anki means them: custom note types
through their card templates (each template its own question, linked), cloze siblings
linked with their hints kept, the "Notes in Plain Text" export with every header, GUID ids."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from formatkit import need

from nkstudy.cli import main
from nkstudy.core.packs.loader import load_pack
from nkstudy.formats import import_files


def _collection(tmp_path: Path) -> Any:
    try:
        from anki.collection import Collection
    except ImportError:
        Collection = None  # noqa: N806
    need(Collection, "the 'anki' Python package is not installed (pip install 'nkstudy[interop]')")
    return Collection(str(tmp_path / "collection.anki2"))


def _notetype(col: Any, name: str, fields: list[str], templates: list[tuple[str, str]]) -> Any:
    mm = col.models
    model = mm.new(name)
    for field in fields:
        mm.add_field(model, mm.new_field(field))
    for n, (front, back) in enumerate(templates, start=1):
        template = mm.new_template(f"Card {n}")
        template["qfmt"], template["afmt"] = front, back
        mm.add_template(model, template)
    mm.add(model)
    return mm.by_name(name)


def _add(col: Any, model: Any, values: dict[str, str], tags: list[str] = ()) -> Any:  # type: ignore[assignment]
    note = col.new_note(model)
    for key, value in values.items():
        note[key] = value
    note.tags = list(tags)
    col.add_note(note, col.decks.id("Default"))
    return note


def _deck(tmp_path: Path, legacy: bool) -> tuple[Path, dict[str, str]]:
    """A deck with a vocabulary note type (two templates), a note type whose answer field comes
    first, and a cloze note with three deletions and a hint; returns the .apkg and the GUIDs."""
    from anki.collection import ExportAnkiPackageOptions

    col = _collection(tmp_path)
    try:
        vocab = _notetype(
            col, "Vocab", ["Word", "Reading", "Meaning"],
            [("{{Word}}", "{{FrontSide}}<hr id=answer>{{Meaning}}<br>{{Reading}}"),
             ("{{Meaning}}", "{{FrontSide}}<hr id=answer>{{Word}}<br>{{Reading}}")],
        )
        swapped = _notetype(col, "Answer first", ["Answer", "Question"],
                            [("{{Question}}", "{{FrontSide}}<hr id=answer>{{Answer}}")])
        guids = {
            "vocab": _add(col, vocab, {"Word": "川", "Reading": "かわ", "Meaning": "river"}, ["jp::n5"]).guid,
            "swapped": _add(col, swapped, {"Answer": "Pyongyang", "Question": "Capital of North Korea?"}).guid,
            "cloze": _add(col, col.models.by_name("Cloze"), {
                "Text": "{{c1::Kim::who}} met {{c2::Xi}} in {{c3::Dalian}}.", "Back Extra": "May 2018"}).guid,
        }
        out = tmp_path / ("legacy.apkg" if legacy else "new.apkg")
        col.export_anki_package(
            out_path=str(out),
            options=ExportAnkiPackageOptions(with_scheduling=False, with_media=False, legacy=legacy),
            limit=None,
        )
    finally:
        col.close()
    return out, guids


@pytest.mark.parametrize("legacy", [True, False])
def test_custom_note_types_map_through_their_templates(tmp_path: Path, legacy: bool) -> None:
    deck, _ = _deck(tmp_path, legacy)
    result = import_files([deck])
    assert not result.errors and not result.skipped, result.skipped
    cards = {q.prompt: q for q in result.questions if q.type_name == "card"}
    # each template its own question: the front's fields make the prompt, the back's the answer
    assert cards["川"].answer_text() == "river" and cards["川"].explanation == "かわ"
    assert cards["river"].answer_text() == "川" and cards["river"].explanation == "かわ"
    assert cards["川"].related == (cards["river"].id,) and cards["river"].related == (cards["川"].id,)
    assert cards["川"].tags == ("jp.n5",)
    # a note type whose answer field comes first is not swapped
    assert cards["Capital of North Korea?"].answer_text() == "Pyongyang"


@pytest.mark.parametrize("legacy", [True, False])
def test_cloze_siblings_are_linked_and_keep_their_hints(tmp_path: Path, legacy: bool) -> None:
    deck, _ = _deck(tmp_path, legacy)
    clozes = [q for q in import_files([deck]).questions if q.type_name == "cloze"]
    assert [q.answer_text() for q in clozes] == ["Kim", "Xi", "Dalian"]
    assert clozes[0].prompt == "_____ (who) met Xi in Dalian."
    ids = {q.id for q in clozes}
    for q in clozes:
        assert set(q.related) == ids - {q.id}
        assert q.explanation == "May 2018"


def test_ids_come_from_the_note_guid_and_the_pack_validates(tmp_path: Path) -> None:
    from nkstudy.formats.ankinotes import id_from_guid

    deck, guids = _deck(tmp_path, legacy=False)
    by_prompt = {q.prompt: q.id for q in import_files([deck]).questions}
    assert by_prompt["Capital of North Korea?"] == id_from_guid(guids["swapped"])
    assert by_prompt["川"] == id_from_guid(guids["vocab"]) + "-1"
    dest = tmp_path / "pack"
    assert main(["import", str(deck), "--to", str(dest)]) == 0
    loaded = load_pack(dest)
    assert loaded.ok and loaded.pack is not None and len(loaded.pack.questions) == 6
    assert sorted(q.id for q in loaded.pack.questions) == sorted(by_prompt.values())
