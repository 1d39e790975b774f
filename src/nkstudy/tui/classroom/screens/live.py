"""The projector of a live drill: the question with its countdown, then how the class answered and who leads.

Every host call (moving the drill on, reading how it stands) runs in a thread
worker that posts :class:`~nkstudy.tui.classroom.messages.LiveRead`; the screen
only shows what it is sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from nkstudy.core.classroom import live as rules
from nkstudy.core.classroom.gate import Roster
from nkstudy.core.figures import duration, plural
from nkstudy.core.text import visible
from nkstudy.liveroom import LiveHost, LiveView
from nkstudy.present import citation, excerpt_text
from nkstudy.tui import keys
from nkstudy.tui.classroom.messages import LiveRead
from nkstudy.tui.screens.workers import WorkerErrors, error_line
from nkstudy.tui.widgets.header import Header

POLL = 0.3  # seconds between reads: answers and the countdown move within a third of a second
BAR = 24  # the widest bar of the answer distribution
LABEL = 40  # the widest answer beside it (80 columns: ✓, label, bar and count)
TOP = 5  # leaderboard lines shown


def _one_line(text: str) -> str:
    return " ".join(visible(text).split())


def away_text(away: Sequence[str]) -> str:
    """" · 2 away (bob, cai)": who joined but has not been seen for a while ("" when nobody)."""
    if not away:
        return ""
    names = ", ".join(_one_line(n) for n in away[:3]) + (f" +{len(away) - 3}" if len(away) > 3 else "")
    return f" · {len(away)} away ({names})"


def status_line(view: LiveView, roster: Roster | None = None) -> Text:
    s = view.state
    out = Text()
    joined = len(view.joined)
    if s.phase == rules.WAITING:
        out.append(f"Waiting to start · {plural(joined, 'student')} joined", style="bold")
        out.append(away_text(view.away), style="yellow")
        if roster is not None:
            missing = roster.missing(view.joined)
            out.append(f" · not yet: {', '.join(_one_line(n) for n in missing[:6])}" if missing else
                       " · the whole class is here")
        out.append(" · press n to start", style="dim")
    elif s.phase == rules.ENDED:
        out.append(f"The drill is over · {plural(view.results, 'answer')} saved", style="bold")
    else:
        out.append(f"Question {s.position} of {view.total}", style="bold")
        if s.phase == rules.REVEAL:
            out.append(" · answer shown", style="green")
        elif s.phase == rules.PAUSED:
            out.append(" · PAUSED", style="bold yellow")
        if view.remaining is not None:
            out.append(f" · {duration(view.remaining)} left", style="bold yellow" if view.remaining <= 5 else "")
        out.append(f" · {view.answered} of {joined} responded")
        out.append(away_text(view.away), style="yellow")
    return out


def shorten(label: str, width: int) -> str:
    """``label`` in ``width`` characters: a long one loses its middle, not its end, so options that
    differ only at the end (three-and-a-half million / thousand) stay apart."""
    if len(label) <= width:
        return label
    tail = (width - 1) * 2 // 5
    return label[: width - 1 - tail].rstrip() + "…" + label[len(label) - tail:].lstrip()


def bars(shares: Sequence[rules.Share]) -> Text:
    """The answer distribution: one bar per answer, the right ones marked ✓."""
    out = Text()
    most = max((s.count for s in shares), default=0) or 1
    width = min(max((len(_one_line(s.label)) for s in shares), default=0), LABEL)
    for s in shares:
        label = shorten(_one_line(s.label), width)
        out.append("✓ " if s.right else "  ", style="bold green")
        out.append(label.ljust(width) + " ", style="bold green" if s.right else "")
        out.append("█" * round(BAR * s.count / most), style="green" if s.right else "red" if s.count else "")
        out.append(f" {s.count}\n")
    return out


def board(standings: Sequence[rules.Standing], top: int = TOP) -> Text:
    out = Text()
    out.append("Leaderboard", style="bold underline").append("\n")
    if not standings:
        out.append("no answers yet\n", style="dim")
    for s in standings[:top]:
        out.append(f"{s.rank:>2}. ", style="bold")
        out.append(_one_line(s.profile)[:30].ljust(31))
        out.append(f"{s.points:>6} points", style="bold")
        out.append(f"  {s.right} right\n", style="dim")
    if len(standings) > top:
        out.append(f"… and {len(standings) - top} more\n", style="dim")
    return out


class LiveScreen(WorkerErrors[None]):
    BINDINGS: ClassVar[list[BindingType]] = keys.bindings(keys.LIVE)

    def __init__(self, host: LiveHost, *, roster: Roster | None = None, poll: float = POLL, where: str = "") -> None:
        super().__init__()
        self.where = where  # " --data-dir DIR" or " --db URL" when the class needs to be told (already safe)
        self.host = host
        self.roster = roster
        self.poll = poll
        self.view: LiveView | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Opening the live drill…", id="live-status")
        with VerticalScroll(id="live-body"):
            yield Static("", id="live-question")
            yield Static("", id="live-reveal")
        yield Footer()

    def on_mount(self) -> None:
        self.app.sub_title = self.host.drill.code
        self.read()
        self.set_interval(self.poll, self.read)

    def on_unmount(self) -> None:
        self.host.close()

    @work(thread=True, exclusive=True, exit_on_error=False, group="live-read")
    def read(self) -> None:
        """Post how the drill stands (a read still running is superseded: reads never pile up)."""
        self.post_message(LiveRead(self.host.act(None)))

    @work(thread=True, exclusive=False, exit_on_error=False, group="live-move")
    def move(self, how: str) -> None:
        """Move the drill on (``how``: next, skip, pause or end; every key press counts) and post how it stands."""
        self.post_message(LiveRead(self.host.act(how)))

    def report_failure(self, error: BaseException) -> None:
        self.query_one("#live-status", Static).update(Text(f"Cannot reach the results: {error_line(error)}",
                                                           style="red"))

    def action_next(self) -> None:
        self.move("next")

    def action_skip(self) -> None:
        self.move("skip")

    def action_pause(self) -> None:
        self.move("pause")

    def action_end(self) -> None:
        self.move("end")

    @on(LiveRead)
    def _read(self, message: LiveRead) -> None:
        if message.view != self.view:
            self.view = message.view
            self.show(message.view)

    def show(self, view: LiveView) -> None:
        self.query_one("#live-status", Static).update(status_line(view, self.roster))
        question = Text()
        item = view.item
        if item is not None:
            question.append(f"{item.position}. ", style="bold").append(visible(item.question.prompt), style="bold")
            for line in item.question.option_lines(item.options):
                question.append("\n  " + visible(line))
        elif view.state.phase == rules.WAITING:
            question.append(f"Students join with:\n  nkstudy{self.where} drill '{visible(view.state.code)}' --live",
                            style="bold")
        elif view.state.phase == rules.ENDED:  # the command, whole: with other drills in the folder it needs the code
            question.append(f"The results:\n  nkstudy{self.where} report '{visible(view.state.code)}'", style="bold")
        self.query_one("#live-question", Static).update(question)
        reveal = Text()
        if view.state.phase in (rules.REVEAL, rules.ENDED):
            if item is not None:
                reveal.append_text(bars(view.shares))
                answer = "; ".join(rules.right_options(item)) or item.question.answer_text()
                reveal.append("Answer: ", style="bold").append(visible(answer), style="bold green").append("\n")
                reveal.append_text(excerpt_text(item.question, view.source))
                if view.source is not None:
                    reveal.append("\n").append_text(citation(view.source))
                reveal.append("\n\n")
            reveal.append_text(board(view.standings, TOP if view.state.phase == rules.REVEAL else 10))
        self.query_one("#live-reveal", Static).update(reveal)
