"""``nkstudy drill CODE --live --plain``: a student in a live drill, as plain lines.

Not a command of its own: ``drill --live`` runs it.  It reads where the drill
stands every :data:`POLL` seconds (no busy loop: it sleeps, or waits for a
typed line, between reads), prints each question when the teacher asks it,
takes one line as the answer, and prints the right answer when the teacher
reveals it.  Lines typed while the teacher pauses wait until the question
resumes.  End of input or Ctrl+C leaves the drill; everything answered is
kept, and joining again (the same name) goes on in the same sitting.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from nkstudy.cli.lines import LineReader, _TimeUp, print_line, show_question
from nkstudy.core.classroom import live as rules

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from nkstudy.core.classroom.drill import DrillItem
    from nkstudy.core.classroom.live import LiveState
    from nkstudy.liveroom import LiveSeat

POLL = 0.4  # seconds between reads of where the drill stands


class PlainLive:
    def __init__(self, seat: LiveSeat, console: Console, *, seconds: float | None = None,
                 reader: LineReader | None = None, interactive: bool | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.seat = seat
        self.console = console
        self.seconds = seconds
        self.reader = reader or LineReader(sys.stdin.fileno())
        self.interactive = sys.stdin.isatty() if interactive is None else interactive
        self.sleep = sleep
        self.said: tuple[int, str] | None = None  # the (position, phase) last told, so each is told once
        self.shown: set[int] = set()  # the questions this student was shown

    def say(self, *parts: str | Text, style: str | None = None, end: str = "\n") -> None:
        print_line(self.console, *parts, style=style, end=end)

    def once(self, state: LiveState | None, text: str, style: str = "dim") -> None:
        key = (state.position, state.phase) if state is not None else (-1, "closed")
        if key != self.said:
            self.said = key
            self.say(text, style=style)

    def run(self) -> int:
        from nkstudy.core.figures import plural
        from nkstudy.core.text import visible

        s = self.seat
        rejoined = f"; welcome back: {plural(len(s.results), 'answer')} kept" if s.results else ""
        self.say(f"Live drill {s.code} - {plural(s.total, 'question')} - profile {visible(s.profile)}{rejoined}",
                 style="bold")
        self.say("The teacher moves the class from question to question. Empty line: don't know. "
                 "Ctrl+D: leave (answers are kept; join again to go on).", style="dim")
        ending = "The teacher ended the drill."
        try:
            while True:
                state = s.state()
                if state is None:
                    self.once(None, "Waiting for the teacher to open the drill...")
                elif state.phase == rules.ENDED:
                    break
                elif state.phase == rules.ASKING and not s.answered(state.position):
                    if not self.asking(state):
                        ending = "You left the drill; your answers are saved."
                        break
                    continue
                elif state.phase == rules.ASKING:
                    self.once(state, "Answer saved; wait for the teacher.")
                elif state.phase == rules.PAUSED:
                    self.once(state, "Paused by the teacher.", style="yellow")
                elif state.phase == rules.REVEAL:
                    self.reveal(state)
                else:
                    self.once(state, "Joined. Waiting for the teacher to start...")
                self.sleep(POLL)
        except KeyboardInterrupt:
            self.say("")
            ending = "You left the drill; your answers are saved."
        self.summary(ending)
        return 0

    def asking(self, state: LiveState) -> bool:
        """Show the question asked (once) and wait up to POLL for a line; False at end of input."""
        item = self.seat.item(state)
        if item is None:
            self.sleep(POLL)
            return True
        if item.position not in self.shown:
            self.shown.add(item.position)
            self.said = (state.position, state.phase)
            self.ask(item, state)
        line = self.reader.readline(POLL)
        if line is None:
            return False
        if isinstance(line, _TimeUp):
            return True
        now_state = self.seat.state()
        if now_state is None or now_state.position != item.position or now_state.phase not in (rules.ASKING,
                                                                                                rules.PAUSED):
            self.say("Too late: the teacher has moved on.", style="yellow")
            return True
        text = line.strip()
        if not text:
            self.seat.answer(item, now_state, None)
        else:
            try:
                self.seat.answer(item, now_state, item.parse(text))
            except ValueError as exc:
                from nkstudy.core.text import visible

                if self.interactive:
                    self.say(f"Not understood ({visible(str(exc))}); try again, or an empty line for don't know.",
                             style="yellow")
                    self.prompt()
                    return True
                self.say(f"Not understood ({visible(str(exc))}); counted as wrong.", style="yellow")
                self.seat.answer(item, now_state, None, raw=text)
        self.say(f"Saved ({item.position} of {self.seat.total}).", style="dim")
        return True

    def ask(self, item: DrillItem, state: LiveState) -> None:
        show_question(self.say, item, self.seat.total, state.remaining(self.seat.clock().timestamp()))
        self.prompt()

    def prompt(self) -> None:
        if self.interactive:
            self.say("> ", end="")

    def reveal(self, state: LiveState) -> None:
        from nkstudy.core.text import visible
        from nkstudy.present import live_verdict

        if self.said == (state.position, state.phase):
            return
        self.said = (state.position, state.phase)
        item = self.seat.item(state)
        if item is None:
            return
        if item.position in self.shown and not self.seat.answered(item.position):
            if self.interactive:
                self.reader.discard_typed()
            self.seat.answer(item, state, None, time_up=True)  # shown and not answered
            self.say("")
            self.say("Time is up.", style="yellow")
        answer = "; ".join(rules.right_options(item)) or item.question.answer_text()
        self.say(f"Answer to question {item.position}: {visible(answer)}", style="bold")
        if state.allowed is not None:
            self.seconds = state.allowed
        mine = next((r for r in self.seat.results if r.position == item.position), None)
        if mine is not None:
            got = rules.points(mine, self.seconds)
            self.say("You: ", live_verdict(mine, got))

    def summary(self, ending: str) -> None:
        from nkstudy.core.figures import plural
        from nkstudy.core.text import visible
        from nkstudy.present import drill_summary

        s = self.seat
        self.say("")
        self.say(ending, style="bold")
        self.say(drill_summary(s.outcome(), timed_out=s.timed_out, plain=True))
        standing = s.standing(self.seconds)
        if standing is not None:
            self.say(f"Points: {standing.points} (place {standing.rank}; {plural(standing.right, 'right answer')}).",
                     style="bold")
        self.say(f"Drill {s.code}, profile {visible(s.profile)}.", style="dim")
