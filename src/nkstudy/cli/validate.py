"""``nkstudy validate PATH...``: check pack folders."""

from __future__ import annotations

import argparse
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from nkstudy.cli.common import Context, subcommand


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subcommand(
        sub,
        "validate",
        "check pack folders for problems",
        "Check each pack folder (or a folder of packs) and print every problem as\n"
        "file:line: message on stderr.  Always reads the files themselves, never the\n"
        "pack cache.\n\n"
        "exit status: 0 all valid, 1 problems found, 2 usage error (such as a PATH that does not exist)",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="a pack folder, its pack.yaml, or a folder of packs")
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing for valid packs")
    parser.add_argument(
        "--strict", action="store_true", help="also require every question to cite a source and an excerpt"
    )
    parser.set_defaults(run=run)


if TYPE_CHECKING:
    from nkstudy.core.packs.fields import Problem

NOT_FOUND = "no such file or folder"


def _targets(path: Path) -> list[Path] | Problem:
    from nkstudy.core.packs.discovery import pack_folders
    from nkstudy.core.packs.fields import Problem
    from nkstudy.core.packs.loader import PACK_FILE
    from nkstudy.core.packs.safeyaml import FileProblem, describe_mode, safe_stat

    try:
        mode = safe_stat(path).st_mode
    except FileProblem as exc:
        message = NOT_FOUND if exc.message == "not found" else exc.message
        return Problem(path, None, message)
    if stat.S_ISREG(mode):
        if path.name == PACK_FILE:
            return [path.parent]
        return Problem(path, None, f"not a pack: give the folder that holds {PACK_FILE}")
    if not stat.S_ISDIR(mode):
        return Problem(path, None, f"{describe_mode(mode)}; give a pack folder")
    return pack_folders(path) or Problem(path, None, f"no {PACK_FILE} here or in its sub-folders")


def run(args: argparse.Namespace, ctx: Context) -> int:
    from nkstudy.core.figures import plural
    from nkstudy.core.packs.fields import Problem, show_name
    from nkstudy.core.packs.loader import load_pack
    from nkstudy.core.text import quoted

    failed = usage = False
    for raw in args.paths:
        targets = _targets(Path(raw))
        if isinstance(targets, Problem):
            print(targets.format(), file=sys.stderr)
            if targets.message == NOT_FOUND:  # naming nothing is a usage error, not a problem with a pack
                usage = True
            else:
                failed = True
            continue
        for folder in targets:
            result = load_pack(folder, strict=args.strict)
            shown = show_name(str(folder))
            if result.ok and result.pack is not None:
                if not args.quiet:
                    pack = result.pack
                    counts = ", ".join(plural(len(items), word) for items, word in (
                        (pack.questions, "question"), (pack.events, "event"), (pack.sources, "source")))
                    print(f"{shown}: ok — pack {quoted(pack.id)}, {counts}")
                continue
            failed = True
            count = len(result.problems)
            lines = [problem.format() for problem in result.problems]
            lines.append(f"{shown}: {count} problem{'s' if count != 1 else ''}")
            sys.stderr.write("\n".join(lines) + "\n")
            sys.stderr.flush()
    return 2 if usage else 1 if failed else 0
