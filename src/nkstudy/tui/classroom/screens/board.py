"""The teacher's board: each sitting's progress and score, each question's share right, live.

Read-only.  A thread worker reads the data folder every ``poll`` seconds (the
class writes to the same SQLite file; WAL lets the board read meanwhile) and
posts :class:`~nkstudy.tui.classroom.messages.BoardRead`; the tables change only
when the figures do.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import DataTable, Footer, Static

from nkstudy.core.classroom.live import NOT_ASKED, SKIPPED
from nkstudy.core.figures import percent, plural
from nkstudy.core.text import visible
from nkstudy.drillroom import Board, BoardReader
from nkstudy.tui import keys
from nkstudy.tui.classroom.messages import BoardRead
from nkstudy.tui.screens.workers import WorkerErrors, error_line
from nkstudy.tui.widgets.header import Header

POLL = 0.5  # seconds between reads: an answer shows within a second


QUESTION_INDENT = 41  # the columns, borders, padding and scroll bar left of or beside the question text


def _one_line(text: str) -> str:
    return " ".join(visible(text).split())


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class BoardScreen(WorkerErrors[None]):
    BINDINGS: ClassVar[list[BindingType]] = keys.bindings(keys.CLASSROOM)

    def __init__(self, reader: BoardReader, poll: float = POLL) -> None:
        super().__init__()
        self.reader = reader
        self.poll = poll
        self.board: Board | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Reading the data folder…", id="board-status")
        yield DataTable(id="board-students", cursor_type="none", zebra_stripes=True)
        yield DataTable(id="board-questions", cursor_type="none", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        students = self.query_one("#board-students", DataTable)
        students.add_column("profile", key="profile")
        students.add_column("done", key="done", width=len("10/10 ✓ finished"))  # fixed: it never jumps
        students.add_column("answered", key="answered")
        students.add_column("score", key="score")
        questions = self.query_one("#board-questions", DataTable)
        questions.add_column("#", key="position")
        questions.add_column("answered", key="answered")
        questions.add_column("right", key="right")
        questions.add_column("share right", key="share")
        questions.add_column("question", key="question", width=self.room())
        students.border_title = "Students"
        questions.border_title = "Questions"
        self.read()
        self.set_interval(self.poll, self.read)

    def on_unmount(self) -> None:
        self.reader.close()

    @work(thread=True, exclusive=True, exit_on_error=False, group="board")
    def read(self) -> None:
        self.post_message(BoardRead(self.reader.read()))

    def report_failure(self, error: BaseException) -> None:
        """Said in the status line, not in a notification: the board reads again and again, and they would pile up."""
        self.query_one("#board-status", Static).update(Text(f"Cannot read the results: {error_line(error)}",
                                                            style="red"))

    @on(BoardRead)
    def _read(self, message: BoardRead) -> None:
        if message.board != self.board:
            self.board = message.board
            self.show(message.board)

    def room(self) -> int:
        """The width left for the question text."""
        return max(self.app.size.width - QUESTION_INDENT, 12)

    def on_resize(self) -> None:
        if self.board is not None:
            self.show(self.board)

    def show(self, board: Board) -> None:
        self.app.sub_title = board.code or "waiting for a drill"
        status = Text()
        if board.code is None:
            status.append("No drill results yet. ", style="bold")
        else:
            finished = sum(1 for r in board.rows if r.finished)
            status.append(f"{plural(len(board.rows), 'sitting')} ({finished} finished), "
                          f"{plural(board.results, 'question')} done", style="bold")
            status.append("  live: answers show within a second", style="dim")
        for label, left_out in ((SKIPPED, board.skipped), (NOT_ASKED, board.not_asked)):
            if left_out:
                status.append(f"\n{label} (not marked, for nobody): ", style="yellow")
                status.append(", ".join(str(q.position) for q in left_out))
        if board.note:
            status.append("\n").append(_one_line(board.note), style="yellow")
        self.query_one("#board-status", Static).update(status)

        students = self.query_one("#board-students", DataTable)
        students.clear()
        for row in board.rows:
            name = _one_line(row.profile) + (f" ({row.sitting})" if row.sitting > 1 else "")
            done = Text(f"{row.done}/{row.total}") + (Text(" ✓ finished", style="green") if row.finished else "")
            students.add_row(Text(name), done, Text(str(row.answered), justify="right"),
                             Text(f"{row.score}/{row.total}", justify="right"))
        questions = self.query_one("#board-questions", DataTable)
        questions.clear()
        room = self.room()
        questions.columns["question"].width = room  # type: ignore[index]
        for q in board.questions:
            prompt = Text(_clip(_one_line(q.prompt or q.question_id), room), style="dim" if q.left_out else "")
            if q.left_out:  # as the report says it: listed, and out of every figure
                questions.add_row(Text(str(q.position), justify="right"), Text("–", justify="right"),
                                  Text("–", justify="right"),
                                  Text("skipped" if q.skipped else "not asked", style="yellow", justify="right"),
                                  prompt)
                continue
            share = q.share
            style = "red" if share is not None and share < 0.5 else ""
            questions.add_row(Text(str(q.position), justify="right"), Text(f"{q.answered}/{q.done}", justify="right"),
                              Text(f"{q.right}/{q.done}", justify="right"),
                              Text(percent(share), style=style, justify="right"), prompt)
        self.call_after_refresh(self.scroll_hints)

    def scroll_hints(self) -> None:
        """Say under a table when it holds more rows than it shows."""
        for table in self.query(DataTable):
            hidden = max(table.row_count - max(table.scrollable_content_region.height - 1, 0), 0)
            table.border_subtitle = f"{hidden} more: scroll ↓" if hidden and table.max_scroll_y > 0 else ""
