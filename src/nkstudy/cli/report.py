"""``nkstudy report [CODE]``: a drill's results, per student and per question."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from nkstudy.cli.common import Context, error, roster_for, subcommand, write_output
from nkstudy.core.figures import plural

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import TextIO

    from rich.console import RenderableType

    from nkstudy.classroom.report import Remark, Report
    from nkstudy.core.classroom.drill import DrillResult
    from nkstudy.core.classroom.gate import Roster
    from nkstudy.core.classroom.live import Roll

FORMATS = ("table", "csv", "json", "html", "sheets", "gradebook")

DESCRIPTION = """\
Report on a drill: each student's score and time, each question's facility
(share right), discrimination (top 27% against bottom 27% by score) and, for
choice and multi questions, how many picked each option; then the questions
missed most, with their excerpts.

Results come from the progress database in the data folder (every profile),
or from result files written by `nkstudy drill --results FILE.json`, or both
(--from with --with-db).  The database is only read: no profile is created.

examples:
  nkstudy report                         # the only drill with results here
  nkstudy report 'nk-china-visits@1.0.0#42/10+marked'  # quote it: it holds #
  nkstudy report --from lab/*.json --format html -o report.html
  nkstudy report CODE --from late.json --with-db  # files and the database
  nkstudy report CODE --format json      # the stable shape (docs/classroom.md)
  nkstudy report CODE --format sheets -o sheets.html  # a page per student
  nkstudy report CODE --roster class.txt --format gradebook -o grades.csv
  nkstudy report CODE --regrade          # after a key fix in a new pack version

Every answer is marked again from what the student answered (never from a
stored mark); marks in a database or result file that disagree are listed.
--roster FILE lists who never sat, and gives the gradebook every student.

exit status: 0 ok, 1 no results or unreadable results, 2 usage error"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subcommand(sub, "report", "report on a drill's results (item analysis)", DESCRIPTION)
    parser.add_argument("code", nargs="?", metavar="CODE", help="the drill code (default: the only drill with results)")
    parser.add_argument("--from", dest="files", metavar="FILE.json", action="extend", nargs="+", default=[],
                        help="read results from these result files (repeatable)")
    parser.add_argument("--with-db", action="store_true",
                        help="also read the progress database (the default without --from; --db URL names it)")
    parser.add_argument("--regrade", action="store_true",
                        help="mark every answer with the packs installed here (after a key fix in a new version)")
    parser.add_argument("--roster", metavar="FILE", help="the class list (one name a line): who never sat")
    parser.add_argument("--format", choices=FORMATS, default="table",
                        help="output format (default: table; sheets: HTML, a page per student; gradebook: CSV "
                             "for Moodle and Google Classroom)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of the screen")
    parser.set_defaults(run=run)


def _gather(args: argparse.Namespace, ctx: Context,
            code: str | None) -> tuple[list[DrillResult], list[str], dict[str, Roll]] | int:
    """Every result from the chosen places, every drill code seen, and what the database knows of live runs
    (by code: who joined, how far it got, what was skipped); or an exit code."""
    from nkstudy.core.text import visible
    from nkstudy.store.db import StoreError
    from nkstudy.store.drills import ResultsFileError, drill_codes, open_existing, read_results_file, results_for
    from nkstudy.store.live import roll

    results: list[DrillResult] = []
    codes: list[str] = []
    live: dict[str, Roll] = {}
    files: list[tuple[str, list[DrillResult]]] = []
    stored: list[DrillResult] = []
    for name in args.files:
        try:
            file_code, rows = read_results_file(Path(name))
        except ResultsFileError as exc:
            error(str(exc))
            return 1
        if code is not None and file_code != code:
            error(f"{visible(name)}: holds results of drill {file_code}, not {code}; skipped")
            continue
        codes.append(file_code)
        files.append((name, rows))
    if args.with_db or not args.files:
        try:
            store = open_existing(ctx.data_dir, ctx.db)
            if store is not None:
                try:
                    here = drill_codes(store)
                    codes += here
                    for c in [code] if code is not None else here:
                        stored += results_for(store, c)
                        live[c] = roll(store, c)
                finally:
                    store.close()
        except StoreError as exc:
            error(str(exc))
            return 1
    # A live drill writes no result file: its sittings are the database's seats.  A file's row in one of them
    # is not believed (it would answer for that student, and through their seat make questions "asked" of all).
    seated = {(c, seat.attempt) for c, found in live.items() for seat in found.seats}
    for name, rows in files:
        claims = [r for r in rows if (r.code, r.attempt) in seated]
        if claims:
            error(f"{visible(name)}: {plural(len(claims), 'result')} for a sitting of live drill {claims[0].code}, "
                  "whose answers are only in the database; ignored")
        results += [r for r in rows if (r.code, r.attempt) not in seated]
    return results + stored, list(dict.fromkeys(codes)), live


def _where(args: argparse.Namespace, ctx: Context) -> str:
    from nkstudy.core.text import visible

    places = [visible(f) for f in args.files]
    if args.db or not args.files:
        places.append(f"the data folder {visible(str(ctx.data_dir))}")
    return " or ".join(places)


def run(args: argparse.Namespace, ctx: Context) -> int:
    from nkstudy.core.classroom.drill import DrillSpec

    code = None
    if args.code is not None:
        try:
            code = DrillSpec.parse(args.code).format()
        except ValueError as exc:
            error(str(exc))
            return 2
    gathered = _gather(args, ctx, code)
    if isinstance(gathered, int):
        return gathered
    results, codes, live = gathered
    if code is None:
        if not codes:
            error(f"no drill results in {_where(args, ctx)}; run a drill first, or name result files with --from")
            return 1
        if len(codes) > 1:
            shown = ", ".join(codes[:5]) + (f" and {len(codes) - 5} more" if len(codes) > 5 else "")
            error(f"results of {len(codes)} drills ({shown}); name one: nkstudy report CODE")
            return 2
        code = codes[0]
    results = [r for r in results if r.code == code]
    if not results and not (code in live and live[code].seats):  # a live drill nobody answered still has its class
        others = f"; drills with results: {', '.join(codes[:5])}" if codes else ""
        error(f"no results for drill {code} in {_where(args, ctx)}{others}")
        return 1

    from nkstudy.classroom.report import build_report

    roster = roster_for(args)
    if isinstance(roster, int):
        return roster
    report = build_report(code, results, ctx.packs(), regrade=args.regrade, roster=roster,
                          live=live.get(code))
    _warn(report)
    return _emit(report, args, roster)


def _warn(report: Report) -> None:
    """Say on standard error, in one line each, what the marks from the answers changed."""
    from nkstudy.core.text import visible

    if report.disagreements:
        who = sorted({r.profile for r in report.disagreements}, key=str.casefold)
        shown = ", ".join(visible(w) for w in who[:5]) + (f" and {len(who) - 5} more" if len(who) > 5 else "")
        error(f"warning: {len(report.disagreements)} stored marks disagree with the answers given ({shown}); "
              "the report marks the answers itself (see 'Marks that disagree')", )
    if report.regraded is not None:
        error(f"regraded against {visible(report.regraded)}: {len(report.changes)} marks changed")


def _emit(report: Report, args: argparse.Namespace, roster: Roster | None) -> int:
    from nkstudy.classroom.report import render_json
    from nkstudy.classroom.report_csv import render_csv, render_gradebook
    from nkstudy.classroom.report_pages import render_html, render_sheets

    if args.format == "table":
        text = _table(report, to_file=args.output is not None)
        status = write_output(text, args.output, "report", styled=True)  # every untrusted text went through one_line
    else:
        if args.format == "gradebook":
            text = render_gradebook(report, roster)
        else:
            text = {"csv": render_csv, "json": render_json, "html": render_html, "sheets": render_sheets}[
                args.format](report)
        status = write_output(text, args.output, "report")
    if status == 0 and args.output is not None:  # a file written says so, as export and worksheet do
        from nkstudy.core.text import visible

        print(f"Wrote {visible(args.output)}: the {args.format} report of drill {visible(report.code)}, "
              f"{plural(len(report.analysis.students), 'sitting')}", file=sys.stderr)
    return status


def _table(report: Report, to_file: bool) -> str:
    """The report as Rich tables, printed for the screen or a file."""
    import io

    from rich.console import Console

    out = io.StringIO()
    if to_file:
        console = Console(file=out, width=table_width(None), no_color=True, force_terminal=False, highlight=False)
    else:
        console = Console(file=out, highlight=False, no_color="NO_COLOR" in os.environ or None,
                          force_terminal=sys.stdout.isatty(), width=table_width(sys.stdout))
    for part in table_parts(report):
        console.print(part)
    return out.getvalue()


def table_parts(report: Report) -> list[RenderableType]:
    """The report as Rich renderables, in order (pack text and names as plain Text, never markup)."""
    from rich.table import Table
    from rich.text import Text

    from nkstudy.classroom.common import one_line
    from nkstudy.classroom.report import index
    from nkstudy.core.classroom.live import NOT_ASKED, SKIPPED
    from nkstudy.core.figures import duration, percent
    from nkstudy.core.text import in_quotes

    a = report.analysis
    heading = f"Drill {report.code}: {plural(len(a.students), 'sitting')}, {plural(len(report.items), 'question')}"
    parts: list[RenderableType] = [Text(heading, style="bold")]
    if report.note:
        parts.append(Text(one_line(report.note), style="yellow"))
    for label, left_out in ((SKIPPED, report.skipped), (NOT_ASKED, report.not_asked)):
        if left_out:
            parts.append(Text(f"{label} (not marked, for nobody): ", style="yellow").append(
                one_line("; ".join(k.label for k in left_out))))
    students = Table(title="Students", title_justify="left")
    students.add_column("profile")
    for name in ("score", "answered", "time"):
        students.add_column(name, justify="right")
    for st in a.students:
        students.add_row(Text(one_line(st.profile)), f"{st.score}/{st.total}", str(st.answered),
                         duration(st.seconds))
    items = Table(title=f"Questions (groups of {a.group_size} for discrimination)", title_justify="left")
    items.add_column("#", justify="right")
    items.add_column("question", overflow="fold")
    items.add_column("answered", justify="right")
    items.add_column("right", justify="right")
    items.add_column("facility", justify="right")
    items.add_column("discr.", justify="right")
    items.add_column("options picked", overflow="fold")
    for ri in report.items:
        s = ri.stats
        options = Text()
        for o, n in (s.options or {}).items():
            right = o in ri.right_options
            options.append(("\n" if options else "") + ("✓ " if right else "  ") + f"{one_line(o)}: {n}",
                           style="bold green" if right else "")
        items.add_row(str(s.position), Text(one_line(ri.prompt or s.question_id)), f"{s.answered}/{s.students}",
                      f"{s.right}/{s.students}",
                      percent(s.facility), index(s.discrimination), options)
    parts += [_summary(report), students, items, _grid(report)]
    for title, remarks, was in (("Marks that disagree (stored → from the answer)", report.disagreements, "stored"),
                                (f"Regraded against {report.regraded}", report.changes, "before")):
        if remarks or (was == "before" and report.regraded is not None):
            parts.append(_remarks(one_line(title), remarks, was))
    missed = report.most_missed()
    if missed:
        parts.append(Text("Most missed", style="bold"))
        for ri in missed:
            s = ri.stats
            block = Text()
            block.append(f"{s.position}. ", style="bold")
            block.append(one_line(ri.prompt or s.question_id))
            block.append(f"  (missed by {s.missed} of {s.students})", style="dim")
            if ri.answer:
                block.append("\n   answer: ")
                block.append(one_line(ri.answer), style="bold")
            if ri.excerpt:
                block.append("\n   " + in_quotes(one_line(ri.excerpt)), style="italic")
                block.append("\n   " + one_line(ri.citation or ""), style="dim")
            parts.append(block)
    return parts


def _summary(report: Report) -> RenderableType:
    from rich.text import Text

    from nkstudy.classroom.common import one_line
    from nkstudy.core.figures import duration

    sm = report.summary
    out = Text()
    if sm is None or not sm.sittings:
        return out

    def fig(value: float | None, places: int = 2) -> str:
        return "–" if value is None else f"{value:.{places}f}"

    out.append("Class: ", style="bold")
    out.append(f"mean {fig(sm.mean)}, median {fig(sm.median, 1)}, sd {fig(sm.sd)}, min {sm.low}, max {sm.high} "
               f"of {sm.questions}; KR-20 {fig(sm.kr20)}; ")
    out.append("time per question " + ("–" if sm.seconds_per_question is None else duration(sm.seconds_per_question)))
    top = max(sm.histogram) or 1
    for score, n in enumerate(sm.histogram):
        out.append(f"\n  {score:>3} │" + "█" * round(20 * n / top) + f" {n}")
    if report.never_sat:
        out.append("\nNever sat: ", style="bold yellow")
        out.append(one_line(", ".join(report.never_sat)))
    return out


def _grid(report: Report) -> RenderableType:
    """Student × question: ✓ or ✗ and the seconds taken (the answers themselves are in the other formats)."""
    from rich.table import Table
    from rich.text import Text

    from nkstudy.classroom.common import one_line

    grid = Table(title="Responses (✓ right, ✗ wrong, · not reached; seconds)", title_justify="left")
    grid.add_column("profile")
    for ri in report.items:
        grid.add_column(str(ri.stats.position), justify="right")
    for st in report.analysis.students:
        answers = report.answers(st.attempt)
        cells: list[Text] = []
        for ri in report.items:
            r = answers.get(ri.stats.key)
            if r is None:
                cells.append(Text("·", style="dim"))
                continue
            if r.absent:  # asked while they were away: unanswered
                cells.append(Text("✗", style="red") + Text(" away", style="dim"))
                continue
            cells.append(Text("✓" if r.correct else "✗", style="green" if r.correct else "red")
                         + Text("" if r.seconds is None else f" {r.seconds:.0f}", style="dim"))
        grid.add_row(Text(one_line(st.profile)), *cells)
    return grid


def _remarks(title: str, remarks: Sequence[Remark], was: str) -> RenderableType:
    from rich.table import Table
    from rich.text import Text

    from nkstudy.classroom.common import one_line

    table = Table(title=title, title_justify="left", title_style="bold yellow")
    for name in ("profile", "#", "question", "answer", was, "now"):
        table.add_column(name, justify="right" if name == "#" else "left", overflow="fold")
    for r in remarks:
        table.add_row(Text(one_line(r.profile)), str(r.position), Text(one_line(r.question_id)),
                      Text(one_line(r.answer)), "right" if r.was else "wrong", "right" if r.now else "wrong")
    if not remarks:
        table.add_row("", "", Text("no mark changed"), "", "", "")
    return table


FILE_WIDTH = 80  #: the report's width in a file or a pipe, unless $COLUMNS says otherwise


def table_width(stream: TextIO | None) -> int:
    """The width to lay the report out at, written to ``stream`` (None: a file of its own).

    On a terminal: its own width, or $COLUMNS when that is narrower (never wider than the
    terminal).  In a pipe or a file: $COLUMNS when it is set, else :data:`FILE_WIDTH`."""
    try:
        columns: int | None = max(20, int(os.environ.get("COLUMNS", "")))
    except ValueError:
        columns = None
    terminal = 0
    if stream is not None and stream.isatty():
        try:
            terminal = os.get_terminal_size(stream.fileno()).columns  # 0 when the terminal does not say
        except (OSError, ValueError):
            terminal = 0
    if terminal > 0:
        return min(terminal, columns) if columns else terminal
    return columns or FILE_WIDTH
