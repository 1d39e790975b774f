"""``nkstudy import FILE... --to DIR``: questions from Anki, Moodle and spreadsheets as a new pack."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from nkstudy.cli.common import Context, error, subcommand
from nkstudy.formats.registry import help_lines, readers

if TYPE_CHECKING:
    from nkstudy.formats.common import ImportOptions

DESCRIPTION = f"""\
Read questions from FILEs and write them as a new pack folder DIR that
validates.  What cannot be carried over is listed, one line each, on stderr.
See docs/authoring.md.

formats (--format auto, the default, knows each file by its name, else by its
content):
{help_lines(readers())}

exit status: 0 imported, 1 nothing imported or some input had errors, 2 usage
error"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subcommand(sub, "import", "make a pack from Anki, Moodle or spreadsheet files", DESCRIPTION)
    parser.add_argument("files", nargs="+", metavar="FILE", help="files to import")
    parser.add_argument("--to", required=True, metavar="DIR",
                        help="the pack folder: a new (or empty) one, or a pack imported before, which is then "
                             "updated (questions keep their ids, and learners their progress)")
    parser.add_argument("--dry-run", action="store_true",
                        help="write nothing; list the questions an update would add, change and remove")
    parser.add_argument("--format", choices=["auto", *(f.name for f in readers())], default="auto",
                        metavar="FORMAT", help="input format, one of the formats above (default: auto, "
                                               "from each file)")
    parser.add_argument("--id", metavar="ID", help="pack id (default: from DIR)")
    parser.add_argument("--title", metavar="T", help="pack title (default: the name the file gives it, such as "
                                                     "GIFT's opening $CATEGORY, else from DIR)")
    parser.add_argument(
        "--as",
        dest="as_kind",
        choices=["card", "typed"],
        default="card",
        help="spreadsheet rows become cards (default) or typed questions",
    )
    sheet = parser.add_argument_group("spreadsheets and Quizlet (csv, tsv)")
    sheet.add_argument("--columns", metavar="LIST",
                       help="what each column holds, in order: prompt, answer, extra, tags, id or skip "
                            "(e.g. --columns skip,prompt,answer,tags); default: from a header row, else prompt,answer")
    sheet.add_argument("--separator", metavar="SEP",
                       help="between a row's cells: tab, comma, semicolon, or any text (Quizlet's custom "
                            "separator, such as ' - '); default: from the file")
    sheet.add_argument("--row-separator", metavar="SEP",
                       help="between rows, when not a line break (Quizlet's custom row separator, such as ';')")
    sheet.add_argument("--header", choices=["auto", "yes", "no"], default="auto",
                       help="the first row names the columns (default auto: known names in several languages, "
                            "or short labels above rows that are not)")
    parser.set_defaults(run=run)


_NAMED = {"tab": "\t", "comma": ",", "semicolon": ";", "space": " ", "pipe": "|", "newline": "\n"}


def _options(args: argparse.Namespace) -> ImportOptions | str:
    """The reading options, or a one-line usage error."""
    from nkstudy.formats.common import ImportOptions
    from nkstudy.formats.csv import COLUMN_NAMES

    columns = None
    if args.columns:
        columns = [c.strip().casefold() for c in args.columns.split(",")]
        bad = [c for c in columns if c not in COLUMN_NAMES and c != "-"]
        if bad or "prompt" not in columns or "answer" not in columns:
            return (f"--columns {args.columns!r}: name each column one of {', '.join(COLUMN_NAMES)}, "
                    "with a prompt and an answer")
    separators = []
    for given in (args.separator, args.row_separator):
        value = _NAMED.get(given.casefold(), given.replace("\\t", "\t")) if given else None
        if value == "":
            return "--separator and --row-separator need at least one character"
        separators.append(value)
    return ImportOptions(as_typed=args.as_kind == "typed", columns=columns, separator=separators[0],
                         row_separator=separators[1], header=args.header)


def run(args: argparse.Namespace, ctx: Context) -> int:
    from nkstudy.core.packs.loader import load_pack
    from nkstudy.core.text import visible
    from nkstudy.formats import FormatError, import_files
    from nkstudy.formats.common import UnclearFormat, pack_id_for
    from nkstudy.formats.writer import PackNotWritten, changes, write_pack

    dest = Path(args.to)
    try:
        pack_id = pack_id_for(dest, args.id, "imported")
    except ValueError as exc:
        error(visible(str(exc)))
        return 2
    title = args.title or dest.resolve().name or pack_id
    options = _options(args)
    if isinstance(options, str):
        error(visible(options))
        return 2
    try:
        result = import_files([Path(f) for f in args.files], args.format, options=options)
    except UnclearFormat as exc:
        error(visible(exc.format()))
        return 2
    except FormatError as exc:
        error(visible(exc.format()))
        return 1
    for line in result.notes + result.skipped + result.errors:
        print(visible(line), file=sys.stderr)
    info = result.pack_data.get("pack") or {}
    if not args.id and isinstance(info.get("id"), str):  # nkstudy's own export names its pack
        try:
            pack_id = pack_id_for(dest, info["id"], "imported")
        except ValueError:
            pass
    if not args.title and isinstance(info.get("title"), str) and info["title"].strip():
        title = info["title"]
    elif not args.title and result.title:  # the name the file gives its questions (GIFT's $CATEGORY)
        title = result.title
    if not result.items:
        error(f"{result.summary()}; no pack written")
        return 1
    existing = load_pack(dest) if (dest / "pack.yaml").is_file() else None
    if existing is not None and existing.pack is not None:
        if not args.id:
            pack_id = existing.pack.id  # progress is kept by pack and question id
        if not args.title:
            title = existing.pack.title
        diff = changes(existing.pack, result)
        for mark, ids in (("+", diff.added), ("~", diff.changed), ("-", diff.removed)):
            for qid in ids:
                print(f"{mark} {visible(qid)}")
        if args.dry_run:
            print(f"{visible(str(dest))}: would update the pack: {diff.summary()} (--dry-run: nothing written)")
            return 0
    elif existing is not None:
        error(f"{visible(str(dest))}: holds a pack with problems; fix it (nkstudy validate) or import into "
              "a new folder")
        return 1
    elif args.dry_run:
        print(f"{visible(str(dest))}: would write a new pack: {result.summary()} (--dry-run: nothing written)")
        return 0
    summary = result.summary()
    has_errors = bool(result.errors)
    try:
        write_pack(result, dest, pack_id=pack_id, title=title, replace=existing is not None, release=True)
    except PackNotWritten as exc:
        for line in exc.problems:
            print(visible(line), file=sys.stderr)
        error(visible(exc.format()))
        return 1
    except (FormatError, OSError) as exc:
        error(visible(exc.format() if isinstance(exc, FormatError) else f"{dest}: {exc.strerror}"))
        return 1
    done = f"updated the pack: {diff.summary()}; {summary}" if existing is not None else summary
    print(f"{visible(str(dest))}: {done}")
    if existing is None:
        ctx.say_how_to_study(dest, "import into")
    return 1 if has_errors else 0

