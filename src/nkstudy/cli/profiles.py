"""``nkstudy profiles``: list, rename and delete profiles (each one's progress in the data folder)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from nkstudy.cli.common import Context, add_common_options, error, make_console, subcommand

if TYPE_CHECKING:
    from nkstudy.store.db import Store

DESCRIPTION = """\
List the profiles in the data folder, with each one's number of answers and
the study day of its last answer; rename one; or delete one with all its
progress (card states, answers and drill results, in one transaction).

Reading commands (stats, export, report, profiles) never create a profile;
studying with a new --profile NAME does.

examples:
  nkstudy profiles
  nkstudy profiles --json
  nkstudy profiles rename class-3 class-3b
  nkstudy profiles delete old-test --yes

exit status: 0 ok, 1 no such profile (or a name already taken), 2 usage error
(including delete without confirmation when stdin is not a terminal)"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subcommand(sub, "profiles", "list, rename or delete profiles", DESCRIPTION)
    parser.add_argument("--json", action="store_true", help="print a JSON list instead of a table")
    parser.set_defaults(run=run, action=None)
    actions = parser.add_subparsers(dest="action", metavar="ACTION", title="actions")
    rename = actions.add_parser("rename", help="rename profile OLD to NEW",
                                description="Rename profile OLD to NEW; its progress goes with it.")
    rename.add_argument("old", metavar="OLD")
    rename.add_argument("new", metavar="NEW")
    add_common_options(rename)
    delete = actions.add_parser("delete", help="delete profile NAME and all its progress",
                                description="Delete profile NAME and all its progress, in one transaction.\n"
                                "Asks to confirm unless --yes.",
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    delete.add_argument("name", metavar="NAME")
    delete.add_argument("-y", "--yes", action="store_true", help="do not ask to confirm")
    add_common_options(delete)


def _open(ctx: Context) -> Store | int | None:
    """The progress database, None when there is none yet (never created here), or an exit code."""
    from nkstudy.store.db import StoreError
    from nkstudy.store.drills import open_existing

    try:
        return open_existing(ctx.data_dir, ctx.db)
    except StoreError as exc:
        error(str(exc))
        return 1


def _name(raw: str, what: str) -> str | None:
    from nkstudy.core.names import profile_name

    try:
        return profile_name(raw)
    except ValueError as exc:
        error(f"{what}: {exc}")
        return None


def _missing(store: Store | None, name: str) -> int:
    from nkstudy.core.names import shown_name

    known = ", ".join(shown_name(n) for n in store.profile_names()) if store is not None else ""
    error(f"there is no profile {shown_name(name)} (profiles: {known or 'none yet'}); "
          "run `nkstudy profiles` to see them")
    return 1


def run(args: argparse.Namespace, ctx: Context) -> int:
    from nkstudy.store.db import StoreError

    store = _open(ctx)
    if isinstance(store, int):
        return store
    try:
        if args.action == "rename":
            return _rename(store, args.old, args.new)
        if args.action == "delete":
            return _delete(store, args.name, args.yes)
        return _list(store, args.json)
    except StoreError as exc:
        error(str(exc))
        return 1
    finally:
        if store is not None:
            store.close()


def _list(store: Store | None, as_json: bool) -> int:
    from datetime import UTC, datetime

    from nkstudy.core.study.planning import study_day
    from nkstudy.core.study.schedule import Settings
    from nkstudy.core.text import json_text, visible
    from nkstudy.store.drills import drill_summaries

    drilled = drill_summaries(store) if store is not None else {}
    rows: list[dict[str, Any]] = []
    for name, answers, last in store.profile_summaries() if store is not None else []:
        day = None
        if last is not None:
            found = store.find_profile(name) if store is not None else None
            settings = Settings.from_dict(store.load_settings(found)) if store is not None and found else Settings()
            day = study_day(datetime.fromtimestamp(last, UTC), None, settings.day_starts_hour).isoformat()
        drills, last_drill = drilled.get(name, (0, None))
        drill_day = datetime.fromtimestamp(last_drill, UTC).date().isoformat() if last_drill is not None else None
        rows.append({"name": name, "answers": answers, "last_study_day": day, "drill_answers": drills,
                     "last_drill_day": drill_day})
    if as_json:
        sys.stdout.write(json_text(rows) + "\n")
        return 0
    if not rows:
        print("No profiles yet. Studying with --profile NAME creates one.")
        return 0
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Profiles", title_justify="left")
    table.add_column("profile", overflow="fold")
    table.add_column("answers", justify="right")
    table.add_column("last studied", no_wrap=True)
    table.add_column("drill answers", justify="right")
    table.add_column("last drilled", no_wrap=True)
    for row in rows:
        table.add_row(Text(visible(row["name"])), str(row["answers"]), row["last_study_day"] or "never",
                      str(row["drill_answers"]), row["last_drill_day"] or "never")
    make_console().print(table)
    return 0


def _rename(store: Store | None, raw_old: str, raw_new: str) -> int:
    from nkstudy.core.names import shown_name

    old, new = _name(raw_old, "OLD"), _name(raw_new, "NEW")
    if old is None or new is None:
        return 2
    if store is None or store.find_profile(old) is None:
        return _missing(store, old)
    if old == new:
        print(f"Profile {shown_name(old)} already has that name.")
        return 0
    if store.find_profile(new) is not None:
        error(f"there is already a profile {shown_name(new)}; choose another name or delete that one first")
        return 1
    store.rename_profile(old, new)
    print(f"Renamed profile {shown_name(old)} to {shown_name(new)}.")
    return 0


def _delete(store: Store | None, raw: str, yes: bool) -> int:
    from nkstudy.core.names import shown_name

    name = _name(raw, "NAME")
    if name is None:
        return 2
    if store is None or store.find_profile(name) is None:
        return _missing(store, name)
    answers = next((n for p, n, _last in store.profile_summaries() if p == name), 0)
    what = f"profile {shown_name(name)} and its {answers} answer{'s' if answers != 1 else ''}"
    if not yes:
        if not sys.stdin.isatty():
            error(f"not deleting {what} without confirmation: add --yes")
            return 2
        try:
            reply = input(f"Delete {what}? This cannot be undone. [y/N] ")
        except EOFError:
            reply = ""
        if reply.strip().casefold() not in {"y", "yes"}:
            print("Nothing deleted.")
            return 0
    store.delete_profile(name)
    print(f"Deleted {what}.")
    return 0
