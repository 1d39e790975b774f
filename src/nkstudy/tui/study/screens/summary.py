"""The end of a session: score, accuracy, time, and the questions missed."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from nkstudy.core.study.results import CurrentItem, SessionScore
from nkstudy.core.study.session import StudyRequest
from nkstudy.present import duration, excerpt_text, percent, safe
from nkstudy.tui import keys
from nkstudy.tui.study.host import HostApp
from nkstudy.tui.widgets.header import Header


class SummaryScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = keys.bindings(keys.SUMMARY)

    app: HostApp

    def __init__(self, title: str, score: SessionScore, missed: list[CurrentItem], *, complete: bool = True) -> None:
        super().__init__()
        self.session_title = title
        self.score = score
        #: each missed question once (one missed twice is practised once), in the order first missed
        self.missed = list({(item.pack_id, item.question.id): item for item in reversed(missed)}.values())[::-1]
        self.complete = complete

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="summary-body"):
            yield Static(self.headline(), id="summary-score")
            yield Static(self.missed_heading(), id="summary-missed")
            for item in self.missed:
                with Horizontal(classes="missed-item"):
                    yield Static("•", classes="bullet")
                    yield Static(self.missed_text(item), classes="missed-text")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"{self.session_title}: {'done' if self.complete else 'ended'}"
        self.query_one("#summary-body").focus()

    def headline(self) -> Text:
        s = self.score
        out = Text("Session complete\n\n" if self.complete else "Session ended early\n\n", style="bold")
        out.append("Score     ", style="dim")
        out.append(f"{s.right} of {s.answered} right\n", style="bold")
        out.append("Accuracy  ", style="dim")
        out.append(f"{percent(s.accuracy)}\n")
        out.append("Time      ", style="dim")
        out.append(f"{duration(s.elapsed.total_seconds())}\n")
        out.append("Best run  ", style="dim")
        out.append(f"{s.best_streak} in a row")
        return out

    def missed_heading(self) -> Text:
        if not self.missed:
            return Text("Nothing missed. Well done.", style="green")
        return Text(f"Missed ({len(self.missed)}) — press p to practise them again", style="bold")

    def missed_text(self, item: CurrentItem) -> Text:
        q = item.question
        pack = self.app.pack(item.pack_id)
        out = safe(q.prompt, style="bold")
        out.append("\nAnswer: ", style="dim")
        out.append_text(safe(q.answer_text()))
        out.append("\n")
        out.append_text(excerpt_text(q, pack.source_of(q) if pack else None))
        return out

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "practise_missed":
            return bool(self.missed)  # offered only when something was missed
        return True

    def action_practise_missed(self) -> None:
        if not self.missed:
            self.notify("Nothing missed to practise.")
            return
        ids = [item.question.id for item in self.missed]
        packs = list(dict.fromkeys(item.pack_id for item in self.missed))
        self.app.start_study(StudyRequest(pack_ids=packs, question_ids=ids, practice=True),
                             replace=True, title="Missed questions")

    def action_close(self) -> None:
        self.app.pop_screen()
