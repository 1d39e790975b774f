"""The drill app (``nkstudy drill``), and the same app behind the join screen (``nkstudy serve``).

A small app of its own, not the study app: it has no profile switch, no
board, no stats and no other student's results, which is what a visitor of
``nkstudy serve`` must not reach.  Given everything it needs (the drill, data
folder, profile, clock), so tests run it against ``tmp_path`` and a fixed time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from textual.app import App
from textual.binding import BindingType

from nkstudy.core.figures import plural
from nkstudy.door import Door
from nkstudy.drillroom import Drill, Limits, Sitting
from nkstudy.tui import keys


class DrillApp(App[int]):
    TITLE = "nkstudy drill"
    CSS_PATH = "classroom.tcss"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = keys.bindings(keys.CLASSROOM)

    def __init__(self, drill: Drill, data_dir: Path, profile: str | None, clock: Callable[[], datetime], *,
                 limits: Limits | None = None, results_file: Path | None = None, class_code: str | None = None,
                 door: Door | None = None, theme: str | None = None, live: bool = False,
                 monotonic: Callable[[], float] = time.monotonic, db: str | None = None) -> None:
        super().__init__()
        if profile is None and not class_code and door is None:
            raise ValueError("a drill without a profile needs a class code to join with")
        self.door = door or Door(drill.code, Path(data_dir), class_code or "", db=db, live=live)
        self.drill = drill
        self.data_dir = Path(data_dir)
        self.profile = profile
        self.clock = clock
        self.limits = limits or Limits()
        self.results_file = results_file
        self.class_code = class_code
        self.start_theme = theme
        self.monotonic = monotonic
        self.live = live  # a live drill: the questions come as the teacher asks them
        self.db = db  # the progress database (None: the data folder's file)

    def on_mount(self) -> None:
        from nkstudy.tui.classroom.screens.join import JoinScreen

        self.theme = self.start_theme or "textual-dark"
        self.sub_title = self.drill.code
        if self.profile is None:
            intro = (f"Drill {self.drill.code}: {plural(len(self.drill.items), 'question')}. "
                     "Type your name and the class code to start.")
            self.push_screen(JoinScreen(self.knock, intro), self.start)
        else:
            self.start(self.profile)

    def code_matches(self, typed: str) -> bool:
        """True when ``typed`` is the class code (case and spaces aside); compared in constant time."""
        return self.door.code_matches(typed)

    def knock(self, name: str, code: str) -> tuple[str | None, str]:
        """The door's answer to a visitor (run in the join screen's worker thread)."""
        return self.door.enter(name, code, self.clock().timestamp())

    def start(self, profile: str | None) -> None:
        from nkstudy.tui.classroom.screens.drill import DrillScreen

        if profile is None:
            return
        self.profile = profile
        if self.live:
            from nkstudy.liveroom import LiveSeat
            from nkstudy.tui.classroom.screens.live_seat import LiveSeatScreen

            def open_seat() -> LiveSeat:
                return LiveSeat(self.drill, self.data_dir, profile, clock=self.clock, db=self.db)

            self.push_screen(LiveSeatScreen(open_seat))
            return

        def open_sitting() -> Sitting:
            return Sitting(self.drill, self.data_dir, profile, clock=self.clock, results_file=self.results_file,
                           db=self.db)

        self.push_screen(DrillScreen(open_sitting, self.limits, monotonic=self.monotonic))


def run_drill_app(drill: Drill, data_dir: Path, profile: str | None, clock: Callable[[], datetime], *,
                  limits: Limits | None = None, results_file: Path | None = None,
                  class_code: str | None = None, door: Door | None = None, db: str | None = None,
                  live: bool = False) -> int:
    """Run the drill (``profile`` None: behind the join screen, with ``class_code`` or ``door``); the exit code."""
    app = DrillApp(drill, data_dir, profile, clock, limits=limits, results_file=results_file,
                   class_code=class_code, door=door, db=db, live=live)
    app.run()
    return app.return_code or 0
