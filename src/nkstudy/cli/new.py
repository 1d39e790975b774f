"""``nkstudy new DIR``: start a pack from a working example."""

from __future__ import annotations

import argparse
from pathlib import Path

from nkstudy.cli.common import Context, error, subcommand


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subcommand(
        sub,
        "new",
        "start a new pack folder",
        "Write a new pack folder DIR that validates: one example of each question type, a\n"
        "source file, an event, and JSON Schemas that YAML editors pick up.\n\n"
        "exit status: 0 written, 1 DIR is not empty, 2 usage error",
    )
    parser.add_argument("dir", metavar="DIR", help="the new pack folder")
    parser.add_argument("--id", metavar="ID", help="pack id (default: from DIR)")
    parser.add_argument("--title", metavar="T", help="pack title (default: from DIR)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    from nkstudy.core.text import visible
    from nkstudy.formats import FormatError
    from nkstudy.formats.common import pack_id_for
    from nkstudy.formats.scaffold import new_pack

    folder = Path(args.dir)
    try:
        pack_id = pack_id_for(folder, args.id, "my-pack")
    except ValueError as exc:
        error(visible(str(exc)))
        return 2
    try:
        new_pack(folder, pack_id, args.title or folder.resolve().name)
    except FormatError as exc:
        error(visible(exc.format()))
        return 1
    except OSError as exc:
        error(f"{visible(str(folder))}: {exc.strerror}")
        return 1
    print(f"{visible(str(folder))}: new pack '{pack_id}'; edit it, then run: nkstudy validate {visible(str(folder))}")
    ctx.say_how_to_study(folder, "make it in")
    return 0
