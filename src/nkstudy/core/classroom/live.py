"""Live, teacher-paced class mode: its phases, its points and its leaderboard.  Pure: no I/O, no clock.

The teacher's projector (the host) holds one :class:`LiveState` per drill code
in the shared store; every student's process reads it a few times a second
and shows a question only while the host asks it.

Phases::

    waiting ──next──▶ asking ──time up / everyone answered / next──▶ reveal ──next──▶ asking (next question)
                        │  ▲                                                  └──next (last question)──▶ ended
                 pause  ▼  │ resume
                       paused
    skip: from asking, paused or reveal straight to the next question (nobody's answer is lost);
    end: from any phase to ended.

Points (the leaderboard): a right answer earns 500 points, plus up to 500
more for speed: ``500 × (time left ÷ time allowed)`` when it came in, rounded;
so 1000 for an instant right answer, 750 for one at half time, 500 at the
buzzer.  A wrong answer, "don't know" or no answer earns 0.  Ties on points
are broken by more questions answered (so a student who was there and tried
comes before one who was away), then by fewer seconds in all, then by name.

Seats: every student's process says it is there (``seen``) at least every
:data:`HEARTBEAT` seconds while it reads the drill.  A seat not seen for
:data:`AWAY_SECONDS` is *away*: it no longer holds up the reveal, the projector
shows it as away, and its name may be taken back by a browser visitor (see
:func:`may_retake`).

Absences: every question the teacher asked (and did not skip) counts for every
student who joined, as one mark of the drill's total.  A question a student
did not answer because they were away, or had not joined yet, is *unanswered*
(no points, wrong in the score), exactly as a "don't know": :func:`absences`
makes those rows when results are read, for the report, the gradebook, the
board, the projector and the student's own end screen alike.

Not asked: once the teacher has ended a live drill, the questions after the
last one asked (:func:`not_asked`) count for nobody, as if the drill had been
that long: they are out of every score and total, like those skipped.  While
the drill runs, the questions still to come are part of it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from nkstudy.core.classroom.drill import DrillItem, DrillResult, picked_options

WAITING, ASKING, REVEAL, PAUSED, ENDED = "waiting", "asking", "reveal", "paused", "ended"
PHASES = (WAITING, ASKING, REVEAL, PAUSED, ENDED)
BASE_POINTS = 500
SPEED_POINTS = 500
DEFAULT_SECONDS = 20.0
HEARTBEAT = 2.0  # seconds between a seat's "still here" writes
AWAY_SECONDS = 10.0  # a seat not seen for this long is away


@dataclass(frozen=True)
class LiveState:
    """Where a live drill stands.  ``position`` is the 1-based question asked (0: none yet).

    ``asked_at`` and ``deadline`` are epoch seconds (the wall clock every process
    shares); ``left`` holds the seconds that were left when the host paused.
    """

    code: str
    position: int = 0
    phase: str = WAITING
    asked_at: float | None = None
    deadline: float | None = None
    left: float | None = None

    def __post_init__(self) -> None:
        if self.phase not in PHASES:
            raise ValueError(f"unknown live phase {self.phase!r}")

    @property
    def allowed(self) -> float | None:
        """Seconds the question has in all (None: untimed)."""
        if self.deadline is None or self.asked_at is None:
            return None
        return self.deadline - self.asked_at

    @property
    def open(self) -> bool:
        """True while answers to the current question are taken."""
        return self.phase == ASKING

    def remaining(self, now: float) -> float | None:
        """Seconds left to answer (paused: as they were at the pause; None: not timed or not asking)."""
        if self.phase == PAUSED:
            return self.left
        if self.phase != ASKING or self.deadline is None:
            return None
        return max(self.deadline - now, 0.0)


def ask(state: LiveState, position: int, now: float, seconds: float | None) -> LiveState:
    """Ask question ``position`` now, for ``seconds`` (None: until the teacher moves on)."""
    return replace(state, position=position, phase=ASKING, asked_at=now,
                   deadline=None if seconds is None else now + seconds, left=None)


def advance(state: LiveState, total: int, now: float, seconds: float | None) -> LiveState:
    """The teacher's "next": start, reveal the answer, or ask the next question (ended after the last)."""
    if state.phase == ENDED:
        return state
    if state.phase in (ASKING, PAUSED):
        return replace(state, phase=REVEAL, left=None)
    if state.position >= total:
        return replace(state, phase=ENDED, left=None)
    return ask(state, state.position + 1, now, seconds)


def skip(state: LiveState, total: int, now: float, seconds: float | None) -> LiveState:
    """Leave the current question unrevealed and ask the next (ended after the last)."""
    if state.phase == ENDED:
        return state
    if state.position >= total:
        return replace(state, phase=ENDED, left=None)
    return ask(state, state.position + 1, now, seconds)


def toggle_pause(state: LiveState, now: float) -> LiveState:
    """Pause the question being asked (its clock stops), or resume it with the time it had left."""
    if state.phase == ASKING:
        return replace(state, phase=PAUSED, left=state.remaining(now))
    if state.phase == PAUSED:
        if state.left is None or state.deadline is None or state.asked_at is None:
            return replace(state, phase=ASKING, left=None)
        shift = now + state.left - state.deadline  # the pause: the question's clock picks up where it stopped
        return replace(state, phase=ASKING, asked_at=state.asked_at + shift, deadline=state.deadline + shift,
                       left=None)
    return state


def end(state: LiveState) -> LiveState:
    return replace(state, phase=ENDED, left=None)


def settle(state: LiveState, now: float, answered: int, joined: int) -> LiveState:
    """Reveal on its own when the time is up, or when every student who joined (and is here) has answered."""
    if state.phase != ASKING:
        return state
    if (state.deadline is not None and now >= state.deadline) or (joined > 0 and answered >= joined):
        return replace(state, phase=REVEAL)
    return state


@dataclass(frozen=True)
class Seat:
    """One student who joined: their sitting, and when their process was last seen (epoch seconds)."""

    profile: str
    attempt: str
    seen: float
    joined: float | None = None  # epoch seconds (None: not known)

    def away(self, now: float) -> bool:
        return now - self.seen >= AWAY_SECONDS


def waiting_on(seats: Iterable[Seat], answered: Iterable[str], now: float) -> tuple[int, int]:
    """(how many seats that are here have answered, how many are here): what :func:`settle` counts.

    ``answered``: the attempts that answered the question asked.  A seat away
    does not hold up the reveal, whether or not it answered.
    """
    done = set(answered)
    here = [s for s in seats if not s.away(now)]
    return sum(1 for s in here if s.attempt in done), len(here)


#: how every surface (report, board) lists a live drill's questions that count for nobody
SKIPPED = "Skipped by the teacher"  # skipped before its reveal
NOT_ASKED = "Not asked before the teacher ended the drill"  # after the question the drill ended on


def closed(state: LiveState | None) -> int:
    """How many questions, from the first, the class can no longer answer: those before the one
    asked, and that one too once it is revealed or the drill has ended."""
    if state is None:
        return 0
    return state.position if state.phase in (REVEAL, ENDED) else max(state.position - 1, 0)


@dataclass(frozen=True)
class Roll:
    """What a live drill's store says beyond the answers: who joined, how far the class got, what was skipped.

    Empty for a drill that was never run live.
    """

    seats: tuple[Seat, ...] = ()
    asked: int = 0  # :func:`closed` of the drill's state
    skipped: frozenset[int] = field(default_factory=frozenset)  # skipped unrevealed: they count for nobody
    open: int = 0  # the question being asked or paused, still taking answers (0: none)
    ended: bool = False  # the teacher ended the drill (or it went past its last question)

    @classmethod
    def of(cls, seats: Iterable[Seat], state: LiveState | None, skipped: Iterable[int] = ()) -> Roll:
        """``state`` None: no teacher ever opened the drill live, so it was not run live; whoever joined
        (waiting for a projector that never came) is not a sitting."""
        if state is None:
            return cls(skipped=frozenset(skipped))
        taking = state.position if state.phase in (ASKING, PAUSED) else 0
        return cls(tuple(seats), closed(state), frozenset(skipped), taking, state.phase == ENDED)

    def sittings(self) -> list[tuple[str, str]]:
        """(profile, attempt) of every seat: each is a sitting, answers or not."""
        return [(seat.profile, seat.attempt) for seat in self.seats]


def last_asked(roll: Roll, results: Iterable[DrillResult], *, code: str) -> int | None:
    """Once live drill ``code`` has ended: the last question it asked (those after it were never asked);
    None while it runs, and for a drill never run live.

    The last asked is the one the drill ended on, or any later one a seated student answered (a host
    that restarted may have lost count)."""
    if not roll.ended:
        return None
    attempts = {seat.attempt for seat in roll.seats}
    return max([roll.asked, *(r.position for r in results if r.attempt in attempts and r.code == code)])


def not_asked(roll: Roll, results: Iterable[DrillResult], positions: Iterable[int], *, code: str) -> frozenset[int]:
    """Of ``positions``, the questions the class was never asked because the teacher ended the drill
    before them (:func:`last_asked`): they count for nobody.  Empty while the drill runs."""
    last = last_asked(roll, results, code=code)
    if last is None:
        return frozenset()
    return frozenset(p for p in positions if p > last and p not in roll.skipped)


def left_out(roll: Roll, results: Iterable[DrillResult], positions: Iterable[int], *, code: str) -> frozenset[int]:
    """Of ``positions``, those that count for nobody: skipped by the teacher, or never asked (:func:`not_asked`)."""
    return frozenset(roll.skipped) | not_asked(roll, results, positions, code=code)


def absences(roll: Roll, results: Iterable[DrillResult], *, code: str,
             items: Iterable[DrillItem] = ()) -> list[DrillResult]:
    """An unanswered row for each question a seat of ``roll`` has no answer to, though the class was asked it.

    Asked: the first ``roll.asked`` questions, and any a seated student answered (a
    host that restarted may have lost count), less the one still open and those skipped.  ``items`` name
    each question; without them, the answers given do (a question nobody answered
    and with no item is left out).  Rows of ``results`` from sittings without a seat
    (a drill sat outside the live class) are not looked at.
    """
    attempts = {seat.attempt for seat in roll.seats}
    rows = [r for r in results if r.attempt in attempts and r.code == code]
    keys = {i.position: i.key for i in items}
    for r in rows:
        keys.setdefault(r.position, r.key)
    asked = (set(range(1, roll.asked + 1)) | {r.position for r in rows}) - {roll.open} - set(roll.skipped)
    done = {(r.attempt, r.position) for r in rows}
    out: list[DrillResult] = []
    for seat in roll.seats:
        at = datetime.fromtimestamp(seat.joined if seat.joined is not None else seat.seen, UTC)
        for position in sorted(asked):
            if position in keys and (seat.attempt, position) not in done:
                pack_id, question_id = keys[position]
                out.append(DrillResult(seat.profile, seat.attempt, code, position, pack_id, question_id, answer="",
                                       picked=None, correct=False, seconds=None, at=at, answered=False,
                                       absent=True))
    return out


def counted(roll: Roll, results: Iterable[DrillResult], *, code: str,
            items: Iterable[DrillItem] = ()) -> list[DrillResult]:
    """The answers that count: ``results`` and the :func:`absences`, without the questions skipped
    or never asked (:func:`not_asked`)."""
    rows = list(results)
    items = list(items)
    rows += absences(roll, rows, code=code, items=items)
    out = left_out(roll, rows, [*(i.position for i in items), *(r.position for r in rows)], code=code)
    return [r for r in rows if r.position not in out] if out else rows


def may_retake(seen: float, now: float, same_client: bool) -> bool:
    """May a new visitor take back a seat last seen at ``seen``?  From the client that held it, at once;
    from anywhere else, once it has been away :data:`AWAY_SECONDS`.  (Two live processes never share a
    name: the door refuses a name a running visitor holds, whatever this says.)"""
    return same_client or now - seen >= AWAY_SECONDS


def points(result: DrillResult, allowed: float | None) -> int:
    """The points ``result`` earns (see the module's rule); ``allowed``: seconds the question had (None: untimed)."""
    if not (result.answered and result.correct):
        return 0
    if not allowed or result.seconds is None:
        return BASE_POINTS + (SPEED_POINTS if not allowed else 0)
    share = max(0.0, min(1.0, 1.0 - result.seconds / allowed))
    return BASE_POINTS + round(SPEED_POINTS * share)


@dataclass(frozen=True)
class Standing:
    """One line of the leaderboard."""

    rank: int
    profile: str
    points: int
    right: int
    seconds: float
    answered: int = 0  # questions they gave an answer to ("don't know", a time-out and away are not answers)


def leaderboard(results: Iterable[DrillResult], allowed: float | None) -> list[Standing]:
    """Every student's points, best first (ties: more questions answered, then fewer seconds, then name);
    one sitting per profile counts.  Students equal on points, answers and seconds share a rank."""
    per: dict[str, tuple[int, int, float, int]] = {}
    seen: set[tuple[str, int]] = set()
    for r in results:
        if (r.profile, r.position) in seen:
            continue
        seen.add((r.profile, r.position))
        got, right, secs, answered = per.get(r.profile, (0, 0, 0.0, 0))
        per[r.profile] = (got + points(r, allowed), right + int(r.answered and r.correct),
                          secs + (r.seconds or 0.0), answered + int(r.answered))
    standings = [Standing(0, name, got, right, round(secs, 3), answered)
                 for name, (got, right, secs, answered) in per.items()]
    standings.sort(key=lambda s: (-s.points, -s.answered, s.seconds, s.profile.casefold(), s.profile))
    out: list[Standing] = []
    for i, s in enumerate(standings):
        tied = bool(out) and (out[-1].points, out[-1].answered, out[-1].seconds) == (s.points, s.answered, s.seconds)
        out.append(replace(s, rank=out[-1].rank if tied else i + 1))
    return out


@dataclass(frozen=True)
class Share:
    """One bar of the answer distribution: an answer, how many gave it, and whether it is right."""

    label: str
    count: int
    right: bool


NO_ANSWER = "(no answer)"


def right_options(item: DrillItem) -> tuple[str, ...]:
    """The right options of ``item`` in display order (empty for questions without options)."""
    q = item.question
    right = set(picked_options(q, getattr(q, "answer", None)) or ())
    return tuple(o for o in item.options if o in right)


def distribution(results: Sequence[DrillResult], options: Sequence[str], right_options: Iterable[str] = (),
                 limit: int = 6) -> list[Share]:
    """How the class answered one question: each option in display order (choice and multi),
    or else the most common answers (at most ``limit``), then the unanswered."""
    right_set = set(right_options)
    counts: Counter[str] = Counter()
    right_answers: set[str] = set()
    unanswered = 0
    for r in results:
        if not r.answered:
            unanswered += 1
        elif r.picked is not None:
            counts.update(r.picked)
        else:
            counts[r.answer] += 1
            if r.correct:
                right_answers.add(r.answer)
    if options and (right_set or any(r.picked is not None for r in results)):  # choice and multi
        shares = [Share(o, counts.get(o, 0), o in right_set) for o in options]
    else:
        shares = [Share(a, n, a in right_answers) for a, n in counts.most_common(limit)]
    if unanswered:
        shares.append(Share(NO_ANSWER, unanswered, False))
    return shares


__all__ = [
    "ASKING", "AWAY_SECONDS", "BASE_POINTS", "DEFAULT_SECONDS", "ENDED", "HEARTBEAT", "NOT_ASKED", "NO_ANSWER",
    "PAUSED", "PHASES", "REVEAL", "SKIPPED", "SPEED_POINTS", "WAITING", "LiveState", "Roll", "Seat", "Share",
    "Standing", "absences", "advance", "ask", "closed", "counted", "distribution", "end", "last_asked", "leaderboard",
    "left_out", "may_retake", "not_asked", "points", "right_options", "settle", "skip", "toggle_pause", "waiting_on",
]
