"""``nkstudy export PACK --format json``: the normalized pack for other tools."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from nkstudy.cli.common import Context, error, subcommand


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subcommand(
        sub,
        "export",
        "print a pack as JSON",
        "Print the normalized pack as one JSON object (see docs/packs.md for its shape).\n"
        "PACK is a pack id (see `nkstudy packs`) or a pack folder.  Control and bidi\n"
        "characters in strings are written as \\uXXXX escapes.",
    )
    parser.add_argument("pack", metavar="PACK", help="a pack id or a pack folder")
    parser.add_argument("--format", choices=["json"], default="json", help="output format (default: json)")
    parser.set_defaults(run=run)


def _print_problems(problems) -> None:  # list[Problem]
    if problems:
        sys.stderr.write("\n".join(p.format() for p in problems) + "\n")


def run(args: argparse.Namespace, ctx: Context) -> int:
    from nkstudy import paths
    from nkstudy.core.discovery import discover
    from nkstudy.core.fields import show_name
    from nkstudy.core.loader import is_pack_folder, load_pack
    from nkstudy.core.text import json_text

    folder = Path(args.pack)
    if is_pack_folder(folder):
        result = load_pack(folder)
        if result.pack is None:
            _print_problems(result.problems)
            error(f"{show_name(str(folder))}: pack has problems; fix them before exporting")
            return 1
        pack = result.pack
    else:
        found = discover(paths.pack_places(ctx.data_dir, ctx.extra_packs), cache_dir=ctx.data_dir / "cache")
        matches = [f for f in found if f.result.pack_id == args.pack]
        if not matches:
            known = ", ".join(sorted(f.result.pack_id for f in found if f.result.pack_id)) or "none"
            error(f"no pack with id or folder {args.pack!r} (known ids: {known})")
            return 1
        if matches[0].pack is None:
            _print_problems(matches[0].result.problems)
            error(f"pack {args.pack!r} has problems; fix them before exporting")
            return 1
        pack = matches[0].pack
    sys.stdout.write(json_text(pack.to_export()) + "\n")
    return 0
