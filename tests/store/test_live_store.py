"""The live drill's tables on both backends: the state row upserts, seats keep the first sitting, counts join."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from classkit import ALL, items
from enginekit import make_pack
from nkstudy.core.classroom import live as rules
from nkstudy.core.classroom.drill import DrillSpec
from nkstudy.core.classroom.live import LiveState
from nkstudy.drillroom import open_drill
from nkstudy.liveroom import LiveHost, LiveSeat
from nkstudy.store.db import Store, locate
from nkstudy.store.live import answered_at, load_state, mark_skipped, roll, save_state, seated, take_seat

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
