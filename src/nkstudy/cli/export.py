"""``nkstudy export PACK [--format F] [-o FILE]``: a pack for other tools (JSON, Anki, Moodle, spreadsheets)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from nkstudy.cli.common import Context, error, subcommand, write_output
from nkstudy.formats.registry import help_lines, writers

if TYPE_CHECKING:
    from nkstudy.core.model import Pack
    from nkstudy.core.packs.fields import Problem

DESCRIPTION = f"""\
Write a pack in another tool's format. PACK is a pack id (see `nkstudy packs`)
or a pack folder.

formats:
{help_lines(writers())}

Each question's excerpt and citation go into the format's feedback or extra
field.  Questions a format cannot hold are skipped with one line each on stderr.
{", ".join(f.name for f in writers() if f.binary)} write a binary file: give -o FILE.

examples:
  nkstudy export nk-china-visits --format gift -o visits.gift
  nkstudy export nk-china-visits --format apkg -o visits.apkg
  nkstudy export my-pack/ --format json > my-pack.json

exit status: 0 ok, 1 no such pack or the pack has problems, 2 usage error"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    names = [f.name for f in writers()]
    parser = subcommand(sub, "export", f"write a pack as {', '.join(names[:-1])} or {names[-1]}", DESCRIPTION)
    parser.add_argument("pack", metavar="PACK", help="a pack id or a pack folder")
    parser.add_argument("--format", choices=names, default="json", metavar="FORMAT",
                        help="output format, one of the formats above (default: json)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    parser.set_defaults(run=run)


def _print_problems(problems: list[Problem]) -> None:
    if problems:
        sys.stderr.write("\n".join(p.format() for p in problems) + "\n")


def _find_pack(name: str, ctx: Context) -> Pack | int:
    from nkstudy.core.packs.fields import show_name
    from nkstudy.core.packs.loader import is_pack_folder, load_pack

    folder = Path(name)
    if is_pack_folder(folder):
        result = load_pack(folder)
        if result.pack is None:
            _print_problems(result.problems)
            error(f"{show_name(str(folder))}: pack has problems; fix them before exporting")
            return 1
        return result.pack
    found = ctx.discover()
    matches = [f for f in found if f.result.pack_id == name]
    if not matches:
        known = ", ".join(sorted(f.result.pack_id for f in found if f.result.pack_id)) or "none"
        error(f"no pack with id or folder {show_name(name)} (known ids: {known})")
        return 1
    if matches[0].pack is None:
        _print_problems(matches[0].result.problems)
        error(f"pack {show_name(name)} has problems; fix them before exporting")
        return 1
    return matches[0].pack


def run(args: argparse.Namespace, ctx: Context) -> int:
    from nkstudy.core.text import visible
    from nkstudy.formats import export_pack

    pack = _find_pack(args.pack, ctx)
    if isinstance(pack, int):
        return pack
    exported = export_pack(pack, args.format, timestamp=ctx.clock().timestamp())
    for line in exported.skipped:
        print(visible(line), file=sys.stderr)
    if exported.binary and not args.output:
        error(f"--format {args.format} is a binary file; give -o FILE{exported.suffix}")
        return 2
    code = write_output(exported.data, args.output, "export")
    if code == 0:
        print(visible(_summary(pack, args.format, args.output)), file=sys.stderr)
    return code


def _summary(pack: Pack, fmt: str, output: str | None) -> str:
    """One line: how many questions went where, and which types were left out and why."""
    from collections import Counter

    from nkstudy.formats.registry import get

    why = get(fmt).cannot_hold(templates=True)
    left = Counter(q.type_name for q in pack.questions if q.type_name in why)
    total = len(pack.questions)
    written = total - sum(left.values())
    where = output if output else "standard output"
    line = f"exported {written} of {total} question{'s' if total != 1 else ''} as {fmt} to {where}"
    # types left out for one reason are named together, the reason once
    reasons: dict[str, list[str]] = {}
    for name in sorted(left):
        reasons.setdefault(why[name], []).append(name)
    groups = [", ".join(f"{left[name]} {name}" for name in names) + f" ({reason.replace('{type}', '/'.join(names))})"
              for reason, names in reasons.items()]
    if groups:
        line += "; skipped " + "; ".join(groups)
    return line
