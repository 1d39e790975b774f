"""GIFT's $CATEGORY, as Moodle writes it: the category a file opens with is the pack's own (its
title, no tag); the categories below it are tags named by their path from there."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from nkstudy.cli import main
from nkstudy.core.model import Pack
from nkstudy.core.packs.loader import load_pack
from nkstudy.formats import export_pack, import_files

# a Moodle 4 export of the course's default category, which holds questions itself and in two
# sub-categories (Moodle writes a category line wherever the questions move, with its comment)
MOODLE_EXPORT = """\
// question: 0  name: Switch category to $course$/top/Default for GEO101/Week 1
$CATEGORY: $course$/top/Default for GEO101/Week 1


// question: 311  name: Italy
::Italy::[html]<p>Capital of Italy?</p>{
\t=%100%Rome#
\t=%100%Roma#
}


// question: 0  name: Switch category to $course$/top/Default for GEO101/Week 2/Rivers // lakes
$CATEGORY: $course$/top/Default for GEO101/Week 2/Rivers // lakes


// question: 312  name: Nile
::Nile::Which river flows through Cairo?{
\t=Nile#Yes
\t~Amazon#No
}


// question: 0  name: Switch category to $course$/top/Default for GEO101
$CATEGORY: $course$/top/Default for GEO101


// question: 313  name: Flat
::Flat::The Earth is flat.{FALSE}


"""


def _tags(result_questions: list) -> dict[str, tuple[str, ...]]:
    return {q.id: q.tags for q in result_questions}


def test_the_opening_category_names_the_pack_and_those_below_it_are_tags(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "geo101.gift"
    path.write_text(MOODLE_EXPORT, encoding="utf-8")
    result = import_files([path])
    assert not result.errors and not result.skipped
    assert result.title == "Default for GEO101"  # the deepest category holding all three
    assert _tags(result.questions) == {"italy": ("week-1",), "nile": ("week-2.rivers-lakes",), "flat": ()}

    # through the command: the pack is titled after it; --title still wins
    assert main(["import", str(path), "--to", str(tmp_path / "geo")]) == 0
    loaded = load_pack(tmp_path / "geo")
    assert loaded.pack is not None and loaded.pack.title == "Default for GEO101"
    assert main(["import", str(path), "--to", str(tmp_path / "mine"), "--title", "My geography"]) == 0
    loaded = load_pack(tmp_path / "mine")
    assert loaded.pack is not None and loaded.pack.title == "My geography"
    capsys.readouterr()


def test_moodles_own_files_name_their_pack(interop: Path) -> None:
    one = import_files([interop / "gift" / "questions_in_category.gift.txt"])
    assert one.title == "Default for New Features" and one.questions
    assert all(q.tags == () for q in one.questions)  # no category tag any more
    cp1252 = import_files([interop / "gift" / "questions_encoding_windows-1252.gift.txt"])
    assert cp1252.title == "Default for LTTEST"


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        # sibling categories with nothing in common below $course$/top: each is a tag, as before
        ("$CATEGORY: $course$/top/Alpha\n\nA?{=a}\n\n$CATEGORY: $course$/top/Beta\n\nB?{=b}\n",
         {"A?": ("alpha",), "B?": ("beta",)}),
        # a question before the first category: the file does not open with the pack's category
        ("A?{=a}\n\n$CATEGORY: $course$/top/Alpha\n\nB?{=b}\n", {"A?": (), "B?": ("alpha",)}),
        # different contexts
        ("$CATEGORY: $course$/top/Alpha\n\nA?{=a}\n\n$CATEGORY: $system$/top/Alpha\n\nB?{=b}\n",
         {"A?": ("alpha",), "B?": ("alpha",)}),
    ],
)
def test_without_a_category_of_its_own_every_category_is_a_tag(
    tmp_path: Path, text: str, tags: dict[str, tuple[str, ...]]
) -> None:
    path = tmp_path / "q.gift"
    path.write_text(text, encoding="utf-8")
    result = import_files([path])
    assert result.title is None
    assert {q.prompt: q.tags for q in result.questions} == tags


def test_several_files_keep_their_categories_as_tags(tmp_path: Path) -> None:
    paths = []
    for week in (1, 2):
        paths.append(tmp_path / f"week{week}.gift")
        paths[-1].write_text(f"$CATEGORY: $course$/top/Week {week}\n\nQuestion {week}?{{=yes}}\n", encoding="utf-8")
    result = import_files(paths)
    assert result.title is None
    assert {q.prompt: q.tags for q in result.questions} == {"Question 1?": ("week-1",), "Question 2?": ("week-2",)}


def test_a_category_line_is_one_line_whatever_it_holds(tmp_path: Path) -> None:
    path = tmp_path / "q.gift"
    # Moodle writes the path as it is: an open brace in a name must not swallow the questions after it
    path.write_text("$CATEGORY: $course$/top/Sets { open\n\nIs 1\nodd?{T}\n\nNext?{=yes}\n", encoding="utf-8")
    result = import_files([path])
    assert not result.errors
    assert result.title == "Sets { open" and [q.prompt for q in result.questions] == ["Is 1 odd?", "Next?"]


def test_a_category_with_a_control_character_or_thousands_of_letters_names_no_pack(tmp_path: Path) -> None:
    path = tmp_path / "q.gift"
    path.write_text("$CATEGORY: $course$/top/Evil\x1b[2J\n\nQ?{=a}\n", encoding="utf-8")
    result = import_files([path])
    assert result.title is None and [q.tags for q in result.questions] == [()]
    notes = [n for n in result.notes if n.startswith(f"{path}:1:")]
    assert len(notes) == 1 and "U+001B" in notes[0] and "\x1b" not in notes[0]
    path.write_text(f"$CATEGORY: $course$/top/{'x' * 5000}\n\nQ?{{=a}}\n", encoding="utf-8")
    result = import_files([path])
    assert result.title is None and len(result.notes) == 1 and len(result.notes[0]) < 200


def test_export_writes_the_pack_as_moodle_writes_a_category_and_reads_back_the_same(
    builtin: Pack, tmp_path: Path
) -> None:
    title = "Maths / physics {1}"
    pack = dataclasses.replace(builtin, info=dataclasses.replace(builtin.info, title=title))
    text = export_pack(pack, "gift").data.decode("utf-8")
    head = text.split("\n\n// [tag:", 1)[0].splitlines()
    assert head[-2:] == [
        "// question: 0  name: Switch category to $course$/top/Maths // physics {1}",
        "$CATEGORY: $course$/top/Maths // physics {1}",
    ]
    assert text.count("$CATEGORY:") == 1  # tags stay // [tag:...] comments, never sub-categories
    path = tmp_path / "pack.gift"
    path.write_text(text, encoding="utf-8")
    back = import_files([path])
    assert back.title == title
    held = {q.id: q.tags for q in pack.questions if q.id in {b.id for b in back.questions}}
    assert _tags(back.questions) == held
