"""Study: one question at a time, the evidence after each answer, then a rating."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static
from textual.worker import Worker

from nkstudy.core.study.results import AnswerOutcome, CurrentItem, SessionScore
from nkstudy.core.study.schedule import Rating
from nkstudy.core.study.session import StudyRequest
from nkstudy.present import feedback, next_due_text, percent, safe
from nkstudy.tui import keys
from nkstudy.tui.screens.workers import DatabaseWaiting
from nkstudy.tui.study.messages import Answered, Moved, Remarked, SessionFinished, SessionStarted
from nkstudy.tui.study.screens.base import EngineScreen
from nkstudy.tui.widgets.answers import AnswerWidget, Response, answer_widget
from nkstudy.tui.widgets.header import Header
from nkstudy.tui.widgets.rating import RatingBar

if TYPE_CHECKING:
    from nkstudy.core.study.session import StudySession
    from nkstudy.engine import Engine


class StudyBody(VerticalScroll, can_focus=False):
    """The question and its feedback.  It never takes the keyboard, so after an answer
    the rating bar keeps 1–4 and Enter; the screen's keys scroll it."""


#: what the banner says while an answer waits for a database server that went away
WAITING = ("The database is unreachable: your answer is kept and is sent as soon as it is back "
           "(retrying)…")
#: and once the store gave up waiting (the answer is still kept, under the same id)
GAVE_UP = ("Not saved: the database did not answer. Your answer is kept: press Enter or Ctrl+R to send "
           "it again.")


class StudyScreen(EngineScreen):
    """Runs one StudySession.  Every session call happens in a worker.

    When the database server goes away (PostgreSQL), the store retries for a
    while; meanwhile a banner says so and the answer is kept.  If it gives up,
    the answer stays kept (:attr:`pending` here; once the session has given it
    an id, :attr:`StudySession.unsent`) and Enter or Ctrl+R sends that same
    answer again, under the same id, so it is logged once.
    """

    BINDINGS: ClassVar[list[BindingType]] = keys.bindings([*keys.STUDY, *keys.FEEDBACK, *keys.STUDY_SCROLL])

    def __init__(self, title: str, request: StudyRequest) -> None:
        super().__init__()
        self.session_title = title
        self.request = request
        self.session: StudySession | None = None
        self.item: CurrentItem | None = None
        self.outcome: AnswerOutcome | None = None
        self.score: SessionScore | None = None
        self.busy = True
        self.shown_at = time.monotonic()
        self.feedback_text = Text()
        #: the answer being sent (response, milliseconds), until the session has it
        self.pending: tuple[Response, int] | None = None
        self.warned_unsent = False  # Esc with an answer not saved warns once, then leaves

    # -- layout -----------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="status")
        yield Static("", id="db-banner", markup=False)
        with StudyBody(id="study-body"):
            yield Static("Starting…", id="prompt")
            yield Static("", id="feedback")
        yield RatingBar(id="rating", classes="-hidden")
        # the feedback's keys fill the 80 columns; Ctrl+P (the palette) is in the help, as on home
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = self.session_title
        self.query_one("#db-banner").display = False
        if self.engine is not None:
            self.engine.on_wait(self._tell_waiting)
            self.start_session(self.engine)

    def on_unmount(self) -> None:
        if self.engine is not None:
            self.engine.off_wait(self._tell_waiting)

    def _tell_waiting(self, waiting: bool) -> None:  # from the worker's thread
        self.post_message(DatabaseWaiting(waiting))

    # -- workers ------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="session")
    def start_session(self, engine: Engine) -> None:
        session = engine.start(self.request)
        upcoming = ""
        if session.current is None and not session.practice:
            today = engine.today()
            upcoming = next_due_text(today.next_due, today.tomorrow, engine.now(), engine.tz)
        self.post_message(SessionStarted(session, session.current, session.score, upcoming))

    @work(thread=True, exclusive=True, exit_on_error=False, group="session")
    def send_answer(self, session: StudySession, response: Response, elapsed_ms: int) -> None:
        outcome = session.answer(response, elapsed_ms=elapsed_ms)
        self.post_message(Answered(outcome, session.score))

    @work(thread=True, exclusive=True, exit_on_error=False, group="session")
    def resend_answer(self, session: StudySession) -> None:
        outcome = session.resend()
        self.post_message(Answered(outcome, session.score))

    @work(thread=True, exclusive=True, exit_on_error=False, group="session")
    def rate_and_advance(self, session: StudySession, outcome: AnswerOutcome, rating: Rating) -> None:
        if rating != outcome.rating:
            session.rate(rating)
        item = session.advance()
        if item is None:
            self.post_message(SessionFinished(session.score, session.missed, complete=True))
        else:
            self.post_message(Moved(item, session.score))

    @work(thread=True, exclusive=True, exit_on_error=False, group="session")
    def send_override(self, session: StudySession) -> None:
        outcome = session.override()
        self.post_message(Remarked(outcome, session.score))

    @work(thread=True, exclusive=True, exit_on_error=False, group="session")
    def send_mark(self, session: StudySession, suspend: bool, bury: bool, flag: bool | None) -> None:
        outcome = session.mark(suspend=suspend, bury=bury, flag=flag)
        self.post_message(Remarked(outcome, session.score))

    @work(thread=True, exclusive=True, exit_on_error=False, group="session")
    def send_undo(self, session: StudySession) -> None:
        item = session.undo()
        self.post_message(Moved(item, session.score, undone=True))

    def worker_failed(self, worker: Worker[object], error: BaseException | None) -> None:
        from nkstudy.engine import StoreError

        self.busy = False
        if not isinstance(error, StoreError):
            self.pending = None  # not the database: the answer cannot be sent as it is
        if self.kept():
            self.show_banner(GAVE_UP)
        else:
            self.show_banner(None)
            for widget in self.query(AnswerWidget):
                widget.disabled = False
            for widget in self.query(AnswerWidget):
                widget.focus_input()
        self.refresh_bindings()

    @on(DatabaseWaiting)
    def _waiting(self, message: DatabaseWaiting) -> None:
        if message.waiting:
            self.show_banner(WAITING)
        elif not self.kept():
            self.show_banner(None)
        # else: the answer is in (its message takes the banner away) or given up (the failure says so)

    def show_banner(self, text: str | None) -> None:
        """Say what the database is doing (None: nothing to say, the banner goes)."""
        banner = self.query_one("#db-banner", Static)
        banner.update(Text(text or "", style="bold"))
        banner.display = text is not None

    # -- messages -----------------------------------------------------------
    @on(SessionStarted)
    async def _started(self, message: SessionStarted) -> None:
        self.session = message.session
        self.score = message.score
        if message.item is None:
            self.busy = False
            self.query_one("#prompt", Static).update(Text(self.empty_text(message.upcoming)))
            return
        await self.ask(message.item)

    def empty_text(self, upcoming: str) -> str:
        """What the screen says when the session has nothing to ask."""
        if self.request.question_ids:  # chosen questions (the missed ones): all suspended or buried since
            return (
                "None of these questions can be asked now: each is suspended or buried.\n\n"
                "Press Escape to go back; the card browser (b on the home screen) lifts a suspension."
            )
        return (
            "Nothing is due in this pack right now.\n\n"
            + (f"{upcoming}\n\n" if upcoming else "")
            + "Press Escape to go back; on the home screen p practises every question."
        )

    @on(Answered)
    async def _answered(self, message: Answered) -> None:
        self.show_banner(None)
        self.pending = None
        self.outcome = message.outcome
        self.score = message.score
        await self.show_outcome(message.outcome)
        self.busy = False

    @on(Remarked)
    async def _remarked(self, message: Remarked) -> None:
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
        from nkstudy.tui.study.screens.summary import SummaryScreen

        self.busy = False
        self.app.switch_screen(SummaryScreen(self.session_title, message.score, message.missed,
                                             complete=message.complete))

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

    async def ask(self, item: CurrentItem) -> None:
        self.item = item
        self.outcome = None
        prompt = safe(item.question.prompt, style="bold")
        if item.question.media:
            names = ", ".join(m.split("/", 1)[-1] for m in item.question.media)
            prompt.append_text(safe(f"\n[m or Ctrl+G: see or hear {names}]", style="dim"))
        self.query_one("#prompt", Static).update(prompt)
        self.query_one("#feedback", Static).update("")
        self.query_one("#feedback", Static).display = False
        await self.query(AnswerWidget).remove()
        widget = answer_widget(item.question, tuple(item.shown), id="answer")
        await self.query_one("#study-body").mount(widget, after="#prompt")
        self.query_one("#rating", RatingBar).add_class("-hidden")
        widget.focus_input()
        self.query_one("#study-body", StudyBody).scroll_home(animate=False)
        self.update_status()
        self.refresh_bindings()
        self.shown_at = time.monotonic()
        self.busy = False

    async def show_outcome(self, outcome: AnswerOutcome) -> None:
        await self.query(AnswerWidget).remove()
        out = feedback(outcome)
        if outcome.source is not None:
            out.append("   o: read the article", style="dim")
        self.feedback_text = out
        panel = self.query_one("#feedback", Static)
        panel.update(out)
        panel.display = True
        rating = self.query_one("#rating", RatingBar)
        practice = self.session is not None and self.session.practice
        rating.show(outcome.intervals, outcome.rating, outcome.allowed, practice=practice)
        rating.remove_class("-hidden")
        rating.focus()
        self.update_status()
        self.refresh_bindings()

    # -- input --------------------------------------------------------------
    @on(AnswerWidget.Submitted)
    def _submitted(self, event: AnswerWidget.Submitted) -> None:
        event.stop()
        self.answer(event.response)

    def answer(self, response: Response) -> None:
        if self.busy or self.session is None or self.item is None or self.outcome is not None:
            return
        if self.kept():  # the kept answer goes, not what the widget holds now
            self.action_resend()
            return
        self.busy = True
        for widget in self.query(AnswerWidget):  # what is sent stays as it was sent
            widget.disabled = True
        self.pending = (response, int((time.monotonic() - self.shown_at) * 1000))
        self.send_answer(self.session, *self.pending)

    def kept(self) -> bool:
        """True when an answer the database did not take is kept, to be sent again."""
        return self.pending is not None or (self.session is not None and self.session.unsent)

    def action_resend(self) -> None:
        """Send the answer the database did not take once more (the same answer, under the same id)."""
        if self.busy or self.session is None or not self.kept():
            return
        self.busy = True
        self.show_banner(WAITING)
        if self.session.unsent:
            self.resend_answer(self.session)
        elif self.pending is not None:  # it failed before the session named it: nothing was written
            self.send_answer(self.session, *self.pending)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        unsent = self.kept()
        if action == "resend":
            return unsent
        if action == "undo" and unsent:
            return None  # shown, but not now: the kept answer goes first
        if action == "dont_know":
            return self.item is not None and self.outcome is None  # hidden once the question is answered
        if action == "open_media":
            return self.item is not None and bool(self.item.question.media)
        if action in ("open_article", "undo"):
            return self.item is not None  # "Nothing is due" has nothing to open or undo
        if action == "override":  # only for a typed answer marked wrong
            return self.outcome is not None and self.outcome.overridable
        if action in ("suspend", "bury", "flag"):
            return self.outcome is not None  # the card just answered
        return True

    def action_scroll_body(self, how: str) -> None:
        body = self.query_one("#study-body", StudyBody)
        getattr(body, f"scroll_{how}")(animate=False)

    def action_dont_know(self) -> None:
        self.answer(None)

    @on(RatingBar.Accepted)
    def _accepted(self, event: RatingBar.Accepted) -> None:
        event.stop()
        if self.busy or self.session is None or self.outcome is None:
            return
        self.busy = True
        self.rate_and_advance(self.session, self.outcome, event.rating)

    def action_override(self) -> None:
        if self.busy or self.session is None or self.outcome is None or not self.outcome.overridable:
            return
        self.busy = True
        self.send_override(self.session)

    def _mark(self, *, suspend: bool = False, bury: bool = False, flag: bool | None = None) -> None:
        if self.busy or self.session is None or self.outcome is None:
            return
        self.busy = True
        self.send_mark(self.session, suspend, bury, flag)

    def action_suspend(self) -> None:
        self._mark(suspend=True)

    def action_bury(self) -> None:
        self._mark(bury=True)

    def action_flag(self) -> None:
        if self.outcome is not None:
            self._mark(flag=not self.outcome.flagged)

    def action_undo(self) -> None:
        if self.busy or self.session is None:
            return
        self.busy = True
        self.send_undo(self.session)

    def action_open_article(self) -> None:
        if self.item is None:
            return
        question = self.item.question
        if question.source is None:
            self.notify("This question cites no source.")
            return
        self.app.open_reader(self.item.pack_id, question.source, question.excerpt)

    def action_open_media(self) -> None:
        from nkstudy.tui.study.screens.media import MediaScreen

        pack = self.app.pack(self.item.pack_id) if self.item is not None else None
        if self.item is None or pack is None or not self.item.question.media:
            self.notify("This question has no pictures or sounds.")
            return
        self.app.push_screen(MediaScreen(pack, self.item.question))

    def action_finish(self) -> None:
        if self.busy:
            return
        if self.kept() and not self.warned_unsent:
            self.warned_unsent = True
            self.notify("Your last answer is not saved yet: Ctrl+R sends it again; Esc again leaves without it.",
                        severity="warning", markup=False)
            return
        if self.session is None or self.score is None or not self.score.answered:
            self.app.pop_screen()
            return
        self.busy = True
        self.send_finish(self.session)

    @work(thread=True, exclusive=True, exit_on_error=False, group="session")
    def send_finish(self, session: StudySession) -> None:
        self.post_message(SessionFinished(session.score, session.missed, complete=False))
