"""Round trips: importing an export of the built-in pack keeps every question the format holds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nkstudy.core.loader import load_pack
from nkstudy.core.model import Pack, PartialDate, Question
from nkstudy.formats import export_pack, import_files
from nkstudy.formats.writer import cite_origins, write_pack

HOLDS = {
    "gift": {"choice", "multi", "truefalse", "typed", "cloze", "match"},
    "moodlexml": {"choice", "multi", "truefalse", "typed", "cloze", "match"},
    "aiken": {"choice"},
    "csv": {"card", "typed", "cloze"},
    "apkg": {"card", "typed", "cloze"},
}


def _key(q: Question, fmt: str) -> tuple:
    # a blank is a blank, whatever its length
    prompt = re.sub(r"_{3,}", "___", " ".join(q.prompt.split()))
    if fmt == "csv":  # two columns: prompt and answer
        return (prompt, q.answer_text())
    options = tuple(getattr(q, "options", ()))
    accept = tuple(getattr(q, "accept", ())) if fmt in ("gift", "moodlexml") else ()
    kind = q.type_name
    return (kind, prompt, options, q.answer_text(), accept)


@pytest.mark.parametrize("fmt", sorted(HOLDS))
def test_round_trip_keeps_every_question_the_format_holds(builtin: Pack, fmt: str, tmp_path: Path) -> None:
    exported = export_pack(builtin, fmt, timestamp=1_700_000_000)
    held = [q for q in builtin.questions if q.type_name in HOLDS[fmt]]
    assert held, "the built-in pack holds questions of this format's types"
    assert len(exported.skipped) == len(builtin.questions) - len(held)
    assert all(line.startswith("skipped question '") for line in exported.skipped)
    path = tmp_path / f"export{exported.suffix}"
    path.write_bytes(exported.data)
    back = import_files([path], fmt, as_typed=(fmt == "csv"))
    assert not back.errors and not back.skipped, back.errors + back.skipped
    assert [_key(q, fmt) for q in back.questions] == [_key(q, fmt) for q in held]
    # the citation travels in the feedback / extra field where the format has one
    if fmt != "aiken":
        first = back.questions[0]
        assert first.explanation and builtin.sources[held[0].source].title in first.explanation


def test_round_trip_of_card_and_match(tmp_path: Path) -> None:
    from test_writer import small_result

    result = cite_origins(small_result(tmp_path), PartialDate(2024))
    folder = write_pack(result, tmp_path / "pack", pack_id="small", title="Small")
    loaded = load_pack(folder)
    assert loaded.ok and loaded.pack is not None, [p.format() for p in loaded.problems]
    pack = loaded.pack
    assert {q.type_name for q in pack.questions} >= {"card", "match"}
    for fmt in ("gift", "moodlexml", "apkg", "csv"):
        exported = export_pack(pack, fmt, timestamp=0)
        path = tmp_path / f"again-{fmt}{exported.suffix}"
        path.write_bytes(exported.data)
        back = import_files([path], fmt)
        want = [_key(q, fmt) for q in pack.questions if q.type_name in HOLDS[fmt]]
        got = [_key(q, fmt) for q in back.questions]
        assert got == want and want, fmt
