"""``nkstudy stats``: your progress, from the progress database."""

from __future__ import annotations

import argparse
import json
import sys

from nkstudy.cli.common import Context, error, make_console, subcommand

DESCRIPTION = """\
Show a profile's progress: answers and accuracy (overall, by pack, by source
and by tag), cards new / learning / in review, what is due now and on each of
the next 14 days, true retention (the share of scheduled reviews answered
right), the streak of study days, and mastery per pack (the mean predicted
chance of recalling each question 30 days from now; unseen questions count 0).

--json prints one object with, among others: profile, reviews, accuracy,
due_now, new, learning, review, forecast (14 daily counts, today first),
retention, streak_days, mastery, accuracy_by_pack, accuracy_by_source,
accuracy_by_tag, daily_reviews and overrides ("pack/question" -> how many
typed answers marked wrong the learner counted right with "I was right": the
answers a pack's author may want to accept).

exit status: 0 ok, 1 no packs or a progress-database problem, 2 usage error"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subcommand(sub, "stats", "show your progress and what is due", DESCRIPTION)
    parser.add_argument("--pack", metavar="ID", action="append", help="only this pack (repeatable)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    from nkstudy.cardbook import CardBook
    from nkstudy.engine import StoreError

    engine = ctx.open_engine(create_profile=False)  # reading never creates a profile
    if isinstance(engine, int):
        return engine
    try:
        try:
            stats = engine.stats(args.pack)
        except ValueError as exc:
            error(ctx.unknown_pack(exc, args.pack))
            return 2
        overview = {o.pack_id: o for o in engine.pack_overview()}
        overrides = CardBook(engine).overrides(args.pack)
    except StoreError as exc:  # the database failed after opening (damaged further in, locked)
        error(str(exc))
        return 1
    finally:
        engine.close()
    if args.json:
        data = stats.to_json()
        data["packs"] = [
            {"id": o.pack_id, "title": o.title, "total": o.total, "new": o.new, "learning": o.learning,
             "review": o.review, "due": o.due, "mastery": o.mastery}
            for o in overview.values() if args.pack is None or o.pack_id in args.pack
        ]
        data["overrides"] = overrides
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0

    from rich import box
    from rich.table import Table
    from rich.text import Text

    from nkstudy.present import duration, percent, plural

    console = make_console()
    console.print(Text(f"Progress of {stats.profile}", style="bold"))
    console.print(Text(
        f"Answers: {stats.reviews} ({stats.reviews_today} today), accuracy {percent(stats.accuracy)}, "
        f"true retention {percent(stats.retention)}, study streak "
        f"{plural(stats.streak_days, 'day')}, answering time {duration(stats.time_ms / 1000)}."
    ))
    console.print(Text(
        f"Cards: {stats.new} new, {stats.learning} learning, {stats.review} in review; "
        f"due now {stats.due_now}."
    ))

    packs = Table(title="Packs", title_justify="left", box=box.SIMPLE_HEAD)
    for col in ("pack", "cards", "new", "learning", "review", "due", "mastery", "right"):
        packs.add_column(col, justify="left" if col == "pack" else "right", no_wrap=col == "pack")
    for pack_id, o in overview.items():
        if args.pack is not None and pack_id not in args.pack:
            continue
        right, total = stats.accuracy_by_pack.get(pack_id, (0, 0))
        packs.add_row(Text(pack_id), str(o.total), str(o.new), str(o.learning), str(o.review), str(o.due),
                      percent(o.mastery), percent(right / total if total else None))
    console.print(packs)

    forecast = Table(title="Due in the next 14 days (today first)", title_justify="left")
    for i in range(14):
        forecast.add_column("today" if i == 0 else f"+{i}", justify="right")
    forecast.add_row(*(str(n) for n in stats.forecast))
    console.print(forecast)

    for title, data in (("Accuracy by source", stats.accuracy_by_source),
                        ("Accuracy by tag", stats.accuracy_by_tag)):
        if not data:
            continue
        table = Table(title=title, title_justify="left")
        table.add_column(title.split()[-1])
        table.add_column("right", justify="right")
        table.add_column("answers", justify="right")
        table.add_column("accuracy", justify="right")
        for key, (right, total) in data.items():
            table.add_row(Text(key), str(right), str(total), percent(right / total if total else None))
        console.print(table)
    return 0
