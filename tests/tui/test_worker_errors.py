"""A failed worker, on every kind of screen: reported once, in one line, never as markup or terminal control.

Each test records the messages the app posts (``run_test(message_hook=...)``) and
settles on the workers instead of polling.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import work
from textual.app import App, ComposeResult
from textual.message import Message
from textual.widgets import Static
from textual.worker import Worker, WorkerState
from tui_helpers import settle, settled, start_study

from classkit import ALL
from enginekit import Clock, make_pack
from nkstudy.core.classroom.drill import DrillSpec
from nkstudy.drillroom import BoardReader, open_drill
from nkstudy.tui.classroom.board_app import BoardApp
from nkstudy.tui.classroom.drill_app import DrillApp
from nkstudy.tui.classroom.screens.board import BoardScreen
from nkstudy.tui.classroom.screens.drill import DrillScreen
from nkstudy.tui.screens.workers import FAILED, WorkerErrors
from nkstudy.tui.study.screens.study import StudyScreen

SIZE = (80, 24)
HOSTILE = "[b]not bold[/b] [@click=app.quit] \x1b[2J\x9b"


def failures(messages: list[Message]) -> list[Worker[object]]:
    return [m.worker for m in messages if isinstance(m, Worker.StateChanged) and m.state == WorkerState.ERROR]


def one_safe_line(text: str) -> None:
    assert "\n" not in text and "\x1b" not in text and "\x9b" not in text
    assert "\\x1b" in text  # shown, not sent to the terminal


class Failing(WorkerErrors[None]):
    """A screen whose one worker fails with a message full of markup and control characters."""

    def __init__(self) -> None:
        super().__init__()
        self.undone: list[BaseException | None] = []

    def compose(self) -> ComposeResult:
        yield Static("waiting")

    def on_mount(self) -> None:
        self.fail()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def fail(self) -> None:
        raise OSError(f"{HOSTILE}\nsecond line")

    def worker_failed(self, worker: Worker[object], error: BaseException | None) -> None:
        self.undone.append(error)


class FailingApp(App[None]):
    def on_mount(self) -> None:
        self.push_screen(Failing())


async def test_the_base_reports_once_in_one_line_without_markup_then_calls_the_screen() -> None:
    messages: list[Message] = []
    app = FailingApp()
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, Failing)
        (failed,) = failures(messages)
        assert screen.undone == [failed.error]
        (note,) = app._notifications
        assert (note.title, note.severity, note.markup) == (FAILED, "error", False)
        one_safe_line(note.message)
        assert "[b]not bold[/b] [@click=app.quit]" in note.message
        assert app.is_running  # the text was never run as an action


@pytest.fixture
def test_pack(tmp_path: Path):
    return make_pack(tmp_path / "test-pack")


async def test_a_drill_that_cannot_open_says_so_once_and_is_not_left_busy(tmp_path, test_pack) -> None:
    blocker = tmp_path / "data\x1b[31m"
    blocker.write_text("a file where the data folder should be")
    messages: list[Message] = []
    app = DrillApp(open_drill(DrillSpec.parse(ALL), [test_pack]), blocker, "ann", Clock(), theme="textual-dark")
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DrillScreen)
        (failed,) = failures(messages)
        assert failed.group == "sitting"
        (note,) = app._notifications
        assert note.severity == "error" and not note.markup
        one_safe_line(note.message)
        assert screen.sitting is None and not screen.busy
        assert "could not start" in str(screen.query_one("#drill-status").render())


async def test_a_board_that_cannot_read_says_so_in_its_status_line_not_in_notices(tmp_path, test_pack) -> None:
    data = tmp_path / "data\x1b[31m"
    data.mkdir()
    (data / "progress.sqlite3").write_bytes(b"not a database " * 500)
    messages: list[Message] = []
    app = BoardApp(BoardReader(data, ALL, [test_pack]), poll=0.05, theme="textual-dark")
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        screen = app.screen
        assert isinstance(screen, BoardScreen)
        await pilot.pause(0.3)  # several reads, each of them failing
        await settle(pilot)
        assert len(failures(messages)) >= 3
        assert not app._notifications  # one a read would pile up
        status = str(screen.query_one("#board-status").render())
        assert status.startswith("Cannot read the results")
        one_safe_line(status)


async def test_a_failed_answer_is_one_notice_counted_in_the_exit_code_and_the_question_stays(make_app) -> None:
    messages: list[Message] = []
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        screen = await start_study(pilot)
        assert not failures(messages) and not app._notifications
        app.engine.close()  # the database goes away under the session
        await pilot.press("d")  # don't know: an answer the session must write
        await settled(pilot, lambda: not screen.busy)
        (failed,) = failures(messages)
        assert failed.group == "session"
        assert app.errors == [failed.error]
        (note,) = app._notifications
        assert note.severity == "error" and not note.markup and "\n" not in note.message
        assert isinstance(app.screen, StudyScreen) and app.screen is screen
        assert screen.outcome is None  # nothing shown as answered
