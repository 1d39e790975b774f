"""``nkstudy packs``: list the packs nkstudy can find."""

from __future__ import annotations

import argparse
import stat
import sys
from pathlib import Path
from typing import TypedDict

from nkstudy.cli.common import Context, error, make_console, subcommand


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subcommand(
        sub,
        "packs",
        "list the packs nkstudy can find",
        "List every pack found: the built-in ones, your pack folder, and --packs folders.\n"
        "Broken packs are listed with their first problem; run `nkstudy validate` on one\n"
        "to see them all.  Packs are opened through the pack cache in the data folder.",
    )
    parser.add_argument("--json", action="store_true", help="print a JSON list instead of a table")
    parser.set_defaults(run=run)


def _not_folders(dirs: list[str]) -> list[str]:
    from nkstudy.core.packs.safeyaml import FileProblem, safe_stat

    missing = []
    for d in dirs:
        try:
            if not stat.S_ISDIR(safe_stat(Path(d).expanduser()).st_mode):
                missing.append(d)
        except FileProblem:
            missing.append(d)
    return missing


class PackRow(TypedDict):
    """One pack as ``packs --json`` lists it."""

    id: str | None
    title: str | None
    questions: int
    sources: int
    events: int
    path: str
    origin: str
    ok: bool
    problems: list[str]


def run(args: argparse.Namespace, ctx: Context) -> int:
    from nkstudy import paths
    from nkstudy.core.packs.fields import show_name
    from nkstudy.core.text import json_text, visible

    for missing in _not_folders(ctx.extra_packs):
        error(f"--packs {show_name(missing)}: no such folder")
    found = ctx.discover()
    rows: list[PackRow] = []
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
        sys.stdout.write(json_text(rows) + "\n")
        return 0

    from rich.table import Table
    from rich.text import Text

    console = make_console()
    table = Table(title="Packs", title_justify="left", expand=False)
    table.add_column("id", no_wrap=True)
    table.add_column("title")
    table.add_column("questions", justify="right")
    table.add_column("sources", justify="right")
    for row in rows:
        if row["ok"]:
            table.add_row(
                Text(visible(row["id"] or "?")), Text(visible(row["title"] or "")), str(row["questions"]),
                str(row["sources"])
            )
        else:
            more = len(row["problems"]) - 1
            first = row["problems"][0] if row["problems"] else "cannot be loaded"
            note = f"BROKEN: {first}" + (f" (+{more} more)" if more > 0 else "")
            table.add_row(
                Text(visible(row["id"] or "?"), style="red"), Text(visible(note), style="red"), "-", "-"
            )
    if rows:
        console.print(table)
        # paths on their own lines, never folded into the table's narrow column
        console.print(Text("Where they are:", style="bold"))
        for row in rows:
            console.print(Text(f"  {visible(str(row['id'] or '?'))}: {short_path(str(row['path']))}"), soft_wrap=True)
    else:
        console.print("No packs found.")
    console.print(Text(f"Your pack folder: {short_path(str(paths.user_pack_dir(ctx.data_dir)))}", style="dim"),
                  soft_wrap=True)
    return 0


def short_path(path: str) -> str:
    """``path`` as printed: the home folder as ``~``, control characters shown."""
    from nkstudy.core.packs.fields import show_name

    home = str(Path.home())
    if home not in ("", "/") and (path == home or path.startswith(home.rstrip("/") + "/")):
        path = "~" + path[len(home):]
    return show_name(path)
