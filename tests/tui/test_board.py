"""The teacher's board: a snapshot at 80x24 over results written by real record_result calls, and live updates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tui_helpers import settled, wait_for

from classkit import ALL, items
from enginekit import make_pack
from nkstudy.core.classroom.drill import result_of
from nkstudy.drillroom import BoardReader
from nkstudy.store.db import Store
from nkstudy.store.drills import record_result
from nkstudy.tui.classroom.board_app import BoardApp

SIZE = (80, 24)
T0 = datetime(2024, 5, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def test_pack(tmp_path: Path):
    return make_pack(tmp_path / "test-pack")


def _answer(store: Store, pack, profile: str, attempt: str, position: int, right: bool, minute: int = 0) -> None:
    item = items(pack, ALL)[position - 1]
    q = item.question
    response = q.answer if right else None  # every class keeps its right answer as ``answer``
    assert record_result(store, result_of(item, response, code=ALL, profile=profile, attempt=attempt,
                                          seconds=10.0, at=T0 + timedelta(minutes=minute, seconds=position)))


def _class(data: Path, pack) -> None:
    store = Store(data / "progress.sqlite3")
    try:
        for position, right in enumerate([True, True, False, True, True, True], start=1):
            _answer(store, pack, "ann", "ann-1", position, right)
        for position, right in enumerate([True, False, False], start=1):
            _answer(store, pack, "bob", "bob-1", position, right, 1)
        _answer(store, pack, "cai", "cai-1", 1, False, 2)
        _answer(store, pack, "ann", "ann-2", 1, True, 30)
    finally:
        store.close()


def test_board_snapshot(snap_compare, tmp_path, test_pack) -> None:
    data = tmp_path / "data"
    _class(data, test_pack)
    app = BoardApp(BoardReader(data, ALL, [test_pack]), theme="textual-dark")

    async def run_before(pilot) -> None:
        await settled(pilot, lambda: getattr(pilot.app.screen, "board", None) is not None)
        # column widths follow new rows when the table is next idle: wait until the screen shows them
        await wait_for(pilot, lambda: pilot.app.export_screenshot().count("finished") == 2)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


async def test_the_board_shows_each_sitting_and_question_and_updates_within_a_second(tmp_path, test_pack):
    data = tmp_path / "data"
    _class(data, test_pack)
    app = BoardApp(BoardReader(data, None, [test_pack]), theme="textual-dark")  # no code: the latest drill
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await settled(pilot, lambda: getattr(screen, "board", None) is not None)
        board = screen.board
        assert board.code == ALL
        assert [(r.profile, r.sitting, r.done, r.total, r.score) for r in board.rows] == [
            ("ann", 1, 6, 6, 5), ("ann", 2, 1, 6, 1), ("bob", 1, 3, 6, 1), ("cai", 1, 1, 6, 0)]
        assert [(q.right, q.done) for q in board.questions] == [(3, 4), (1, 2), (0, 2), (1, 1), (1, 1), (1, 1)]
        students = screen.query_one("#board-students")
        assert [str(c) for c in students.get_row_at(1)] == ["ann (2)", "1/6", "1", "1/6"]
        assert [str(c) for c in students.get_row_at(0)] == ["ann", "6/6 ✓ finished", "5", "5/6"]
        assert [(r.answered, r.finished) for r in board.rows] == [(5, True), (1, False), (1, False), (0, False)]
        questions = screen.query_one("#board-questions")
        assert [str(c) for c in questions.get_row_at(0)[:4]] == ["1", "3/4", "3/4", "75%"]

        store = Store(data / "progress.sqlite3")  # another process's answer, as far as the board can tell
        try:
            _answer(store, test_pack, "cai", "cai-1", 2, True, 3)
        finally:
            store.close()
        await wait_for(pilot, lambda: screen.board.results == 12, timeout=1.0)
        assert [str(c) for c in students.get_row_at(3)] == ["cai", "2/6", "1", "1/6"]
        assert [str(c) for c in questions.get_row_at(1)[:4]] == ["2", "2/3", "2/3", "67%"]
        await pilot.press("ctrl+q")
    assert not app.is_running


async def test_the_board_waits_for_a_database_and_creates_none(tmp_path, test_pack):
    data = tmp_path / "data"
    app = BoardApp(BoardReader(data, None, [test_pack]), poll=0.1, theme="textual-dark")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await settled(pilot, lambda: getattr(screen, "board", None) is not None)
        assert screen.board.code is None
        assert "No drill results yet" in str(screen.query_one("#board-status").render())
        await pilot.pause(0.3)
        assert not data.exists()  # reading created nothing
        _class(data, test_pack)
        await wait_for(pilot, lambda: screen.board.code == ALL, timeout=2)
        assert len(screen.board.rows) == 4


async def test_a_drill_whose_pack_is_missing_shows_question_ids(tmp_path, test_pack):
    data = tmp_path / "data"
    _class(data, test_pack)
    app = BoardApp(BoardReader(data, ALL, []), theme="textual-dark")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await settled(pilot, lambda: getattr(screen, "board", None) is not None)
        assert "not installed here" in str(screen.query_one("#board-status").render())
        questions = screen.query_one("#board-questions")
        assert str(questions.get_row_at(0)[4]) == items(test_pack, ALL)[0].question_id


async def test_at_80x24_a_long_class_says_there_is_more_to_scroll(tmp_path, test_pack):
    data = tmp_path / "data"
    store = Store(data / "progress.sqlite3")
    try:
        for n in range(12):
            for position in range(1, 7 if n < 3 else 3):
                _answer(store, test_pack, f"student {n:02}", f"s{n}", position, True, n)
    finally:
        store.close()
    app = BoardApp(BoardReader(data, ALL, [test_pack]), theme="textual-dark")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await wait_for(pilot, lambda: getattr(screen, "board", None) is not None)
        students = screen.query_one("#board-students")
        await wait_for(pilot, lambda: "more: scroll" in str(students.border_subtitle))
        assert "(3 finished)" in str(screen.query_one("#board-status").render())
        await pilot.press("ctrl+q")


async def test_a_question_the_teacher_skipped_is_listed_as_skipped_and_left_out_of_every_total(tmp_path, test_pack):
    from nkstudy.core.classroom.drill import DrillSpec
    from nkstudy.drillroom import open_drill
    from nkstudy.liveroom import LiveHost, LiveSeat

    data = tmp_path / "data"
    drill = open_drill(DrillSpec.parse(ALL), [test_pack])
    ann, bob = (LiveSeat(drill, data, name, clock=lambda: T0) for name in ("ann", "bob"))
    host = LiveHost(drill, data, clock=lambda: T0, seconds=None)
    try:
        for position, item in enumerate(drill.items, start=1):
            host.next()  # ask
            state = ann.state()
            assert state is not None and state.position == position
            ann.answer(item, state, item.question.answer)  # right every time, the skipped question too
            bob.answer(item, state, item.question.answer if position == 2 else None)
            if position == 2:
                host.skip()  # moved on unrevealed: as in the report, it counts for nobody
                continue
            host.next()  # reveal
        host.next()
    finally:
        for closing in (ann, bob, host):
            closing.close()
    app = BoardApp(BoardReader(data, ALL, [test_pack]), theme="textual-dark")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await settled(pilot, lambda: getattr(screen, "board", None) is not None)
        board = screen.board
        assert [(r.profile, r.done, r.total, r.answered, r.score) for r in board.rows] == [
            ("ann", 5, 5, 5, 5), ("bob", 5, 5, 0, 0)]
        assert board.results == 10  # the two answers to the skipped question are not counted
        status = str(screen.query_one("#board-status").render())
        assert "2 sittings (2 finished), 10 questions done" in status
        assert "Skipped by the teacher (not marked, for nobody): 2" in status
        students = screen.query_one("#board-students")
        assert [str(c) for c in students.get_row_at(1)] == ["bob", "5/5 ✓ finished", "0", "0/5"]
        questions = screen.query_one("#board-questions")
        assert questions.row_count == 6  # every question, in drill order, the skipped one at its place
        skipped_row = [str(c) for c in questions.get_row_at(1)]
        assert skipped_row[:4] == ["2", "–", "–", "skipped"]
        assert skipped_row[4].startswith(drill.items[1].question.prompt[:30])
        assert [str(c) for c in questions.get_row_at(2)[:4]] == ["3", "1/2", "1/2", "50%"]
        await pilot.press("ctrl+q")
