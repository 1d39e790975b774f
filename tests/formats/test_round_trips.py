"""Round trips: importing an export of the built-in pack keeps every question the format holds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nkstudy.core.model import QUESTION_TYPES, Pack, Question
from nkstudy.core.packs.loader import load_pack
from nkstudy.formats import export_pack, import_files
from nkstudy.formats.writer import write_pack

HOLDS = {
    "gift": {"choice", "multi", "truefalse", "typed", "cloze", "match"},
    "moodlexml": {"choice", "multi", "truefalse", "typed", "cloze", "match"},
    "aiken": {"choice"},
    "csv": {"card", "typed", "cloze"},
    "tsv": {"card", "typed", "cloze"},
    "apkg": set(QUESTION_TYPES),  # what Anki has no type for becomes a Basic note, read back as a card
}
#: the types that come back from Anki as themselves
ANKI_TYPES = {"card", "typed", "cloze"}


def _flat(text: str) -> str:
    # a blank is a blank, whatever its length
    return re.sub(r"_{3,}", "___", " ".join(text.split()))


def _unnumbered(lines: list[str]) -> list[str]:
    return sorted(re.sub(r"^(\d+\.|[a-z]\)) ", "", line) for line in lines)


def _want(q: Question, fmt: str) -> tuple:
    """What a question of the built-in pack should be after the round trip."""
    if fmt != "apkg":
        return _key(q, fmt)
    # a Basic note's front lists the options (a match: both columns) under the prompt
    kind = q.type_name if q.type_name in ANKI_TYPES else "card"
    return (kind, _flat(q.prompt), _unnumbered(q.option_lines(q.choices())), q.answer_text())


def _got(q: Question, fmt: str) -> tuple:
    """What a question read back from an export is, in the terms of :func:`_want`."""
    if fmt != "apkg":
        return _key(q, fmt)
    head, _, rest = q.prompt.partition("\n\n")
    return (q.type_name, _flat(head), _unnumbered(rest.splitlines()), q.answer_text())


def _key(q: Question, fmt: str) -> tuple:
    prompt = _flat(q.prompt)
    if fmt in ("csv", "tsv"):  # two columns: prompt and answer
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
    back = import_files([path], fmt, as_typed=fmt in ("csv", "tsv"))
    assert not back.errors and not back.skipped, back.errors + back.skipped
    assert [_got(q, fmt) for q in back.questions] == [_want(q, fmt) for q in held]
    # the citation travels in the feedback / extra field where the format has one
    if fmt != "aiken":
        for q, again in zip(held, back.questions, strict=True):
            assert q.source is not None and q.excerpt is not None
            assert again.explanation and builtin.sources[q.source].title in again.explanation, q.id
            assert " ".join(q.excerpt.split()) in " ".join(again.explanation.split()), q.id


def test_round_trip_of_card_and_match(tmp_path: Path) -> None:
    from test_writer import small_result

    result = small_result(tmp_path)
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
        want = [_want(q, fmt) for q in pack.questions if q.type_name in HOLDS[fmt]]
        got = [_got(q, fmt) for q in back.questions]
        assert got == want and want, fmt


def _gift_round(pack: Pack, tmp_path: Path, name: str) -> tuple[bytes, Pack]:
    """``pack`` exported as GIFT, imported as a new pack (its id given, its title as the file suggests)."""
    exported = export_pack(pack, "gift")
    path = tmp_path / f"{name}.gift"
    path.write_bytes(exported.data)
    back = import_files([path])
    assert not back.errors and not back.skipped and back.title, back.errors + back.skipped
    folder = write_pack(back, tmp_path / name, pack_id=pack.id, title=back.title, version=pack.info.version)
    loaded = load_pack(folder)
    assert loaded.pack is not None, [p.format() for p in loaded.problems]
    return exported.data, loaded.pack


def test_gift_round_trip_is_stable_and_keeps_the_pack_and_its_tags(builtin: Pack, tmp_path: Path) -> None:
    """export -> import -> export gives the same file; what comes back keeps what GIFT holds: the pack's
    title (its $CATEGORY, which becomes no tag), ids, types, tags and accepted spellings."""
    first, again = _gift_round(builtin, tmp_path, "one")
    assert f"\n$CATEGORY: $course$/top/{builtin.title}\n".encode() in first
    assert again.title == builtin.title
    assert export_pack(again, "gift").data == first
    held = [q for q in builtin.questions if q.type_name in HOLDS["gift"]]
    assert [q.id for q in again.questions] == [q.id for q in held]
    for q, back in zip(held, again.questions, strict=True):
        kept = (back.type_name, back.tags, getattr(back, "accept", ()))
        assert kept == (q.type_name, q.tags, getattr(q, "accept", ()))
    # measured losses (docs/authoring.md): related links, the checked citation (it comes back as text
    # in the explanation) and the difficulty
    assert any(q.related for q in held) and not any(q.related for q in again.questions)
    assert all(q.source is None for q in again.questions)
    assert {q.difficulty for q in held} != {"medium"} and {q.difficulty for q in again.questions} == {"medium"}
