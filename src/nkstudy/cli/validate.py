"""``nkstudy validate PATH...``: check pack folders."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from nkstudy.cli.common import Context, subcommand


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subcommand(
        sub,
        "validate",
        "check pack folders for problems",
        "Check each pack folder (or a folder of packs) and print every problem as\n"
        "file:line: message on stderr.\n\n"
        "exit status: 0 all valid, 1 problems found, 2 usage error",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="a pack folder, its pack.yaml, or a folder of packs")
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing for valid packs")
    parser.set_defaults(run=run)


def _targets(path: Path):  # -> list[Path] | Problem
    from nkstudy.core.discovery import pack_folders
    from nkstudy.core.fields import Problem
    from nkstudy.core.loader import PACK_FILE

    if path.is_file():
        if path.name == PACK_FILE:
            return [path.parent]
        return Problem(path, None, f"not a pack: give the folder that holds {PACK_FILE}")
    if not path.exists():
        return Problem(path, None, "no such file or folder")
    return pack_folders(path) or Problem(path, None, f"no {PACK_FILE} here or in its sub-folders")


def run(args: argparse.Namespace, ctx: Context) -> int:
    from nkstudy.core.fields import Problem
    from nkstudy.core.loader import load_pack

    failed = False
    for raw in args.paths:
        targets = _targets(Path(raw))
        if isinstance(targets, Problem):
            print(targets.format(), file=sys.stderr)
            failed = True
            continue
        for folder in targets:
            result = load_pack(folder)
            if result.ok and result.pack is not None:
                if not args.quiet:
                    pack = result.pack
                    print(
                        f"{folder}: ok — pack '{pack.id}', {len(pack.questions)} questions, "
                        f"{len(pack.events)} events, {len(pack.sources)} sources"
                    )
                continue
            failed = True
            for problem in result.problems:
                print(problem.format(), file=sys.stderr)
            count = len(result.problems)
            print(f"{folder}: {count} problem{'s' if count != 1 else ''}", file=sys.stderr)
    return 1 if failed else 0
