"""Anki's card tools through the engine and the CardBook facade, on a real SQLite file and on PostgreSQL:
I was right, suspend, bury, flag, leeches, what is due next, and settings that take effect."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from enginekit import Clock, make_pack
from nkstudy.cardbook import CardBook
from nkstudy.core.study.browse import CardQuery
from nkstudy.core.study.schedule import Rating, State
from nkstudy.engine import Engine
from nkstudy.store.db import Store, locate

SEOUL = ZoneInfo("Asia/Seoul")
T0 = datetime(2024, 5, 1, 12, 0, tzinfo=SEOUL).astimezone(UTC)  # noon in Seoul; the day starts at 4 am


DB: str | None = None  # the progress database of the running test (None: the data folder's SQLite file)


@pytest.fixture(autouse=True)
def _on_each_backend(progress_db: str | None):
    """Every test here runs on SQLite and on PostgreSQL."""
    global DB
    DB = progress_db
    yield
    DB = None


def _engine(tmp_path: Path, clock: Clock, n: int | None = None) -> Engine:
    pack = make_pack(tmp_path / "p", n=n)
    return Engine(tmp_path / "data", "ann", [pack], clock=clock, tz=SEOUL, fuzz=False, seed=1, db=DB)


def rows(tmp_path: Path, sql: str) -> list[tuple]:
    store = Store(locate(tmp_path / "data", DB))
    try:
        return [tuple(r) for r in store.read(sql)]
    finally:
        store.close()


def _ids(eng: Engine, **kw) -> list[str]:
    session = eng.start_session(**kw)
    out = []
    while session.current is not None:
        out.append(session.current.question.id)
        session.advance()
    return out


def test_i_was_right_regrades_logs_and_scores_an_override(tmp_path) -> None:
    clock = Clock(T0)
    eng = _engine(tmp_path, clock)
    s = eng.start_session(question_ids=["q-typed"])
    out = s.answer("Kim Il Sung")
    assert not out.correct and out.overridable and s.score.right == 0
    assert s.missed
    out = s.override()
    assert out.correct and out.overridden and out.rating == Rating.Good and not out.overridable
    assert (s.score.right, s.score.wrong, s.score.overridden) == (1, 0, 1) and not s.missed
    assert rows(tmp_path, "SELECT correct, override, rating FROM reviews") == [(1, 1, 3)]
    state, due = rows(tmp_path, "SELECT state, due FROM cards")[0]
    assert state == State.Learning and due == pytest.approx((T0 + timedelta(minutes=10)).timestamp())
    s.rate(Rating.Easy)  # an overridden answer may be rated like a right one
    assert rows(tmp_path, "SELECT correct, override, rating FROM reviews") == [(1, 1, 4)]
    assert CardBook(eng).overrides() == {"test-pack/q-typed": 1}
    with pytest.raises(ValueError):
        s.override()  # once
    s.undo()
    assert rows(tmp_path, "SELECT count(*) FROM reviews") == [(0,)] and s.score.answered == 0
    eng.close()


def test_only_a_wrong_typed_answer_can_be_overridden(tmp_path) -> None:
    eng = _engine(tmp_path, Clock(T0))
    s = eng.start_session(question_ids=["q-choice"], practice=True)
    out = s.answer("Beijing")
    assert not out.overridable
    with pytest.raises(ValueError):
        s.override()
    s.advance()
    s = eng.start_session(question_ids=["q-cloze"], practice=True)
    assert s.answer(None).overridable is False  # "don't know" is no answer to regrade
    eng.close()


def test_suspended_and_buried_cards_enter_no_queue(tmp_path) -> None:
    clock = Clock(T0)
    eng = _engine(tmp_path, clock, n=3)
    s = eng.start_session()
    first = s.current.question.id
    s.answer(False)  # Again: it would come back in a minute
    assert s.mark(suspend=True).suspended
    s.advance()
    second = s.current.question.id
    s.answer(False)
    assert s.mark(bury=True).buried
    assert s.mark(flag=True).flagged
    s.advance()
    shown = [s.current.question.id]
    while s.advance() is not None:
        shown.append(s.current.question.id)
    assert first not in shown and second not in shown  # neither comes back in this session
    clock.advance(hours=2)
    assert first not in _ids(eng) and second not in _ids(eng)
    assert first not in _ids(eng, practice=True) and second not in _ids(eng, practice=True)
    assert sum(c.now + c.new for c in eng.study_counts()) == len(_ids(eng))
    clock.now = datetime(2024, 5, 2, 4, 1, tzinfo=SEOUL).astimezone(UTC)  # the next study day
    assert second in _ids(eng) and first not in _ids(eng)
    book = CardBook(eng)
    states = {c.question.id: c.states for c in book.search(CardQuery())}
    assert "suspended" in states[first] and "flagged" in states[second] and "buried" not in states[second]
    book.set_marks(("test-pack", first), suspended=False)
    assert first in _ids(eng)
    assert [c.question.id for c in book.search(CardQuery(state="flagged"))] == [second]
    eng.close()


def _review(eng: Engine, clock: Clock, correct: bool, rating: Rating | None = None):
    s = eng.start_session(question_ids=["q001"])
    assert s.current is not None
    out = s.answer(correct)
    if rating is not None:
        out = s.rate(rating)
    return s, out


def test_a_card_that_lapses_leech_threshold_times_is_a_suspended_leech(tmp_path) -> None:
    clock = Clock(T0)
    eng = _engine(tmp_path, clock, n=1)
    eng.update_settings(leech_threshold=2)
    _review(eng, clock, True, Rating.Easy)  # straight to review
    for lapse in (1, 2):
        clock.advance(days=60)
        s, out = _review(eng, clock, False)  # a lapse
        if lapse == 1:
            assert not out.leech
            clock.advance(minutes=15)
            _review(eng, clock, True)  # relearned: back in review
    assert out.leech and out.suspended
    assert rows(tmp_path, "SELECT lapses FROM cards") == [(2,)]
    assert rows(tmp_path, "SELECT suspended, leech FROM card_marks") == [(1, 1)]
    clock.advance(days=60)
    assert _ids(eng) == [] and _ids(eng, practice=True) == []
    s.undo()  # takes the lapse back, and the leech with it
    assert rows(tmp_path, "SELECT count(*) FROM card_marks") == [(0,)]
    eng.close()


def test_leech_rule_as_anki() -> None:
    from nkstudy.core.study.marks import is_leech

    assert [n for n in range(1, 21) if is_leech(n, 8)] == [8, 12, 16, 20]
    assert not any(is_leech(n, 0) for n in range(1, 50))


def test_when_nothing_is_due_today_says_when_the_next_card_is(tmp_path) -> None:
    clock = Clock(T0)
    eng = _engine(tmp_path, clock, n=3)
    eng.update_settings(new_per_day=3)
    s = eng.start_session()
    s.answer(True)  # Good: back in 10 minutes
    s.advance()
    s.answer(True)
    s.rate(Rating.Easy)  # review, due in days
    eng.update_settings(new_per_day=0)
    today = eng.today()
    assert today.due_now == 0  # the card back in ten minutes is not due now
    assert today.next_due == T0 + timedelta(minutes=10)
    clock.advance(minutes=11)
    assert eng.today().due_now == 1
    eng.close()


def test_settings_take_effect_in_fsrs(tmp_path) -> None:
    clock = Clock(T0)
    eng = _engine(tmp_path, clock, n=2)
    eng.update_settings(maximum_interval_days=3, learning_steps_minutes=[5], desired_retention=0.8,
                        relearning_steps_minutes=[30])
    sched = eng.planner.scheduler
    assert sched.maximum_interval == 3 and sched.desired_retention == 0.8
    assert sched.learning_steps == (timedelta(minutes=5),) and sched.relearning_steps == (timedelta(minutes=30),)
    s = eng.start_session()
    out = s.answer(True)
    assert out.intervals[Rating.Again] == timedelta(minutes=5)
    assert out.intervals[Rating.Easy] <= timedelta(days=3)
    eng.close()


def test_the_profiles_own_parameters_schedule(tmp_path) -> None:
    eng = _engine(tmp_path, Clock(T0), n=1)
    own = list(eng.planner.scheduler.parameters)
    own[2] = 20.0  # a far stronger first memory after Good
    CardBook(eng).save_parameters(tuple(own))
    assert eng.planner.scheduler.parameters[2] == 20.0
    eng.close()
    again = _engine(tmp_path, Clock(T0), n=1)
    assert again.settings.parameters[2] == 20.0
    again.close()


def test_card_history_lists_every_answer(tmp_path) -> None:
    clock = Clock(T0)
    eng = _engine(tmp_path, clock)
    s = eng.start_session(question_ids=["q-typed"], practice=True)
    s.answer("nobody")
    s.override()
    history = CardBook(eng).history(("test-pack", "q-typed"))
    assert [(a.answer, a.correct, a.overridden, a.practice) for a in history.answers] == [
        ("nobody", True, True, True)]
    assert history.card.states == ("new",)  # practice leaves the schedule alone
    found = CardBook(eng).search(CardQuery(text="KIM JONG", type="typed"))
    assert [c.question.id for c in found] == ["q-typed"]
    eng.close()
