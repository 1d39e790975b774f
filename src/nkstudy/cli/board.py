"""``nkstudy board [CODE]``: the teacher's live view of a drill, read-only."""

from __future__ import annotations

import argparse

from nkstudy.cli.common import Context, error, subcommand

DESCRIPTION = """\
Watch a drill live: for each student (profile), the questions answered out of
the total and the score so far; for each question, the share of the class
right so far.  It reads the data folder the class writes to (--data-dir or
$NKSTUDY_HOME) twice a second, so an answer shows within a second.  It only
reads: nothing is created or changed.  Ctrl+Q quits.

Without CODE, the board shows the drill answered most recently, or the live
drill students joined most recently (and waits for the first answer when there
is none yet).

examples:
  nkstudy board
  nkstudy board 'nk-china-visits@1.0.0#42/10+marked;tag=where'
  nkstudy board --data-dir /srv/lab/nkstudy

exit status: 0 ok, 2 usage error (a bad drill code)"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subcommand(sub, "board", "watch a drill live (read-only)", DESCRIPTION)
    parser.add_argument("code", nargs="?", metavar="CODE", help="the drill code (default: the latest drill)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    from nkstudy.drillroom import BoardReader

    try:
        reader = BoardReader(ctx.data_dir, args.code, ctx.packs(), db=ctx.db)
    except ValueError as exc:
        error(str(exc))
        return 2
    from nkstudy.tui.classroom.board_app import run_board_app

    return run_board_app(reader)
