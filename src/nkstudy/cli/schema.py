"""``nkstudy schema``: the JSON Schema of pack.yaml and of included files."""

from __future__ import annotations

import argparse
import json

from nkstudy.cli.common import Context, subcommand


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subcommand(
        sub,
        "schema",
        "print the JSON Schema of pack files",
        "Print the JSON Schema (draft 2020-12) of pack.yaml (default) or of an included\n"
        "file, for editors with YAML language support.  It takes what `nkstudy validate`\n"
        "takes; with --strict, what `nkstudy validate --strict` takes (every question\n"
        "cites a source and an excerpt).  `nkstudy validate` stays the authority.",
    )
    parser.add_argument(
        "which",
        nargs="?",
        choices=["pack", "include"],
        default="pack",
        help="pack: pack.yaml (default); include: a file listed under include:",
    )
    parser.add_argument(
        "--strict", action="store_true", help="the stricter schema of `validate --strict`"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    from nkstudy.formats.schema import include_schema, pack_schema

    schema = pack_schema(args.strict) if args.which == "pack" else include_schema(args.strict)
    print(json.dumps(schema, indent=2, ensure_ascii=False))
    return 0
