"""Options and context shared by every command."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType


def COMMANDS() -> list[ModuleType]:  # noqa: N802 - a registry, read like a constant
    """Every subcommand module, in the order ``--help`` lists them."""
    from nkstudy.cli import export, importer, new, packs, schema, stats, study, validate

    return [study, stats, packs, validate, export, importer, new, schema]


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
    sub: argparse._SubParsersAction, name: str, help_text: str, description: str
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

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Context:
        from nkstudy import paths

        return cls(
            data_dir=paths.data_dir(getattr(args, "data_dir", None)),
            profile=getattr(args, "profile", None) or paths.default_profile(),
            extra_packs=list(getattr(args, "packs", None) or []),
        )

    def missing_pack_dirs(self) -> list[str]:
        return [d for d in self.extra_packs if not Path(d).expanduser().is_dir()]

    def discover(self):  # -> list[Found]
        from nkstudy import paths
        from nkstudy.core.discovery import discover

        return discover(paths.pack_places(self.data_dir, self.extra_packs))


def error(message: str) -> None:
    """Print a one-line error to stderr."""
    print(f"nkstudy: {message}", file=sys.stderr)


def make_console(stderr: bool = False):  # -> rich.console.Console
    """A Rich console honouring NO_COLOR and non-tty output."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, no_color="NO_COLOR" in os.environ or None)
