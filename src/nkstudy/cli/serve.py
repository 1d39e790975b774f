"""``nkstudy serve``: a drill in the browser, one app process per visitor, behind a class code.

Serve starts ``python -m nkstudy join ...`` (a hidden command, registered here
too) for each visitor through ``textual-serve``.  The class code reaches those
processes through the environment (``NKSTUDY_CLASS_CODE``), never their command
line: the command line is what ``ps`` shows every user of the machine, and what
``textual-serve`` would show as the page's title.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import shlex
import sys

from nkstudy.cli.common import Context, add_drill_options, error, open_drill_for, roster_for, subcommand

ENV_CLASS_CODE = "NKSTUDY_CLASS_CODE"
ENV_FORK = "NKSTUDY_SERVE_FORK"  # 0: start each visitor as a new Python process, not forked from a warm one
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud and typed without mix-ups
CODE_LENGTH = 6
DEFAULT_COUNT = 10

DESCRIPTION = """\
Run a drill in the browser.  Serve prints the address and a class code.  A
student opens the page, types a name (which becomes their profile in the data
folder) and the class code, and sits the drill; without the code nobody gets
past the join screen.  Students cannot switch profile, open the board, or see
each other's results.  Watch them with `nkstudy board` on the same data folder.

The drill is a drill code, or --seed/--count and filters as for `nkstudy
drill`; with neither, serve picks a seed and 10 questions of the first pack
and prints the drill code.

Who gets in: with --roster FILE (one name a line) only listed names, each
once at a time; without one, any name not already in use in this drill and
not the name of a profile with study progress ("taken; add an initial").
Names compare without case.  Wrong class codes are limited to 5 a minute from
one address and 30 a minute in all.  At most --max-visitors (default 60) are
in at once; the next one sees a page saying the class is full (a measured
2-CPU host took 100: see docs/deploy.md, "Sizing", before raising it).  The
page's websocket takes only pages of this server (--allow-origin adds
another, for example a proxy's https://class.example.org).

--live: a live drill at the teacher's pace (`nkstudy live CODE` on the same
data folder moves it on); students see each question only when it is asked.
A student whose tab dropped takes their seat back under the same name: at
once from the same browser, from another once the seat has been away 10 s.

Serve listens on this machine only (127.0.0.1) unless --host says otherwise,
and warns when it listens beyond this machine.  Ctrl+C stops it.

examples:
  nkstudy serve --seed 42 --count 10             # http://127.0.0.1:8000
  nkstudy serve 'nk-china-visits@1.0.0#42/10+marked' --host 0.0.0.0 --port 8080
  nkstudy serve CODE --roster class-7b.txt --max-visitors 30

exit status: 0 stopped with Ctrl+C, 1 the drill cannot be sat here or the
address cannot be used, 2 usage error"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subcommand(sub, "serve", "run a drill in the browser for a class", DESCRIPTION)
    add_drill_options(parser)
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default: 127.0.0.1, this machine only; 0.0.0.0: every network)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    parser.add_argument("--roster", metavar="FILE", help="only these names (one a line) may join, each once")
    parser.add_argument("--max-visitors", type=int, default=60, metavar="N",
                        help="most students in at once (default: 60)")
    parser.add_argument("--allow-origin", metavar="URL", action="append", default=[],
                        help="also accept pages from this origin, such as https://class.example.org (repeatable)")
    parser.add_argument("--live", action="store_true",
                        help="a live drill: students see each question when the teacher asks it (`nkstudy live CODE`)")
    parser.set_defaults(run=run)

    # what serve runs for each visitor (hidden: not in `nkstudy --help`)
    join = sub.add_parser("join", description="The join screen and drill of one visitor of `nkstudy serve`.")
    from nkstudy.cli.common import add_common_options

    add_common_options(join)
    join.add_argument("code", metavar="CODE")
    join.add_argument("--time-limit", type=float, metavar="MINUTES")
    join.add_argument("--per-question", type=float, metavar="SECONDS")
    join.add_argument("--roster", metavar="FILE")
    join.add_argument("--live", action="store_true")
    join.set_defaults(run=run_join)


def new_class_code() -> str:
    import secrets

    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def beyond_this_machine(host: str) -> bool:
    """True unless ``host`` is a loopback address (or localhost)."""
    if host.lower() in ("localhost", "localhost.localdomain"):
        return False
    try:
        return not ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return True  # a name: it may resolve to anything


def visitor_command(ctx: Context, code: str, args: argparse.Namespace) -> str:
    """The shell command textual-serve runs for each visitor (no class code in it)."""
    return shlex.join([sys.executable, "-m", "nkstudy", *visitor_arguments(ctx, code, args)])


def zygote_command(visitor: list[str]) -> list[str] | None:
    """The warm process serve forks its visitors from; None when ``NKSTUDY_SERVE_FORK=0`` turns it off.

    ``visitor``, the visitors' arguments, is on its command line only for ``ps`` to show.
    """
    if os.environ.get(ENV_FORK, "1") == "0" or not hasattr(os, "fork"):
        return None
    return [sys.executable, "-m", "nkstudy.cli.zygote", *visitor]


def visitor_arguments(ctx: Context, code: str, args: argparse.Namespace) -> list[str]:
    """The ``nkstudy`` arguments of each visitor's process: the hidden ``join`` command."""
    from pathlib import Path

    argv = ["join", "--data-dir", str(Path(ctx.data_dir).resolve())]
    for folder in ctx.extra_packs:
        argv += ["--packs", str(Path(folder).expanduser().resolve())]
    if args.time_limit:
        argv += ["--time-limit", repr(args.time_limit)]
    if args.per_question:
        argv += ["--per-question", repr(args.per_question)]
    if getattr(args, "roster", None):
        argv += ["--roster", str(Path(args.roster).resolve())]
    if getattr(args, "live", False):
        argv.append("--live")
    argv.append(code)
    return argv


def run(args: argparse.Namespace, ctx: Context) -> int:
    import tempfile
    from pathlib import Path

    from nkstudy.core.figures import plural
    from nkstudy.core.text import visible
    from nkstudy.door import ENV_GATE
    from nkstudy.store.backend import redact

    if not 0 < args.port < 65536:
        error(f"--port {args.port}: give a port from 1 to 65535")
        return 2
    if args.live and (args.time_limit or args.per_question):
        error("--live: the teacher's `nkstudy live --per-question` sets the pace; drop --time-limit and --per-question")
        return 2
    if args.max_visitors < 1:
        error(f"--max-visitors {args.max_visitors}: give at least 1")
        return 2
    roster = roster_for(args)
    if isinstance(roster, int):
        return roster
    packs = ctx.packs()
    drill = open_drill_for(args, packs, default_count=DEFAULT_COUNT)
    if isinstance(drill, int):
        return drill
    try:
        from nkstudy.tui.classroom.web import ClassServer
    except ImportError as exc:
        error(f"serve needs textual-serve ({exc}); install it with: pip install textual-serve")
        return 1

    class_code = new_class_code()
    os.environ[ENV_CLASS_CODE] = class_code  # inherited by every visitor's process, and seen by nobody else
    if ctx.db:  # the visitors' database, by the environment too: never in a command line (it may hold a password)
        from nkstudy.store.backend import ENV_DB

        os.environ[ENV_DB] = ctx.db
    host = args.host
    shown_host = f"[{host}]" if ":" in host and not host.startswith("[") else host

    def ready(_url: str) -> None:
        print(f"nkstudy serve: open http://{shown_host}:{args.port} in a browser", flush=True)
        print(f"  class code: {class_code}", flush=True)
        print(f"  drill: {drill.code} ({plural(len(drill.items), 'question')})", flush=True)
        if roster is not None:
            print(f"  roster: {plural(len(roster.names), 'name')} from {visible(args.roster)}", flush=True)
        # the teacher types these in another terminal, where --data-dir (or $NKSTUDY_HOME) may not be given
        folder = ctx.where_options(args)
        code = shlex.quote(drill.code)
        if args.live:
            print(f"  live: run the drill with: nkstudy{visible(folder)} live {visible(code)}", flush=True)
        where = redact(ctx.db) if ctx.db else str(ctx.data_dir)
        print(f"  results go to {visible(where)}", flush=True)
        print(f"  watch them with: nkstudy{visible(folder)} board {visible(code)}", flush=True)
        if beyond_this_machine(host):
            print(f"nkstudy serve: warning: listening on {visible(host)}, beyond this machine: anyone who can "
                  "reach it can open the page (the class code keeps them at the join screen)",
                  file=sys.stderr, flush=True)
        print("Press Ctrl+C to stop.", flush=True)

    gate = tempfile.TemporaryDirectory(prefix="nkstudy-serve-")  # private (0700): the door's shared state
    os.environ[ENV_GATE] = str(Path(gate.name) / "gate.sqlite3")
    visitor = visitor_arguments(ctx, drill.code, args)
    server = ClassServer(visitor_command(ctx, drill.code, args), host, args.port, title="nkstudy drill",
                         on_ready=ready, max_visitors=args.max_visitors, allow_origins=tuple(args.allow_origin),
                         zygote=zygote_command(visitor), argv=visitor)
    try:
        with gate:
            server.serve()
    except OSError as exc:
        error(f"cannot listen on {visible(host)} port {args.port} ({exc.strerror or exc}); "
              "choose another with --port or --host")
        return 1
    print("nkstudy serve: stopped", flush=True)
    return 0


def run_join(args: argparse.Namespace, ctx: Context) -> int:
    """One visitor: the join screen, then the drill for the name they typed."""
    from pathlib import Path

    from nkstudy.core.classroom.drill import DrillSpec
    from nkstudy.core.classroom.gate import RosterError, read_roster
    from nkstudy.door import ENV_ADDRESS, ENV_CLIENT, ENV_GATE, Door
    from nkstudy.drillroom import Limits, open_drill

    class_code = os.environ.pop(ENV_CLASS_CODE, "")
    if not class_code:
        error("join is what `nkstudy serve` runs for each visitor; start nkstudy serve instead")
        return 2
    try:
        drill = open_drill(DrillSpec.parse(args.code), ctx.packs())
        limits = Limits(args.time_limit * 60 if args.time_limit else None, args.per_question)
        roster = read_roster(Path(args.roster)) if args.roster else None
    except (ValueError, RosterError) as exc:
        error(str(exc))
        return 1
    gate = os.environ.get(ENV_GATE)
    door = Door(drill.code, ctx.data_dir, class_code, Path(gate) if gate else None, roster,
                os.environ.get(ENV_ADDRESS, "?"), db=ctx.db, client=os.environ.get(ENV_CLIENT, ""), live=args.live)
    from nkstudy.tui.classroom.drill_app import run_drill_app

    return run_drill_app(drill, ctx.data_dir, None, ctx.clock, limits=limits, door=door, db=ctx.db,
                         live=args.live)
