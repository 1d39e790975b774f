"""Spreadsheets, Quizlet and Anki's "Notes in Plain Text" export, written the way the tools write
them: every Anki header honoured, GIFT never decided from '::' alone, an unclear file a usage
error naming --format, --columns/--separator/--row-separator/--header, header rows in any language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from formatkit import need

from nkstudy.cli import main
from nkstudy.core.packs.loader import load_pack
from nkstudy.formats import import_files


def _anki_text(tmp_path: Path, **flags: bool) -> Path:
    """Notes exported by the real anki library as "Notes in Plain Text"."""
    try:
        from anki.collection import Collection
    except ImportError:
        Collection = None  # noqa: N806
    need(Collection, "the 'anki' Python package is not installed (pip install 'nkstudy[interop]')")
    col: Any = Collection(str(tmp_path / "c.anki2"))
    try:
        basic = col.models.by_name("Basic")
        note = col.new_note(basic)
        note["Front"], note["Back"] = "Which <b>river</b> marks the border?", "The Yalu"
        note.tags = ["Geo::Europe", "rivers"]
        col.add_note(note, col.decks.id("Default"))
        cloze = col.new_note(col.models.by_name("Cloze"))
        cloze["Text"], cloze["Back Extra"] = "{{c1::Kim::who}} met {{c2::Xi}} in Dalian.", "May 2018"
        col.add_note(cloze, col.decks.id("Visits::2018"))
        out = tmp_path / "notes.txt"
        options = {"with_html": True, "with_tags": True, "with_deck": True, "with_notetype": True, "with_guid": True}
        col.export_note_csv(out_path=str(out), limit=None, **{**options, **flags})
        guids = {"basic": note.guid, "cloze": cloze.guid}
    finally:
        col.close()
    (tmp_path / "guids").write_text(repr(guids))
    return out


def test_anki_notes_in_plain_text_with_every_header(tmp_path: Path) -> None:
    path = _anki_text(tmp_path)
    text = path.read_text(encoding="utf-8")
    assert "#guid column:1" in text and "#notetype column:2" in text and "Geo::Europe" in text
    result = import_files([path])  # auto: '::' in a tag or a cloze does not make it GIFT
    assert not result.errors and not result.skipped
    cards = [q for q in result.questions if q.type_name == "card"]
    assert [(q.prompt, q.answer_text()) for q in cards] == [("Which river marks the border?", "The Yalu")]
    assert set(cards[0].tags) == {"geo.europe", "rivers"}
    clozes = [q for q in result.questions if q.type_name == "cloze"]
    assert [q.answer_text() for q in clozes] == ["Kim", "Xi"]
    assert clozes[0].related == (clozes[1].id,) and "visits.2018" in clozes[0].tags
    assert clozes[0].explanation == "May 2018"
    # the same with --format tsv: the GUID and note type columns are not the prompt and answer
    again = import_files([path], "tsv")
    assert [(q.id, q.prompt) for q in again.questions] == [(q.id, q.prompt) for q in result.questions]


def test_anki_plain_text_without_optional_columns(tmp_path: Path) -> None:
    path = _anki_text(tmp_path, with_html=False, with_deck=False, with_notetype=False, with_guid=False)
    result = import_files([path])
    assert ("Which river marks the border?", "The Yalu") in [(q.prompt, q.answer_text()) for q in result.questions]


def test_a_reimport_of_an_anki_text_export_keeps_ids(tmp_path: Path) -> None:
    path = _anki_text(tmp_path)
    first = sorted(q.id for q in import_files([path]).questions)
    assert first == sorted(q.id for q in import_files([path]).questions)
    assert len(first) == 3


QUIZLET_TERM = "{x | x = 2k}\tthe even numbers\nf(x) = x²\ta parabola\n"


def test_a_quizlet_term_with_braces_is_not_gift(tmp_path: Path) -> None:
    path = tmp_path / "set.txt"
    path.write_text(QUIZLET_TERM, encoding="utf-8")
    result = import_files([path])
    assert [(q.prompt, q.answer_text()) for q in result.questions] == [
        ("{x | x = 2k}", "the even numbers"), ("f(x) = x²", "a parabola")]


def test_quizlet_custom_separators(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "quizlet.txt"
    path.write_text("Paris,capital of France;Berlin,capital of Germany;Rome,capital of Italy;", encoding="utf-8")
    dest = tmp_path / "p"
    code = main(["import", str(path), "--format", "csv", "--separator", "comma", "--row-separator", ";",
                 "--to", str(dest)])
    assert code == 0, capsys.readouterr().err
    loaded = load_pack(dest)
    assert loaded.pack is not None
    assert [(q.prompt, q.answer_text()) for q in loaded.pack.questions] == [
        ("Paris", "capital of France"), ("Berlin", "capital of Germany"), ("Rome", "capital of Italy")]
    dashed = tmp_path / "dashed.txt"
    dashed.write_text("Paris - capital of France\nBerlin - capital of Germany\n", encoding="utf-8")
    result = import_files([dashed], "csv", options=_options(separator=" - "))
    assert [q.answer_text() for q in result.questions] == ["capital of France", "capital of Germany"]


def _options(**given: Any) -> Any:
    from nkstudy.formats.common import ImportOptions

    return ImportOptions(**given)


def test_a_header_row_in_another_language_is_not_a_card(tmp_path: Path) -> None:
    path = tmp_path / "deutsch.csv"
    path.write_text("Frage;Antwort\nWie heißt die Hauptstadt von Frankreich?;Paris\n"
                    "Wo liegt der Yalu?;An der Grenze zu China\n", encoding="utf-8")
    result = import_files([path])
    assert [q.prompt for q in result.questions] == ["Wie heißt die Hauptstadt von Frankreich?", "Wo liegt der Yalu?"]
    unknown = tmp_path / "labels.csv"
    unknown.write_text("Kysymys;Vastaus\nMikä on Ranskan pääkaupunki?;Pariisi\nMissä Jalu virtaa?;Kiinan rajalla\n",
                       encoding="utf-8")
    assert len(import_files([unknown]).questions) == 2  # Finnish labels above questions: a header
    assert len(import_files([unknown], options=_options(header="no")).questions) == 3


def test_columns_name_what_each_column_holds(tmp_path: Path) -> None:
    path = tmp_path / "sheet.csv"
    path.write_text("7,Dalian,In which city did they meet?,visits\n8,Beijing,Where is the capital?,geo\n",
                    encoding="utf-8")
    result = import_files([path], options=_options(columns=["skip", "answer", "prompt", "tags"]))
    assert [(q.prompt, q.answer_text(), q.tags) for q in result.questions] == [
        ("In which city did they meet?", "Dalian", ("visits",)), ("Where is the capital?", "Beijing", ("geo",))]


def test_bad_columns_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "sheet.csv"
    path.write_text("a,b\n", encoding="utf-8")
    assert main(["import", str(path), "--columns", "front,bogus", "--to", str(tmp_path / "p")]) == 2
    assert "--columns" in capsys.readouterr().err


@pytest.mark.parametrize("content", [b"just some words without any separator\nmore words\n", b"\x00\x01\x02binary"])
def test_a_file_of_unclear_kind_is_a_usage_error_naming_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes
) -> None:
    path = tmp_path / "mystery"
    path.write_bytes(content)
    assert main(["import", str(path), "--to", str(tmp_path / "p")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(path) in err[0] and "--format" in err[0]
    assert not (tmp_path / "p").exists()


def test_rows_keep_their_ids_when_the_file_is_reordered(tmp_path: Path) -> None:
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    one.write_text("Capital of France?,Paris\nCapital of Italy?,Rome\n", encoding="utf-8")
    two.write_text("Capital of Italy?,Rome\nCapital of Spain?,Madrid\nCapital of France?,Paris\n", encoding="utf-8")
    ids = {q.prompt: q.id for q in import_files([one]).questions}
    again = {q.prompt: q.id for q in import_files([two]).questions}
    assert all(again[prompt] == ids[prompt] for prompt in ids)
