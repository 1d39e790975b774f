"""``nkstudy import FILE... --to DIR``: questions from Anki, Moodle and spreadsheets as a new pack."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from nkstudy.cli.common import Context, error, subcommand
from nkstudy.formats.registry import help_lines, readers

DESCRIPTION = f"""\
Read questions from FILEs and write them as a new pack folder DIR that validates.  What
cannot be carried over is listed, one line each, on stderr.  See docs/authoring.md.

formats (--format auto, the default, knows each file by its name, else by its content):
{help_lines(readers())}

exit status: 0 imported, 1 nothing imported or some input had errors, 2 usage error"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subcommand(sub, "import", "make a pack from Anki, Moodle or spreadsheet files", DESCRIPTION)
    parser.add_argument("files", nargs="+", metavar="FILE", help="files to import")
    parser.add_argument("--to", required=True, metavar="DIR", help="the new pack folder (must not exist or be empty)")
    parser.add_argument("--format", choices=["auto", *(f.name for f in readers())], default="auto",
                        help="input format (default: from each file)")
    parser.add_argument("--id", metavar="ID", help="pack id (default: from DIR)")
    parser.add_argument("--title", metavar="T", help="pack title (default: from DIR)")
    parser.add_argument(
        "--as",
        dest="as_kind",
        choices=["card", "typed"],
        default="card",
        help="spreadsheet rows become cards (default) or typed questions",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    from nkstudy.core.packs.loader import load_pack
    from nkstudy.core.text import visible
    from nkstudy.formats import FormatError, import_files
    from nkstudy.formats.common import pack_id_for
    from nkstudy.formats.writer import write_pack

    dest = Path(args.to)
    try:
        pack_id = pack_id_for(dest, args.id, "imported")
    except ValueError as exc:
        error(visible(str(exc)))
        return 2
    title = args.title or dest.resolve().name or pack_id
    try:
        result = import_files([Path(f) for f in args.files], args.format, as_typed=args.as_kind == "typed")
    except FormatError as exc:
        error(visible(exc.format()))
        return 1
    for line in result.notes + result.skipped + result.errors:
        print(visible(line), file=sys.stderr)
    if not result.items:
        error(f"{result.summary()}; no pack written")
        return 1
    try:
        write_pack(result, dest, pack_id=pack_id, title=title)
    except (FormatError, OSError) as exc:
        error(visible(exc.format() if isinstance(exc, FormatError) else f"{dest}: {exc.strerror}"))
        return 1
    loaded = load_pack(dest)
    if not loaded.ok:
        for problem in loaded.problems:
            print(visible(problem.format()), file=sys.stderr)
        error(f"{visible(str(dest))}: the written pack has problems (please report this)")
        return 1
    print(f"{visible(str(dest))}: {result.summary()}")
    return 1 if result.errors else 0
