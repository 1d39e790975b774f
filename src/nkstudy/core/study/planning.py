"""Planning that needs no database: the study day, the order of a session's queue, the streak.

Everything here is pure; the current time is always passed in.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any, TypeVar

LEARNING, REVIEW, RELEARNING = 1, 2, 3  # fsrs.State values
LEARN_AHEAD = timedelta(minutes=20)  # as Anki: show a learning card early rather than stop
#: two questions that give each other away are never this close (or closer) in a session:
#: at least this many other cards come between them when the queue has anything else to show
SPACING = 6

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


def interleave(groups: Sequence[Sequence[K]], rng: random.Random) -> list[K]:
    """Take one item from each group in turn (the groups in an order drawn from ``rng``).

    Each group keeps its own order; a group that runs out drops out of the round.
    """
    order = list(range(len(groups)))
    rng.shuffle(order)
    columns = [groups[i] for i in order]
    out: list[K] = []
    depth = max((len(g) for g in columns), default=0)
    for row in range(depth):
        out.extend(g[row] for g in columns if row < len(g))
    return out


def pick_spaced(candidates: Sequence[K], recent: Sequence[K], related: Callable[[K, K], bool],
                gap: int = SPACING, *, near: Callable[[Sequence[K]], Callable[[K], bool]] | None = None,
                fits_only: bool = False) -> int | None:
    """The index of the first candidate that is related to none of the last ``gap`` of ``recent``.

    ``candidates`` are in priority order (the best first) and ``recent`` are the
    cards shown so far, the latest last.  A card is never compared with itself.
    When every candidate is related to a recent card, the one (of the first
    2 × ``gap`` + 1) whose latest related card (or own showing) lies furthest back is
    taken, the first of those on a tie: the queue has nothing else to show.  None when
    there are no candidates (or, with ``fits_only``, when none fits).
    """
    if not candidates:
        return None
    window = list(recent[-gap:]) if gap > 0 else []
    if near is not None:  # the same test, with the window's side worked out once
        gives_away = near(window)
        found = next((index for index, key in enumerate(candidates) if not gives_away(key)), None)
    else:
        found = next((index for index, key in enumerate(candidates)
                      if not any(r != key and related(r, key) for r in window)), None)
    if found is not None or fits_only:
        return found

    span = range(min(len(candidates), 2 * gap + 1))  # the best few only
    if near is not None:  # the first that fits the longest run of the latest cards
        for size in range(len(window) - 1, 0, -1):
            suffix = window[-size:]
            gives, shown = near(suffix), set(suffix)
            fits = next((index for index in span if candidates[index] not in shown
                         and not gives(candidates[index])), None)
            if fits is not None:
                return fits
        return 0

    def latest(key: K) -> int:  # the place in the window of the latest card related to key (or key itself)
        return max((at for at, r in enumerate(window) if r == key or related(r, key)), default=-1)

    return min(span, key=lambda index: (latest(candidates[index]), index))


def space_out(keys: Sequence[K], related: Callable[[K, K], bool], gap: int = SPACING) -> list[K]:
    """``keys`` reordered so that related ones are more than ``gap`` apart where possible.

    Greedy and stable: at each place the earliest remaining key that fits is
    taken, so an order such as "most overdue first" is kept wherever spacing
    allows.  Deterministic: the same input gives the same order.
    """
    remaining = list(keys)
    out: list[K] = []
    while remaining:
        index = pick_spaced(remaining, out, related, gap)
        assert index is not None
        out.append(remaining.pop(index))
    return out


def spread(keys: Sequence[K], related: Callable[[K, K], bool], gap: int = SPACING,
           near: Callable[[Sequence[K]], Callable[[K], bool]] | None = None) -> list[K]:
    """``keys`` in an order that keeps related ones more than ``gap`` apart wherever it can.

    Only the first :data:`SPREAD_LIMIT` keys are ordered this careful (quadratic) way, which is
    more than any session or drill asks in one sitting; the keys after them follow
    (:func:`_spaced_tail`), each place taking the first of the next :data:`TAIL_SCAN` keys that
    fits, so a huge list (a new-card limit of 100,000) costs seconds, never hours.  ``near``:
    a faster ``window -> (key -> related to any of window)`` test for that tail
    (:meth:`nkstudy.core.study.pacing.GiveAways.near`); by default built from ``related``.

    For cards whose order is free (new ones): at each place, of the keys that fit,
    the one with the most related keys still to place is taken (the earliest on a
    tie), so that large clusters are spread through the whole order instead of
    being left bunched at the end, and one that leaves no key to fit the next place is
    avoided.  Then each pair still too close is mended, where it can be, by swapping
    one of its cards with another (:func:`_mend`).  The result is never closer than the
    stable order of :func:`space_out`.  Quadratic: meant for a day's new cards.
    """
    if len(keys) > SPREAD_LIMIT:
        head = spread(keys[:SPREAD_LIMIT], related, gap)
        return head + _spaced_tail(keys[SPREAD_LIMIT:], head, near or _near_by(related), gap)
    remaining = list(keys)
    links: dict[int, set[int]] = {i: set() for i in range(len(remaining))}
    for i in range(len(remaining)):  # the relation goes both ways: each pair is asked once
        for j in range(i + 1, len(remaining)):
            if related(remaining[i], remaining[j]):
                links[i].add(j)
                links[j].add(i)
    if all(len(linked) == len(remaining) - 1 for linked in links.values()):
        return remaining  # one cluster: every order is as close as any other (questions all on one passage)
    left = set(range(len(remaining)))
    degree = {i: len(links[i]) for i in left}  # how many keys still to place each key is related to
    placed: list[int] = []
    while left:
        window = placed[-gap:] if gap > 0 else []
        fitting = [i for i in sorted(left) if not any(i in links[w] for w in window)]
        pool = fitting or sorted(left)
        stays = window[1:] if len(window) >= gap else window  # the next place's window, less i
        blocked = set().union(*(links[w] for w in stays))

        look = len(left) <= LOOK_LIMIT
        free = left - blocked if look else set()
        best = max(pool, key=lambda i: (not look or len(left) == 1 or _leaves_a_fit(i, free, links),
                                        degree[i], -i))
        placed.append(best)
        left.discard(best)
        for j in links[best]:
            degree[j] -= 1
    if len(placed) <= MEND_LIMIT:
        _mend(placed, links, gap)
        stable = space_out(list(range(len(remaining))), lambda a, b: b in links[a], gap)
        if _closeness(stable, links, gap) < _closeness(placed, links, gap):
            placed = stable
    return [remaining[i] for i in placed]


def _near_by(related: Callable[[K, K], bool]) -> Callable[[Sequence[K]], Callable[[K], bool]]:
    def near(window: Sequence[K]) -> Callable[[K], bool]:
        return lambda key: any(w != key and related(w, key) for w in window)
    return near


def _spaced_tail(keys: Sequence[K], before: Sequence[K], near: Callable[[Sequence[K]], Callable[[K], bool]],
                 gap: int) -> list[K]:
    """``keys`` placed after ``before``: at each place the first of the next :data:`TAIL_SCAN` keys
    not related to the last ``gap`` placed (the first of them when none fits).  Linear."""
    pending = list(reversed(keys))  # the next key to place is at the end
    out: list[K] = []
    while pending:
        if gap <= 0:
            window: list[K] = []
        elif len(out) >= gap:
            window = out[-gap:]
        else:
            window = [*before[max(0, len(before) - (gap - len(out))):], *out]
        gives = near(window)
        pick = len(pending) - 1
        for k in range(len(pending) - 1, max(-1, len(pending) - 1 - TAIL_SCAN), -1):
            if not gives(pending[k]):
                pick = k
                break
        out.append(pending.pop(pick))
    return out


def _closeness(order: Sequence[int], links: Mapping[int, set[int]], gap: int) -> int:
    """How close related pairs of ``order`` are: for each pair at most ``gap`` apart, ``gap`` + 1 less its distance."""
    return sum(gap + 1 - (j - i) for j in range(len(order)) for i in range(max(0, j - gap), j)
               if order[i] in links[order[j]])


def _leaves_a_fit(i: int, free: set[int], links: Mapping[int, set[int]]) -> bool:
    """True when, with ``i`` placed next, some key still fits the place after it.

    ``free``: the keys left that the rest of the window does not block.  Some key other than
    ``i`` and not linked to it is among them (a key is never linked to itself)."""
    return len(free) - len(free & links[i]) - (i in free) > 0


#: :func:`spread` orders at most this many keys its careful way; the rest follow, spaced greedily
SPREAD_LIMIT = 400
#: how many of the keys still to place :func:`_spaced_tail` looks at for each place
TAIL_SCAN = 32
#: :func:`spread` mends orders of at most this many keys (each pass is quadratic)
MEND_LIMIT = 300
#: :func:`spread` looks one place ahead while at most this many keys are left to place
LOOK_LIMIT = 300
MEND_ROUNDS = 8


def _mend(order: list[int], links: Mapping[int, set[int]], gap: int) -> None:
    """Swap cards of ``order`` (in place) while a swap lowers the closeness of related pairs.

    Closeness counts, for each related pair less than ``gap`` + 1 apart, how much closer
    than that it is.  Deterministic: positions are tried first to last.
    """
    if gap <= 0:
        return
    size = len(order)

    def cost_at(pos: int) -> int:
        key = order[pos]
        return sum(gap + 1 - abs(pos - other) for other in range(max(0, pos - gap), min(size, pos + gap + 1))
                   if other != pos and order[other] in links[key])

    for _round in range(MEND_ROUNDS):
        changed = False
        for j in range(size):
            if not cost_at(j):
                continue
            for k in range(size):
                if k == j:
                    continue
                before = cost_at(j) + cost_at(k)
                order[j], order[k] = order[k], order[j]
                if cost_at(j) + cost_at(k) < before:
                    changed = True
                    break
                order[j], order[k] = order[k], order[j]
        if not changed:
            return


def streak_days(days: Iterable[date], today: date) -> int:
    """Consecutive study days ending today, or yesterday when today has none yet."""
    have = set(days)
    day = today if today in have else today - timedelta(days=1)
    count = 0
    while day in have:
        count += 1
        day -= timedelta(days=1)
    return count
