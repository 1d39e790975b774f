"""A study session's starting queue: which questions a normal session or a practice asks, in what order.

Pure: the cards are plain rows, the clock's time and the random generator are passed in.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import compress

from fsrs import State

from nkstudy.core.model import Pack, Question
from nkstudy.core.study.pacing import GiveAways, new_card_order
from nkstudy.core.study.planning import plan_queue, spread
from nkstudy.core.study.progress import CardRow, Key
from nkstudy.core.study.schedule import Planner
from nkstudy.core.study.selection import Selection

__all__ = ["Queue", "practice_queue", "study_candidates", "study_queue"]


@dataclass(frozen=True)
class Queue:
    """A session's starting queue."""

    first: list[Key]  # learning cards due now
    main: list[Key]  # reviews and new cards (normal) or not-due cards (practice)
    later: list[tuple[float, Key]]  # (due ts, key): learning cards due later today


def study_candidates(packs: Sequence[Pack], selection: Selection, due: Mapping[Key, object],
                     seen: Mapping[str, Iterable[str]], *, offer_unseen: bool) -> dict[Key, tuple[Pack, Question]]:
    """The selected questions that can enter a normal queue, in pack order.

    ``due`` holds the cards due before the study day ends; ``seen``, each pack's ids of
    questions with a card.  With ``offer_unseen`` every unseen selected question is offered,
    because pacing draws the day's new cards across sources and events, not the first
    ones in file order.
    """
    wanted_by_pack: dict[str, set[str]] = {}
    for pack_id, question_id in due:
        wanted_by_pack.setdefault(pack_id, set()).add(question_id)
    out: dict[Key, tuple[Pack, Question]] = {}
    everything = selection.everything
    for pack in {p.id: p for p in packs}.values():
        qs = pack.questions
        ids = [q.id for q in qs]
        wanted = wanted_by_pack.get(pack.id, set())
        if offer_unseen:
            unseen = set(ids)
            unseen.difference_update(seen.get(pack.id, ()))
            wanted |= unseen
        if not wanted:
            continue
        for i in compress(range(len(ids)), map(wanted.__contains__, ids)):
            q = qs[i]
            if everything or selection.selects(q):
                out[(pack.id, q.id)] = (pack, q)
    return out


def study_queue(questions: Mapping[Key, tuple[Pack, Question]], cards: Mapping[Key, CardRow], now: datetime,
                day_end: datetime, new_limit: int, limit: int | None, rng: random.Random | None = None) -> Queue:
    """Normal: due learning cards, then due reviews (most overdue first) with new cards mixed in.

    With ``rng``, the day's new cards are drawn interleaved across sources and events
    (:func:`new_card_order`) and ordered so that ones that give each other away are
    spread apart (:func:`~nkstudy.core.study.planning.spread`); without it, in pack order.
    """
    keys: Iterable[Key] = questions
    if rng is not None:
        seen = [k for k in questions if k in cards]
        new = new_card_order(questions, (k for k in questions if k not in cards), rng)[:max(0, new_limit)]
        giveaways = GiveAways(questions)
        keys = [*seen, *spread(new, giveaways, near=giveaways.near)]
    plan = plan_queue(keys, {k: (r.state, r.due) for k, r in cards.items()},
                      now.timestamp(), day_end.timestamp(), new_limit, limit)
    return Queue(plan.learning_now, plan.main, plan.learning_later)


def practice_queue(keys: Iterable[Key], cards: Mapping[Key, CardRow], now: datetime, day_end: datetime,
                   planner: Planner, rng: random.Random, limit: int | None, *, named: bool = False) -> Queue:
    """Practice: cards that are not due, weakest first, then unseen ones in random order.

    ``named``: the questions were asked for by id (the missed ones, a passage, an event),
    so every one of them is practised, due or not.
    """
    seen: list[tuple[float, Key]] = []
    unseen: list[Key] = []
    now_ts, end_ts = now.timestamp(), day_end.timestamp()
    for key in keys:
        row = cards.get(key)
        if row is None:
            unseen.append(key)
        elif named or ((row.due >= end_ts) if row.state == State.Review else (row.due > now_ts)):
            seen.append((planner.retrievability(row.to_card(), now), key))
    rng.shuffle(unseen)
    seen.sort(key=lambda t: t[0])
    main = [k for _r, k in seen] + unseen
    return Queue([], main[:limit] if limit is not None else main, [])
