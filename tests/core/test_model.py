"""Each question type grades, parses plain-text answers and exports itself."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from nkstudy.core.model import QUESTION_TYPES, PartialDate
from nkstudy.core.packs.loader import load_pack


@pytest.fixture
def pack(pack_dir: Path):
    result = load_pack(pack_dir)
    assert result.pack is not None
    return result.pack


def test_choice(pack) -> None:
    q = pack.question("q-choice")
    shown = q.choices(random.Random(3))
    assert sorted(shown) == sorted(q.options)
    right = shown.index("Pyongyang") + 1
    assert q.grade(q.parse_response(str(right), shown))
    wrong = 1 if right != 1 else 2
    assert not q.grade(q.parse_response(str(wrong), shown))
    for bad in ["0", "5", "x", ""]:
        with pytest.raises(ValueError):
            q.parse_response(bad, shown)


def test_multi_needs_exactly_the_right_set(pack) -> None:
    q = pack.question("q-multi")
    shown = q.choices(None)
    assert q.grade(q.parse_response("1 2", shown))
    assert q.grade(q.parse_response("2,1", shown))
    assert not q.grade(q.parse_response("1", shown))
    assert not q.grade(q.parse_response("1 2 3", shown))
    assert q.answer_text() == "Kim Jong Un; Choe Ryong Hae"


def test_truefalse(pack) -> None:
    q = pack.question("q-tf")
    assert q.grade(q.parse_response("t", ()))
    assert q.grade(q.parse_response("True", ()))
    assert not q.grade(q.parse_response("no", ()))
    with pytest.raises(ValueError):
        q.parse_response("perhaps", ())


def test_typed_accepts_variants(pack) -> None:
    q = pack.question("q-typed")
    assert q.grade("kim jong-un")
    assert q.grade("KimJongUn")
    assert not q.grade("Kim Jong Il")
    assert not q.grade(None)


def test_cloze_fills_its_blank(pack) -> None:
    q = pack.question("q-cloze")
    assert q.grade("Exchanges")
    assert "exchanges and cooperation" in q.filled_prompt()


def test_order_is_shown_shuffled_and_graded_by_position(pack) -> None:
    q = pack.question("q-order")
    shown = q.choices(random.Random(0))
    assert shown != q.answer
    line = " ".join(str(shown.index(item) + 1) for item in q.answer)
    assert q.grade(q.parse_response(line, shown))
    assert not q.grade(tuple(reversed(q.answer)))
    with pytest.raises(ValueError):
        q.parse_response("1 1", shown)


def test_every_type_exports_the_documented_keys(pack) -> None:
    seen = set()
    for q in pack.questions:
        out = q.to_export()
        seen.add(out["type"])
        keys = ("id", "type", "prompt", "answer", "source", "excerpt", "explanation", "tags", "difficulty", "event")
        for key in keys:
            assert key in out
        assert ("options" in out) == (out["type"] in ("choice", "multi", "order"))
        assert ("accept" in out) == (out["type"] in ("typed", "cloze"))
    # packfactory's pack has one question of each of the first six types; card and
    # match are checked in tests/core/test_card_match.py
    assert seen == set(QUESTION_TYPES) - {"card", "match"}


def test_partial_dates_sort_and_print() -> None:
    dates = [PartialDate.parse(t) for t in ["2024-04-13", "2019", "2018-05", "2011-05-20"]]
    assert [d.iso() for d in sorted(dates, key=PartialDate.sort_key)] == ["2011-05-20", "2018-05", "2019", "2024-04-13"]
    with pytest.raises(ValueError):
        PartialDate.parse("13 April 2024")
