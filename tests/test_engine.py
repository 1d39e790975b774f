"""The engine facade against real packs and a real database (an SQLite file, and PostgreSQL); only the clock is fake."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fsrs import Card, Scheduler, State

from enginekit import Clock, make_pack
from nkstudy.core.packs.loader import load_pack
from nkstudy.core.study.schedule import Rating
from nkstudy.engine import Engine, StoreError
from nkstudy.store.db import Store, locate
from packfactory import QUESTIONS_YAML, write_pack

SEOUL = ZoneInfo("Asia/Seoul")
# noon in Seoul
T0 = datetime(2024, 5, 1, 12, 0, tzinfo=SEOUL).astimezone(UTC)


DB: str | None = None  # the progress database of the running test (None: the data folder's SQLite file)


@pytest.fixture(autouse=True)
def _on_each_backend(progress_db: str | None):
    """Every test here runs on SQLite and on PostgreSQL."""
    global DB
    DB = progress_db
    yield
    DB = None


def engine_for(tmp_path: Path, pack, clock: Clock, **kw) -> Engine:
    return Engine(tmp_path / "data", "ann", [pack], clock=clock, tz=SEOUL, fuzz=False, seed=1, db=DB, **kw)


def fresh_engine(tmp_path: Path, n: int, **kw) -> tuple[Engine, Clock]:
    """An engine over a new pack of ``n`` true/false questions, and its clock (set to T0)."""
    clock = Clock(T0)
    return engine_for(tmp_path, make_pack(tmp_path / "p", n=n), clock, **kw), clock


def rows(tmp_path: Path, sql: str, *params):
    store = Store(locate(tmp_path / "data", DB))
    try:
        return [tuple(r) for r in store.read(sql, params)]
    finally:
        store.close()


def right(item) -> object:
    q = item.question
    return {"truefalse": True}.get(q.type_name, getattr(q, "answer", None))


def test_answers_are_scheduled_as_fsrs_does(tmp_path: Path) -> None:
    eng, clock = fresh_engine(tmp_path, 1)
    ref, card = Scheduler(enable_fuzzing=False), Card(card_id=1, due=T0)
    for ok in (True, True, True, False, True, True):
        session = eng.start_session()
        item = session.current
        assert item is not None and item.question.id == "q001"
        outcome = session.answer(True if ok else False)
        card, _ = ref.review_card(card, Rating.Good if ok else Rating.Again, clock.now)
        assert outcome.rating == (Rating.Good if ok else Rating.Again)
        assert clock.now + outcome.intervals[outcome.rating] == card.due
        (due,) = rows(tmp_path, "SELECT due FROM cards")[0]
        assert due == pytest.approx(card.due.timestamp())
        clock.now = card.due
    assert rows(tmp_path, "SELECT count(*) FROM reviews")[0][0] == 6
    eng.close()


def test_queue_order_and_daily_new_limit_across_the_4am_rollover(tmp_path: Path) -> None:
    eng, clock = fresh_engine(tmp_path, 12)
    eng.update_settings(new_per_day=5)
    session = eng.start_session()
    first = []
    while not session.finished and session.current.is_new:
        first.append(session.current.question.id)
        session.answer(True)  # Good -> 10-minute learning step
        session.advance()
    assert first == ["q001", "q002", "q003", "q004", "q005"]
    # the learning cards come back (learn-ahead), and are not new any more
    assert not session.finished and session.current.question.id == "q001"
    # a new session the same day: no new cards left today
    clock.advance(minutes=30)
    again = eng.start_session()
    ids = []
    while not again.finished:
        ids.append(again.current.question.id)
        again.answer(True)
        again.advance()
    assert ids == first  # the learning cards graduate; nothing new
    # 03:59 next morning in Seoul: still the same study day
    clock.now = datetime(2024, 5, 2, 3, 59, tzinfo=SEOUL).astimezone(UTC)
    assert [k for k in _queue_ids(eng) if k > "q005"] == []
    # 04:00: a new day, five more new cards, after any due reviews
    clock.now = datetime(2024, 5, 2, 4, 0, tzinfo=SEOUL).astimezone(UTC)
    ids = _queue_ids(eng)
    assert [i for i in ids if i > "q005"] == ["q006", "q007", "q008", "q009", "q010"]
    eng.close()


def _queue_ids(eng: Engine) -> list[str]:
    s = eng.start_session()
    out = []
    while not s.finished:
        out.append(s.current.question.id)
        s.advance()  # skip without answering
    return out


def test_due_reviews_most_overdue_first_then_learning_first(tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "p", n=3)
    clock = Clock(T0)
    eng = engine_for(tmp_path, pack, clock)
    # q002 learned first, q001 a day later: q002 becomes the more overdue (against pack order)
    for qid in ("q002", "q001"):
        s = eng.start_session(question_ids=[qid])
        s.answer(True)
        s.rate(Rating.Easy)
        clock.advance(days=1)
    clock.advance(days=30)
    s = eng.start_session(question_ids=["q001", "q002"])
    assert s.current.question.id == "q002"
    s.answer(False)  # lapse: relearning in 10 minutes
    s.advance()
    assert s.current.question.id == "q001"
    clock.advance(minutes=11)
    s2 = eng.start_session()
    assert s2.current.question.id == "q002"  # due relearning card before reviews (q001) and new cards
    eng.close()


def test_rate_changes_the_committed_schedule(tmp_path: Path) -> None:
    eng, clock = fresh_engine(tmp_path, 2)
    s = eng.start_session()
    outcome = s.answer(True)
    easy = s.rate(Rating.Easy)
    assert easy.rating == Rating.Easy
    (due, state) = rows(tmp_path, "SELECT due, state FROM cards WHERE question_id='q001'")[0]
    assert state == State.Review
    assert due == pytest.approx((T0 + outcome.intervals[Rating.Easy]).timestamp())
    assert rows(tmp_path, "SELECT rating FROM reviews")[0][0] == Rating.Easy
    with pytest.raises(ValueError):
        s.rate(Rating.Again)
    s.advance()
    s.answer(False)
    with pytest.raises(ValueError):
        s.rate(Rating.Good)
    eng.close()


def test_undo_restores_card_and_log_and_question(tmp_path: Path) -> None:
    eng, clock = fresh_engine(tmp_path, 3)
    s = eng.start_session()
    first = s.current
    s.answer(True)
    s.advance()
    clock.advance(minutes=1)
    second = s.current
    s.answer(False)
    assert s.score.answered == 2 and len(s.missed) == 1
    back = s.undo()  # before advancing
    assert back.question.id == second.question.id
    assert s.score.answered == 1 and s.missed == []
    assert rows(tmp_path, "SELECT count(*) FROM reviews")[0][0] == 1
    assert rows(tmp_path, "SELECT count(*) FROM cards WHERE question_id = ?", second.question.id)[0][0] == 0
    back = s.undo()  # the first answer, after having moved on from it
    assert back.question.id == first.question.id and back.shown == first.shown
    assert rows(tmp_path, "SELECT count(*) FROM reviews")[0][0] == 0
    assert rows(tmp_path, "SELECT count(*) FROM cards")[0][0] == 0
    # the queue is intact: answering through gives the same order again
    seen = []
    while not s.finished and len(seen) < 3:
        seen.append(s.current.question.id)
        s.answer(True)
        s.advance()
    assert seen == ["q001", "q002", "q003"]
    eng.close()


def test_undo_of_a_review_restores_its_previous_state(tmp_path: Path) -> None:
    eng, clock = fresh_engine(tmp_path, 1)
    s = eng.start_session()
    s.answer(True)
    s.rate(Rating.Easy)
    before = rows(tmp_path, "SELECT * FROM cards")
    clock.advance(days=20)
    s = eng.start_session()
    s.answer(False)
    assert rows(tmp_path, "SELECT * FROM cards") != before
    s.undo()
    assert rows(tmp_path, "SELECT * FROM cards") == before
    eng.close()


def test_practice_logs_answers_but_leaves_the_schedule_alone(tmp_path: Path) -> None:
    eng, clock = fresh_engine(tmp_path, 4)
    s = eng.start_session(question_ids=["q001", "q002"])
    for _ in range(2):
        s.answer(True)
        s.rate(Rating.Easy)
        s.advance()
    cards_before = rows(tmp_path, "SELECT * FROM cards ORDER BY question_id")
    p = eng.start_session(practice=True)
    assert p.practice
    asked = []
    while not p.finished:
        asked.append(p.current.question.id)
        p.answer(False)
        p.advance()
    assert sorted(asked) == ["q001", "q002", "q003", "q004"]  # not due: the reviews and the unseen
    assert rows(tmp_path, "SELECT * FROM cards ORDER BY question_id") == cards_before
    assert rows(tmp_path, "SELECT count(*) FROM reviews WHERE practice = 1")[0][0] == 4
    p.undo()
    assert rows(tmp_path, "SELECT count(*) FROM reviews WHERE practice = 1")[0][0] == 3
    assert rows(tmp_path, "SELECT * FROM cards ORDER BY question_id") == cards_before
    eng.close()


def test_filters_by_pack_source_tag(tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "p")  # six questions of every type
    eng = engine_for(tmp_path, pack, Clock(T0))
    s = eng.start_session(tags=["when"])
    ids = set()
    while not s.finished:
        ids.add(s.current.question.id)
        s.advance()
    assert ids == {"q-tf", "q-order"}
    assert eng.start_session(source_ids=["nope"]).finished
    with pytest.raises(ValueError, match="no pack"):
        eng.start_session(pack_ids=["nope"])
    eng.close()


def test_rewording_a_question_keeps_its_progress(tmp_path: Path) -> None:
    folder = write_pack(tmp_path / "p")
    pack = load_pack(folder).pack
    clock = Clock(T0)
    eng = engine_for(tmp_path, pack, clock)
    s = eng.start_session(question_ids=["q-typed"])
    s.answer("Kim Jong Un")
    s.rate(Rating.Easy)
    eng.close()
    (folder / "questions.yaml").write_text(
        QUESTIONS_YAML.replace("who was the North Korean leader the official met?",
                               "whom did the official meet, by name?"), encoding="utf-8")
    pack2 = load_pack(folder).pack
    assert pack2.question("q-typed").prompt.endswith("by name?")
    eng = engine_for(tmp_path, pack2, clock)
    (ov,) = eng.pack_overview()
    assert ov.review == 1 and ov.new == 5
    eng.close()


def test_profiles_settings_and_stats(tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "p", n=6, tags=("who", "where"))
    clock = Clock(T0)
    eng = engine_for(tmp_path, pack, clock)
    eng.update_settings(new_per_day=3)
    s = eng.start_session()
    for ok in (True, False, True):
        s.answer(ok)
        s.advance()
    st = eng.stats()
    assert st.profile == "ann" and st.reviews == 3 and st.right == 2
    assert st.accuracy_by_pack == {"test-pack": (2, 3)}
    assert st.accuracy_by_source == {"test-pack/art": (2, 3)}
    assert st.accuracy_by_tag == {"who": (2, 2), "where": (0, 1)}  # q1 who, q2 where, q3 who
    assert (st.new, st.learning, st.review) == (3, 3, 0)
    assert len(st.forecast) == 14 and st.forecast[0] == 3
    assert st.streak_days == 1 and st.retention is None
    assert st.daily_reviews == {datetime(2024, 5, 1).date(): 3}
    today = eng.today()
    assert (today.reviews, today.right, today.streak_days) == (3, 2, 1)
    data = st.to_json()
    for key in ("profile", "reviews", "accuracy", "due_now", "new", "learning", "review", "forecast"):
        assert key in data
    # another profile has its own progress and settings
    eng.switch_profile("bob")
    assert eng.settings.new_per_day == 20
    assert eng.stats().reviews == 0
    assert eng.profiles() == ["ann", "bob"]
    eng.switch_profile("ann")
    assert eng.settings.new_per_day == 3
    with pytest.raises(ValueError):
        eng.switch_profile("  ")
    eng.close()


def test_true_retention_and_streak_over_days(tmp_path: Path) -> None:
    eng, clock = fresh_engine(tmp_path, 2)
    s = eng.start_session()
    for _ in range(2):
        s.answer(True)
        s.rate(Rating.Easy)
        s.advance()
    for day in range(1, 40):
        clock.now = T0 + timedelta(days=day)
        s = eng.start_session()
        for _ in range(4):  # a failed card comes back within the session; stop after a few
            if s.finished:
                break
            s.answer(s.current.question.id == "q001")
            s.advance()
    st = eng.stats()
    assert st.retention is not None and 0 < st.retention < 1
    assert st.streak_days >= 1
    assert sum(st.daily_reviews.values()) == st.reviews
    eng.close()


def test_engine_refuses_bad_files_with_store_error(tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "p", n=1)
    data = tmp_path / "data"
    data.mkdir()
    (data / "progress.sqlite3").write_text("hello, not a database\n")
    with pytest.raises(StoreError, match="progress.sqlite3"):
        Engine(data, "ann", [pack])


def test_study_counts_match_what_a_session_would_show(tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "p", n=8)
    clock = Clock(T0)
    eng = engine_for(tmp_path, pack, clock)
    eng.update_settings(new_per_day=4, learning_steps_minutes=[1, 120])
    (c,) = eng.study_counts()
    assert (c.pack_id, c.new, c.learning, c.due, c.later) == (pack.id, 4, 0, 0, 0)
    s = eng.start_session(question_ids=["q001", "q002", "q003"])
    s.answer(False)  # Again: back in a minute (a session's learn-ahead would show it now)
    s.advance()
    s.answer(True)  # Good: the 120-minute step, later today
    s.advance()
    s.answer(True)
    s.rate(Rating.Easy)  # straight to review, due in days
    (c,) = eng.study_counts()
    # limit 4, 3 introduced; the card back in a minute is not due now: due now counts only what is
    assert (c.new, c.learning, c.due, c.later, c.now) == (1, 0, 0, 2, 0)
    clock.advance(minutes=2)
    (c,) = eng.study_counts()
    assert (c.new, c.learning, c.due, c.later, c.now) == (1, 1, 0, 1, 1)
    # "due now" means the same on home, in stats and in today's summary
    assert eng.today().due_now == eng.stats().due_now == eng.stats([pack.id]).due_now == c.now
    clock.advance(days=40)
    (c,) = eng.study_counts()
    assert (c.new, c.learning, c.due, c.later) == (4, 2, 1, 0)  # a new day: the limit is fresh
    assert len(_queue_ids(eng)) == c.new + c.learning + c.due
    eng.close()


def test_a_new_profile_is_stamped_with_the_engines_clock(tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "p", n=1)
    eng = engine_for(tmp_path, pack, Clock(T0))
    eng.switch_profile("bob")
    eng.close()
    created = dict(rows(tmp_path, "SELECT name, created FROM profiles"))
    assert created == {"ann": T0.isoformat(timespec="seconds"), "bob": T0.isoformat(timespec="seconds")}


def test_undo_after_rating_and_moving_on(tmp_path: Path) -> None:
    eng, clock = fresh_engine(tmp_path, 2)
    s = eng.start_session()
    s.answer(True)
    s.rate(Rating.Easy)  # graduates at once: not requeued
    s.advance()
    assert s.current.question.id == "q002"
    back = s.undo()
    assert back.question.id == "q001" and not s.answered
    assert rows(tmp_path, "SELECT count(*) FROM reviews")[0][0] == 0
    assert rows(tmp_path, "SELECT count(*) FROM cards")[0][0] == 0
    outcome = s.answer(True)  # answered afresh: the default rating again, still a new card's steps
    assert outcome.rating == Rating.Good and outcome.intervals[Rating.Good] == timedelta(minutes=10)
    s.advance()
    assert s.current.question.id == "q002"  # put back where it was
    eng.close()


def test_true_retention_counts_only_scheduled_answers_to_review_cards(tmp_path: Path) -> None:
    eng, clock = fresh_engine(tmp_path, 4)
    s = eng.start_session(question_ids=["q001", "q002", "q003"])
    for _ in range(3):  # three review cards
        s.answer(True)
        s.rate(Rating.Easy)
        s.advance()
    eng.start_session(question_ids=["q004"]).answer(False)  # a learning card, failed: not a review
    clock.advance(days=60)
    p = eng.start_session(practice=False, question_ids=["q001", "q002", "q003"])
    for ok in (False, True, True):  # reviews: 2 of 3 right
        p.answer(ok)
        p.advance()
    clock.advance(minutes=11)
    r = eng.start_session(question_ids=["q001"])
    assert r.current.question.id == "q001"
    r.answer(True)  # a relearning answer: not a review of a review card
    practice = eng.start_session(practice=True, question_ids=["q002"])
    practice.answer(False)  # practice: not scheduled
    st = eng.stats()
    assert st.retention == pytest.approx(2 / 3)
    assert (st.reviews, st.right) == (9, 6)
    eng.close()


def test_profiles_are_listed_renamed_and_deleted_with_their_progress(tmp_path: Path) -> None:
    eng, clock = fresh_engine(tmp_path, 2)
    session = eng.start_session()
    session.answer(True)
    eng.switch_profile("bob")
    eng.start_session().answer(False)
    eng.switch_profile("ann")
    summaries = {s.name: s for s in eng.profile_summaries()}
    assert summaries["ann"].answers == 1 and summaries["bob"].answers == 1
    assert summaries["ann"].last_day == eng.study_day(clock.now)
    with pytest.raises(ValueError, match="in use"):
        eng.delete_profile("ann")
    with pytest.raises(StoreError, match="already a profile"):
        eng.rename_profile("bob", "ann")
    eng.rename_profile("bob", "  robert ")
    assert eng.profiles() == ["ann", "robert"]
    bob_id = rows(tmp_path, "SELECT id FROM profiles WHERE name = 'robert'")[0][0]
    eng.delete_profile("robert")
    assert eng.profiles() == ["ann"]
    for table in ("cards", "reviews"):
        assert rows(tmp_path, f"SELECT count(*) FROM {table} WHERE profile_id = ?", bob_id) == [(0,)]
    assert rows(tmp_path, "SELECT count(*) FROM reviews")[0][0] == 1  # ann's answer stays
    eng.rename_profile("ann", "anna")  # the profile in use follows its new name
    assert eng.profile == "anna"
    eng.close()


def test_a_missing_profile_is_an_error_when_it_must_not_be_created(tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "p", n=1)
    with pytest.raises(ValueError, match="no profile 'typo'"):
        Engine(tmp_path / "data", "typo", [pack], clock=Clock(T0), create_profile=False, db=DB)
    with pytest.raises(ValueError, match="at most 64"):
        Engine(tmp_path / "data", "x" * 5000, [pack], clock=Clock(T0), db=DB)
    assert rows(tmp_path, "SELECT count(*) FROM profiles") == [(0,)]


def test_practising_named_questions_includes_those_that_are_due(tmp_path: Path) -> None:
    """The summary's 'practise the missed ones' gives every missed question, even one due again now."""
    eng, clock = fresh_engine(tmp_path, 3)
    session = eng.start_session()
    missed = session.current
    assert missed is not None
    session.answer(False)  # Again: due again in a minute
    clock.advance(minutes=5)
    ids = [missed.question.id]
    practice = eng.start_session(question_ids=ids, practice=True)
    assert practice.current is not None and practice.current.question.id == missed.question.id
    plain = eng.start_session(practice=True)  # without names, a due card is left to normal study
    asked = []
    while not plain.finished:
        asked.append(plain.current.question.id)
        plain.advance()
    assert missed.question.id not in asked
    eng.close()


def test_the_session_total_counts_the_cards_that_come_back_today(tmp_path: Path) -> None:
    """docs/studying.md: the total grows by one when an answer sends a card back later today."""
    eng, clock = fresh_engine(tmp_path, 2)
    session = eng.start_session()
    first = session.current
    assert first is not None and (first.index, first.total) == (1, 2)
    assert session.score.left == 1  # the other new card
    session.answer(True)  # a new card rated Good comes back in 10 minutes: one more to show today
    assert session.score.left == 2
    second = session.advance()
    assert second is not None and (second.index, second.total) == (2, 3)
    session.answer(True)
    session.advance()  # both wait for their learning step, shown early (learn-ahead) as nothing else is left
    third = session.current
    assert third is not None and third.question.id == first.question.id and (third.index, third.total) == (3, 4)
    eng.close()
