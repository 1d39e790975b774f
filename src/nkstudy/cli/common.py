"""Options, context and the one startup path shared by every command.

Loading packs, opening the engine and the clock happen here and only here;
the app is handed what they produced.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from nkstudy.core.text import quoted

if TYPE_CHECKING:
    from rich.console import Console

    from nkstudy.core.classroom.drill import DrillSpec
    from nkstudy.core.classroom.gate import Roster
    from nkstudy.core.model import Pack
    from nkstudy.core.packs.discovery import Found
    from nkstudy.core.study.session import StudyRequest
    from nkstudy.drillroom import Drill
    from nkstudy.engine import Engine


def add_common_options(parser: argparse.ArgumentParser, top_level: bool = False) -> None:
    """--data-dir, --profile and --packs, accepted before or after the command."""
    default = None if top_level else argparse.SUPPRESS
    group = parser.add_argument_group("where things are")
    group.add_argument(
        "--data-dir",
        metavar="DIR",
        default=default,
        help="folder for progress and your own packs (default: $NKSTUDY_HOME, "
        "else the platform's user data folder)",
    )
    group.add_argument(
        "--db",
        metavar="URL",
        default=default,
        help="the progress database: postgresql://[user@]host[:port]/dbname (the password from "
        "PGPASSWORD or ~/.pgpass, never here) or an SQLite file (default: $NKSTUDY_DB, else "
        "progress.sqlite3 in the data folder)",
    )
    group.add_argument(
        "--profile",
        metavar="NAME",
        default=default,
        help="whose progress to use (default: $NKSTUDY_PROFILE, else your user name)",
    )
    group.add_argument(
        "--packs",
        metavar="DIR",
        action="append",
        default=[] if top_level else argparse.SUPPRESS,
        help="also load packs from DIR (repeatable; also $NKSTUDY_PACKS, a path list)",
    )


def subcommand(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str, help_text: str, description: str
) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        name,
        help=help_text,
        description=description,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_common_options(parser)
    return parser


@dataclass
class Context:
    """What every command needs: resolved paths and profile."""

    data_dir: Path
    profile: str
    extra_packs: list[str] = field(default_factory=list)
    #: the profile was named (--profile or $NKSTUDY_PROFILE); else the app opens the last one used
    profile_given: bool = True
    db: str | None = None  # --db, else $NKSTUDY_DB: a postgresql:// URL or an SQLite file
    db_problem: str | None = None  # why --db cannot be used (a usage error), checked before any command runs

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Context:
        from nkstudy import paths

        given = getattr(args, "profile", None)  # '' is given (and refused later), not "the default"
        db, problem = _database(getattr(args, "db", None))
        return cls(
            data_dir=paths.data_dir(getattr(args, "data_dir", None)),
            profile=given if given is not None else paths.default_profile(),
            extra_packs=list(getattr(args, "packs", None) or []),
            profile_given=given is not None or bool(os.environ.get(paths.ENV_PROFILE)),
            db=db,
            db_problem=problem,
        )

    def where_options(self, args: argparse.Namespace) -> str:
        """The options that name this command's progress database, for a command printed to be typed in
        another terminal (where --data-dir or $NKSTUDY_HOME may not be given): ``" --data-dir DIR"``,
        ``" --db URL"`` (never a password), or "" for the default data folder."""
        import shlex

        from nkstudy import paths
        from nkstudy.store.backend import redact

        if self.db:
            return f" --db {shlex.quote(redact(self.db))}"
        if getattr(args, "data_dir", None) or os.environ.get(paths.ENV_HOME):
            return f" --data-dir {shlex.quote(str(self.data_dir))}"
        return ""

    def say_how_to_study(self, folder: Path, verb: str) -> None:
        """After writing a pack to ``folder``: when nkstudy would not find it there, the command that does."""
        from nkstudy import paths
        from nkstudy.core.text import visible

        here = folder.expanduser().resolve()
        places = {p.path.expanduser().resolve() for p in paths.pack_places(self.data_dir, self.extra_packs)}
        if here in places or here.parent in places:  # a pack folder, or one inside a folder of packs
            return
        mine = paths.user_pack_dir(self.data_dir)
        print(f"Study it: nkstudy --packs {visible(str(folder))} (or {verb} {visible(str(mine))}/ to have it always)")

    def missing_pack_dirs(self) -> list[str]:
        return [d for d in self.extra_packs if not Path(d).expanduser().is_dir()]

    def discover(self) -> list[Found]:
        """Every pack folder found, loaded (each once per command)."""
        return self._found

    @cached_property
    def _found(self) -> list[Found]:
        from nkstudy import paths
        from nkstudy.core.packs.discovery import discover

        return discover(paths.pack_places(self.data_dir, self.extra_packs), cache_dir=self.data_dir / "cache")

    def packs(self) -> list[Pack]:
        """The packs that loaded, after saying which --packs folders do not exist."""
        from nkstudy.core.packs.discovery import good_packs

        for missing in self.missing_pack_dirs():
            error(f"--packs {missing}: no such folder")
        return good_packs(self.discover())

    def pack_problems(self) -> list[str]:
        """One line per pack folder that could not be loaded."""
        from nkstudy.core.figures import plural
        from nkstudy.core.text import visible

        return [
            f"{visible(str(f.path))} could not be loaded ({plural(len(f.result.problems), 'problem')}): "
            f"run `nkstudy validate {visible(str(f.path))}`"
            for f in self.discover()
            if f.pack is None
        ]

    def unknown_pack(self, exc: ValueError, pack_ids: list[str] | None) -> str:
        """The --pack error: why a named pack is not there (broken: how to see its problems)."""
        from nkstudy.core.packs.fields import show_name

        for found in self.discover():
            if found.pack is None and found.result.pack_id in (pack_ids or ()):
                return (f"--pack {show_name(found.result.pack_id or '')}: that pack has problems and was not "
                        f"loaded; run `nkstudy validate {show_name(str(found.path))}`")
        return f"--pack: {exc}"

    def clock(self) -> datetime:
        """The clock every command and the app use."""
        from nkstudy.engine import system_clock

        return system_clock()

    def check_profile(self) -> int | None:
        """None when the profile's name is usable, else 2 after printing why (one line, the name cut short)."""
        from nkstudy.core.names import profile_name

        try:
            profile_name(self.profile)
        except ValueError as exc:
            error(f"--profile: {exc}")
            return 2
        return None

    def open_engine(self, seed: int | None = None, *, create_profile: bool = True) -> Engine | int:
        """The engine over every good pack, or an exit code after printing why not.

        Read-only commands pass ``create_profile=False``: a profile that does not exist is then an
        error (exit 1, listing the profiles there are), not a new profile.  A name that breaks the
        name rule is a usage error (exit 2).
        """
        from nkstudy.engine import Engine, StoreError

        bad = self.check_profile()
        if bad is not None:
            return bad
        packs = self.packs()
        try:
            return Engine(self.data_dir, self.profile, packs, clock=self.clock, seed=seed,
                          create_profile=create_profile, db=self.db)
        except StoreError as exc:
            error(str(exc))
            return 1
        except ValueError as exc:
            error(f"--profile: {exc}; run `nkstudy profiles` to see them")
            return 1

    def launch_app(self, request: StudyRequest | None = None) -> int:
        """Open the full-screen app (the only place the command line imports Textual)."""
        from nkstudy.core.packs.loader import paused_gc
        from nkstudy.tui.study.app import run_app, settle_loaded_packs

        # Loaded with the collector off and frozen before it is back on: the first collection
        # after loading would otherwise walk every object of the packs once more (0.1 s at 100k).
        with paused_gc():
            packs = self.packs()
            problems = self.pack_problems()
            settle_loaded_packs()
        return run_app(packs, self.data_dir, self.profile, self.clock, problems=problems, start=request,
                       profile_given=self.profile_given, db=self.db)


def unknown_filter(packs: list[Pack], pack_ids: list[str] | None, sources: list[str] | None,
                   tags: list[str] | None) -> str | None:
    """The usage error for a --source or --tag that no question of the (chosen) packs has, listing
    the values there are; None when every value names something."""
    from nkstudy.core.text import visible

    chosen = [p for p in packs if pack_ids is None or p.id in pack_ids]
    for option, wanted, known in (
        ("--source", sources, {q.source for p in chosen for q in p.questions if q.source}),
        ("--tag", tags, {t for p in chosen for q in p.questions for t in q.tags}),
    ):
        missing = [w for w in wanted or () if w not in known]
        if missing:
            names = sorted(known)
            shown = ", ".join(visible(n) for n in names[:20]) or "none"
            if len(names) > 20:
                shown += f" and {len(names) - 20} more"
            what = "source" if option == "--source" else "tag"
            return f"{option} {visible(missing[0])}: no question has that {what} (known: {shown})"
    return None


#: said on stderr when TERM=dumb sends ``nkstudy`` or ``nkstudy study`` to the plain quiz (fits 80 columns)
DUMB_TERMINAL_NOTICE = "nkstudy: TERM=dumb has no full-screen app; here is the plain quiz instead."

def _database(given: str | None) -> tuple[str | None, str | None]:
    """(the database to use, or None for the data folder's file; a usage problem, or None)."""
    from nkstudy.store.backend import ENV_DB, parse_location, redact, url_password

    text = given or os.environ.get(ENV_DB) or None
    if text is None:
        return None, None
    where = "--db" if given else f"${ENV_DB}"
    try:
        parse_location(text)
    except ValueError as exc:
        return None, f"{where}: {exc}"
    if given and url_password(text):
        return None, (f"--db {redact(text)}: a password on the command line shows in the process list; "
                      f"put it in PGPASSWORD or ~/.pgpass (or the whole URL in ${ENV_DB})")
    return text, None


def error(message: str) -> None:
    """Print a one-line error to stderr."""
    print(f"nkstudy: {message}", file=sys.stderr)


def make_console(stderr: bool = False) -> Console:
    """A Rich console honouring NO_COLOR and non-tty output."""
    from rich.console import Console

    return pipe_safe(Console(stderr=stderr, highlight=False, no_color="NO_COLOR" in os.environ or None))


def pipe_safe(console: Console) -> Console:
    """``console``, raising BrokenPipeError when its reader goes away (``nkstudy stats | head -1``),
    which :func:`nkstudy.cli.main` ends quietly with status 0; Rich would exit with status 1."""

    def broken_pipe() -> None:
        raise BrokenPipeError

    console.on_broken_pipe = broken_pipe  # type: ignore[method-assign]
    return console


# -- drills (drill, serve) -----------------------------------------------------
def add_drill_options(parser: argparse.ArgumentParser) -> None:
    """A drill code, or --seed/--count and filters; and the timers (not part of the code)."""
    parser.add_argument("code", nargs="?", metavar="CODE", help="a drill code, instead of --seed/--count/filters")
    parser.add_argument("--seed", type=int, metavar="S", help="the drill's seed (a whole number)")
    parser.add_argument("--count", type=int, metavar="N", help="how many questions")
    parser.add_argument("--pack", metavar="ID", action="append",
                        help="draw from this pack (repeatable; default: the first pack found)")
    parser.add_argument("--source", metavar="ID", action="append", help="only questions citing this source")
    parser.add_argument("--tag", metavar="TAG", action="append", help="only questions with this tag")
    add_with_cards(parser)
    parser.add_argument("--time-limit", type=_minutes, metavar="MINUTES",
                        help="time for the whole drill, in minutes (decimals allowed)")
    parser.add_argument("--per-question", type=_seconds, metavar="SECONDS",
                        help="time for each question, in seconds")


def add_with_cards(parser: argparse.ArgumentParser) -> None:
    """--with-cards, for every command that makes a new drill code."""
    parser.add_argument("--with-cards", action="store_true",
                        help="draw flashcards too: students grade those themselves (\"knew it\" counts as right), "
                             "so the report cannot vouch for them (default: only questions nkstudy marks)")


def _positive_number(text: str, unit: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{quoted(text)} is not a number of {unit}") from None
    if not 0 < value < 10**6:
        raise argparse.ArgumentTypeError(f"must be more than 0 {unit}")
    return value


def _minutes(text: str) -> float:
    return _positive_number(text, "minutes")


def _seconds(text: str) -> float:
    return _positive_number(text, "seconds")


def write_output(data: str | bytes, output: str | None, what: str, *, styled: bool = False) -> int:
    """``data`` to the file ``output`` (or standard output when None); 0, or 1 after saying why not.

    A terminal gets control characters shown, never obeyed; a pipe or a file gets the exact text.
    ``styled``: ``data`` is Rich's rendering of text already made safe, so its own colour codes
    reach the terminal as they are.
    """
    from nkstudy.core.text import visible

    raw = data.encode("utf-8") if isinstance(data, str) else data
    if output is None:
        text = raw.decode("utf-8")
        sys.stdout.write(visible(text, keep="\n\t") if sys.stdout.isatty() and not styled else text)
        return 0
    try:
        Path(output).write_bytes(raw)
    except OSError as exc:
        error(f"{visible(output)}: cannot write the {what} ({exc.strerror}); choose another -o FILE")
        return 1
    return 0


def roster_for(args: argparse.Namespace) -> Roster | None | int:
    """The class list ``--roster`` names (None without one); exit code 2 after saying why it can't be read."""
    if not args.roster:
        return None
    from nkstudy.core.classroom.gate import RosterError, read_roster

    try:
        return read_roster(Path(args.roster))
    except RosterError as exc:
        error(str(exc))
        return 2


def open_drill_for(args: argparse.Namespace, packs: list[Pack], *,
                   default_count: int | None = None) -> Drill | int:
    """The drill ``args`` name, ready to sit over ``packs``; an exit code after saying why not."""
    from nkstudy.drillroom import open_drill

    spec = drill_spec(args, packs, default_count=default_count)
    if isinstance(spec, int):
        return spec
    try:
        return open_drill(spec, packs)
    except ValueError as exc:
        error(str(exc))
        return 1


def new_drill_options(args: argparse.Namespace) -> bool:
    """True when ``args`` give any option that makes a new drill code (so no code may be given too)."""
    return bool(args.pack or args.source or args.tag or args.seed is not None or args.count is not None
                or args.with_cards)


def drill_spec(args: argparse.Namespace, packs: list[Pack], *, default_count: int | None = None) -> DrillSpec | int:
    """The drill ``args`` name (a code, or --seed/--count and filters); an exit code after printing why not.

    ``default_count``: with no code and no --seed, a fresh random seed and this
    many questions (for ``serve``); otherwise --seed and --count are required.
    """
    import secrets

    from nkstudy.core.classroom.drill import DrillSpec, resolve_packs

    if args.code is not None and new_drill_options(args):
        error("give a drill code or --seed/--count/--pack/--source/--tag/--with-cards, not both")
        return 2
    seed, count = args.seed, args.count
    if args.code is None and default_count is not None:
        seed = secrets.randbelow(1000) if seed is None else seed
        count = default_count if count is None else count
    if args.code is None and (seed is None or count is None):
        error(f"a drill needs --seed S and --count N, or a drill code; see nkstudy {args.command} --help")
        return 2
    try:
        if args.code is not None:
            return DrillSpec.parse(args.code)
        try:
            chosen = resolve_packs(packs, args.pack)
        except ValueError as exc:  # no such pack here: a problem, not a usage error
            error(f"--pack: {exc}; run `nkstudy packs` to see them")
            return 1
        assert seed is not None and count is not None
        return DrillSpec.build(chosen, seed, count, sources=args.source or (), tags=args.tag or (),
                               with_cards=args.with_cards)
    except ValueError as exc:
        error(str(exc))
        return 2
