"""The board app (``nkstudy board``): the teacher's live, read-only view of a drill."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App
from textual.binding import BindingType

from nkstudy.drillroom import BoardReader
from nkstudy.tui import keys


class BoardApp(App[int]):
    TITLE = "nkstudy board"
    CSS_PATH = "classroom.tcss"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = keys.bindings(keys.CLASSROOM)

    def __init__(self, reader: BoardReader, *, poll: float | None = None, theme: str | None = None) -> None:
        super().__init__()
        self.reader = reader
        self.poll = poll
        self.start_theme = theme

    def on_mount(self) -> None:
        from nkstudy.tui.classroom.screens.board import POLL, BoardScreen

        self.theme = self.start_theme or "textual-dark"
        self.push_screen(BoardScreen(self.reader, self.poll or POLL))


def run_board_app(reader: BoardReader) -> int:
    app = BoardApp(reader)
    try:
        app.run()
    finally:
        reader.close()
    return app.return_code or 0
