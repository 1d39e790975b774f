"""The ``nkstudy`` command line.

Textual is imported only when the app itself starts, and Rich only by the
commands that print tables, so ``nkstudy --version`` starts fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import NoReturn

from nkstudy import __version__
from nkstudy.cli.common import DUMB_TERMINAL_NOTICE, Context, add_common_options

DESCRIPTION = """\
Study who visited whom, when, where and why between North Korea and China
(2011-2024), or your own question packs, with spaced repetition.

Run with no command to open the app."""

EPILOG = """\
examples:
  nkstudy                          open the app on the built-in pack
  nkstudy study --plain            a line-by-line quiz for plain terminals
  nkstudy packs                    list the packs nkstudy can find
  nkstudy validate my-pack/        check a pack you are writing
  nkstudy export nk-china-visits --format json

Progress is kept in the data folder (--data-dir, or $NKSTUDY_HOME), or in the
database that --db (or $NKSTUDY_DB) names: postgresql://host/dbname or an
SQLite file."""


def commands() -> list[ModuleType]:
    """Every subcommand module, in the order ``--help`` lists them."""
    from nkstudy.cli import (
        board,
        cards,
        db,
        drill,
        export,
        importer,
        live,
        new,
        optimize,
        packs,
        profiles,
        report,
        schema,
        serve,
        settings,
        stats,
        study,
        validate,
        worksheet,
    )

    return [study, stats, cards, settings, optimize, packs, profiles, validate, export, importer, new, schema, drill,
            live, board, serve, report, worksheet, db]


class _Parser(argparse.ArgumentParser):
    """The top-level parser: a mistyped command gets a suggestion ("did you mean stats?")."""

    command_names: list[str] = []

    def error(self, message: str) -> NoReturn:
        import difflib
        import re

        match = re.search(r"invalid choice: '([^']*)'", message)
        if match is not None:
            close = difflib.get_close_matches(match.group(1), self.command_names, n=1, cutoff=0.6)
            if close:
                message = f"unknown command '{match.group(1)}'; did you mean {close[0]}?"
            else:  # the commands --help lists (argparse's own list also names the internal 'join')
                message = f"unknown command '{match.group(1)}'; the commands are: {', '.join(self.command_names)}"
        super().error(message)

    def parse_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                   namespace: argparse.Namespace | None = None) -> argparse.Namespace:
        """As argparse's, but an unknown option is reported by the command it was given to, with that
        command's usage (``nkstudy stats --bogus`` showed the top-level usage)."""
        parsed, extra = self.parse_known_args(args, namespace)
        if extra:
            _innermost(self, parsed).error(f"unrecognized arguments: {' '.join(extra)}")
        return parsed


def _innermost(parser: argparse.ArgumentParser, parsed: argparse.Namespace) -> argparse.ArgumentParser:
    """The parser of the (sub-)command the arguments chose: ``db status`` → db's status parser."""
    while True:
        chosen = [action.choices[getattr(parsed, action.dest)] for action in parser._actions
                  if isinstance(action, argparse._SubParsersAction) and isinstance(action.choices, dict)
                  and getattr(parsed, action.dest, None) in action.choices]
        if not chosen:
            return parser
        parser = chosen[0]


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="nkstudy",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"nkstudy {__version__}")
    add_common_options(parser, top_level=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    for module in commands():
        module.register(sub)
    parser.command_names = [action.dest for action in sub._choices_actions]  # those with help: not 'join'
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 1 problems, 2 usage)."""
    parser = build_parser()
    try:
        args = parser.parse_args(list(argv) if argv is not None else None)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2
    if args.command is None and os.environ.get("TERM", "") == "dumb":  # no full-screen app on a dumb terminal
        print(DUMB_TERMINAL_NOTICE, file=sys.stderr)
        args = parser.parse_args([*(list(argv) if argv is not None else sys.argv[1:]), "study", "--plain"])
    ctx = Context.from_args(args)
    if ctx.db_problem is not None:
        from nkstudy.cli.common import error

        error(ctx.db_problem)
        return 2
    try:
        if args.command is None:
            return ctx.check_profile() or ctx.launch_app()
        return int(args.run(args, ctx))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader stopped early (`nkstudy stats | head -1`): not an error
        _silence_stdout()
        return 0


def _silence_stdout() -> None:
    """Point stdout at the null device, so the flush at exit does not hit the closed pipe again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


__all__ = ["main", "build_parser"]
