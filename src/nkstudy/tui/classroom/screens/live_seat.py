"""A student's screen in a live drill: each question appears when the teacher asks it.

A thread worker reads where the drill stands every :data:`POLL` seconds and
posts :class:`~nkstudy.tui.classroom.messages.LiveSeen`; answers are committed
in a worker too.  The same screen serves ``nkstudy drill CODE --live`` in a
terminal and ``nkstudy serve --live`` in a browser.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static
from textual.worker import Worker

from nkstudy.core.classroom import live as rules
from nkstudy.core.classroom.drill import DrillItem
from nkstudy.core.classroom.live import LiveState
from nkstudy.core.figures import duration
from nkstudy.core.text import visible
from nkstudy.liveroom import LiveSeat
from nkstudy.present import drill_summary, live_verdict
from nkstudy.tui import keys
from nkstudy.tui.classroom.messages import LiveSeatOpened, LiveSeen
from nkstudy.tui.classroom.screens.drill import LineAnswer
from nkstudy.tui.screens.workers import WorkerErrors
from nkstudy.tui.widgets.answers import AnswerWidget, Response, answer_widget
from nkstudy.tui.widgets.footer import Footer
from nkstudy.tui.widgets.header import Header

POLL = 0.4  # seconds between reads of where the drill stands


class LiveSeatScreen(WorkerErrors[None]):
    BINDINGS: ClassVar[list[BindingType]] = keys.bindings(keys.DRILL)

    def __init__(self, open_seat: Callable[[], LiveSeat], *, poll: float = POLL) -> None:
        super().__init__()
        self.open_seat = open_seat
        self.poll = poll
        self.seat: LiveSeat | None = None
        self.state: LiveState | None = None
        self.item: DrillItem | None = None  # the question on screen, waiting for an answer
        self.shown: set[int] = set()
        self.over = False
        self.revealed = 0  # the question whose answer is on screen

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Joining the live drill…", id="drill-status")
        with VerticalScroll(id="drill-body"):
            yield Static("", id="drill-prompt")
            yield Static("", id="drill-end")
        yield Footer()

    def on_mount(self) -> None:
        self.open()

    def on_unmount(self) -> None:
        if self.seat is not None:
            self.seat.close()

    # -- workers --------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="seat")
    def open(self) -> None:
        self.post_message(LiveSeatOpened(self.open_seat()))

    @work(thread=True, exclusive=True, exit_on_error=False, group="look")
    def look(self) -> None:
        if self.seat is not None:
            self.post_message(LiveSeen(self.seat.state()))

    @work(thread=True, exclusive=False, exit_on_error=False, group="seat")
    def send(self, seat: LiveSeat, item: DrillItem, response: Response | None, *, time_up: bool = False) -> None:
        state = seat.state()
        open_now = state is not None and state.phase in (rules.ASKING, rules.PAUSED)
        if state is not None and state.position == item.position and (open_now or time_up):
            seat.answer(item, state, response, time_up=time_up)  # time up: recorded at the reveal too
        self.post_message(LiveSeen(state))

    def worker_failed(self, worker: Worker[object], error: BaseException | None) -> None:
        if self.seat is None:
            self.query_one("#drill-status", Static).update(Text("Could not join the live drill.", style="red"))

    # -- messages ---------------------------------------------------------------
    @on(LiveSeatOpened)
    def _opened(self, message: LiveSeatOpened) -> None:
        self.seat = message.seat
        self.app.sub_title = f"{visible(message.seat.profile)} · live · {message.seat.code}"
        self.look()
        self.set_interval(self.poll, self.look)

    @on(LiveSeen)
    async def _seen(self, message: LiveSeen) -> None:
        seat, state = self.seat, message.state
        if seat is None or self.over:
            return
        self.state = state
        if state is None:
            self.say("Waiting for the teacher to open the drill…")
        elif state.phase == rules.ENDED:
            await self.finish()
        elif state.phase in (rules.ASKING, rules.PAUSED) and not seat.answered(state.position):
            self.say(f"Question {state.position} of {seat.total}" + self.clock(state),
                     "Paused by the teacher." if state.phase == rules.PAUSED else "")
            item = seat.item(state)
            if item is not None and (self.item is None or self.item.position != item.position):
                await self.ask(item)
            paused = state.phase == rules.PAUSED
            for widget in self.query(AnswerWidget):
                if widget.disabled != paused:
                    widget.disabled = paused
                    if not paused:
                        widget.focus_input()  # the keyboard comes back with the question
        elif state.phase == rules.REVEAL:
            await self.reveal(seat, state)
        elif state.phase in (rules.ASKING, rules.PAUSED):
            await self.clear()
            self.say(f"Question {state.position} of {seat.total}: answer saved; wait for the teacher.")
        else:
            self.say("Joined. Waiting for the teacher to start…")

    def clock(self, state: LiveState) -> str:
        left = state.remaining(self.seat.clock().timestamp()) if self.seat is not None else None
        return "" if left is None else f"   ⏱ {duration(left)} left"

    def say(self, status: str, note: str = "") -> None:
        out = Text(status, style="bold")
        if note:
            out.append("   " + note, style="bold yellow")
        self.query_one("#drill-status", Static).update(out)

    # -- showing ----------------------------------------------------------------
    async def clear(self) -> None:
        self.item = None
        await self.query(AnswerWidget).remove()

    async def ask(self, item: DrillItem) -> None:
        await self.clear()
        self.item = item
        self.shown.add(item.position)
        self.query_one("#drill-end", Static).update("")
        self.query_one("#drill-prompt", Static).update(Text(visible(item.question.prompt), style="bold"))
        try:
            widget = answer_widget(item.question, item.options, id="answer")
        except LookupError:
            widget = LineAnswer(item.question, item.options, id="answer")
        await self.query_one("#drill-body").mount(widget, after="#drill-prompt")
        widget.focus_input()

    async def reveal(self, seat: LiveSeat, state: LiveState) -> None:
        item = seat.item(state)
        if item is None or (self.revealed == item.position and seat.answered(item.position)):
            return
        self.revealed = item.position
        if item.position in self.shown and not seat.answered(item.position) and self.item is not None:
            self.send(seat, item, None, time_up=True)  # shown and not answered
        await self.clear()
        self.say(f"Question {state.position} of {seat.total}: the answer")
        answer = "; ".join(rules.right_options(item)) or item.question.answer_text()
        out = Text("Answer: ", style="bold").append(visible(answer), style="bold green")
        mine = next((r for r in seat.results if r.position == item.position), None)
        if mine is not None:
            got = rules.points(mine, state.allowed)
            out.append("\nYou: ").append_text(live_verdict(mine, got))
        self.query_one("#drill-prompt", Static).update(Text(visible(item.question.prompt), style="bold"))
        self.query_one("#drill-end", Static).update(out)

    async def finish(self) -> None:
        self.over = True
        await self.clear()
        self.say("The teacher ended the drill.")
        self.query_one("#drill-prompt", Static).update(Text("The drill is over.", style="bold"))
        if self.seat is not None:
            out = drill_summary(self.seat.outcome(), timed_out=self.seat.timed_out)
            out.append("\n\nYour answers are saved. Ctrl+Q quits.", style="dim")
            self.query_one("#drill-end", Static).update(out)
        self.refresh_bindings()

    # -- input ------------------------------------------------------------------
    @on(AnswerWidget.Submitted)
    def _submitted(self, event: AnswerWidget.Submitted) -> None:
        event.stop()
        self.submit(event.response)

    def submit(self, response: Response) -> None:
        if self.over or self.seat is None or self.item is None or (self.state and self.state.phase == rules.PAUSED):
            return
        for widget in self.query(AnswerWidget):
            widget.disabled = True
        self.send(self.seat, self.item, response)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "dont_know":
            return not self.over and self.item is not None
        return True

    def action_dont_know(self) -> None:
        self.submit(None)
