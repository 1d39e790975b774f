"""``nkstudy worksheet``: a drill on paper, with an answer key on its own page."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from nkstudy.cli.common import Context, add_with_cards, error, new_drill_options, subcommand, write_output

DESCRIPTION = """\
Write a printable quiz with the same questions, in the same order and with the
same option order, as the drill with that seed and filters (or that drill
code).  Typed and cloze questions get blanks, order questions get boxes to
number.  An answer key follows on a new page, with each answer's excerpt and
its source's title, outlet and date.

examples:
  nkstudy worksheet --seed 42 --count 10 --format html -o drill42.html
  nkstudy worksheet --seed 7 --count 15 --tag where --tag when -o where.md
  nkstudy worksheet 'nk-china-visits@1.0.0#42/10+marked' -o drill42.md

The default --pack is the first pack found (the built-in one); --format
defaults to html when FILE ends in .html, else md.

exit status: 0 ok, 1 no such pack or no question matches, 2 usage error"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subcommand(sub, "worksheet", "write a printable worksheet of a drill", DESCRIPTION)
    parser.add_argument("code", nargs="?", metavar="CODE", help="a drill code, instead of --seed/--count/filters")
    parser.add_argument("--seed", type=int, metavar="S", help="the drill's seed (a whole number)")
    parser.add_argument("--count", type=int, metavar="N", help="how many questions")
    parser.add_argument("--pack", metavar="ID", action="append", help="draw from this pack (repeatable)")
    parser.add_argument("--source", metavar="ID", action="append", help="only questions citing this source")
    parser.add_argument("--tag", metavar="TAG", action="append", help="only questions with this tag")
    add_with_cards(parser)
    parser.add_argument("--format", choices=("md", "html"), help="md or html (default: from FILE's name, else md)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: the screen)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    from nkstudy.classroom.worksheet import left_out, worksheet_html, worksheet_markdown
    from nkstudy.core.classroom.drill import DrillSpec, resolve_packs, select
    from nkstudy.core.text import visible

    if args.code is not None and new_drill_options(args):
        error("give a drill code or --seed/--count/--pack/--source/--tag/--with-cards, not both")
        return 2
    if args.code is None and (args.seed is None or args.count is None):
        error("a worksheet needs --seed S and --count N (or a drill code); see nkstudy worksheet --help")
        return 2
    packs = ctx.packs()
    try:
        if args.code is not None:
            spec = DrillSpec.parse(args.code)
        else:
            try:
                chosen = resolve_packs(packs, args.pack)
            except ValueError as exc:  # no such pack here: a problem, not a usage error
                error(f"--pack: {exc}; run `nkstudy packs` to see them")
                return 1
            spec = DrillSpec.build(chosen, args.seed, args.count, sources=args.source or (), tags=args.tag or (),
                                   with_cards=args.with_cards)
    except ValueError as exc:
        error(str(exc))
        return 2
    try:
        items = select(spec, packs)
    except ValueError as exc:
        error(str(exc))
        return 1
    left = left_out(items)
    for line in left:
        print(visible(line), file=sys.stderr)
    fmt = args.format or ("html" if args.output and Path(args.output).suffix.lower() in (".html", ".htm") else "md")
    text = (worksheet_html if fmt == "html" else worksheet_markdown)(spec, items, packs)
    status = write_output(text, args.output, "worksheet")
    if status or args.output is None:
        return status
    print(f"Wrote {visible(args.output)}: drill {spec.format()}, {len(items) - len(left)} questions and an answer key",
          file=sys.stderr)
    return 0
