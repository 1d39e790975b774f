"""Real files from Moodle, Anki, Mnemosyne and GIFT-PEG.js, read in place from shared/interop."""

from __future__ import annotations

from pathlib import Path

import pytest

from nkstudy.core.packs.loader import load_pack
from nkstudy.formats import FormatError, gift, import_files
from nkstudy.formats.writer import write_pack


def test_moodle_gift_examples_import_except_what_is_skipped(interop: Path, tmp_path: Path) -> None:
    path = interop / "gift" / "examples.txt"
    result = import_files([path], "gift")
    assert not result.errors
    # every record is either imported or skipped with its line and a reason
    records = [i for i in gift.parse(path.read_text(encoding="utf-8")) if i.type != "Category"]
    assert len(result.items) + len(result.skipped) == len(records)
    assert len(result.items) == 39
    assert all("numeric range or tolerance" in line for line in result.skipped)
    kinds = {q.type_name for q in result.questions}
    assert kinds == {"choice", "multi", "truefalse", "typed", "cloze", "match"}
    folder = write_pack(result, tmp_path / "p", pack_id="gift-examples", title="G")
    loaded = load_pack(folder)
    assert loaded.ok and loaded.pack is not None, [p.format() for p in loaded.problems]
    assert all(q.source is None and q.excerpt is None for q in loaded.pack.questions)
    assert not loaded.pack.sources


def test_numeric_answer_feedback_is_read_in_the_question_format(interop: Path) -> None:
    path = interop / "gift" / "numerical1.gift"
    grasp = gift.parse(path.read_text(encoding="utf-8"))[-1]
    assert grasp.stem is not None and grasp.stem.format == "html"
    assert [c.feedback.format for c in grasp.choices if c.feedback] == ["html"] * 3
    result = import_files([path], "gift")
    q = next(q for q in result.questions if q.prompt == "Combien de principes GRASP y a-t-il?")
    assert q.answer_text() == "9"
    assert q.explanation is not None and "<p>" not in q.explanation
    assert "9: Correct. Il y a neuf (9) principes GRASP." in q.explanation.splitlines()


def test_every_gift_file_imports_or_says_why(interop: Path) -> None:
    files = sorted((interop / "gift").glob("*.gift")) + sorted((interop / "gift").glob("*.gift.txt"))
    for path in files:
        result = import_files([path], "gift")
        assert not result.errors, result.errors
        for line in result.skipped:
            assert line.startswith(f"{path}:") and ": skipped " in line


def test_windows_1252_gift_is_read_with_a_note(interop: Path) -> None:
    path = interop / "gift" / "questions_encoding_windows-1252.gift.txt"
    result = import_files([path], "auto")
    assert any("Windows-1252" in note for note in result.notes)
    assert any("same left item" in line for line in result.skipped)  # two left items read 'asdf'


def test_aiken_error_file_gives_one_line_errors_with_lines(interop: Path) -> None:
    result = import_files([interop / "aiken" / "aiken_errors.txt"], "aiken")
    assert [q.prompt for q in result.questions] == ["A good question", "A second good question"]
    lines = [int(e.split(":")[1]) for e in (x.replace(str(interop), "") for x in result.errors)]
    assert lines == [3, 5, 7, 18]
    assert all("\n" not in e for e in result.errors)


def test_aiken_keeps_html_literal(interop: Path) -> None:
    result = import_files([interop / "aiken" / "questions.aiken.txt"], "auto")
    assert len(result.questions) == 2
    assert '<html class="cool"> &' in result.questions[1].prompt
    assert result.questions[0].answer_text() == "Martin Dougiamas"


@pytest.mark.parametrize("name", ["excel_import.txt", "word_import.txt", "tsv_5.txt"])
def test_tsv_files_import_whatever_their_encoding_and_line_ends(interop: Path, name: str) -> None:
    result = import_files([interop / "tsv" / name], "tsv")
    assert not result.errors and not result.skipped
    pairs = [(q.prompt, q.answer_text()) for q in result.questions]
    if name == "tsv_5.txt":
        assert pairs == [("à", "a1")]
        assert result.notes
    else:
        assert pairs == [(f"Question {n}", f"Answer {n}") for n in range(1, 6)]


def test_anki_text_export_rows(interop: Path) -> None:
    result = import_files([interop / "anki" / "text-2fields.txt"], "tsv")
    assert ("食べる", "to eat") in [(q.prompt, q.answer_text()) for q in result.questions]
    assert len(result.errors) == 3 and all(":" in e for e in result.errors)
    tags = import_files([interop / "anki" / "text-tags.txt"], "tsv")
    assert [(q.prompt, q.answer_text()) for q in tags.questions] == [("foo", "bar"), ("foo2", "bar2")]


def test_every_apkg_imports_or_says_why(interop: Path) -> None:
    for path in sorted((interop / "anki").glob("*.apkg")):
        try:
            result = import_files([path], "auto")
        except FormatError as exc:
            assert str(exc).startswith(str(path))
            continue
        assert result.items or result.skipped, path
    real = import_files([interop / "anki" / "anki1.apkg"], "apkg")
    kinds = sorted(q.type_name for q in real.questions)
    assert kinds == ["card", "card", "cloze", "cloze", "typed", "typed"]
    clozes = [(q.prompt, q.answer_text()) for q in real.questions if q.type_name == "cloze"]
    assert clozes == [("aa _____ cc", "bbb"), ("aa bbb _____", "cc")]
    # its picture comes into media/ (checked as a PNG by its content) and the question names it
    assert list(real.media) == ["media/al.png"] and real.media["media/al.png"].startswith(b"\x89PNG")
    assert [q.media for q in real.questions if q.media] == [("media/al.png",)]
    assert any("[sound:1.mp3]" in line and "media alone" in line for line in real.skipped)


def test_moodle_xml_categories_are_tags_when_several_files_come_in_at_once(interop: Path) -> None:
    """Imported together, each file keeps its categories as tags, so their questions stay told apart."""
    folder = interop / "moodlexml"
    both = import_files([folder / "nested_categories_with_questions.xml", folder / "old_format_file.xml"],
                        "moodlexml")
    assert both.title is None
    assert {("iota",), ("iota.kappa",)} <= {q.tags for q in both.questions}


def test_moodle_xml_files(interop: Path) -> None:
    folder = interop / "moodlexml"
    nested = import_files([folder / "nested_categories_with_questions.xml"], "auto")
    assert [q.type_name for q in nested.questions] == ["truefalse"] * 4
    assert any("essay" in line for line in nested.skipped)
    # the category the file opens with (and holds the others) is the pack's own: its title, no tag
    assert nested.title == "Iota" and [i.labels for i in nested.items][0] == ()
    tags = {q.tags for q in nested.questions}  # the categories below it carry over as tags, hierarchy and all
    assert tags == {(), ("kappa",), ("kappa.lambda",), ("mu",)}, tags
    bad = import_files([folder / "error_invalid_grades.xml"], "moodlexml")
    assert not bad.questions and len(bad.errors) == 1 and "fraction 33" in bad.errors[0]
    broken = import_files([folder / "broken_cloze_questions.xml"], "moodlexml")
    assert len(broken.skipped) == 5 and not broken.questions
    for name in ("html_chars_in_idnumbers.xml", "old_format_file.xml"):
        assert import_files([folder / name], "moodlexml").questions
