"""``nkstudy drill``: sit a classroom drill, in the app or (``--plain``) as a line-by-line quiz."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from nkstudy.cli.common import (
    Context,
    add_drill_options,
    error,
    make_console,
    open_drill_for,
    roster_for,
    subcommand,
)
from nkstudy.cli.lines import TIME_UP, LineReader, _TimeUp, print_line, show_question
from nkstudy.core.text import quoted

__all__ = ["TIME_UP", "LineReader", "PlainDrill", "register", "run"]

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from nkstudy.core.classroom.drill import DrillItem
    from nkstudy.core.model import Response
    from nkstudy.drillroom import Drill, Limits, Sitting

DESCRIPTION = """\
Sit a classroom drill: the same questions, in the same order and with the same
option order, for everyone who sits the same drill code.  The drill code is
printed first; students can type it instead of the options:

  nkstudy drill --seed 42 --count 10 --tag where     # prints the drill code
  nkstudy drill 'nk-china-visits@1.0.0#42/10+marked;tag=where'

A new drill draws only questions nkstudy marks itself (+marked in the code):
flashcards, which students grade themselves, are left out unless you add
--with-cards.  A code without +marked (made before nkstudy had it, or with
--with-cards) still draws exactly the questions it always did.

Every answer is committed to the progress database (profile --profile, data
folder --data-dir) before the next question, as a drill result: a drill never
changes the spaced-repetition schedule.  --results FILE.json also rewrites
that file after each answer, for labs with no shared folder.  Answers are
marked at the end, which lists every missed question with its excerpt.

Timers: --time-limit MINUTES for the whole drill, --per-question SECONDS for
each question.  A question whose time runs out counts as unanswered (wrong);
when the drill's time runs out, the questions left are not reached.

--plain (used automatically when stdin or stdout is not a terminal) asks one
question at a time as plain lines: type the number of a choice ("2"), the
numbers of several ("1 3"), t or f, or your answer as text.  An empty line
means "don't know".  A line that cannot be understood is asked again on a
terminal and counts as wrong when input is piped.  End of input or Ctrl+C
stops the drill; everything answered is kept.

--live joins the teacher's live drill (`nkstudy live CODE` on the same data
folder): each question shows when the teacher asks it, the answer when the
teacher reveals it; timers are the teacher's.  Leaving and joining again with
the same name goes on in the same sitting, answers kept.

examples:
  nkstudy drill --seed 42 --count 10
  nkstudy drill CODE --profile ann --per-question 30
  nkstudy drill CODE --plain --results ann.json
  printf '2\\nt\\n\\n' | nkstudy drill CODE --plain --profile ann
  nkstudy drill CODE --live --profile ann

exit status: 0 ok (also when the drill is cut short), 1 the drill cannot be
sat here (missing pack or version, no question matches) or a progress-
database problem, 2 usage error"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subcommand(sub, "drill", "sit a classroom drill (--plain for a line-by-line quiz)", DESCRIPTION)
    add_drill_options(parser)
    parser.add_argument("--results", metavar="FILE.json", help="also write each answer to this result file")
    parser.add_argument("--roster", metavar="FILE", help="the class list (one name a line): --profile must be on it")
    parser.add_argument("--plain", action="store_true", help="line-by-line quiz on stdin/stdout instead of the app")
    parser.add_argument("--live", action="store_true",
                        help="join the teacher's live drill (`nkstudy live CODE`): questions come as the teacher asks")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    from nkstudy.core.text import visible
    from nkstudy.drillroom import Limits, Sitting, StoreError, clean_name
    from nkstudy.store.drills import ResultsFileError

    if args.live and (args.time_limit or args.per_question or args.results):
        error("--live: the teacher's `nkstudy live` sets the pace and keeps the results; "
              "drop --time-limit, --per-question and --results")
        return 2
    packs = ctx.packs()
    drill = open_drill_for(args, packs)
    if isinstance(drill, int):
        return drill
    try:
        profile = clean_name(ctx.profile)
    except ValueError as exc:
        error(f"--profile {quoted(ctx.profile)}: {exc}")
        return 2
    roster = roster_for(args)
    if isinstance(roster, int):
        return roster
    if roster is not None:
        listed = roster.find(profile)
        if listed is None:
            error(f"--profile {visible(profile)!r} is not on the roster {visible(args.roster)}; "
                  "give your name as the class list has it")
            return 2
        profile = listed
    if args.live and (args.plain or not (sys.stdin.isatty() and sys.stdout.isatty())):
        return run_live(drill, profile, ctx)
    limits = Limits(args.time_limit * 60 if args.time_limit else None, args.per_question)
    results = Path(args.results) if args.results else None
    if results is not None and not (results.parent if str(results.parent) else Path(".")).is_dir():
        error(f"--results {visible(str(results))}: its folder does not exist; create it or choose another file")
        return 2
    if not args.plain and sys.stdin.isatty() and sys.stdout.isatty():
        from nkstudy.tui.classroom.drill_app import run_drill_app

        print(f"Drill {drill.code}", flush=True)
        code = run_drill_app(drill, ctx.data_dir, profile, ctx.clock, limits=limits, results_file=results,
                             live=args.live, db=ctx.db)
        print(f"Drill {drill.code}: your answers are saved (profile {visible(profile)}).")
        return code
    try:
        sitting = Sitting(drill, ctx.data_dir, profile, clock=ctx.clock, results_file=results, db=ctx.db)
    except StoreError as exc:
        error(str(exc))
        return 1
    try:
        console = make_console()
        console.soft_wrap = not console.is_terminal  # piped output keeps each line whole, whatever its length
        return PlainDrill(sitting, limits, console).run()
    except (StoreError, ResultsFileError) as exc:
        error(str(exc))
        return 1
    finally:
        sitting.close()


def run_live(drill: Drill, profile: str, ctx: Context) -> int:
    """A student in a live drill, as plain lines."""
    from nkstudy.cli.live_student import PlainLive
    from nkstudy.liveroom import LiveSeat
    from nkstudy.store.db import StoreError

    try:
        seat = LiveSeat(drill, ctx.data_dir, profile, clock=ctx.clock, db=ctx.db)
    except StoreError as exc:
        error(str(exc))
        return 1
    try:
        console = make_console()
        console.soft_wrap = not console.is_terminal
        return PlainLive(seat, console).run()
    except StoreError as exc:
        error(str(exc))
        return 1
    finally:
        seat.close()


class PlainDrill:
    """The line-by-line drill: print a question, read one line, commit the answer, go on."""

    def __init__(self, sitting: Sitting, limits: Limits, console: Console, *,
                 reader: LineReader | None = None, interactive: bool | None = None,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.sitting = sitting
        self.limits = limits
        self.console = console
        self.reader = reader or LineReader(sys.stdin.fileno(), monotonic)
        self.interactive = sys.stdin.isatty() if interactive is None else interactive
        self.monotonic = monotonic
        self.timed_out: set[int] = set()  # the positions whose time ran out, for the end

    def say(self, *parts: str | Text, style: str | None = None, end: str = "\n") -> None:
        print_line(self.console, *parts, style=style, end=end)

    def run(self) -> int:
        from nkstudy.core.figures import duration, plural
        from nkstudy.core.text import visible

        s = self.sitting
        self.say(f"Drill {s.code} - {plural(s.total, 'question')} - profile {visible(s.profile)}", style="bold")
        timers = []
        if self.limits.total is not None:
            timers.append(f"{duration(self.limits.total)} for the drill")
        if self.limits.per_question is not None:
            timers.append(f"{duration(self.limits.per_question)} for each question")
        if timers:
            self.say("Time: " + "; ".join(timers) + ". When time runs out the question counts as wrong.", style="dim")
        self.say("Answers are marked at the end. Empty line: don't know. Ctrl+D: stop (answers are kept).",
                 style="dim")
        started = self.monotonic()
        ending = "The drill is over."
        try:
            while (item := s.current) is not None:
                asked = self.monotonic()
                if self.limits.drill_over(started, asked):
                    ending = "Time is up for the drill; the questions left were not reached."
                    break
                self.ask(item, self.limits.left(started, asked, asked))
                got = self.read_answer(item, started, asked)
                if got is None:  # end of input
                    self.say("")
                    ending = "Drill stopped; your answers are saved."
                    break
                response, raw, how = got
                s.answer(response, seconds=self.monotonic() - asked, raw=raw)
                if how == "time up":
                    self.timed_out.add(item.position)
                    if self.interactive:
                        self.reader.discard_typed()
                    if self.limits.drill_over(started, self.monotonic()):
                        ending = "Time is up for the drill; the questions left were not reached."
                        break
                    self.say("Time is up for this question.", style="yellow")
                else:
                    self.say(f"Saved ({item.position} of {s.total}).", style="dim")
        except KeyboardInterrupt:
            self.say("")
            ending = "Drill stopped; your answers are saved."
        self.summary(ending)
        return 0

    def ask(self, item: DrillItem, left: float | None) -> None:
        show_question(self.say, item, self.sitting.total, left)
        self.prompt()

    def prompt(self) -> None:
        if self.interactive:
            self.say("> ", end="")

    def read_answer(self, item: DrillItem, started: float, asked: float) -> tuple[Response, str | None, str] | None:
        """(response, text typed when not understood, how) for the current question; None at end of input."""
        while True:
            left = self.limits.left(started, asked, self.monotonic())
            line = self.reader.readline(left)
            if line is None:
                return None
            late = self.limits.left(started, asked, self.monotonic())
            if isinstance(line, _TimeUp) or (late is not None and late <= 0):
                if self.interactive and isinstance(line, _TimeUp):
                    self.say("")
                return None, None, "time up"
            text = line.strip()
            if not text:
                return None, None, "don't know"
            try:
                return item.parse(text), None, text
            except ValueError as exc:
                from nkstudy.core.text import visible

                if self.interactive:
                    self.say(f"Not understood ({visible(str(exc))}); try again, or an empty line for don't know.",
                             style="yellow")
                    self.prompt()
                    continue
                self.say(f"Not understood ({visible(str(exc))}); counted as wrong.", style="yellow")
                return None, text, text

    def summary(self, ending: str) -> None:
        from nkstudy.core.text import visible
        from nkstudy.present import drill_summary

        s = self.sitting
        self.say("")
        self.say(ending, style="bold")
        self.say(drill_summary(s, timed_out=self.timed_out, plain=True))
        if s.results_file is not None:
            self.say(f"Results written to {visible(str(s.results_file))}.", style="dim")
        self.say(f"Drill {s.code}, profile {visible(s.profile)}.", style="dim")
