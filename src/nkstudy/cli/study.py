"""``nkstudy study``: study with spaced repetition; ``--plain`` is a line-by-line quiz."""

from __future__ import annotations

import argparse
import sys
import time
from typing import TYPE_CHECKING

from nkstudy.cli.common import DUMB_TERMINAL_NOTICE, Context, error, make_console, subcommand, unknown_filter
from nkstudy.core.text import quoted

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from nkstudy.core.model import Response
    from nkstudy.core.study.results import AnswerOutcome, CurrentItem
    from nkstudy.core.study.session import StudySession
    from nkstudy.engine import Engine

DESCRIPTION = """\
Study the questions that are due, with spaced repetition (FSRS), as in Anki:
cards you are learning first, then reviews that are due (most overdue first),
with new questions mixed in, up to the daily limit (20 by default). The study
day rolls over at 4 am local time. Every answer is saved before the next
question is shown.

--plain (used automatically when stdin or stdout is not a terminal, or when
TERM=dumb) asks one question at a time as plain lines, for plain terminals,
screen readers and scripts:

  * every input line answers the current question, and only that one;
  * choices are numbered: type the number ("2") or the option's exact text;
    for several right options, the numbers separated by spaces ("1 3") or
    the texts separated by ";"; for an order, the numbers ("3 1 2");
    true/false takes t or f; other questions take your answer as text;
  * an empty line means "don't know" and counts as wrong;
  * a typed answer marked wrong that was right after all: type !right as the
    next line (before answering the next question) to count it right, rated
    Good; it is logged as an override ("I was right");
  * a line that cannot be understood (such as "7" when there are 4 options)
    is asked again when you type at a terminal; piped in, it counts as wrong,
    with a hint, so a script never gets out of step;
  * end of input, Ctrl+D or Ctrl+C ends the session; everything answered is
    kept and a summary is printed.

A right answer is rated Good and a wrong one Again; change ratings in the app.

examples:
  nkstudy study --plain
  nkstudy study --plain --pack nk-china-visits --tag who
  nkstudy study --plain --practice --limit 10      # not due; schedule unchanged
  printf '3\\nDalian\\n\\n' | nkstudy study --plain --seed 1 --profile class-3
                               # fixed order: the same questions on every run

exit status: 0 ok (also when the session is cut short), 1 no packs or a
progress-database problem, 2 usage error"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subcommand(sub, "study", "study what is due (--plain for a line-by-line quiz)", DESCRIPTION)
    parser.add_argument("--plain", action="store_true",
                        help="line-by-line quiz on stdin/stdout instead of the app")
    parser.add_argument("--pack", metavar="ID", action="append",
                        help="study only this pack (repeatable; default: every pack)")
    parser.add_argument("--source", metavar="ID", action="append",
                        help="only questions citing this source id (repeatable)")
    parser.add_argument("--tag", metavar="TAG", action="append",
                        help="only questions with this tag: who, whom, where, when, why, context "
                        "(repeatable)")
    parser.add_argument("--practice", action="store_true",
                        help="practise questions that are not due; answers are logged, "
                        "the schedule is unchanged")
    parser.add_argument("--limit", metavar="N", type=_positive,
                        help="ask N questions at most, counting a card that comes back "
                        "in the same session")
    parser.add_argument("--seed", type=int, metavar="N",
                        help="fix the order of questions and options (the same N gives the same session "
                        "against the same progress; for examples, scripts and tests)")
    parser.set_defaults(run=run)


#: a line that overrides the last answer ("I was right") instead of answering
OVERRIDE_WORDS = ("!right", "!r")


def dumb_terminal() -> bool:
    """True when $TERM says the terminal cannot show the full-screen app."""
    import os

    return os.environ.get("TERM", "") == "dumb"


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{quoted(text)} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def run(args: argparse.Namespace, ctx: Context) -> int:
    from nkstudy.core.study.session import StudyRequest

    request = StudyRequest(pack_ids=args.pack, source_ids=args.source, tags=args.tag,
                           practice=args.practice, limit=args.limit)
    if args.source or args.tag:
        from nkstudy.core.packs.discovery import good_packs

        unknown = unknown_filter(good_packs(ctx.discover()), args.pack, args.source, args.tag)
        if unknown is not None:
            error(unknown)
            return 2
    if not args.plain and sys.stdin.isatty() and sys.stdout.isatty():
        if not dumb_terminal():
            return ctx.launch_app(request)
        print(DUMB_TERMINAL_NOTICE, file=sys.stderr)
    from nkstudy.engine import StoreError

    engine = ctx.open_engine(args.seed)
    if isinstance(engine, int):
        return engine
    try:
        if engine.store.read_only:  # said before the first question, not after the first answer
            error(engine.store.read_only)
            return 1
        if not engine.packs:
            error("no packs found; run `nkstudy packs` to see where nkstudy looks")
            return 1
        try:
            session = engine.start(request)
        except ValueError as exc:
            error(ctx.unknown_pack(exc, args.pack))
            return 2
        return PlainQuiz(engine, session, plain_console()).run()
    except StoreError as exc:  # the database failed after opening: damaged further in, locked, disk full
        error(str(exc))
        return 1
    finally:
        engine.close()


def plain_console() -> Console:
    """The quiz's console: on a terminal, wrapped to its width; otherwise lines are never wrapped
    (nor padded), so a script reads each line whole."""
    console = make_console()
    if not sys.stdout.isatty():
        console.soft_wrap = True
    return console


class PlainQuiz:
    """The line-by-line quiz: print a question, read one line, print the result."""

    def __init__(self, engine: Engine, session: StudySession, console: Console) -> None:
        self.engine = engine
        self.session = session
        self.console = console
        self.interactive = sys.stdin.isatty()
        self.last: AnswerOutcome | None = None  # the last answer, while !right may still override it

    def say(self, *parts: str | Text, style: str | None = None) -> None:
        from rich.text import Text

        text = Text()
        for part in parts:
            if isinstance(part, Text):
                text.append_text(part)
            else:
                text.append(str(part), style=style)
        self.console.print(text)

    def run(self) -> int:
        from nkstudy.core.text import visible

        session = self.session
        if session.finished:
            if session.practice:
                self.say("Nothing to practise: every selected question is due. Study it without --practice.")
            else:
                self.say("Nothing is due now. Come back later, or practise with --practice.")
            self._next_due()
            return 0
        mode = "Practice (your schedule is not changed)" if session.practice else "Study"
        self.say(f"{mode} - profile {visible(self.engine.profile)}. Empty line: don't know. Ctrl+D: stop.",
                 style="dim")
        try:
            while not session.finished:
                item = session.current
                assert item is not None
                self.ask(item)
                started = time.monotonic()
                sys.stdout.flush()
                if item.question.self_graded and not self.reveal(item):
                    self.say("")
                    break
                line = self.read_answer(item)
                if line is None:  # end of input / Ctrl+D
                    self.say("")
                    break
                elapsed = int((time.monotonic() - started) * 1000)
                self.answer(item, line, elapsed)
                session.advance()
        except KeyboardInterrupt:
            self.say("")
        self.summary()
        return 0

    def read_answer(self, item: CurrentItem) -> str | None:
        """The answer line (None at end of input).  On a terminal, a line that cannot be
        understood is asked again with a hint; piped input takes every line as the answer."""
        while True:
            line = self.read_line()
            if not line:
                return None
            line = line.rstrip("\r\n")
            if line.strip().casefold() in OVERRIDE_WORDS:
                self.override()
                self.prompt()
                sys.stdout.flush()
                continue
            if not self.interactive or not line.strip():
                return line
            try:
                item.question.parse_response(line, item.shown)
            except ValueError as exc:
                self.say(f"Not understood ({exc}); try again, or an empty line for don't know.", style="yellow")
                self.prompt()
                sys.stdout.flush()
                continue
            return line

    @staticmethod
    def read_line() -> str:
        """One line of input; bytes that do not decode become U+FFFD rather than a crash."""
        reconfigure = getattr(sys.stdin, "reconfigure", None)
        if reconfigure is not None and getattr(sys.stdin, "errors", "replace") != "replace":
            reconfigure(errors="replace")
        line = sys.stdin.readline()
        # surrogateescape (the C/POSIX locale) hands undecodable bytes over as lone surrogates
        return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in line)

    def ask(self, item: CurrentItem) -> None:
        from rich.text import Text

        from nkstudy.present import safe

        q = item.question
        head = f"Question {item.index} of {item.total}"
        if item.is_new:
            head += " - new"
        self.say("")
        self.say(head, style="bold")
        self.say(safe(q.prompt))
        for line in q.option_lines(item.shown):
            self.say(Text("  "), safe(line))
        if q.self_graded:
            self.say("Think of the answer, then press Enter to see it.", style="dim")
        else:
            self.say(f"Type {q.hint_for(item.shown)}.", style="dim")
        self.prompt()

    def prompt(self) -> None:
        if self.interactive:
            self.console.print("> ", end="")

    def reveal(self, item: CurrentItem) -> bool:
        """A flashcard: Enter shows the back, then the learner says whether they knew it.

        False at end of input.
        """
        from rich.text import Text

        from nkstudy.present import safe

        if not self.read_line():
            return False
        self.say(Text("Answer: ", style="bold"), safe(item.question.answer_text()))
        self.say(f"Type {item.question.hint_for(item.shown)}.", style="dim")
        self.prompt()
        sys.stdout.flush()
        return True

    def override(self) -> None:
        """``!right``: count the last answer, a typed one marked wrong, as right (an override)."""
        from nkstudy.present import marks_note

        last = self.last
        if last is None or not last.overridable:
            self.say("Nothing to override: !right counts the last typed answer right when it was marked wrong.",
                     style="yellow")
            return
        self.last = outcome = self.session.override()
        self.say(f"{marks_note(outcome)} Score {self.session.score.right}/{self.session.score.answered}.",
                 style="green")

    def answer(self, item: CurrentItem, line: str, elapsed_ms: int) -> None:
        q = item.question
        note = None
        response: Response = None
        raw: str | None = None
        if line.strip():
            try:
                response = q.parse_response(line, item.shown)
            except ValueError as exc:
                note = f"Not understood ({exc}); counted as wrong."
                raw = line.strip()
        outcome = self.session.answer(response, elapsed_ms=elapsed_ms, answer_text=raw)
        self.last = outcome
        if note:
            self.say(note, style="yellow")
        self.result(outcome, dont_know=not line.strip())

    def result(self, outcome: AnswerOutcome, dont_know: bool) -> None:
        from nkstudy.core.study.schedule import format_interval
        from nkstudy.present import feedback

        self.say(feedback(outcome, dont_know=dont_know, plain=True))
        if not outcome.practice:
            interval = outcome.intervals.get(outcome.rating)
            if interval is not None:
                self.say(f"Next review in {format_interval(interval)} ({outcome.rating.name}).", style="dim")
        if outcome.overridable and not dont_know:
            self.say("Typed it right after all? Type !right as your next line to count it right.", style="dim")

    def summary(self) -> None:
        from nkstudy.present import duration, percent

        score = self.session.score
        taken = duration(score.elapsed.total_seconds())
        accuracy = percent(score.accuracy)
        self.say("")
        self.say("Session over." if self.session.finished else "Session stopped; your answers are saved.",
                 style="bold")
        self.say(f"Answered {score.answered}: {score.right} right, {score.wrong} wrong "
                 f"({accuracy}); best streak {score.best_streak}; time {taken}.")
        missed = self.session.missed
        if missed:
            from rich.text import Text

            from nkstudy.present import safe

            self.say("To look at again:", style="bold")
            for item in missed:
                self.say(Text("  - "), safe(item.question.prompt))
        if not self.session.practice:
            self._next_due()

    def _next_due(self) -> None:
        from nkstudy.present import plural

        today = self.engine.today()
        self.say(f"Due now: {today.due_now}. Reviews today: {today.reviews}. "
                 f"Study streak: {plural(today.streak_days, 'day')}.", style="dim")
        if not today.due_now:
            from nkstudy.present import next_due_text

            upcoming = next_due_text(today.next_due, today.tomorrow, self.engine.now(), self.engine.tz)
            if upcoming:
                self.say(upcoming, style="dim")
