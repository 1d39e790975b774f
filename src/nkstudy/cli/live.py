"""``nkstudy live CODE``: run a drill live, teacher-paced, on the projector."""

from __future__ import annotations

import argparse

from nkstudy.cli.common import Context, add_drill_options, error, open_drill_for, roster_for, subcommand

DESCRIPTION = """\
Run a drill live, at the teacher's pace, on the projector: the current
question with a countdown and how many have responded; then how the class
answered, the right answer with its source excerpt, and a leaderboard.
Students join from their own terminal with `nkstudy drill CODE --live`
(the same data folder), and see each question only when you ask it.

Keys: n or space: start / reveal the answer / next question;  p: pause or
resume the countdown;  s: skip the question (ask the next one unrevealed;
the report leaves it out of every score);  e: end the drill (the questions
not asked yet are left out of every score);  Ctrl+Q: quit
(the drill stays where it is, and running `nkstudy live CODE` again goes on
from there; a drill that has ended stays ended: use a new seed for another
class).  The answer is revealed on its own when the time is up or
everyone who joined has answered; a student not heard from for 10 seconds
is shown as away and not waited for.

Points: a right answer earns 500, plus up to 500 for speed (500 x the share
of the time left when it came in); a wrong or missing answer earns 0.  At
equal points, more questions answered ranks first, then less time taken.

Answers are drill results like any others: `nkstudy report CODE` and
`nkstudy board CODE` cover a live drill as any drill.  --per-question sets
the time for each question (default 20 seconds).

examples:
  nkstudy live --seed 42 --count 10               # prints the drill code
  nkstudy live 'nk-china-visits@1.0.0#42/10+marked' --per-question 30
  nkstudy drill 'nk-china-visits@1.0.0#42/10+marked' --live   # a student

exit status: 0 ok, 1 the drill cannot be run here or a progress-database
problem, 2 usage error"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subcommand(sub, "live", "run a drill live, teacher-paced, on the projector", DESCRIPTION)
    add_drill_options(parser)
    parser.add_argument("--roster", metavar="FILE",
                        help="the class list (one name a line): shows who has not joined yet")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    from nkstudy.core.classroom.live import DEFAULT_SECONDS
    from nkstudy.core.text import visible
    from nkstudy.liveroom import LiveHost
    from nkstudy.store.db import StoreError

    if args.time_limit:
        error("--time-limit: a live drill goes at the teacher's pace; give --per-question SECONDS instead")
        return 2
    roster = roster_for(args)
    if isinstance(roster, int):
        return roster
    drill = open_drill_for(args, ctx.packs())
    if isinstance(drill, int):
        return drill
    try:
        host = LiveHost(drill, ctx.data_dir, clock=ctx.clock, seconds=args.per_question or DEFAULT_SECONDS, db=ctx.db)
    except StoreError as exc:
        error(str(exc))
        return 1
    where = visible(ctx.where_options(args))  # students and report need the same database
    print(f"Live drill {drill.code}", flush=True)
    print(f"  students join with: nkstudy{where} drill '{visible(drill.code)}' --live", flush=True)
    from nkstudy.tui.classroom.live_app import run_live_app

    return run_live_app(host, roster=roster, where=where)
