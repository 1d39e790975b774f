"""A classroom drill: one question at a time, a countdown when timed, and the marks at the end.

Every sitting call (opening the database, committing an answer) runs in a
thread worker that posts a message from :mod:`nkstudy.tui.classroom.messages`.
Answers are not marked until the end, so a neighbour's screen gives nothing away.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Input, Static
from textual.worker import Worker

from nkstudy.core.classroom.drill import DrillItem
from nkstudy.core.figures import duration
from nkstudy.core.text import visible
from nkstudy.drillroom import Limits, Sitting
from nkstudy.present import drill_summary
from nkstudy.tui import keys
from nkstudy.tui.classroom.messages import DatabaseWaiting, DrillAnswered, SittingOpened
from nkstudy.tui.screens.workers import WorkerErrors
from nkstudy.tui.widgets.answers import AnswerWidget, Response, answer_widget, numbered
from nkstudy.tui.widgets.footer import Footer
from nkstudy.tui.widgets.header import Header

TICK = 0.2  # seconds between countdown updates


def shown(text: str, style: str = "") -> Text:
    """Pack text or a name as Text: never markup, control characters visible."""
    return Text(visible(text), style=style)


class LineAnswer(AnswerWidget):
    """Any question type, answered as one typed line (what the plain quiz takes); for types without a widget."""

    def compose(self) -> ComposeResult:
        for i, option in enumerate(self.shown, 1):
            yield Static(numbered(i, visible(option)))
        yield Input(placeholder=f"type {self.question.input_hint}", id="typed")
        yield Static(f"Type {self.question.input_hint}, then Enter · empty = don't know", classes="hint",
                     markup=False, id="line-hint")

    @on(Input.Submitted)
    def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            self.submit(None)
            return
        try:
            response = self.question.parse_response(text, self.shown)
        except ValueError as exc:
            self.query_one("#line-hint", Static).update(Text(f"Not understood: {visible(str(exc))}", style="red"))
            return
        self.submit(response)


class DrillScreen(WorkerErrors[None]):
    """Runs one :class:`~nkstudy.drillroom.Sitting` (a failed call is one notification, from the base)."""

    ERROR_TIMEOUT = 10

    BINDINGS: ClassVar[list[BindingType]] = keys.bindings(keys.DRILL)

    def __init__(self, open_sitting: Callable[[], Sitting], limits: Limits, *,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.open_sitting = open_sitting
        self.limits = limits
        self.monotonic = monotonic
        self.sitting: Sitting | None = None
        self.item: DrillItem | None = None
        self.busy = True
        self.over = False
        self.ending = "The drill is over."
        self.started = 0.0
        self.asked = 0.0
        self.timed_out: set[int] = set()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Opening the drill…", id="drill-status")
        with VerticalScroll(id="drill-body"):
            yield Static("", id="drill-prompt")
            yield Static("", id="drill-end")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#drill-end").display = False
        self.open()
        if self.limits.timed:
            self.set_interval(TICK, self.tick)

    def on_unmount(self) -> None:
        if self.sitting is not None:
            self.sitting.close()

    # -- workers --------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="sitting")
    def open(self) -> None:
        self.post_message(SittingOpened(self.open_sitting()))

    @work(thread=True, exclusive=True, exit_on_error=False, group="sitting")
    def send_answer(self, sitting: Sitting, response: Response, seconds: float) -> None:
        self.post_message(DrillAnswered(sitting.answer(response, seconds=seconds)))

    def worker_failed(self, worker: Worker[object], error: BaseException | None) -> None:
        self.busy = False
        if self.sitting is None:
            self.query_one("#drill-status", Static).update(Text("The drill could not start.", style="red"))
            return
        # The answer was not taken (the database gave up): it is still on screen, to send again.  A
        # sitting has one answer per question, so one that did land meanwhile is not logged twice.
        for widget in self.query(AnswerWidget):
            widget.disabled = False
            widget.focus_input()
        self.query_one("#drill-status", Static).update(Text(
            "Not saved: the database did not answer. Your answer is still here: send it again.", style="bold red"))

    # -- messages ---------------------------------------------------------------
    @on(SittingOpened)
    async def _opened(self, message: SittingOpened) -> None:
        self.sitting = message.sitting
        self.sitting.on_wait(self._tell_waiting)
        self.started = self.monotonic()
        self.app.sub_title = f"{visible(message.sitting.profile)} · {message.sitting.code}"
        item = message.sitting.current
        if item is None:
            await self.finish()
        else:
            await self.ask(item)

    def _tell_waiting(self, waiting: bool) -> None:  # from the answer's worker thread
        self.post_message(DatabaseWaiting(waiting))

    @on(DatabaseWaiting)
    def _waiting(self, message: DatabaseWaiting) -> None:
        if message.waiting:
            self.query_one("#drill-status", Static).update(Text(
                "The database is not answering: your answer is kept and is sent as soon as it is back…",
                style="bold yellow"))
        else:
            self.update_status()

    @on(DrillAnswered)
    async def _answered(self, message: DrillAnswered) -> None:
        following = message.answered.next
        if following is None or self.limits.drill_over(self.started, self.monotonic()):
            if following is not None:
                self.ending = "Time is up for the drill; the questions left were not reached."
            await self.finish()
        else:
            await self.ask(following)

    # -- showing ----------------------------------------------------------------
    async def ask(self, item: DrillItem) -> None:
        self.item = item
        self.query_one("#drill-prompt", Static).update(shown(item.question.prompt, "bold"))
        await self.query(AnswerWidget).remove()
        try:
            widget = answer_widget(item.question, item.options, id="answer")
        except LookupError:
            widget = LineAnswer(item.question, item.options, id="answer")
        await self.query_one("#drill-body").mount(widget, after="#drill-prompt")
        widget.focus_input()
        self.query_one("#drill-body", VerticalScroll).scroll_home(animate=False)
        self.asked = self.monotonic()
        self.busy = False
        self.update_status()

    def left(self) -> float | None:
        return self.limits.left(self.started, self.asked, self.monotonic())

    def update_status(self) -> None:
        sitting = self.sitting
        if sitting is None:
            return
        out = Text()
        if self.over:
            out.append("Finished", style="bold")
        elif self.item is not None:
            out.append(f"Question {self.item.position} of {sitting.total}", style="bold")
            out.append(f"   answered {len(sitting.results)}")
            left = self.left()
            if left is not None:
                out.append("   ⏱ ")
                out.append(f"{duration(max(left, 0.0))} left", style="bold red" if left <= 10 else "bold")
        self.query_one("#drill-status", Static).update(out)

    def tick(self) -> None:
        if self.over or self.busy or self.sitting is None or self.item is None:
            return
        left = self.left()
        self.update_status()
        if left is not None and left <= 0:
            self.timed_out.add(self.item.position)
            self.notify("Time is up for this question.", timeout=3)
            self.submit(None)

    async def finish(self) -> None:
        self.over = True
        self.busy = True
        self.item = None
        await self.query(AnswerWidget).remove()
        self.query_one("#drill-prompt", Static).update(Text(self.ending, style="bold"))
        end = self.query_one("#drill-end", Static)
        if self.sitting is not None:
            end.update(self.summary(self.sitting))
        end.display = True
        self.update_status()
        self.refresh_bindings()

    def summary(self, sitting: Sitting) -> Text:
        out = drill_summary(sitting, timed_out=self.timed_out)
        out.append("\n\nYour answers are saved. Ctrl+Q quits.", style="dim")
        return out

    # -- input ------------------------------------------------------------------
    @on(AnswerWidget.Submitted)
    def _submitted(self, event: AnswerWidget.Submitted) -> None:
        event.stop()
        self.submit(event.response)

    def submit(self, response: Response) -> None:
        if self.busy or self.over or self.sitting is None or self.item is None:
            return
        self.busy = True
        for widget in self.query(AnswerWidget):
            widget.disabled = True
        self.send_answer(self.sitting, response, self.monotonic() - self.asked)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "dont_know":
            return not self.over
        return True

    def action_dont_know(self) -> None:
        self.submit(None)

