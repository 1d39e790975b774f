"""``nkstudy db status|upgrade|copy``: the progress database's schema, and moving progress between databases."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from nkstudy.cli.common import Context, add_common_options, error, subcommand

if TYPE_CHECKING:
    from nkstudy.store.backend import Location
    from nkstudy.store.db import Store

DESCRIPTION = """\
The progress database: which one, its schema version, and its tables.

The database is --db URL (or $NKSTUDY_DB):
postgresql://[user@]host[:port]/dbname, with the password from PGPASSWORD or
~/.pgpass, or an SQLite file; without it, progress.sqlite3 in the data folder.

  status    the database, its schema version and each table's rows (changes
            nothing)
  upgrade   bring an older schema up to this nkstudy's (every command also
            does this)
  copy      copy all progress from one database into another, empty one

examples:
  nkstudy db status
  nkstudy db status --db postgresql://nk@db.school.example/nkstudy
  PGPASSWORD=... nkstudy db copy \\
      --from ~/.local/share/nkstudy/progress.sqlite3 \\
      --to postgresql://nk@db.school.example/nkstudy

exit status: 0 ok, 1 problems (no database, a refused copy, checksums that
differ), 2 usage error"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subcommand(sub, "db", "the progress database: status, upgrade, copy", DESCRIPTION)
    actions = parser.add_subparsers(dest="db_action", metavar="ACTION", required=True)
    status = actions.add_parser("status", help="the database, its schema version and table sizes")
    status.add_argument("--json", action="store_true", help="print JSON instead of lines")
    add_common_options(status)
    upgrade = actions.add_parser("upgrade", help="upgrade an older schema in place")
    add_common_options(upgrade)
    copy = actions.add_parser("copy", help="copy all progress into an empty database",
                              description="Copy every profile, card, answer, setting and drill result from one "
                              "database into another that holds nothing yet, then print each table's rows and "
                              "checksum on both sides.  Passwords: PGPASSWORD or ~/.pgpass, never the command "
                              "line.")
    copy.add_argument("--from", dest="source", metavar="URL", required=True,
                      help="the database to read: an SQLite file, sqlite:///path or postgresql://...")
    copy.add_argument("--to", dest="target", metavar="URL", required=True,
                      help="the empty database to fill (an SQLite file is created)")
    add_common_options(copy)
    parser.set_defaults(run=run)


def _location(text: str, option: str) -> Location | int:
    from nkstudy.store.backend import parse_location, redact, url_password

    try:
        where = parse_location(text)
    except ValueError as exc:
        error(f"{option}: {exc}")
        return 2
    if url_password(text):
        error(f"{option} {redact(text)}: a password on the command line shows in the process list; put it in "
              "PGPASSWORD or ~/.pgpass")
        return 2
    return where


def run(args: argparse.Namespace, ctx: Context) -> int:
    from nkstudy.store.db import StoreError, locate

    try:
        if args.db_action == "copy":
            return _copy(args)
        where = locate(ctx.data_dir, ctx.db)
        if args.db_action == "status":
            return _status(where, args.json)
        return _upgrade(where)
    except StoreError as exc:
        error(str(exc))
        return 1


def _status(where: Location, as_json: bool) -> int:
    import json

    from nkstudy.store.copy import our_tables
    from nkstudy.store.db import Store
    from nkstudy.store.schema import SCHEMA_VERSION

    if where.path is not None and not where.path.is_file():
        error(f"{where.path}: no progress database yet (nkstudy makes it at the first answer)")
        return 1
    store = Store(where, upgrade=False)
    try:
        found = store.backend.found_version
        tables = {t: int(store.read(f"SELECT count(*) FROM {t}")[0][0]) for t in our_tables(store)}  # noqa: S608
    finally:
        store.close()
    state = ("empty" if found == 0 else "current" if found == SCHEMA_VERSION else "older: run `nkstudy db upgrade`")
    if as_json:
        print(json.dumps({"kind": store.kind, "database": store.where, "schema": found,
                          "nkstudy_schema": SCHEMA_VERSION, "tables": tables}, indent=1))
        return 0
    print(f"database: {store.where} ({store.kind})")
    print(f"schema:   {found} ({state}; this nkstudy writes {SCHEMA_VERSION})")
    for table, rows in tables.items():
        print(f"  {table:<16} {rows:>10} {'row' if rows == 1 else 'rows'}")
    return 0


def _upgrade(where: Location) -> int:
    from nkstudy.store.db import Store

    store = Store(where)
    before, after = store.backend.found_version, store.schema_version
    store.close()
    print(f"{store.where}: schema {after}" + (f" (upgraded from {before})" if before != after else
                                             " (already current)"))
    return 0


def _open(where: Location) -> Store:
    from nkstudy.store.db import Store

    return Store(where)


def _copy(args: argparse.Namespace) -> int:
    from nkstudy.store.copy import copy_all, table_sums

    source_at = _location(args.source, "--from")
    target_at = _location(args.target, "--to")
    if isinstance(source_at, int) or isinstance(target_at, int):
        return 2
    if source_at == target_at:
        error("--from and --to name the same database; give another --to")
        return 2
    if source_at.path is not None and not source_at.path.is_file():
        error(f"--from {source_at.path}: no such progress database")
        return 1
    source = _open(source_at)
    try:
        target = _open(target_at)
        try:
            tables = copy_all(source, target)
            mine, theirs = table_sums(source, tables), table_sums(target, tables)
        finally:
            target.close()
    finally:
        source.close()
    print(f"copied {source.where} -> {target.where}")
    print(f"  {'table':<16} {'rows':>10}  {'checksum':<16}  {'rows there':>10}  checksum there")
    for a, b in zip(mine, theirs, strict=True):
        mark = "" if a == b else "  DIFFERENT"
        print(f"  {a.table:<16} {a.rows:>10}  {a.checksum}  {b.rows:>10}  {b.checksum}{mark}")
    if mine != theirs:
        error("the copy differs from its source (see the table above); do not use it")
        return 1
    return 0
