"""Statistics over plain rows: counts, accuracy by pack, source and tag, forecast,
retention, streak and mastery.  Pure: the engine fetches the rows, this adds them up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import compress, count, islice, repeat
from operator import not_

from fsrs import State

from nkstudy.core.model import Pack
from nkstudy.core.study.planning import plan_queue, streak_days
from nkstudy.core.study.progress import CardRow, Key
from nkstudy.core.study.results import PackOverview, Stats, StudyCounts, Tally
from nkstudy.core.study.schedule import Planner

#: mastery = mean predicted recall this far ahead (unseen questions count 0)
MASTERY_HORIZON = timedelta(days=30)
FORECAST_DAYS = 14

#: one row of the review log grouped by pack, source and tags: (pack, source, tags, right, answers, ms)
ReviewGroup = tuple[str, str, str, int, int, int]


def _seen(pack: Pack, cards: Mapping[Key, CardRow]) -> list[bool]:
    """For each question of ``pack``, in order: whether it has a card (one C-level pass)."""
    if not cards:  # a new profile
        return [False] * len(pack.questions)
    return list(map(cards.__contains__, zip(repeat(pack.id), [q.id for q in pack.questions])))


def study_counts(pack: Pack, cards: Mapping[Key, CardRow], now: datetime, day_end: datetime,
                 new_limit: int, hidden: AbstractSet[Key] = frozenset()) -> StudyCounts:
    """What a normal session over ``pack`` would show now (the queue is planned as the session plans it).

    ``hidden`` cards (suspended, or buried until later) take no part.  Learning cards count
    as due only once they are due: one that comes back in ten minutes is ``later``.
    """
    now_ts, end_ts = now.timestamp(), day_end.timestamp()
    # Planned from the questions that can enter the queue, in pack order: those with a card due
    # before the day ends, and the first new_limit without a card.  The others take no part, so
    # the plan is the one of every question, without a Python step per question at 100,000.
    seen = _seen(pack, cards)
    pack_id, qs = pack.id, pack.questions
    unseen: Iterable[int] = compress(count(), map(not_, seen))
    if hidden:
        unseen = (i for i in unseen if (pack_id, qs[i].id) not in hidden)
    positions = list(islice(unseen, max(0, new_limit)))
    due_cards: dict[Key, tuple[int, float]] = {}
    for i in compress(count(), seen):
        key = (pack_id, qs[i].id)
        row = cards[key]
        if row.due < end_ts and key not in hidden:
            due_cards[key] = (row.state, row.due)
            positions.append(i)
    positions.sort()
    keys = [(pack_id, qs[i].id) for i in positions]
    plan = plan_queue(keys, due_cards, now_ts, end_ts, new_limit)
    new = sum(1 for k in plan.main if k not in cards)
    return StudyCounts(pack.id, new, len(plan.learning_now), len(plan.main) - new, len(plan.learning_later))


def upcoming(packs: Sequence[Pack], cards: Mapping[Key, CardRow], hidden: AbstractSet[Key], now: datetime,
             day_end: datetime, next_day_end: datetime) -> tuple[datetime | None, int]:
    """(when the next card not due yet falls due, how many cards fall due on the next study day).

    Hidden cards (suspended, buried) are left out; None when no card is scheduled after ``now``.
    """
    now_ts, end_ts, next_ts = now.timestamp(), day_end.timestamp(), next_day_end.timestamp()
    first: float | None = None
    tomorrow = 0
    for pack in packs:
        for q in pack.questions:
            key = (pack.id, q.id)
            row = cards.get(key)
            if row is None or key in hidden or row.due <= now_ts:
                continue
            first = row.due if first is None else min(first, row.due)
            tomorrow += end_ts <= row.due < next_ts
    return (datetime.fromtimestamp(first, UTC) if first is not None else None), tomorrow


def pack_overview(pack: Pack, cards: Mapping[Key, CardRow], counts: StudyCounts, planner: Planner,
                  now: datetime) -> PackOverview:
    """Cards by state and mastery; what is due comes from ``counts``."""
    learning = review = 0
    recall = 0.0
    for q in compress(pack.questions, _seen(pack, cards)):  # in pack order: the same sum
        row = cards[(pack.id, q.id)]
        if row.state == State.Review:
            review += 1
        else:
            learning += 1
        recall += planner.retrievability(row.to_card(), now + MASTERY_HORIZON)
    total = len(pack.questions)
    return PackOverview(pack.id, pack.title, total, total - learning - review, learning, review, counts,
                        recall / total if total else 0.0)


def daily_reviews(buckets: Iterable[tuple[float, int, int]], day_of: Callable[[float], date]) -> dict[date, int]:
    """Answers per study day, from (bucket start ts, answers, right) rows."""
    out: dict[date, int] = {}
    for ts, n, _right in buckets:
        day = day_of(ts)
        out[day] = out.get(day, 0) + n
    return out


def forecast(packs: Sequence[Pack], cards: Mapping[Key, CardRow], day_ends: Sequence[float]) -> list[int]:
    """Cards due by the end of each study day (``day_ends``, today first; overdue counts today)."""
    out = [0] * len(day_ends)
    for pack in packs:
        for q in pack.questions:
            row = cards.get((pack.id, q.id))
            if row is None:
                continue
            for i, edge in enumerate(day_ends):
                if row.due < edge:
                    out[i] += 1
                    break
    return out


@dataclass(frozen=True)
class Accuracy:
    reviews: int
    right: int
    time_ms: int
    by_pack: dict[str, Tally]
    by_source: dict[str, Tally]
    by_tag: dict[str, Tally]


def accuracy(groups: Iterable[ReviewGroup]) -> Accuracy:
    """Answers, right answers and time, overall and by pack, by "pack/source" and by tag.

    A question that cites no source counts under its pack and tags only.
    """
    by_pack: dict[str, list[int]] = {}
    by_source: dict[str, list[int]] = {}
    by_tag: dict[str, list[int]] = {}
    reviews = right = time_ms = 0
    for pack_id, source_id, tags, r, n, ms in groups:
        reviews += n
        right += r
        time_ms += ms
        sourced = ((by_source, f"{pack_id}/{source_id}"),) if source_id else ()  # uncited: under no source
        for bucket, key in ((by_pack, pack_id), *sourced, *((by_tag, tag) for tag in tags.split())):
            tally = bucket.setdefault(key, [0, 0])
            tally[0] += r
            tally[1] += n

    def done(d: dict[str, list[int]]) -> dict[str, Tally]:
        return {k: (v[0], v[1]) for k, v in sorted(d.items())}

    return Accuracy(reviews, right, time_ms, done(by_pack), done(by_source), done(by_tag))


def build_stats(*, profile: str, acc: Accuracy, overviews: Sequence[PackOverview], due_now: int,
                forecast_counts: list[int], daily: Mapping[date, int], today: date,
                retention: tuple[int, int]) -> Stats:
    """The whole :class:`Stats` from its aggregated parts."""
    passed, total = retention
    year_ago = today - timedelta(days=365)
    return Stats(
        profile=profile,
        reviews=acc.reviews,
        right=acc.right,
        accuracy=acc.right / acc.reviews if acc.reviews else None,
        reviews_today=daily.get(today, 0),
        time_ms=acc.time_ms,
        accuracy_by_pack=acc.by_pack,
        accuracy_by_source=acc.by_source,
        accuracy_by_tag=acc.by_tag,
        new=sum(o.new for o in overviews),
        learning=sum(o.learning for o in overviews),
        review=sum(o.review for o in overviews),
        due_now=due_now,
        forecast=forecast_counts,
        daily_reviews={d: n for d, n in daily.items() if d > year_ago},
        retention=passed / total if total else None,
        streak_days=streak_days(daily, today),
        mastery={o.pack_id: o.mastery for o in overviews},
        studied_days=len(daily),
    )
