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

from nkstudy.core.study.schedule import RATINGS, Rating, format_interval
from nkstudy.tui import keys

STYLES = {Rating.Again: "red", Rating.Hard: "yellow", Rating.Good: "green", Rating.Easy: "cyan"}


def interval_text(delta: timedelta | None) -> str:
    return "—" if delta is None else format_interval(delta)


class RatingBar(Widget, can_focus=True):
    """The ratings an answer allows, in a row.  ←/→ choose, Enter continues, 1–4 rate and continue.

    A right answer is rated Hard, Good or Easy; a wrong one is always Again.
    Only the allowed ratings are shown, with a note saying why, and a digit
    for another rating says so instead of doing nothing.  The chosen rating is
    in brackets, bold and underlined, so it reads without colour (NO_COLOR).
    In practice the schedule is left alone, so no intervals are shown.
    """

    DEFAULT_CSS = """
    RatingBar { height: 1; padding: 0 1; background: $boost; }
    RatingBar:focus { background: $primary 20%; }
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
        self.practice = False
        self._cells: list[tuple[int, int, Rating]] = []

    def allow_focus(self) -> bool:
        """Not while hidden: its Enter ("Next") would then be offered with nothing to rate."""
        return not self.has_class("-hidden")

    def show(
        self, intervals: dict[Rating, timedelta], selected: Rating, allowed: tuple[Rating, ...] = RATINGS,
        *, practice: bool = False,
    ) -> None:
        """Show the allowed ratings (with their intervals, unless ``practice``)."""
        self.intervals = dict(intervals)
        self.allowed = allowed
        self.practice = practice
        self.selected = selected
        self.refresh()

    def note(self) -> str:
        """Why some ratings are missing, or what practice does."""
        if self.allowed == (Rating.Again,):
            note = "a wrong answer is rated Again"
        elif Rating.Again not in self.allowed:
            note = "a right answer is Hard, Good or Easy"
        else:
            note = ""
        if self.practice:
            note = "practice: no schedule change" + (f"; {note}" if note else "")
        return note

    def label(self, n: int, rating: Rating) -> str:
        if self.practice:
            return f"{n} {rating.name}"
        return f"{n} {rating.name} {interval_text(self.intervals.get(rating))}"

    def render(self) -> Text:
        out = Text(no_wrap=True, overflow="ellipsis")
        self._cells = []
        for n, rating in enumerate(RATINGS, 1):
            if rating not in self.allowed:
                continue
            start = len(out)
            if rating == self.selected:
                out.append(f"[{self.label(n, rating)}]", style=f"bold underline {STYLES[rating]}")
            else:
                out.append(f" {self.label(n, rating)} ", style=STYLES[rating])
            self._cells.append((start, len(out), rating))
            out.append(" ")
        note = self.note()
        if note:
            out.append(f" ({note})", style="italic")
        return out

    def action_move(self, delta: int) -> None:
        allowed = [r for r in RATINGS if r in self.allowed] or list(RATINGS)
        index = allowed.index(self.selected) + delta if self.selected in allowed else 0
        self.selected = allowed[max(0, min(len(allowed) - 1, index))]

    def action_choose(self, number: int) -> None:
        rating = RATINGS[number - 1]
        if rating not in self.allowed:
            names = "/".join(f"{RATINGS.index(r) + 1} {r.name}" for r in self.allowed)
            self.notify(f"{rating.name} is not offered: {self.note()}. Press {names}, or Enter.",
                        severity="warning", timeout=4)
            return
        self.selected = rating
        self.action_accept()

    def action_accept(self) -> None:
        self.post_message(self.Accepted(self.selected))

    def on_click(self, event: events.Click) -> None:
        x = event.x - self.styles.gutter.left
        for start, end, rating in self._cells:
            if start <= x < end:
                self.selected = rating
                self.action_accept()
                return
