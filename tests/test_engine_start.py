"""Engine.start reads only what a normal queue can hold; its sessions are those of every card and question.

The engine reads the cards due before the end of the study day and one list of seen ids per
pack, instead of a row per card.  These tests hold it to the plain definition: the queue
``study_queue`` plans from every selected question and every card of the profile.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from nkstudy.core.model import Pack, PackInfo, PartialDate, Source, TrueFalseQuestion
from nkstudy.core.study.session import Selection, StudyRequest, StudySession, study_queue
from nkstudy.engine import Engine
from nkstudy.store.progress import ProfileProgress

NOW = datetime(2024, 5, 1, 3, 0, tzinfo=UTC)


def _pack(pack_id: str, n: int) -> Pack:
    sources = {s: Source(s, f"sources/{s}.txt", s, "Wire", PartialDate(2024, 4, 13), False, "on Saturday")
               for s in ("s1", "s2", "s3")}
    questions = tuple(
        TrueFalseQuestion(id=f"q{i:03d}", prompt=f"Statement {i}", source=f"s{i % 3 + 1}", excerpt="on Saturday",
                          tags=(("when", "who", "where")[i % 3],), answer=True)
        for i in range(n)
    )
    return Pack(PackInfo(pack_id, pack_id.upper(), "1", "bench", "en"), Path("."), sources, (), questions)


def _fill(eng: Engine, rng: random.Random, packs: list[Pack]) -> None:
    """Random cards: every state, due from two days ago to two days ahead, some for no question."""
    now_ts = NOW.timestamp()
    rows = []
    for pack in [*packs, _pack("gone", 10)]:
        for q in pack.questions:
            if rng.random() < 0.6:
                due = now_ts + rng.uniform(-2, 2) * 86400
                rows.append((eng.profile_id, pack.id, q.id, rng.choice((1, 2, 2, 3)), None, 5.0, 5.0,
                             due, due - 86400, 3, 0))
        rows += [(eng.profile_id, pack.id, f"orphan{i}", 2, None, 5.0, 5.0, now_ts - i, now_ts - 86400, 1, 0)
                 for i in range(3)]
    eng.store.write(lambda c: c.executemany("INSERT INTO cards VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows))


def _walk(session: StudySession) -> list[tuple[str, str, int, int, bool]]:
    out = []
    while not session.finished:
        item = session.current
        assert item is not None
        out.append((item.pack_id, item.question.id, item.index, item.total, item.is_new))
        session.advance()
    return out


def _expected(eng: Engine, request: StudyRequest, rng: random.Random) -> StudySession:
    """The session of the plain definition: every selected question, every card (``rng``: the engine's, copied)."""
    packs = [eng.packs[p] for p in request.pack_ids or eng.packs]
    questions = Selection.of(request.source_ids, request.tags, request.question_ids).pick(packs)
    start, end = eng.day_bounds(NOW)
    cards = eng.store.cards(eng.profile_id)
    new_limit = max(0, eng.settings.new_per_day - eng.store.new_cards_since(eng.profile_id, start.timestamp()))
    queue = study_queue(questions, cards, NOW, end, new_limit, request.limit, rng)
    return StudySession(questions, queue, progress=ProfileProgress(eng.store, eng.profile_id),
                        planner=eng.planner, rng=random.Random(1), clock=lambda: NOW, practice=False, day_end=end,
                        limit=request.limit)


REQUESTS = [
    StudyRequest(),
    StudyRequest(pack_ids=["b", "a", "b"]),
    StudyRequest(limit=7),
    StudyRequest(tags=["who"]),
    StudyRequest(source_ids=["s2", "s3"], pack_ids=["a"]),
    StudyRequest(question_ids=["q001", "q002", "q050", "orphan1"]),
    StudyRequest(tags=["nope"]),
]


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("new_per_day", [0, 5, 1000])
def test_a_normal_session_is_the_one_planned_from_every_card(tmp_path: Path, progress_db: str | None, seed: int,
                                                             new_per_day: int) -> None:
    packs = [_pack("a", 80), _pack("b", 60)]
    eng = Engine(tmp_path / "data", "ann", packs, clock=lambda: NOW, tz=UTC, fuzz=False, seed=1, db=progress_db)
    try:
        _fill(eng, random.Random(seed), packs)
        eng.update_settings(new_per_day=new_per_day)
        for request in REQUESTS:
            rng = random.Random()
            rng.setstate(eng._rng.getstate())  # the new cards are drawn from it, so both draw alike
            assert _walk(eng.start(request)) == _walk(_expected(eng, request, rng)), request
    finally:
        eng.close()


def test_seen_ids_are_listed_per_pack(tmp_path: Path, progress_db: str | None) -> None:
    packs = [_pack("a", 5)]
    eng = Engine(tmp_path / "data", "ann", packs, clock=lambda: NOW, tz=UTC, fuzz=False, seed=1, db=progress_db)
    try:
        assert eng.store.card_ids(eng.profile_id) == {}
        _fill(eng, random.Random(4), packs)
        cards = eng.store.cards(eng.profile_id)
        seen = eng.store.card_ids(eng.profile_id)
        assert {(p, q) for p, ids in seen.items() for q in ids} == set(cards)
        assert set(eng.store.card_ids(eng.profile_id, ["a"])) == {"a"}
        cut = NOW.timestamp() + 3600
        assert eng.store.cards(eng.profile_id, ["a"], due_before=cut) == {
            k: r for k, r in cards.items() if k[0] == "a" and r.due < cut}
    finally:
        eng.close()


def test_a_first_answer_today_takes_a_new_card_off_the_next_session(tmp_path: Path,
                                                                    progress_db: str | None) -> None:
    packs = [_pack("a", 30)]
    eng = Engine(tmp_path / "data", "ann", packs, clock=lambda: NOW + timedelta(hours=2), tz=UTC, fuzz=False, seed=1,
                 db=progress_db)
    try:
        eng.update_settings(new_per_day=3)
        session = eng.start(StudyRequest())
        first = session.current
        assert first is not None
        offered = [i[1] for i in _walk(eng.start(StudyRequest()))]
        assert len(offered) == 3 and all(i[4] for i in _walk(eng.start(StudyRequest())))  # three new today
        session.answer(True)
        left = [i[1] for i in _walk(eng.start(StudyRequest())) if i[4]]
        assert len(left) == 2 and first.question.id not in left  # one of today's three is taken
    finally:
        eng.close()
