"""Study: one question at a time, the evidence after each answer, then a rating."""

from __future__ import annotations

import time
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static
from textual.worker import Worker

from nkstudy.engine import Rating
from nkstudy.tui.messages import Answered, Moved, SessionFinished, SessionStarted
from nkstudy.tui.render import excerpt_text, percent, source_line
from nkstudy.tui.screens.base import EngineScreen
from nkstudy.tui.widgets.answers import AnswerWidget, answer_widget
from nkstudy.tui.widgets.rating import RATINGS, RatingBar


class StudyScreen(EngineScreen):
    """Runs one StudySession.  Every session call happens in a worker."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "dont_know", "Don't know", id="study.dont_know"),
        Binding("o", "open_article", "Article", id="study.article"),
        Binding("u", "undo", "Undo", id="study.undo"),
        Binding("escape", "finish", "End", id="study.end"),
    ]

    def __init__(self, title: str, **start: Any) -> None:
        super().__init__()
        self.session_title = title
        self.start_args = start
        self.session: Any = None
        self.item: Any = None
        self.outcome: Any = None
        self.score: Any = None
        self.busy = True
        self.shown_at = time.monotonic()
        self.feedback_text = Text()

    # -- layout -----------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="status")
        with VerticalScroll(id="study-body"):
            yield Static("Starting…", id="prompt")
            yield Static("", id="feedback")
        yield RatingBar(id="rating", classes="-hidden")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.session_title
        self.start_session()

    # -- workers ------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="session")
    def start_session(self) -> None:
        session = self.engine.start_session(**self.start_args)
        self.post_message(SessionStarted(session, session.current))

    @work(thread=True, exclusive=True, exit_on_error=False, group="session")
    def send_answer(self, response: Any, elapsed_ms: int) -> None:
        outcome = self.session.answer(response, elapsed_ms=elapsed_ms)
        self.post_message(Answered(outcome, self.session.score))

    @work(thread=True, exclusive=True, exit_on_error=False, group="session")
    def rate_and_advance(self, rating: Rating) -> None:
        if self.outcome is not None and rating != self.outcome.rating:
            self.session.rate(rating)
        item = self.session.advance()
        if item is None:
            self.post_message(SessionFinished(self.session.score, list(self.session.missed)))
        else:
            self.post_message(Moved(item, self.session.score))

    @work(thread=True, exclusive=True, exit_on_error=False, group="session")
    def send_undo(self) -> None:
        item = self.session.undo()
        self.post_message(Moved(item, self.session.score, undone=True))

    def worker_failed(self, worker: Worker) -> None:
        self.busy = False

    # -- messages -----------------------------------------------------------
    @on(SessionStarted)
    async def _started(self, message: SessionStarted) -> None:
        self.session = message.session
        self.score = getattr(message.session, "score", None)
        if message.item is None:
            self.busy = False
            self.query_one("#prompt", Static).update(
                Text(
                    "Nothing is due in this pack right now.\n\n"
                    "Press Escape to go back; on the home screen p practises every question."
                )
            )
            return
        await self.ask(message.item)

    @on(Answered)
    async def _answered(self, message: Answered) -> None:
        self.outcome = message.outcome
        self.score = message.score
        await self.show_outcome(message.outcome)
        self.busy = False

    @on(Moved)
    async def _moved(self, message: Moved) -> None:
        self.score = message.score
        if message.item is None:
            self.busy = False
            if message.undone:
                self.notify("Nothing to undo.")
            return
        if message.undone:
            if message.item is self.item and self.outcome is None:
                self.notify("Nothing to undo.")
                self.busy = False
                return
            self.notify("Undone: answer it again.", timeout=2)
        await self.ask(message.item)

    @on(SessionFinished)
    def _finished(self, message: SessionFinished) -> None:
        from nkstudy.tui.screens.summary import SummaryScreen

        self.busy = False
        self.app.switch_screen(SummaryScreen(self.session_title, message.score, message.missed))

    # -- showing ------------------------------------------------------------
    def update_status(self) -> None:
        out = Text()
        if self.item is not None:
            out.append(f"{self.item.index} of {self.item.total}", style="bold")
            if self.item.is_new:
                out.append("  new", style="cyan")
        if self.session is not None and self.session.practice:
            out.append("  practice", style="magenta")
        s = self.score
        if s is not None:
            out.append(f"   score {s.right}/{s.answered}")
            out.append(f"   streak {s.streak}")
            if s.accuracy is not None:
                out.append(f"   {percent(s.accuracy)}")
        self.query_one("#status", Static).update(out)

    async def ask(self, item: Any) -> None:
        self.item = item
        self.outcome = None
        self.query_one("#prompt", Static).update(Text(item.question.prompt, style="bold"))
        self.query_one("#feedback", Static).update("")
        self.query_one("#feedback", Static).display = False
        await self.query(AnswerWidget).remove()
        widget = answer_widget(item.question, tuple(item.shown), id="answer")
        await self.query_one("#study-body").mount(widget, after="#prompt")
        self.query_one("#rating", RatingBar).add_class("-hidden")
        widget.focus_input()
        self.query_one("#study-body", VerticalScroll).scroll_home(animate=False)
        self.update_status()
        self.refresh_bindings()
        self.shown_at = time.monotonic()
        self.busy = False

    async def show_outcome(self, outcome: Any) -> None:
        question = outcome.question
        await self.query(AnswerWidget).remove()
        out = Text()
        if outcome.correct:
            out.append(" ✓ Right ", style="bold reverse green")
        else:
            out.append(" ✗ Wrong ", style="bold reverse red")
            out.append("  you answered: ", style="dim")
            out.append(outcome.response_text or "(don't know)")
        out.append("\n")
        out.append("Answer: ", style="bold")
        out.append(question.answer_text())
        if question.explanation:
            out.append("\n\n")
            out.append(question.explanation)
        out.append("\n\n")
        out.append_text(excerpt_text(question))
        out.append("\n")
        source = outcome.source
        if source is None:
            pack = self.app.pack(outcome.pack_id)
            source = pack.sources.get(question.source) if pack else None
        out.append_text(source_line(source))
        out.append("   o: read the article", style="dim")
        self.feedback_text = out
        feedback = self.query_one("#feedback", Static)
        feedback.update(out)
        feedback.display = True
        rating = self.query_one("#rating", RatingBar)
        allowed = tuple(r for r in RATINGS if r != Rating.Again) if outcome.correct else (Rating.Again,)
        rating.show(outcome.intervals, outcome.rating, allowed)
        rating.remove_class("-hidden")
        rating.focus()
        self.update_status()
        self.refresh_bindings()

    # -- input --------------------------------------------------------------
    @on(AnswerWidget.Submitted)
    def _submitted(self, event: AnswerWidget.Submitted) -> None:
        event.stop()
        self.answer(event.response)

    def answer(self, response: Any) -> None:
        if self.busy or self.item is None or self.outcome is not None:
            return
        self.busy = True
        elapsed = int((time.monotonic() - self.shown_at) * 1000)
        self.send_answer(response, elapsed)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "dont_know":
            return self.outcome is None  # hidden once the question is answered
        return True

    def action_dont_know(self) -> None:
        self.answer(None)

    @on(RatingBar.Accepted)
    def _accepted(self, event: RatingBar.Accepted) -> None:
        event.stop()
        if self.busy or self.outcome is None:
            return
        self.busy = True
        self.rate_and_advance(event.rating)

    def action_undo(self) -> None:
        if self.busy or self.session is None:
            return
        self.busy = True
        self.send_undo()

    def action_open_article(self) -> None:
        if self.item is None:
            return
        question = self.item.question
        self.app.open_reader(self.item.pack_id, question.source, question.excerpt)

    def action_finish(self) -> None:
        if self.busy:
            return
        if self.session is None or self.score is None or not self.score.answered:
            self.app.pop_screen()
            return
        self.busy = True
        self.send_finish()

    @work(thread=True, exclusive=True, exit_on_error=False, group="session")
    def send_finish(self) -> None:
        self.post_message(SessionFinished(self.session.score, list(self.session.missed)))
