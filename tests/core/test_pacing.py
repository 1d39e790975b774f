"""Pacing: new questions interleaved across sources and events, and questions that give each
other away (one shows the other's answer, one event or visit, overlapping excerpts, ``related``)
kept more than six cards apart wherever the queue allows (tests/core/test_giveaway_pacing.py
checks what a learner sees)."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from enginekit import Clock
from nkstudy.core.model import Pack, Question
from nkstudy.core.packs.loader import load_pack
from nkstudy.core.study.pacing import GiveAways
from nkstudy.core.study.planning import (
    SPACING,
    SPREAD_LIMIT,
    TAIL_SCAN,
    interleave,
    pick_spaced,
    space_out,
    spread,
)
from nkstudy.core.study.schedule import Rating
from nkstudy.engine import Engine
from nkstudy.paths import builtin_pack_dir
from packfactory import write_pack

T0 = datetime(2024, 5, 1, 3, 0, tzinfo=UTC)


def builtin_pack() -> Pack:
    result = load_pack(builtin_pack_dir() / "nk-china-visits")
    assert result.pack is not None
    return result.pack


def right(q: Question) -> object:
    if q.type_name == "card":  # self-graded: "I knew it"
        return True
    if q.type_name == "truefalse":
        return q.answer  # type: ignore[attr-defined]
    return getattr(q, "answer", None) or getattr(q, "pairs", None)


def close_pairs(order: list[tuple[str, str]], related: GiveAways) -> list[tuple[str, str, int]]:
    out = []
    for i, a in enumerate(order):
        for j in range(i + 1, min(len(order), i + SPACING + 1)):
            if related(a, order[j]):
                out.append((a[1], order[j][1], j - i))
    return out


def run_session(tmp_path: Path, pack: Pack, seed: int, rating: Rating | None) -> list[tuple[str, str]]:
    """Every card a session over ``pack`` shows, answered right (re-rated ``rating`` when given)."""
    eng = Engine(tmp_path / f"data{seed}", "ann", [pack], clock=Clock(T0), fuzz=False, seed=seed)
    eng.update_settings(new_per_day=1000)
    session = eng.start_session()
    shown = []
    while not session.finished:
        item = session.current
        assert item is not None
        shown.append((item.pack_id, item.question.id))
        outcome = session.answer(right(item.question))
        assert outcome.correct, item.question.id
        if rating is not None:
            session.rate(rating)
        session.advance()
    eng.close()
    return shown


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_session_over_the_builtin_bank_keeps_give_aways_apart(tmp_path: Path, seed: int) -> None:
    pack = builtin_pack()
    assert len(pack.questions) >= 224
    shown = run_session(tmp_path, pack, seed, Rating.Easy)
    assert sorted(q for _p, q in shown) == sorted(q.id for q in pack.questions)
    related = GiveAways({(pack.id, q.id): (pack, q) for q in pack.questions})
    assert close_pairs(shown, related) == []
    # and the pack in file order is full of such pairs: the test can fail
    assert len(close_pairs([(pack.id, q.id) for q in pack.questions], related)) > 300


def test_learning_cards_coming_back_are_spaced_too(tmp_path: Path) -> None:
    pack = builtin_pack()
    shown = run_session(tmp_path, pack, 7, None)  # Good: each new card comes back once
    assert len(shown) == 2 * len(pack.questions)
    related = GiveAways({(pack.id, q.id): (pack, q) for q in pack.questions})
    assert close_pairs(shown, related) == []


def test_new_cards_come_interleaved_across_sources_not_in_file_order(tmp_path: Path) -> None:
    pack = builtin_pack()
    shown = run_session(tmp_path, pack, 1, Rating.Easy)
    first = [pack.question(q) for _p, q in shown[:20]]
    assert [q.id for q in first] != [q.id for q in pack.questions[:20]]
    assert len({q.source for q in first}) >= min(5, len(pack.sources))


def test_the_order_is_the_same_for_the_same_seed(tmp_path: Path) -> None:
    pack = builtin_pack()
    assert run_session(tmp_path / "a", pack, 4, Rating.Easy) == run_session(tmp_path / "b", pack, 4, Rating.Easy)


# -- the pure functions -------------------------------------------------------------

def test_pick_spaced_takes_the_first_candidate_that_fits() -> None:
    groups = {"a1": "a", "a2": "a", "b1": "b", "c1": "c"}

    def same(x: str, y: str) -> bool:
        return groups[x] == groups[y]

    assert pick_spaced(["a2", "b1"], ["a1"], same) == 1
    assert pick_spaced(["b1", "a2"], ["a1"], same) == 0
    assert pick_spaced(["a2"], ["a1"], same) == 0  # nothing else to show
    assert pick_spaced([], ["a1"], same) is None
    # the window is the last six cards only
    assert SPACING == 6
    assert pick_spaced(["a2", "b1"], ["a1", "x", "y", "z", "w", "v"],
                       lambda x, y: same(x, y) if x in groups else False) == 1
    assert pick_spaced(["a2", "b1"], ["a1", "x", "y", "z", "w", "v", "u"],
                       lambda x, y: x in groups and y in groups and same(x, y)) == 0
    # nothing fits: the one whose related card lies furthest back
    def first_letter(x: str, y: str) -> bool:
        return x != "x" and x[0] == y[0]

    assert pick_spaced(["a2", "b2"], ["a1", "b1", "x"], first_letter) == 0
    assert pick_spaced(["a2", "b2"], ["b1", "a1", "x"], first_letter) == 1
    assert pick_spaced(["a2"], ["a1"], same, fits_only=True) is None


def test_space_out_keeps_priority_order_where_spacing_allows() -> None:
    keys = ["e1", "e2", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "e3"]

    def same_event(a: str, b: str) -> bool:
        return a[0] == "e" and b[0] == "e"

    out = space_out(keys, same_event)
    assert out == ["e1", "x1", "x2", "x3", "x4", "x5", "x6", "e2", "x7", "e3"]
    assert space_out(["e1", "e2"], same_event) == ["e1", "e2"]  # nothing else: shown anyway


@given(st.lists(st.integers(0, 5), min_size=0, max_size=60), st.integers(0, 6))
def test_space_out_is_a_permutation_and_spaces_whenever_it_can(groups: list[int], gap: int) -> None:
    keys = list(range(len(groups)))

    def related(a: int, b: int) -> bool:
        return groups[a] == groups[b]

    out = space_out(keys, related, gap)
    assert sorted(out) == keys
    for j, key in enumerate(out):
        window = out[max(0, j - gap):j]
        if any(related(r, key) for r in window):
            # taken only because every key left gives a recent card away
            rest = out[j:]
            assert all(any(related(r, k) for r in window) for k in rest)


def test_interleave_takes_one_of_each_group_in_turn() -> None:
    out = interleave([["a1", "a2", "a3"], ["b1"], ["c1", "c2"]], random.Random(0))
    assert sorted(out) == ["a1", "a2", "a3", "b1", "c1", "c2"]
    assert {k[0] for k in out[:3]} == {"a", "b", "c"}
    assert out[3:] in (["a2", "c2", "a3"], ["c2", "a2", "a3"])
    assert interleave([], random.Random(0)) == []


# -- related: in the loader ------------------------------------------------------------

RELATED_YAML = """\
questions:
  - id: q1
    type: truefalse
    prompt: "The meeting was on a Saturday."
    answer: true
    source: art
    excerpt: during a meeting Saturday
    related: [q2]
  - id: q2
    type: truefalse
    prompt: "The meeting was in April."
    answer: true
    source: art
    excerpt: during a meeting Saturday
"""


def test_related_ids_are_read_and_checked(tmp_path: Path) -> None:
    write_pack(tmp_path / "ok", questions_yaml=RELATED_YAML)
    result = load_pack(tmp_path / "ok")
    assert result.pack is not None, [p.format() for p in result.problems]
    assert result.pack.question("q1").related == ("q2",)
    assert result.pack.question("q1").to_export()["related"] == ["q2"]
    pack = result.pack
    related = GiveAways({(pack.id, q.id): (pack, q) for q in pack.questions})
    assert related((pack.id, "q2"), (pack.id, "q1"))

    write_pack(tmp_path / "bad", questions_yaml=RELATED_YAML.replace("[q2]", "[q2, nope]"))
    bad = load_pack(tmp_path / "bad")
    assert bad.pack is None
    (problem,) = bad.problems
    assert "unknown question id 'nope'" in problem.format() and "\n" not in problem.format()
    assert problem.line is not None

    write_pack(tmp_path / "self", questions_yaml=RELATED_YAML.replace("[q2]", "[q1]"))
    assert "itself" in load_pack(tmp_path / "self").problems[0].format()


def test_give_aways_by_event_and_by_overlapping_excerpt() -> None:
    pack = builtin_pack()
    questions = {(pack.id, q.id): (pack, q) for q in pack.questions}
    related = GiveAways(questions)
    by_event: dict[str, list[Question]] = {}
    for q in pack.questions:
        if q.event:
            by_event.setdefault(q.event, []).append(q)
    a, b = next(v for v in by_event.values() if len(v) > 1)[:2]
    assert related((pack.id, a.id), (pack.id, b.id))
    # two questions on different events of different sources are not related
    x = next(q for q in pack.questions if q.source != a.source and q.event != a.event
             and not related((pack.id, a.id), (pack.id, q.id)))
    assert not related((pack.id, x.id), (pack.id, a.id))


@given(st.lists(st.integers(0, 4), min_size=0, max_size=40))
def test_spread_is_a_permutation_that_spaces_whenever_it_can(groups: list[int]) -> None:
    keys = list(range(len(groups)))

    def related(a: int, b: int) -> bool:
        return groups[a] == groups[b]

    out = spread(keys, related)
    assert sorted(out) == keys

    def closeness(order: list[int]) -> int:
        return sum(SPACING + 1 - (j - i) for j in range(len(order)) for i in range(max(0, j - SPACING), j)
                   if related(order[i], order[j]))

    # never closer than the stable greedy order, which spaces whenever it can
    assert closeness(out) <= closeness(space_out(keys, related))


def test_spread_beats_greedy_on_a_cluster() -> None:
    keys = ["x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "e1", "e2"]

    def same_event(a: str, b: str) -> bool:
        return a[0] == b[0] == "e"

    keys.insert(0, "x0")
    assert space_out(keys, same_event)[-2:] == ["e1", "e2"]  # greedy leaves the pair together
    out = spread(keys, same_event)
    assert abs(out.index("e1") - out.index("e2")) > SPACING


def test_one_cluster_keeps_its_order_and_costs_one_look_at_each_pair() -> None:
    """Questions that all cite one passage can't be kept apart: their order stays as drawn, and
    no mending pass runs over them (a drill of 290 such questions took 0.7 s a visitor)."""
    keys = list(range(300))
    asked = 0

    def related(a: int, b: int) -> bool:
        nonlocal asked
        asked += 1
        return True

    assert spread(keys, related) == keys
    assert asked == 300 * 299 // 2


@pytest.mark.parametrize("group_size", [3, 20_000])  # small visits; one cluster of everything
def test_spread_of_a_huge_list_is_linear_past_its_limit_and_still_spaces(group_size: int) -> None:
    """A new-card limit of 20,000 (or a pack whose questions all cite one passage) never makes
    the quadratic ordering run on all of them: it is asked about a bounded number of pairs."""
    n = 20_000
    keys = list(range(n))
    asked = 0

    def related(a: int, b: int) -> bool:
        nonlocal asked
        asked += 1
        return a // group_size == b // group_size

    out = spread(keys, related)
    assert sorted(out) == keys
    careful = SPREAD_LIMIT * (SPREAD_LIMIT - 1) // 2
    assert asked <= careful * 3 + n * TAIL_SCAN * SPACING  # the head's pairs (and its mending), then linear
    if group_size == 3:  # past the limit, related keys are still kept apart (but for the last few: no choice left)
        tail = out[SPREAD_LIMIT:-3 * (SPACING + 1)]
        assert all(tail[i] // 3 != tail[j] // 3 for j in range(len(tail)) for i in range(max(0, j - SPACING), j))


@pytest.mark.parametrize("seed", range(5))
def test_the_window_test_agrees_with_the_pairwise_rule(seed: int) -> None:
    """GiveAways.near(window) is only a faster form of comparing a key with each recent card."""
    pack = builtin_pack()
    keys = [(pack.id, q.id) for q in pack.questions]
    related = GiveAways({(pack.id, q.id): (pack, q) for q in pack.questions})
    rng = random.Random(seed)
    disagreements = []
    hits = 0
    for _ in range(200):
        window = rng.sample(keys, SPACING)
        gives_away = related.near(window)
        for key in [*rng.sample(keys, 20), window[0]]:  # a key of the window itself too
            slow = any(r != key and related(r, key) for r in window)
            hits += slow
            if gives_away(key) != slow:
                disagreements.append((window, key))
    assert disagreements == []
    assert hits > 50  # the windows did relate to many keys, so the agreement means something
    assert pick_spaced(keys[:40], keys[40:45], related) == pick_spaced(keys[:40], keys[40:45], related,
                                                                        near=related.near)
