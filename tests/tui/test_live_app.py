"""The projector of a live drill (``nkstudy live``) through Pilot: the teacher's keys move the class on.

Students sit through the same facade ``drill --live`` uses (LiveSeat), on the same data folder.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tui_helpers import settled, static_text, wait_for

from classkit import ALL, right_keys
from enginekit import make_pack
from nkstudy.core.classroom import live as rules
from nkstudy.core.classroom.drill import DrillSpec
from nkstudy.drillroom import open_drill
from nkstudy.liveroom import LiveHost, LiveSeat
from nkstudy.tui.classroom.drill_app import DrillApp
from nkstudy.tui.classroom.live_app import LiveApp

SIZE = (80, 24)
T0 = datetime(2024, 5, 2, 9, 0, tzinfo=UTC)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def room(tmp_path: Path):
    pack = make_pack(tmp_path / "test-pack")
    drill = open_drill(DrillSpec.parse(ALL), [pack])
    clock = Clock()
    seats = [LiveSeat(drill, tmp_path / "data", name, clock=clock) for name in ("ann", "bob", "cai")]
    host = LiveHost(drill, tmp_path / "data", clock=clock, seconds=20)
    yield drill, host, seats, clock
    for seat in seats:
        seat.close()
    host.close()


def _phase(pilot, phase: str, position: int):
    def check() -> bool:
        view = getattr(pilot.app.screen, "view", None)
        return view is not None and view.state.phase == phase and view.state.position == position
    return check


async def test_keys_start_pause_reveal_skip_and_end(room) -> None:
    drill, host, seats, clock = room
    app = LiveApp(host, theme="textual-dark", poll=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, _phase(pilot, rules.WAITING, 0))
        assert "3 students joined" in static_text(pilot.app, "#live-status")
        await pilot.press("n")
        await settled(pilot, _phase(pilot, rules.ASKING, 1))
        status = static_text(pilot.app, "#live-status")
        assert "Question 1 of 6" in status and "0 of 3 responded" in status
        assert pilot.app.screen.view.remaining == 20.0
        await pilot.press("p")
        await settled(pilot, _phase(pilot, rules.PAUSED, 1))
        clock.now += timedelta(seconds=60)  # a long pause: time does not run out
        for seat in seats:
            seat.state()  # the students' processes read on all the while: none of them is away
        await pilot.pause(0.2)
        assert pilot.app.screen.view.state.phase == rules.PAUSED
        await pilot.press("p")
        await settled(pilot, _phase(pilot, rules.ASKING, 1))
        item = drill.items[0]
        state = seats[0].state()
        assert state is not None
        seats[0].answer(item, state, item.question.answer)  # ann answers right at once
        await wait_for(pilot, lambda: pilot.app.screen.view.answered == 1)  # the poll brings it
        await pilot.press("space")  # the teacher reveals before the others answer
        await settled(pilot, _phase(pilot, rules.REVEAL, 1))
        shown = static_text(pilot.app, "#live-reveal")
        assert "Answer:" in shown and "Leaderboard" in shown and "ann" in shown and "1000 points" in shown
        await pilot.press("n")
        await settled(pilot, _phase(pilot, rules.ASKING, 2))
        await pilot.press("s")
        await settled(pilot, _phase(pilot, rules.ASKING, 3))
        await pilot.press("e")
        await settled(pilot, _phase(pilot, rules.ENDED, 3))
        assert "The drill is over" in static_text(pilot.app, "#live-status")
        # the command for the results names the drill: without the code, report refuses a folder of several drills
        assert f"nkstudy report '{drill.code}'" in static_text(pilot.app, "#live-question")
    assert seats[1].state() is not None and seats[1].state().phase == rules.ENDED  # the students see it too


def test_projector_snapshot_at_reveal(snap_compare, room) -> None:
    drill, host, seats, clock = room
    host.next()
    state = host.state
    for seat, right, after in zip(seats, (True, False, True), (2, 5, 9), strict=True):
        clock.now = T0 + timedelta(seconds=after)
        item = drill.items[0]
        seat.answer(item, state, item.question.answer if right else None)
    app = LiveApp(host, theme="textual-dark")

    async def run_before(pilot) -> None:
        await settled(pilot, _phase(pilot, rules.REVEAL, 1))
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


async def test_a_student_in_the_app_sees_each_question_only_when_asked(room) -> None:
    drill, host, seats, clock = room
    app = DrillApp(drill, host.store.path.parent, "dee", clock, live=True, theme="textual-dark")
    async with app.run_test(size=SIZE) as pilot:
        screen = pilot.app.screen
        await wait_for(pilot, lambda: "Waiting for the teacher to start" in static_text(pilot.app, "#drill-status"))
        assert screen.item is None  # nothing to answer before the teacher starts
        host.next()
        await wait_for(pilot, lambda: pilot.app.screen.item is not None)
        assert "Question 1 of 6" in static_text(pilot.app, "#drill-status")
        host.pause()
        await wait_for(pilot, lambda: "Paused" in static_text(pilot.app, "#drill-status"))
        host.pause()
        await wait_for(pilot, lambda: "Paused" not in static_text(pilot.app, "#drill-status"))
        for key in right_keys(drill.items[0]):
            await pilot.press(key)
        await wait_for(pilot, lambda: "answer saved" in static_text(pilot.app, "#drill-status"))
        host.next()  # reveal
        await wait_for(pilot, lambda: "You: right" in static_text(pilot.app, "#drill-end"))
        assert "+1000 points" in static_text(pilot.app, "#drill-end")  # the fixed clock: no time taken
        host.next()
        await wait_for(pilot, lambda: getattr(pilot.app.screen.item, "position", 0) == 2)
        host.end()  # at question 2 of 6, on dee's screen: 3 to 6 were never asked and count for nobody
        await wait_for(pilot, lambda: "Score:" in static_text(pilot.app, "#drill-end"))
        end = static_text(pilot.app, "#drill-end")
        assert pilot.app.screen.over and "Score: 1 of 2 right" in end
        assert "not reached" not in end and "away" not in end  # dee was there: question 2's time ran out


def test_projector_snapshot_while_asking(snap_compare, room) -> None:
    drill, host, seats, clock = room
    host.next()
    host.next()
    host.next()  # question 2: a question with options
    clock.now = T0 + timedelta(seconds=7)
    state = host.state
    item = drill.items[1]
    seats[0].answer(item, state, None)
    app = LiveApp(host, theme="textual-dark")

    async def run_before(pilot) -> None:
        await settled(pilot, _phase(pilot, rules.ASKING, 2))
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


async def test_a_student_not_seen_for_a_while_is_away_and_does_not_hold_up_the_reveal(room, tmp_path: Path) -> None:
    drill, host, seats, clock = room
    app = LiveApp(host, theme="textual-dark", poll=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await settled(pilot, _phase(pilot, rules.ASKING, 1))
        clock.now += timedelta(seconds=rules.AWAY_SECONDS + 1)  # cai's machine dropped at the start
        ann, bob, cai = seats
        for seat in (ann, bob):
            seat.state()  # their processes read on
        await wait_for(pilot, lambda: pilot.app.screen.view.away == ("cai",))
        assert "0 of 3 responded · 1 away (cai)" in static_text(pilot.app, "#live-status")
        item = drill.items[0]
        state = ann.state()
        assert state is not None
        ann.answer(item, state, item.question.answer)
        await wait_for(pilot, lambda: pilot.app.screen.view.answered == 1)  # the read that saw ann's answer
        assert pilot.app.screen.view.state.phase == rules.ASKING  # bob is here and has not answered
        bob.answer(item, state, None)
        await wait_for(pilot, lambda: pilot.app.screen.view.state.phase == rules.REVEAL)  # cai does not hold it up
        back = LiveSeat(drill, tmp_path / "data", "cai", clock=clock)  # cai joins again: here, same sitting
        try:
            assert back.attempt == cai.attempt
            await wait_for(pilot, lambda: pilot.app.screen.view.away == ())
            assert "away" not in static_text(pilot.app, "#live-status")
        finally:
            back.close()


async def test_a_question_shown_and_not_answered_by_the_reveal_is_time_up_not_away(room) -> None:
    drill, host, seats, clock = room
    app = DrillApp(drill, host.store.path.parent, "dee", clock, live=True, theme="textual-dark")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "Waiting for the teacher to start" in static_text(pilot.app, "#drill-status"))
        host.next()
        await wait_for(pilot, lambda: getattr(pilot.app.screen.item, "position", 0) == 1)
        host.next()  # reveal, dee said nothing: her time is up, and the app records it so
        await wait_for(pilot, lambda: "the answer" in static_text(pilot.app, "#drill-status"))
        seat = pilot.app.screen.seat
        await wait_for(pilot, lambda: any(r.position == 1 for r in seat.results))
        host.next()
        await wait_for(pilot, lambda: getattr(pilot.app.screen.item, "position", 0) == 2)
        for key in right_keys(drill.items[1]):
            await pilot.press(key)
        await wait_for(pilot, lambda: "answer saved" in static_text(pilot.app, "#drill-status"))
        host.end()
        await wait_for(pilot, lambda: "Score:" in static_text(pilot.app, "#drill-end"))
        end = static_text(pilot.app, "#drill-end")
        assert "Score: 1 of 2 right" in end
        assert "Time ran out." in end and "away" not in end and "did not know" not in end
    (first,) = [r for r in seat.results if r.position == 1]
    assert not first.answered and not first.correct and not first.absent


async def test_the_join_command_on_the_projector_names_the_data_folder(room) -> None:
    drill, host, seats, clock = room
    app = LiveApp(host, theme="textual-dark", poll=0.05, where=" --data-dir /srv/lab")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "Students join with" in static_text(pilot.app, "#live-question"))
        assert f"nkstudy --data-dir /srv/lab drill '{drill.code}' --live" in static_text(pilot.app, "#live-question")
