"""Imported questions become a pack folder that the real loader accepts."""

from __future__ import annotations

from pathlib import Path

import pytest

from nkstudy.core.packs.loader import load_pack
from nkstudy.formats import FormatError, ImportResult
from nkstudy.formats.writer import write_pack


def small_result(tmp_path: Path) -> ImportResult:
    result = ImportResult()
    origin = tmp_path / "deck.txt"
    result.add({"type": "card", "prompt": "Capital of Canada?", "back": "Ottawa"}, origin, 1, labels=["geo graphy"])
    result.add(
        {
            "type": "match",
            "prompt": "Match the capitals.",
            "pairs": [["Italy", "Rome"], ["Japan", "Tokyo"]],
            "explanation": "Both are capitals.",
        },
        origin,
        2,
    )
    result.add({"type": "typed", "prompt": "yes: [bold]x[/bold] # not a comment", "answer": "true"}, origin, 3)
    result.add({"type": "choice", "prompt": "Pick", "options": ["a", "b"], "answer": "c"}, origin, 4)
    return result


def test_writer_output_loads_with_the_real_loader(tmp_path: Path) -> None:
    result = small_result(tmp_path)
    assert len(result.items) == 3
    assert result.skipped == [
        f"{tmp_path / 'deck.txt'}:4: skipped choice question 'Pick': answer 'c' is not one of its options"
    ]
    folder = write_pack(result, tmp_path / "out", pack_id="imported", title="Imported")
    loaded = load_pack(folder)
    assert loaded.ok and loaded.pack is not None, [p.format() for p in loaded.problems]
    pack = loaded.pack
    assert [q.type_name for q in pack.questions] == ["card", "match", "typed"]
    assert pack.questions[2].prompt == "yes: [bold]x[/bold] # not a comment"
    assert pack.questions[2].answer_text() == "true"
    assert pack.questions[1].pairs == (("Italy", "Rome"), ("Japan", "Tokyo"))
    assert pack.questions[0].tags == ("geo-graphy",)
    assert not pack.sources and all(q.source is None and q.excerpt is None for q in pack.questions)
    assert not (folder / "sources").exists()


def test_writer_emits_source_only_when_present(tmp_path: Path) -> None:
    from nkstudy.formats.writer import question_entry

    q = small_result(tmp_path).questions[0]
    assert "source" not in question_entry(q) and "excerpt" not in question_entry(q)


def test_writer_refuses_a_folder_with_files(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "x").write_text("x")
    with pytest.raises(FormatError, match="not an empty folder"):
        write_pack(small_result(tmp_path), tmp_path / "out", pack_id="a", title="A")
