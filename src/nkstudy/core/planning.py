"""Planning that needs no database: the study day, the order of a session's queue, the streak.

Everything here is pure; the current time is always passed in.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any, TypeVar

LEARNING, REVIEW, RELEARNING = 1, 2, 3  # fsrs.State values
LEARN_AHEAD = timedelta(minutes=20)  # as Anki: show a learning card early rather than stop

K = TypeVar("K", bound=Hashable)


def local(dt: datetime, tz: tzinfo | None) -> datetime:
    """``dt`` in ``tz``, or in the system's local zone when ``tz`` is None."""
    return dt.astimezone(tz) if tz is not None else dt.astimezone()


def study_day(dt: datetime, tz: tzinfo | None, starts_hour: int = 4) -> date:
    """The study day ``dt`` belongs to: days roll over at ``starts_hour`` local time."""
    return (local(dt, tz) - timedelta(hours=starts_hour)).date()


def day_start(day: date, tz: tzinfo | None, starts_hour: int = 4) -> datetime:
    """When study day ``day`` begins, as an aware datetime."""
    naive = datetime.combine(day, time(starts_hour))
    if tz is None:
        return naive.astimezone()
    return naive.replace(tzinfo=tz)


def day_bounds(now: datetime, tz: tzinfo | None, starts_hour: int = 4) -> tuple[datetime, datetime]:
    """(start, end) of the study day containing ``now``."""
    today = study_day(now, tz, starts_hour)
    return day_start(today, tz, starts_hour), day_start(today + timedelta(days=1), tz, starts_hour)


@dataclass(frozen=True)
class Planned:
    """A session's starting queue."""

    learning_now: list[Any]  # keys of learning/relearning cards due now, earliest first
    main: list[Any]  # due reviews (most overdue first) with new cards mixed in
    learning_later: list[tuple[float, Any]]  # (due ts, key) of learning cards due later today


def mix(reviews: Sequence[K], new: Sequence[K]) -> list[K]:
    """Spread ``new`` evenly through ``reviews`` (Anki's "mix new cards and reviews")."""
    if not reviews or not new:
        return [*reviews, *new]
    keyed = [((i + 0.5) / len(reviews), 0, k) for i, k in enumerate(reviews)]
    keyed += [((j + 0.5) / len(new), 1, k) for j, k in enumerate(new)]
    keyed.sort(key=lambda t: (t[0], t[1]))
    return [k for _pos, _kind, k in keyed]


def plan_queue(
    candidates: Iterable[K],
    cards: Mapping[K, tuple[int, float]],
    now_ts: float,
    day_end_ts: float,
    new_limit: int,
    limit: int | None = None,
) -> Planned:
    """Order a session's cards.

    ``candidates`` are the questions in pack order; ``cards`` maps a seen
    question to its (fsrs state, due epoch seconds).  Due learning and
    relearning cards come first, then reviews due today, most overdue first,
    with up to ``new_limit`` new cards mixed in.  ``limit`` caps the total.
    """
    learning_now: list[tuple[float, K]] = []
    learning_later: list[tuple[float, K]] = []
    reviews: list[tuple[float, K]] = []
    new: list[K] = []
    for key in candidates:
        info = cards.get(key)
        if info is None:
            if len(new) < new_limit:
                new.append(key)
            continue
        state, due = info
        if state == REVIEW:
            if due < day_end_ts:
                reviews.append((due, key))
        elif due <= now_ts:
            learning_now.append((due, key))
        elif due < day_end_ts:
            learning_later.append((due, key))
    learning_now.sort(key=lambda t: t[0])
    reviews.sort(key=lambda t: t[0])
    learning_later.sort(key=lambda t: t[0])
    first = [k for _d, k in learning_now]
    main = mix([k for _d, k in reviews], new)
    if limit is not None:
        first = first[:limit]
        main = main[: max(0, limit - len(first))]
    return Planned(first, main, learning_later)


def streak_days(days: Iterable[date], today: date) -> int:
    """Consecutive study days ending today, or yesterday when today has none yet."""
    have = set(days)
    day = today if today in have else today - timedelta(days=1)
    count = 0
    while day in have:
        count += 1
        day -= timedelta(days=1)
    return count
