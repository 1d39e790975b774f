"""``nkstudy packs``: list the packs nkstudy can find."""

from __future__ import annotations

import argparse
import json
import sys

from nkstudy.cli.common import Context, error, make_console, subcommand


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subcommand(
        sub,
        "packs",
        "list the packs nkstudy can find",
        "List every pack found: the built-in ones, your pack folder, and --packs folders.\n"
        "Broken packs are listed with their first problem; run `nkstudy validate` on one\n"
        "to see them all.",
    )
    parser.add_argument("--json", action="store_true", help="print a JSON list instead of a table")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    from nkstudy import paths

    for missing in ctx.missing_pack_dirs():
        error(f"--packs {missing}: no such folder")
    found = ctx.discover()
    rows = []
    for item in found:
        pack = item.pack
        rows.append(
            {
                "id": pack.id if pack else item.result.pack_id,
                "title": pack.title if pack else None,
                "questions": len(pack.questions) if pack else 0,
                "sources": len(pack.sources) if pack else 0,
                "events": len(pack.events) if pack else 0,
                "path": str(item.path),
                "origin": item.origin,
                "ok": pack is not None,
                "problems": [p.format() for p in item.result.problems],
            }
        )
    if args.json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0

    from rich.table import Table
    from rich.text import Text

    console = make_console()
    table = Table(title="Packs", title_justify="left", expand=False)
    table.add_column("id", no_wrap=True)
    table.add_column("title")
    table.add_column("questions", justify="right")
    table.add_column("sources", justify="right")
    table.add_column("path", overflow="fold")
    for row in rows:
        if row["ok"]:
            table.add_row(
                Text(row["id"]), Text(row["title"]), str(row["questions"]), str(row["sources"]), Text(row["path"])
            )
        else:
            more = len(row["problems"]) - 1
            first = row["problems"][0] if row["problems"] else "cannot be loaded"
            note = f"BROKEN: {first}" + (f" (+{more} more)" if more > 0 else "")
            table.add_row(
                Text(row["id"] or "?", style="red"), Text(note, style="red"), "-", "-", Text(row["path"])
            )
    if rows:
        console.print(table)
    else:
        console.print("No packs found.")
    console.print(Text(f"Your pack folder: {paths.user_pack_dir(ctx.data_dir)}", style="dim"))
    return 0
