"""The live drill's tables on both backends: the state row upserts, seats keep the first sitting, counts join."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from classkit import ALL, items
from enginekit import make_pack
from nkstudy.core.classroom import live as rules
from nkstudy.core.classroom.drill import DrillSpec
from nkstudy.core.classroom.live import LiveState
from nkstudy.drillroom import open_drill
from nkstudy.liveroom import LiveHost, LiveSeat
from nkstudy.store.db import Store, locate
from nkstudy.store.live import answered_at, load_state, mark_skipped, roll, save_state, seated, take_seat
from pgkit import PgServer

T0 = datetime(2024, 5, 2, 9, 0, tzinfo=UTC)


def test_state_and_seats_on_both_backends(tmp_path: Path, progress_db: str | None) -> None:
    store = Store(locate(tmp_path, progress_db))
    try:
        assert load_state(store, ALL) is None
        asked = rules.ask(LiveState(ALL), 1, 100.0, 20)
        save_state(store, LiveState(ALL), 99.0)
        save_state(store, asked, 100.0)  # the same drill: one row, replaced
        assert load_state(store, ALL) == asked
        assert take_seat(store, ALL, "ann", "a-1", T0) == "a-1"
        assert take_seat(store, ALL, "Ann", "a-2", T0) == "a-1"
        assert take_seat(store, ALL, "bob", "b-1", T0) == "b-1"
        assert seated(store, ALL) == ["ann", "bob"]
        assert answered_at(store, ALL, 1) == 0
        mark_skipped(store, ALL, 3, True)
        found = roll(store, ALL)  # what the report and the board read of a live drill, besides its answers
        assert [(s.profile, s.attempt, s.joined) for s in found.seats] == [("ann", "a-1", T0.timestamp()),
                                                                          ("bob", "b-1", T0.timestamp())]
        assert (found.asked, found.open, found.skipped) == (0, 1, frozenset({3}))  # question 1 is still open
        assert roll(store, "other@1#1/1") == rules.Roll()
    finally:
        store.close()


def test_a_host_and_a_seat_through_the_facade_on_both_backends(tmp_path: Path, progress_db: str | None) -> None:
    pack = make_pack(tmp_path / "test-pack")
    drill = open_drill(DrillSpec.parse(ALL), [pack])
    seat = LiveSeat(drill, tmp_path, "ann", clock=lambda: T0, db=progress_db)
    host = LiveHost(drill, tmp_path, clock=lambda: T0, seconds=20, db=progress_db)
    try:
        view = host.act("next")
        state = seat.state()
        assert state is not None and state.phase == rules.ASKING and view.joined == ("ann",)
        item = items(pack, ALL)[0]
        assert seat.answer(item, state, item.question.answer) is not None
        assert seat.answer(item, state, None) is None  # answered already: the first answer stands
        view = host.act(None)  # everyone joined has answered: revealed
        assert view.state.phase == rules.REVEAL and view.answered == 1
        assert [(s.profile, s.points) for s in view.standings] == [("ann", 1000)]
    finally:
        seat.close()
        host.close()


def test_drill_codes_name_a_live_drill_nobody_answered_on_both_backends(tmp_path: Path,
                                                                       progress_db: str | None) -> None:
    from datetime import timedelta

    from nkstudy.core.classroom.drill import result_of
    from nkstudy.store.drills import drill_codes, record_result

    pack = make_pack(tmp_path / "test-pack")
    other = "test-pack@1.0#8/6"
    store = Store(locate(tmp_path, progress_db))
    try:
        assert drill_codes(store) == []
        item = items(pack, other)[0]
        assert record_result(store, result_of(item, None, code=other, profile="ann", attempt="a-1", seconds=1.0,
                                              at=T0 + timedelta(minutes=1)))
        take_seat(store, ALL, "bob", "b-1", T0)  # joined before the other drill's answer
        assert drill_codes(store) == [other]  # no teacher opened the drill live (yet): nobody sat it
        save_state(store, LiveState(ALL), T0.timestamp())
        assert drill_codes(store) == [other, ALL]
        take_seat(store, ALL, "cai", "c-1", T0 + timedelta(minutes=2))  # the drill joined most recently comes first
        assert drill_codes(store) == [ALL, other]
    finally:
        store.close()


def _pool_threads() -> set[str]:
    import threading

    return {t.name for t in threading.enumerate() if t.name.startswith("nkstudy-")}  # the store's pools' threads


def test_a_host_or_seat_that_fails_to_open_closes_its_store(tmp_path: Path, pg_server: PgServer) -> None:
    # Left open, its pool would be freed whenever and wherever the collector gets to it; in the pool's own
    # thread that prints a traceback across the app's screen.
    import psycopg

    from nkstudy.store.db import StoreError

    pack = make_pack(tmp_path / "test-pack")
    drill = open_drill(DrillSpec.parse(ALL), [pack])
    url = pg_server.schema_url()
    Store(locate(tmp_path, url)).close()  # the tables
    with psycopg.connect(url, autocommit=True) as conn:  # a database that refuses what the host and seat write
        conn.execute("CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
                     "$$ BEGIN RAISE EXCEPTION 'refused'; END $$")
        for table in ("live_state", "live_seats"):
            conn.execute(f"CREATE TRIGGER refuse BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION refuse()")
    before = _pool_threads()
    with pytest.raises(StoreError) as host_failed:  # kept, as a worker keeps its error (and its frames)
        LiveHost(drill, tmp_path, clock=lambda: T0, seconds=20, db=url)
    with pytest.raises(StoreError) as seat_failed:
        LiveSeat(drill, tmp_path, "ann", clock=lambda: T0, db=url)
    assert _pool_threads() <= before, (host_failed, seat_failed)


def test_a_student_who_rejoins_spelling_their_name_otherwise_keeps_their_answers(tmp_path: Path) -> None:
    # names compare without case: "ANN" is ann, in ann's seat and sitting, with her answer and her points
    pack = make_pack(tmp_path / "test-pack")
    drill = open_drill(DrillSpec.parse(ALL), [pack])
    host = LiveHost(drill, tmp_path, clock=lambda: T0, seconds=20)
    first = LiveSeat(drill, tmp_path, "ann", clock=lambda: T0)
    try:
        host.act("next")
        state = first.state()
        assert state is not None
        item = items(pack, ALL)[0]
        assert first.answer(item, state, item.question.answer) is not None
    finally:
        first.close()
    again = LiveSeat(drill, tmp_path, "ANN", clock=lambda: T0)
    try:
        assert again.attempt == first.attempt and again.profile == "ann"
        assert again.answered(1)  # not asked again: her answer stands
        host.act("next")  # revealed
        standing = again.standing(20)
        assert standing is not None and standing.points == 1000
    finally:
        again.close()
        host.close()
