"""Live, teacher-paced drills: the host's controls and a student's seat, over the shared progress database.

The facade for ``nkstudy live`` (the projector) and ``nkstudy drill --live``
(a student), as :mod:`nkstudy.drillroom` is for drills at each student's pace.
The host writes where the drill stands (:mod:`nkstudy.store.live`); students
read it a few times a second and answer the question being asked.  Answers are
drill results like any others (``drill_results``, raw responses kept), so
``nkstudy report`` and ``nkstudy board`` cover a live drill as any drill.

The rules (phases, points, leaderboard) are :mod:`nkstudy.core.classroom.live`.
No Textual, no Rich; the wall clock is injected.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from nkstudy.core.classroom import live as rules
from nkstudy.core.classroom.drill import DrillItem, DrillResult, new_attempt_id, result_of
from nkstudy.core.classroom.live import LiveState, Share, Standing
from nkstudy.core.classroom.responses import encode
from nkstudy.core.model import Response, Source
from nkstudy.drillroom import Drill, Tally, clean_name
from nkstudy.store.db import Store, locate
from nkstudy.store.drills import record_result, results_for
from nkstudy.store.live import answered_by, load_state, mark_skipped, roll, save_state, seats, take_seat, touch

__all__ = ["LiveHost", "LiveOutcome", "LiveSeat", "LiveView", "class_results"]


@dataclass(frozen=True)
class LiveView:
    """What the projector shows at one moment."""

    state: LiveState
    total: int
    item: DrillItem | None  # the question asked or revealed (None: waiting, or ended)
    source: Source | None
    joined: tuple[str, ...]
    answered: int  # answers to the current question (from everyone who joined, away or not)
    remaining: float | None  # seconds left to answer (None: not asking, or untimed)
    shares: tuple[Share, ...] = ()  # the answer distribution, once revealed
    standings: tuple[Standing, ...] = ()  # the leaderboard, once revealed or ended
    results: int = 0  # answers in all
    away: tuple[str, ...] = ()  # who joined but has not been seen for a while (they do not hold up the reveal)


class LiveHost:
    """The teacher's side of a live drill: moves it on, and reads how the class is doing.

    Opens (creating when missing) the progress database: ``db`` (a ``postgresql://`` URL or an
    SQLite file), else the one in ``data_dir``.
    ``seconds``: time for each question (None: until the teacher moves on).
    Each method does database work: call them from a worker thread.
    """

    def __init__(self, drill: Drill, data_dir: Path, *, clock: Callable[[], datetime],
                 seconds: float | None = rules.DEFAULT_SECONDS, db: str | None = None) -> None:
        self.drill = drill
        self.clock = clock
        self.seconds = seconds
        self.store = Store(locate(Path(data_dir), db))
        self._lock = threading.Lock()  # one move at a time (the app reads and acts from worker threads)
        try:
            found = load_state(self.store, drill.code)
            # a host that restarts goes on where the drill stood; an ended drill stays ended (its report with it:
            # started again, its questions never asked would count again, and a second run's against the first)
            self.state = found if found is not None else LiveState(drill.code)
            self._save()
        except BaseException:
            self.store.close()  # now, not whenever the collector frees it (in any thread)
            raise

    @property
    def total(self) -> int:
        return len(self.drill.items)

    def _now(self) -> float:
        return self.clock().timestamp()

    def _save(self) -> LiveState:
        save_state(self.store, self.state, self._now())
        return self.state

    def _asking(self, before: LiveState) -> None:
        """A question asked (again, after a restart) is no longer a skipped one."""
        if self.state.phase == rules.ASKING and self.state.position != before.position:
            mark_skipped(self.store, self.drill.code, self.state.position, False)

    def next(self) -> LiveState:
        """Start, reveal the answer, or ask the next question; the drill ends after the last."""
        before = self.state
        self.state = rules.advance(before, self.total, self._now(), self.seconds)
        self._asking(before)
        return self._save()

    def skip(self) -> LiveState:
        """Ask the next question without revealing this one: the report leaves an unrevealed question out."""
        before = self.state
        if before.phase in (rules.ASKING, rules.PAUSED) and before.position:
            mark_skipped(self.store, self.drill.code, before.position, True)
        self.state = rules.skip(before, self.total, self._now(), self.seconds)
        self._asking(before)
        return self._save()

    def pause(self) -> LiveState:
        """Pause the question asked, or resume it."""
        self.state = rules.toggle_pause(self.state, self._now())
        return self._save()

    def end(self) -> LiveState:
        self.state = rules.end(self.state)
        return self._save()

    def act(self, how: str | None) -> LiveView:
        """Move the drill on (``how``: "next", "skip", "pause" or "end"; None: nothing) and return how it stands."""
        with self._lock:
            moves = {"next": self.next, "skip": self.skip, "pause": self.pause, "end": self.end}
            if how is not None:
                if how not in moves:
                    raise ValueError(f"unknown live move {how!r}")
                moves[how]()
            return self.view()

    def view(self) -> LiveView:
        """How the drill stands now; reveals the answer on its own when time is up or everyone answered."""
        s = self.state
        now = self._now()
        everyone = seats(self.store, self.drill.code)
        joined = tuple(seat.profile for seat in everyone)
        away = tuple(seat.profile for seat in everyone if seat.away(now))
        done = answered_by(self.store, self.drill.code, s.position) if s.position else set()
        answered = sum(1 for seat in everyone if seat.attempt in done)
        settled = rules.settle(s, now, *rules.waiting_on(everyone, done, now))
        if settled != s:
            self.state = settled
            s = self._save()
        item = self.drill.items[s.position - 1] if 0 < s.position <= self.total else None
        shares: tuple[Share, ...] = ()
        standings: tuple[Standing, ...] = ()
        results = results_for(self.store, self.drill.code)
        if s.phase in (rules.REVEAL, rules.ENDED):
            # as the report counts them: skipped questions for nobody, one asked while a seat was away unanswered
            counted = class_results(self.store, self.drill, results)
            if item is not None:
                mine = [r for r in counted if r.position == item.position]
                shares = tuple(rules.distribution(mine, item.options, rules.right_options(item)))
            standings = tuple(rules.leaderboard(counted, self.seconds))
        return LiveView(s, self.total, item if s.phase != rules.ENDED else None,
                        self.drill.source(item) if item is not None else None, joined, answered,
                        s.remaining(self._now()), shares, standings, len(results), away)

    def close(self) -> None:
        self.store.close()


def class_results(store: Store, drill: Drill, results: list[DrillResult] | None = None) -> list[DrillResult]:
    """Every answer to live drill ``drill`` that counts (``results``: its answers, when already read), with
    a question asked while a seat was away as unanswered and those skipped left out
    (:func:`nkstudy.core.classroom.live.counted`)."""
    found = results_for(store, drill.code) if results is None else results
    return rules.counted(roll(store, drill.code), found, code=drill.code, items=drill.items)


@dataclass(frozen=True)
class LiveOutcome(Tally):
    """A student's live drill as it ended, without the questions the teacher skipped unrevealed or never
    asked (what :func:`nkstudy.present.drill_summary` shows)."""

    drill: Drill
    results: tuple[DrillResult, ...]
    total: int


class LiveSeat(Tally):
    """One student in a live drill: joins (or rejoins, keeping their answers) and answers what is asked."""

    def __init__(self, drill: Drill, data_dir: Path, profile: str, *, clock: Callable[[], datetime],
                 db: str | None = None) -> None:
        self.drill = drill
        self.profile = clean_name(profile)
        self.clock = clock
        self.store = Store(locate(Path(data_dir), db))
        try:
            self.attempt = take_seat(self.store, drill.code, self.profile, new_attempt_id(), clock())
            # names compare without case: a student back as "ANN" is in ann's seat, under its spelling
            self.profile = next((seat.profile for seat in seats(self.store, drill.code)
                                 if seat.attempt == self.attempt), self.profile)
            self.results: list[DrillResult] = [r for r in results_for(self.store, drill.code, self.profile)
                                               if r.attempt == self.attempt]
        except BaseException:
            self.store.close()
            raise
        self._seen = clock().timestamp()
        self.left_out: frozenset[int] = frozenset()  # skipped or never asked: read once the drill has ended
        self.counted: tuple[DrillResult, ...] | None = None  # this seat's answers that count: read at the end
        self._last: LiveState | None = None  # the last state read before the end
        self.timed_out: set[int] = set()  # positions whose time was up before this seat answered (this run)

    @property
    def code(self) -> str:
        return self.drill.code

    @property
    def total(self) -> int:
        return len(self.drill.items)

    def state(self) -> LiveState | None:
        """Where the drill stands (None: the teacher has not opened it yet); says this seat is still here."""
        self._here()
        state = load_state(self.store, self.drill.code)
        if state is not None and state.phase != rules.ENDED:
            self._last = state
        elif state is not None and self.counted is None:
            self._time_up(state)
            found = roll(self.store, self.code)
            answers = results_for(self.store, self.code)
            self.left_out = rules.left_out(found, answers, (i.position for i in self.drill.items), code=self.code)
            self.counted = tuple(r for r in rules.counted(found, answers, code=self.code, items=self.drill.items)
                                 if r.attempt == self.attempt)
        return state

    def _time_up(self, ended: LiveState) -> None:
        """The teacher ended the drill on a question this seat was shown and had not answered: its time is
        up, as at a reveal (unanswered, not away).  A seat that never read the question stays away for it."""
        last = self._last
        if last is None or last.phase not in (rules.ASKING, rules.PAUSED) or last.position != ended.position:
            return
        item = self.item(last)
        if item is not None and not self.answered(item.position):
            self.answer(item, last, None, time_up=True)

    def _here(self, *, now: float | None = None) -> None:
        """Tell the host this seat is here (at most every HEARTBEAT seconds), so it is not counted away."""
        now = self.clock().timestamp() if now is None else now
        if now - self._seen >= rules.HEARTBEAT or now < self._seen:
            touch(self.store, self.drill.code, self.attempt, now)
            self._seen = now

    def item(self, state: LiveState) -> DrillItem | None:
        return self.drill.items[state.position - 1] if 0 < state.position <= self.total else None

    def answered(self, position: int) -> bool:
        return any(r.position == position for r in self.results)

    def answer(self, item: DrillItem, state: LiveState, response: Response | None, *,
               raw: str | None = None, time_up: bool = False) -> DrillResult | None:
        """Commit an answer to ``item`` (None: don't know, or with ``time_up`` the time ran out); None when
        it was answered already."""
        if self.answered(item.position):
            return None
        at = self.clock()
        seconds = None if state.asked_at is None else round(max(at.timestamp() - state.asked_at, 0.0), 3)
        if state.deadline is not None and seconds is not None and state.asked_at is not None:
            seconds = min(seconds, round(state.deadline - state.asked_at, 3))
        result = result_of(item, None if raw is not None else response, code=self.code, profile=self.profile,
                           attempt=self.attempt, seconds=seconds, at=at)
        if raw is not None:
            result = replace(result, answer=raw, answered=True, response=encode(None, unparsed=raw))
        self._here(now=at.timestamp())
        if record_result(self.store, result):
            self.results.append(result)
            if time_up:
                self.timed_out.add(item.position)
            return result
        return None

    def outcome(self) -> LiveOutcome:
        """This student's drill as the report counts it, once the drill has ended: without the questions
        skipped or never asked, and with those asked while they were away as unanswered (before the end:
        their answers)."""
        if self.counted is None:
            return LiveOutcome(self.drill, tuple(self.results), self.total)
        return LiveOutcome(self.drill, self.counted, self.total - len(self.left_out))

    def standing(self, seconds: float | None) -> Standing | None:
        """This student's line of the leaderboard, as the projector shows it."""
        for s in rules.leaderboard(class_results(self.store, self.drill), seconds):
            if s.profile == self.profile:
                return s
        return None

    def close(self) -> None:
        self.store.close()
