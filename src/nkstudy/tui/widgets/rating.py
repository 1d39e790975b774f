"""Again / Hard / Good / Easy, each with its next interval."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from nkstudy.core.schedule import RATINGS, Rating, format_interval
from nkstudy.tui import keys

STYLES = {Rating.Again: "red", Rating.Hard: "yellow", Rating.Good: "green", Rating.Easy: "cyan"}


def interval_text(delta: timedelta | None) -> str:
    return "—" if delta is None else format_interval(delta)


class RatingBar(Widget, can_focus=True):
    """Four ratings in a row.  ←/→ choose, Enter continues, 1–4 rate and continue.

    A right answer is rated Hard, Good or Easy; a wrong one is always Again,
    so the others are shown struck through.
    """

    DEFAULT_CSS = """
    RatingBar { height: 3; border: round $primary 50%; padding: 0 1; }
    RatingBar:focus { border: round $primary; }
    RatingBar.-hidden { display: none; }
    """

    BINDINGS: ClassVar[list[BindingType]] = keys.bindings(keys.RATING)

    selected: reactive[Rating] = reactive(Rating.Good)

    @dataclass
    class Accepted(Message):
        """Continue with this rating."""

        rating: Rating

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.intervals: dict[Rating, timedelta] = {}
        self.allowed: tuple[Rating, ...] = RATINGS
        self._cells: list[tuple[int, int, Rating]] = []

    def show(
        self, intervals: dict[Rating, timedelta], selected: Rating, allowed: tuple[Rating, ...] = RATINGS
    ) -> None:
        """Show the intervals; only ``allowed`` ratings can be chosen."""
        self.intervals = dict(intervals)
        self.allowed = allowed
        self.selected = selected
        self.refresh()

    def render(self) -> Text:
        out = Text(no_wrap=True, overflow="ellipsis")
        self._cells = []
        for n, rating in enumerate(RATINGS, 1):
            label = f" {n} {rating.name} {interval_text(self.intervals.get(rating))} "
            start = len(out)
            if rating == self.selected:
                out.append(label, style=f"bold reverse {STYLES[rating]}")
            elif rating not in self.allowed:
                out.append(label, style="dim strike")
            else:
                out.append(label, style=STYLES[rating])
            self._cells.append((start, len(out), rating))
            out.append("  ")
        return out

    def action_move(self, delta: int) -> None:
        allowed = [r for r in RATINGS if r in self.allowed] or list(RATINGS)
        index = allowed.index(self.selected) + delta if self.selected in allowed else 0
        self.selected = allowed[max(0, min(len(allowed) - 1, index))]

    def action_choose(self, number: int) -> None:
        rating = RATINGS[number - 1]
        if rating not in self.allowed:
            self.app.bell()
            return
        self.selected = rating
        self.action_accept()

    def action_accept(self) -> None:
        self.post_message(self.Accepted(self.selected))

    def on_click(self, event: events.Click) -> None:
        x = event.x - self.styles.gutter.left
        for start, end, rating in self._cells:
            if start <= x < end:
                if rating in self.allowed:
                    self.selected = rating
                    self.action_accept()
                return
