"""``nkstudy cards``: the card browser on the command line."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from nkstudy.cli.common import Context, error, make_console, subcommand

if TYPE_CHECKING:
    from rich.console import Console

    from nkstudy.cardbook import CardBook, CardHistory
    from nkstudy.core.study.browse import CardInfo

DESCRIPTION = """\
List the cards of your packs with their state and next due date, search them,
see one card's answers, and unsuspend or unflag a card, as the app's card
browser (b on the home screen) does.

states: new, learning, review, suspended, buried, flagged, leech

examples:
  nkstudy cards --state suspended          what you (or a leech) suspended
  nkstudy cards --search Dalian --type typed
  nkstudy cards --show nk-china-visits/q001
  nkstudy cards --unsuspend nk-china-visits/q001

--json prints a list of cards (pack, id, type, prompt, answer, source, event,
tags, states, due, reps, lapses); with --show, one card and its answers.

exit status: 0 ok (also when nothing matches), 1 no such card or a progress-
database problem, 2 usage error"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subcommand(sub, "cards", "browse, search, unsuspend and unflag your cards", DESCRIPTION)
    parser.add_argument("--search", metavar="TEXT", default="", help="text in the prompt, answer, id or tags")
    parser.add_argument("--state", metavar="STATE", help="only cards in this state (see the list above)")
    parser.add_argument("--pack", metavar="ID", help="only this pack")
    parser.add_argument("--source", metavar="ID", help="only questions citing this source")
    parser.add_argument("--tag", metavar="TAG", help="only questions with this tag")
    parser.add_argument("--event", metavar="ID", help="only questions on this event")
    parser.add_argument("--type", metavar="TYPE", help="only this question type (choice, typed, cloze, ...)")
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--show", metavar="PACK/ID", help="one card: its state, next due date and answers")
    action.add_argument("--unsuspend", metavar="PACK/ID", help="let a suspended card be asked again")
    action.add_argument("--unflag", metavar="PACK/ID", help="take a card's flag off")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(run=run)


def _key(text: str, book: CardBook) -> tuple[str, str] | str:
    """(pack, question) for ``PACK/ID``, or one line saying why not."""
    from nkstudy.core.text import visible

    pack_id, _, question_id = text.partition("/")
    pack = book.engine.packs.get(pack_id)
    if pack is None or not question_id:
        return f"{visible(text)}: give a card as PACK/ID (packs: {', '.join(sorted(book.engine.packs)) or 'none'})"
    if all(q.id != question_id for q in pack.questions):
        return f"{visible(text)}: pack {visible(pack_id)} has no question {visible(question_id)}; see nkstudy cards"
    return (pack_id, question_id)


def run(args: argparse.Namespace, ctx: Context) -> int:
    from nkstudy.cardbook import CardBook
    from nkstudy.core.study.browse import CardQuery
    from nkstudy.core.text import visible
    from nkstudy.engine import StoreError

    engine = ctx.open_engine(create_profile=False)
    if isinstance(engine, int):
        return engine
    book = CardBook(engine)
    try:
        target = args.show or args.unsuspend or args.unflag
        if target is not None:
            key = _key(target, book)
            if isinstance(key, str):
                error(key)
                return 1
            if args.unsuspend or args.unflag:  # say what changed, on stderr: stdout stays the card
                mark, verb = ("suspended", "unsuspended") if args.unsuspend else ("flagged", "unflagged")
                before = book.history(key).card.states
                book.set_marks(key, **{mark: False})
                name = visible(f"{key[0]}/{key[1]}")
                print(f"{name}: {verb}" if mark in before else f"{name}: was not {mark}; nothing changed",
                      file=sys.stderr)
            return _show(book.history(key), args.json)
        try:
            query = CardQuery(args.search, args.pack, args.source, args.tag, args.event, args.type, args.state)
        except ValueError as exc:  # an unknown state
            error(f"--state: {exc}")
            return 2
        try:
            found = book.search(query)
        except ValueError as exc:
            error(ctx.unknown_pack(exc, [args.pack] if args.pack else None))
            return 2
        return _list(found, args.json)
    except StoreError as exc:
        error(str(exc))
        return 1
    finally:
        engine.close()


def _console() -> Console:
    console = make_console()
    console.soft_wrap = not sys.stdout.isatty()  # a pipe gets each line whole
    return console


def _due(card: CardInfo) -> str:
    return card.due.astimezone().strftime("%Y-%m-%d %H:%M") if card.due is not None else "-"


def _list(found: list[CardInfo], as_json: bool) -> int:
    if as_json:  # pack text escaped where a terminal would obey it
        from nkstudy.core.text import json_text

        sys.stdout.write(json_text([c.to_json() for c in found]) + "\n")
        return 0
    from rich.text import Text

    from nkstudy.present import plural, safe

    console = _console()
    console.print(Text(plural(len(found), "card"), style="bold"))
    for c in found:  # two lines a card: what it is and where it stands, then its prompt
        lapses = c.row.lapses if c.row else 0
        console.print(Text(f"{c.pack_id}/{c.question.id}", style="bold").append(
            f" {c.question.type_name} · {' '.join(c.states)} · due {_due(c)} · {plural(lapses, 'lapse')}",
            style="not bold"))
        console.print(Text("  ").append_text(safe(c.question.prompt)))
    return 0


def _show(history: CardHistory, as_json: bool) -> int:
    card = history.card
    if as_json:
        data = card.to_json()
        data["answers"] = [{"at": a.when.isoformat(), "rating": a.rating, "correct": a.correct, "answer": a.answer,
                            "practice": a.practice, "override": a.overridden} for a in history.answers]
        from nkstudy.core.text import json_text

        sys.stdout.write(json_text(data) + "\n")
        return 0
    from rich.text import Text

    from nkstudy.core.study.schedule import RATINGS
    from nkstudy.present import plural, safe

    console = _console()
    console.print(Text(f"{card.pack_id}/{card.question.id}", style="bold").append(f" ({card.question.type_name})",
                                                                                   style="not bold"))
    console.print(safe(card.question.prompt))
    console.print(Text("Answer: ", style="bold").append_text(safe(card.question.answer_text())))
    console.print(Text(f"State: {' '.join(card.states)}; next due {_due(card)}; "
                       f"{plural(card.row.reps if card.row else 0, 'answer')}, "
                       f"{plural(card.row.lapses if card.row else 0, 'lapse')}."))
    for a in history.answers:
        line = Text(f"  {a.when.astimezone().strftime('%Y-%m-%d %H:%M')}  {RATINGS[a.rating - 1].name:<5}  "
                    f"{'right' if a.correct else 'wrong'}  ")
        line.append_text(safe(a.answer))
        if a.overridden:
            line.append("  (override)", style="yellow")
        if a.practice:
            line.append("  (practice)", style="dim")
        console.print(line)
    return 0
