"""Drill codes and drill selection: the same drill on every machine, for every profile."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from enginekit import make_pack
from nkstudy.core.classroom.drill import (
    EXAMPLE_CODE,
    DrillSpec,
    candidates,
    drill_packs,
    resolve_packs,
    result_of,
    select,
)
from nkstudy.core.model import Pack
from nkstudy.core.packs.loader import load_pack
from nkstudy.paths import builtin_pack_dir

SRC = str(Path(__file__).resolve().parents[2] / "src")
AT = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def builtin() -> Pack:
    result = load_pack(builtin_pack_dir() / "nk-china-visits")
    assert result.pack is not None
    return result.pack


@pytest.fixture
def small(tmp_path: Path) -> Pack:
    return make_pack(tmp_path / "test-pack")


# -- drill codes ------------------------------------------------------------
def test_code_round_trip_with_filters_in_fixed_order() -> None:
    spec = DrillSpec("nk-china-visits", "1.0.0", 42, 10, sources=("voa-2011", "ap-2024"),
                     tags=("where", "who", "where"), packs=(("my-pack", "2.1"), ("aa", None)))
    code = spec.format()
    assert code == ("nk-china-visits@1.0.0#42/10;source=ap-2024;source=voa-2011;tag=where;tag=who"
                    ";pack=aa;pack=my-pack@2.1")
    assert DrillSpec.parse(code) == spec
    assert str(spec) == code
    assert spec.pack_ids == ("nk-china-visits", "aa", "my-pack")
    # the order filters are typed in does not matter: one drill, one code
    shuffled = "nk-china-visits@1.0.0#42/10;pack=my-pack@2.1;tag=who;source=voa-2011;tag=where;source=ap-2024;pack=aa"
    assert DrillSpec.parse(shuffled).format() == code


def test_example_code_parses() -> None:
    spec = DrillSpec.parse(EXAMPLE_CODE)
    assert (spec.pack, spec.version, spec.seed, spec.count, spec.tags) == ("nk-china-visits", "1.0.0", 42, 10,
                                                                            ("where",))
    assert DrillSpec.parse("  nk-china-visits@1.0.0#0/1 ").format() == "nk-china-visits@1.0.0#0/1"


@pytest.mark.parametrize(
    ("code", "phrase"),
    [
        ("", "empty"),
        ("nk-china-visits#42/10", "joined by @"),
        ("nk-china-visits@1.0.0/10", "seed must follow"),
        ("nk-china-visits@1.0.0#42", "count must follow"),
        ("nk-china-visits@1.0.0#x/10", "seed 'x' is not a whole number"),
        ("nk-china-visits@1.0.0#42/ten", "count 'ten' is not a whole number"),
        ("nk-china-visits@1.0.0#42/0", "at least 1"),
        ("nk-china-visits@1.0.0#42/5000", "count 5000 must be from 1 to 1000"),
        ("NK@1.0.0#42/10", "'NK' is not a pack id"),
        ("nk-china-visits@1.0.0#42/10;colour=red", "'colour=red' is not a filter"),
        ("nk-china-visits@1.0.0#42/10;tag", "'tag' is not a filter"),
        ("nk-china-visits@1.0.0#42/10;tag=", "the tag filter has no value"),
        ("nk-china-visits@1.0.0#42/10;tag=a b", "tag 'a b' cannot go into a drill code"),
        ("nk-china-visits@1.0.0#42/10;pack=Other", "'Other' is not a pack id"),
    ],
)
def test_bad_codes_say_what_is_wrong_and_show_an_example(code: str, phrase: str) -> None:
    with pytest.raises(ValueError) as info:
        DrillSpec.parse(code)
    message = str(info.value)
    assert phrase in message
    assert EXAMPLE_CODE in message and "\n" not in message


def test_a_version_that_cannot_go_into_a_code_is_refused(small: Pack) -> None:
    odd = dataclasses.replace(small, info=dataclasses.replace(small.info, version="1.0 beta#2"))
    with pytest.raises(ValueError, match="cannot go into a drill code"):
        DrillSpec.build([odd], 1, 3)


# -- selection ----------------------------------------------------------------
def _shape(items) -> list[tuple[int, str, str, tuple[str, ...]]]:
    return [(i.position, i.pack_id, i.question_id, i.options) for i in items]


def test_same_spec_same_items_and_options(builtin: Pack) -> None:
    spec = DrillSpec.build([builtin], 42, 10)
    first = select(spec, [builtin])
    assert len(first) == 10
    assert [i.position for i in first] == list(range(1, 11))
    assert len({i.question_id for i in first}) == 10
    assert _shape(select(DrillSpec.parse(spec.format()), [builtin])) == _shape(first)
    assert _shape(select(DrillSpec.build([builtin], 43, 10), [builtin])) != _shape(first)
    # every shown option set is the question's own, only reordered
    for item in first:
        assert sorted(item.options) == sorted(item.question.choices())


def test_selection_ignores_the_order_questions_are_loaded_in(builtin: Pack) -> None:
    spec = DrillSpec.build([builtin], 7, 12, tags=["who"])
    reordered = dataclasses.replace(builtin, questions=tuple(reversed(builtin.questions)))
    assert _shape(select(spec, [reordered])) == _shape(select(spec, [builtin]))


def test_filters_keep_only_matching_questions(builtin: Pack) -> None:
    spec = DrillSpec.build([builtin], 1, 5, tags=["where"], sources=["voa-2011", "bs-2018"])
    items = select(spec, [builtin])
    assert len(items) == 5
    for item in items:
        assert "where" in item.question.tags and item.question.source in {"voa-2011", "bs-2018"}
    pool = candidates(spec, [builtin])
    expected = {(builtin.id, q.id) for q in builtin.questions
                if "where" in q.tags and q.source in {"voa-2011", "bs-2018"} and q.type_name != "card"}
    assert {(p, q.id) for p, q in pool} == expected and len(expected) == 5
    assert {i.key for i in items} == expected
    # with the flashcards, the three cards among them join the pool
    with_cards = DrillSpec.build([builtin], 1, 5, tags=["where"], sources=["voa-2011", "bs-2018"], with_cards=True)
    assert len(candidates(with_cards, [builtin])) == 8


def test_count_above_the_pool_gives_every_matching_question(small: Pack) -> None:
    items = select(DrillSpec.build([small], 5, 50), [small])
    assert sorted(i.question_id for i in items) == sorted(q.id for q in small.questions)
    with pytest.raises(ValueError, match="no question in drill .* matches its filters"):
        select(DrillSpec.build([small], 5, 5, tags=["context"]), [small])


def test_small_pack_selection_is_pinned(small: Pack) -> None:
    """A change to how drills are drawn changes every class's drills: it must be deliberate."""
    spec = DrillSpec.build([small], 7, 4)
    assert spec.format() == "test-pack@1.0#7/4+marked"
    assert _shape(select(spec, [small])) == PINNED
    # a pack with no flashcard: the flag leaves the pool, and so the draw, as it was
    assert _shape(select(DrillSpec.parse("test-pack@1.0#7/4"), [small])) == PINNED


PINNED = [
    (1, "test-pack", "q-cloze", ()),
    (2, "test-pack", "q-tf", ("True", "False")),
    (3, "test-pack", "q-typed", ()),
    (4, "test-pack", "q-multi", ("Choe Ryong Hae", "Wang Yi", "Kim Jong Un")),
]


def test_packs_are_checked_against_the_code(small: Pack, tmp_path: Path) -> None:
    spec = DrillSpec.build([small], 1, 3)
    newer = dataclasses.replace(small, info=dataclasses.replace(small.info, version="2.0"))
    with pytest.raises(ValueError, match=r"needs pack 'test-pack' version 1\.0, but version 2\.0 is installed"):
        select(spec, [newer])
    with pytest.raises(ValueError, match="needs pack 'test-pack', which is not installed here"):
        select(spec, [])
    # a second pack, pinned at its version, joins the pool
    other_info = dataclasses.replace(small.info, id="other-pack", version="3")
    other = dataclasses.replace(small, info=other_info)
    both = DrillSpec.build([small, other], 1, 12)
    assert both.format() == "test-pack@1.0#1/12+marked;pack=other-pack@3"
    assert [p.id for p in drill_packs(both, [other, small])] == ["test-pack", "other-pack"]
    assert {i.pack_id for i in select(both, [small, other])} == {"test-pack", "other-pack"}
    assert len(select(both, [small, other])) == 12


def test_resolve_packs(small: Pack) -> None:
    other = dataclasses.replace(small, info=dataclasses.replace(small.info, id="other-pack"))
    assert resolve_packs([small, other], None) == [small]
    assert resolve_packs([small, other], ["other-pack", "test-pack", "other-pack"]) == [other, small]
    with pytest.raises(ValueError, match="no pack with id 'nope'"):
        resolve_packs([small], ["nope"])
    with pytest.raises(ValueError, match="no packs found"):
        resolve_packs([], None)


SELECT_SCRIPT = """
import json, sys
from nkstudy.core.classroom.drill import DrillSpec, select
from nkstudy.core.packs.loader import load_pack
from nkstudy.paths import builtin_pack_dir
pack = load_pack(builtin_pack_dir() / "nk-china-visits").pack
out = []
for code in sys.argv[1:]:
    out.append([[i.position, i.pack_id, i.question_id, list(i.options)]
                for i in select(DrillSpec.parse(code), [pack])])
print(json.dumps(out))
"""


def test_selection_is_the_same_in_other_processes_under_any_hash_seed(builtin: Pack) -> None:
    codes = [DrillSpec.build([builtin], 42, 10).format(),
             DrillSpec.build([builtin], 2024, 25, tags=["where", "who"]).format()]
    runs = []
    for hash_seed in ("0", "1", "987654321"):
        env = dict(os.environ, PYTHONHASHSEED=hash_seed, PYTHONPATH=SRC)
        done = subprocess.run([sys.executable, "-c", SELECT_SCRIPT, *codes], capture_output=True, text=True,
                              env=env, check=True, timeout=60)
        runs.append(json.loads(done.stdout))
    here = [[[i.position, i.pack_id, i.question_id, list(i.options)] for i in select(DrillSpec.parse(c), [builtin])]
            for c in codes]
    assert runs[0] == runs[1] == runs[2] == here
    assert len(here[0]) == 10 and len(here[1]) == 25


# -- grading --------------------------------------------------------------------
def _item(pack: Pack, question_id: str):
    items = select(DrillSpec.build([pack], 3, 50), [pack])
    return next(i for i in items if i.question_id == question_id)


def test_results_are_graded_by_the_question_class(small: Pack) -> None:
    common = {"code": "test-pack@1.0#3/50", "profile": "ann", "attempt": "a1", "seconds": 4.5}
    choice = _item(small, "q-choice")
    right = result_of(choice, choice.parse(str(choice.options.index("Pyongyang") + 1)), at=AT, **common)
    assert (right.correct, right.answer, right.picked, right.answered) == (True, "Pyongyang", ("Pyongyang",), True)
    wrong = result_of(choice, "Tokyo", at=AT, **common)
    assert (wrong.correct, wrong.picked) == (False, ("Tokyo",))

    multi = _item(small, "q-multi")
    half = result_of(multi, frozenset({"Kim Jong Un"}), at=AT, **common)
    assert (half.correct, half.picked) == (False, ("Kim Jong Un",))
    full = result_of(multi, frozenset({"Choe Ryong Hae", "Kim Jong Un"}), at=AT, **common)
    assert (full.correct, full.picked, full.answer) == (True, ("Kim Jong Un", "Choe Ryong Hae"),
                                                        "Kim Jong Un; Choe Ryong Hae")

    typed = _item(small, "q-typed")
    loose = result_of(typed, typed.parse("  kim jong-un "), at=AT, **common)
    assert (loose.correct, loose.picked, loose.answer) == (True, None, "kim jong-un")

    order = _item(small, "q-order")
    ordered = result_of(order, order.parse("2 1" if order.options[0] == "Zhao meets Kim Jong Un" else "1 2"),
                        at=AT, **common)
    assert ordered.correct and ordered.picked is None

    tf = _item(small, "q-tf")
    assert result_of(tf, tf.parse("t"), at=AT, **common).correct


def test_time_up_counts_as_unanswered_and_wrong(small: Pack) -> None:
    local = timezone(timedelta(hours=9))
    common = {"code": "c", "profile": "ann", "attempt": "a1", "seconds": 30.0}
    for qid, picked in (("q-choice", ()), ("q-multi", ()), ("q-typed", None), ("q-tf", None)):
        r = result_of(_item(small, qid), None, at=datetime(2024, 5, 1, 21, 0, tzinfo=local), **common)
        assert (r.answered, r.correct, r.answer, r.picked) == (False, False, "", picked)
        assert r.at == AT and r.at.tzinfo == UTC
    with pytest.raises(ValueError, match="timezone-aware"):
        result_of(_item(small, "q-tf"), True, at=datetime(2024, 5, 1), **common)
