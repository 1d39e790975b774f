"""A session never shows a card whose answer one of the five cards before it showed.

"Showed" is worked out here on its own, simply, from the text each card puts on the screen
(prompt, options, answer, explanation, excerpt, citation), with a word-bounded substring
test over plainly folded text: not with the give-away graph the sessions use.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from enginekit import Clock
from nkstudy.core.model import MatchQuestion, Pack, Question
from nkstudy.core.packs.giveaways import STOP_WORDS
from nkstudy.core.packs.loader import load_pack
from nkstudy.engine import Engine
from nkstudy.paths import builtin_pack_dir

T0 = datetime(2024, 5, 1, 3, 0, tzinfo=UTC)
WINDOW = 5
CARDS = 40


def plain(text: str) -> str:
    """Lowercase ASCII words separated by single spaces, with a space at each end."""
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " " + " ".join(re.findall(r"[a-z0-9]+", text.casefold())) + " "


def answers_of(q: Question) -> list[str]:
    """The answer texts of ``q``, written out per type (no code of the graph's)."""
    kind = q.type_name
    if kind == "truefalse":
        return []
    if kind == "multi":
        return sorted(q.answer)  # type: ignore[attr-defined]
    if kind in ("typed", "cloze"):
        return [q.answer, *q.accept]  # type: ignore[attr-defined]
    if kind == "card":
        return [q.back]  # type: ignore[attr-defined]
    if kind == "order":
        return [" ".join(q.answer)]  # type: ignore[attr-defined]
    if kind == "match":
        return [f"{a} {b}" for a, b in q.pairs]  # type: ignore[attr-defined]
    return [q.answer]  # type: ignore[attr-defined]


def telling(q: Question) -> list[str]:
    """The answers of ``q`` that tell something and are not in its own prompt, folded."""
    out = []
    for answer in answers_of(q):
        folded = plain(answer)
        words = folded.split()
        if not words or all(w in STOP_WORDS or len(w) <= 1 for w in words):
            continue
        if folded in plain(q.prompt):
            continue
        out.append(folded)
    return out


def screen_text(pack: Pack, q: Question) -> str:
    parts = [q.prompt, q.answer_text(), q.explanation or "", q.excerpt or ""]
    parts += list(q.choices())
    if isinstance(q, MatchQuestion):
        parts += [left for left, _right in q.pairs]
    source = pack.source_of(q)
    if source is not None:
        parts += [source.title, source.outlet, source.published.iso()]
    return " | ".join(plain(p) for p in parts)


def leaks_in(pack: Pack, shown: list[str]) -> list[tuple[str, str, str]]:
    """(earlier card, later card, answer) for each later card whose answer one of the five before showed."""
    out = []
    for j, qid in enumerate(shown):
        later = pack.question(qid)
        for before in shown[max(0, j - WINDOW):j]:
            if before == qid:
                continue
            text = screen_text(pack, pack.question(before))
            out += [(before, qid, a.strip()) for a in telling(later) if a in text]
    return out


def builtin() -> Pack:
    result = load_pack(builtin_pack_dir() / "nk-china-visits")
    assert result.pack is not None
    return result.pack


def right(q: Question) -> object:
    if q.type_name == "truefalse":
        return q.answer  # type: ignore[attr-defined]
    if q.type_name == "card":
        return True
    if q.type_name == "match":
        return q.pairs  # type: ignore[attr-defined]
    return q.answer  # type: ignore[attr-defined]


def sit(engine: Engine, count: int, **options: object) -> list[str]:
    """The question ids a session shows, every answer right, up to ``count`` cards."""
    session = engine.start_session(**options)  # type: ignore[arg-type]
    shown: list[str] = []
    while not session.finished and len(shown) < count:
        item = session.current
        assert item is not None
        shown.append(item.question.id)
        assert session.answer(right(item.question)).correct
        session.advance()
    return shown


SEEDS = range(10)


@pytest.mark.parametrize("seed", SEEDS)
def test_a_fresh_profile_sees_no_answer_given_away(tmp_path: Path, seed: int) -> None:
    pack = builtin()
    with Engine(tmp_path, "ann", [pack], clock=Clock(T0), fuzz=False, seed=seed) as engine:
        engine.update_settings(new_per_day=CARDS)
        shown = sit(engine, CARDS)
    assert len(shown) == CARDS
    assert leaks_in(pack, shown) == []


@pytest.mark.parametrize("seed", SEEDS)
def test_a_profile_with_due_reviews_sees_no_answer_given_away(tmp_path: Path, seed: int) -> None:
    pack = builtin()
    clock = Clock(T0)
    with Engine(tmp_path, "ann", [pack], clock=clock, fuzz=False, seed=seed) as engine:
        engine.update_settings(new_per_day=60)
        first = sit(engine, 200)
        clock.now = T0 + timedelta(days=30)
        engine.update_settings(new_per_day=15)
        shown = sit(engine, CARDS)
    assert len(shown) == CARDS
    assert len(set(shown) & set(first)) >= 15  # the reviews that came due are in it
    assert leaks_in(pack, shown) == []


def test_the_check_finds_give_aways_in_an_unpaced_order() -> None:
    """The pack in file order is full of them: the check above can fail."""
    pack = builtin()
    assert len(leaks_in(pack, [q.id for q in pack.questions][:CARDS])) > 5


def test_drills_are_drawn_spaced_and_stay_deterministic() -> None:
    from nkstudy.core.classroom.drill import DrillSpec, candidates, select

    pack = builtin()
    paced = drawn = 0
    for seed in SEEDS:
        # 30 a drill: enough for the unpaced draws of the bank (whose leaks are all linked,
        # few of them by common words) to show more than ten give-aways
        # with the flashcards: the whole bank, so its many linked leaks are in the draw
        spec = DrillSpec.build([pack], seed, 30, with_cards=True)
        items = select(spec, [pack])
        assert [i.key for i in items] == [i.key for i in select(spec, [pack])]
        raw = [q.id for _p, q in spec.rng().sample(candidates(spec, [pack]), 30)]  # the draw before pacing
        assert sorted(raw) == sorted(i.question_id for i in items)
        paced += len(leaks_in(pack, [i.question_id for i in items]))
        drawn += len(leaks_in(pack, raw))
    assert drawn > 10 and paced <= drawn // 4, (paced, drawn)
