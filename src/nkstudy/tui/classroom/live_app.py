"""The projector app of a live drill (``nkstudy live``): the teacher moves the class on, question by question."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App
from textual.binding import BindingType

from nkstudy.core.classroom.gate import Roster
from nkstudy.liveroom import LiveHost
from nkstudy.tui import keys


class LiveApp(App[int]):
    TITLE = "nkstudy live"
    CSS_PATH = "classroom.tcss"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = keys.bindings(keys.CLASSROOM)

    def __init__(self, host: LiveHost, *, roster: Roster | None = None, poll: float | None = None,
                 theme: str | None = None, where: str = "") -> None:
        super().__init__()
        self.where = where  # the options naming the database, in the commands the projector shows
        self.host = host
        self.roster = roster
        self.poll = poll
        self.start_theme = theme

    def on_mount(self) -> None:
        from nkstudy.tui.classroom.screens.live import POLL, LiveScreen

        self.theme = self.start_theme or "textual-dark"
        self.push_screen(LiveScreen(self.host, roster=self.roster, poll=self.poll or POLL, where=self.where))


def run_live_app(host: LiveHost, *, roster: Roster | None = None, where: str = "") -> int:
    app = LiveApp(host, roster=roster, where=where)
    try:
        app.run()
    finally:
        host.close()
    return app.return_code or 0
