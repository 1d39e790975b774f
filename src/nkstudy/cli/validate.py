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
        "With --giveaways, also list every pair of questions where one shows the answer\n"
        "of the other, on stdout: file:line of the question that shows it, both ids, the\n"
        "field (prompt, options, answer, explanation, excerpt or citation) and the text;\n"
        "a pair the pack already links (related:, one event, or events of one visit\n"
        "through part_of) is marked linked.\n\n"
        "exit status: 0 all valid (and, with --giveaways, every pair linked), 1 problems\n"
        "found or an unlinked pair, 2 usage error (such as a PATH that does not exist)",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="a pack folder, its pack.yaml, or a folder of packs")
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing for valid packs")
    parser.add_argument(
        "--strict", action="store_true", help="also require every question to cite a source and an excerpt"
    )
    parser.add_argument("--giveaways", action="store_true",
                        help="list the questions that give another's answer away (exit 1 when a pair is unlinked)")
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout instead of lines")
    parser.set_defaults(run=run)


if TYPE_CHECKING:
    from nkstudy.core.packs.fields import Problem
    from nkstudy.core.packs.loader import LoadResult

NOT_FOUND = "no such file or folder; give a pack folder (the one holding pack.yaml) or a file in it"


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
    report: list[dict[str, object]] = []
    for raw in args.paths:
        targets = _targets(Path(raw))
        if isinstance(targets, Problem):
            if args.json:
                report.append({"path": str(raw), "ok": False, "problems": [targets.format()]})
            else:
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
                pack = result.pack
                entry: dict[str, object] = {"path": str(folder), "ok": True, "pack": pack.id,
                                            "questions": len(pack.questions), "problems": []}
                if args.giveaways:
                    pairs = _giveaways(result)
                    entry["giveaways"] = pairs
                    unlinked = sum(1 for p in pairs if p["linked"] is None)
                    failed = failed or unlinked > 0
                    if not args.json:
                        _print_pairs(pairs, shown, unlinked)
                elif not args.quiet and not args.json:
                    counts = ", ".join(plural(len(items), word) for items, word in (
                        (pack.questions, "question"), (pack.events, "event"), (pack.sources, "source")))
                    print(f"{shown}: ok — pack {quoted(pack.id)}, {counts}")
                report.append(entry)
                continue
            failed = True
            count = len(result.problems)
            lines = [problem.format() for problem in result.problems]
            if args.json:
                report.append({"path": str(folder), "ok": False, "problems": lines})
                continue
            lines.append(f"{shown}: {count} problem{'s' if count != 1 else ''}")
            sys.stderr.write("\n".join(lines) + "\n")
            sys.stderr.flush()
    if args.json:
        import json

        print(json.dumps({"packs": report}, ensure_ascii=False, indent=2))
    return 2 if usage else 1 if failed else 0


def _giveaways(result: LoadResult) -> list[dict[str, object]]:
    """Every give-away pair of a loaded pack, with where its giver is written."""
    from nkstudy.core.packs.fields import _display_path
    from nkstudy.core.packs.giveaways import leaks

    assert result.pack is not None
    pack = result.pack
    out: list[dict[str, object]] = []
    for leak in leaks(pack.giveaway_graph(), pack.questions):
        path, line = result.places.get(leak.giver, (result.path, None))
        out.append({"giver": leak.giver, "taker": leak.taker, "field": leak.field, "text": leak.text,
                    "linked": leak.linked, "file": _display_path(path, None), "line": line})
    return out


def _print_pairs(pairs: list[dict[str, object]], shown: str, unlinked: int) -> None:
    from nkstudy.core.packs.fields import show_name
    from nkstudy.core.text import visible

    lines = []
    for p in pairs:
        where = show_name(str(p["file"])) + (f":{p['line']}" if p["line"] else "")
        state = f"linked by {p['linked']}" if p["linked"] else "unlinked"
        lines.append(visible(f"{where}: {p['giver']} gives away {p['taker']} in its {p['field']}: "
                             f"{str(p['text'])!r} ({state})"))
    lines.append(f"{shown}: {len(pairs)} give-away pair{'s' if len(pairs) != 1 else ''}, {unlinked} unlinked"
                 + ("; link them with related: or reword the text that gives the answer away" if unlinked else ""))
    sys.stdout.write("\n".join(lines) + "\n")
