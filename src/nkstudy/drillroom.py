"""Drills for the app and the command line: a student's sitting, its timers, and the teacher's board.

The engine-level facade for classroom drills, as :mod:`nkstudy.engine` is for
study.  It wires :mod:`nkstudy.core.classroom.drill` (selection, grading) to
:mod:`nkstudy.store.drills` (results in the progress database and in result
files).  A drill writes only drill results: never a card or a review, so the
spaced-repetition schedule and ``stats`` stay as they were.

No Textual, no Rich.  The wall clock (for the time stamp of each answer) and
the monotonic clock (for timers) are injected.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from nkstudy.core.classroom.analysis import analyse
from nkstudy.core.classroom.drill import DrillItem, DrillResult, DrillSpec, new_attempt_id, result_of, select
from nkstudy.core.classroom.live import Roll, counted, left_out
from nkstudy.core.classroom.responses import encode
from nkstudy.core.model import Pack, Response, Source
from nkstudy.store.db import Store, StoreError, locate
from nkstudy.store.drills import (
    drill_codes,
    open_existing,
    record_result,
    results_for,
    write_results_file,
)
from nkstudy.store.live import roll

__all__ = [
    "MAX_NAME",
    "Answered",
    "Board",
    "BoardQuestion",
    "BoardReader",
    "BoardRow",
    "Drill",
    "Limits",
    "Sitting",
    "StoreError",
    "clean_name",
    "open_drill",
]

MAX_NAME = 64
# bidirectional marks and overrides: they reorder what follows them on screen
_BIDI = {"\u061c", "\u200e", "\u200f", *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))}


def clean_name(text: str) -> str:
    """A profile name typed by a student: trimmed, 1 to 64 characters, no control characters.

    ValueError (one line, saying what to do) otherwise.
    """
    name = (text or "").strip()
    if not name:
        raise ValueError("type your name")
    if len(name) > MAX_NAME:
        raise ValueError(f"a name has at most {MAX_NAME} characters; shorten it")
    for ch in name:
        if unicodedata.category(ch) == "Cc" or ch in _BIDI or ch in "\u2028\u2029":
            raise ValueError(f"a name cannot hold the control character U+{ord(ch):04X}; type letters and digits")
    return name


@dataclass(frozen=True)
class Drill:
    """A drill ready to sit: its code, its items in drill order, and the packs they come from."""

    spec: DrillSpec
    items: tuple[DrillItem, ...]
    packs: tuple[Pack, ...]

    @property
    def code(self) -> str:
        return self.spec.format()

    def source(self, item: DrillItem) -> Source | None:
        """The source ``item``'s question cites (None when its pack lacks it)."""
        for pack in self.packs:
            if pack.id == item.pack_id:
                return pack.source_of(item.question)
        return None


def open_drill(spec: DrillSpec, packs: Sequence[Pack]) -> Drill:
    """The drill ``spec`` names, over the packs at hand; ValueError when it cannot be sat here."""
    items = tuple(select(spec, packs))
    wanted = set(spec.pack_ids)
    return Drill(spec, items, tuple(p for p in packs if p.id in wanted))


@dataclass(frozen=True)
class Limits:
    """Timers: ``total`` seconds for the whole drill, ``per_question`` seconds for each question (None: none)."""

    total: float | None = None
    per_question: float | None = None

    def __post_init__(self) -> None:
        for name, value in (("time limit", self.total), ("time per question", self.per_question)):
            if value is not None and not value > 0:
                raise ValueError(f"the {name} must be more than 0")

    @property
    def timed(self) -> bool:
        return self.total is not None or self.per_question is not None

    def left(self, started: float, asked: float, now: float) -> float | None:
        """Seconds left to answer the question asked at ``asked`` of a drill started at ``started``.

        The smaller of what is left of the whole drill and of this question;
        None when nothing is timed.  May be negative (time is up).
        """
        lefts = []
        if self.total is not None:
            lefts.append(started + self.total - now)
        if self.per_question is not None:
            lefts.append(asked + self.per_question - now)
        return min(lefts) if lefts else None

    def drill_over(self, started: float, now: float) -> bool:
        """True when the whole drill's time is up."""
        return self.total is not None and now >= started + self.total


@dataclass(frozen=True)
class Answered:
    """What a sitting hands back after an answer."""

    item: DrillItem
    result: DrillResult
    next: DrillItem | None


class Tally:
    """A student's answers to one drill counted up: what a sitting, a live seat and its outcome share."""

    drill: Drill
    results: Sequence[DrillResult]

    @property
    def right(self) -> int:
        return sum(1 for r in self.results if r.correct)

    @property
    def seconds(self) -> float:
        return float(sum(r.seconds or 0.0 for r in self.results))

    def missed(self) -> list[tuple[DrillItem, DrillResult]]:
        """Each question answered wrong, not answered, or timed out, in drill order."""
        return [(self.drill.items[r.position - 1], r) for r in sorted(self.results, key=lambda r: r.position)
                if not r.correct]


class Sitting(Tally):
    """One student sitting one drill: each answer is committed before the next question.

    Answers go to the progress database in ``data_dir`` (drill results only),
    and, with ``results_file``, to that result file as well (rewritten whole
    after each answer).  Not thread-safe: one worker at a time.
    """

    def __init__(self, drill: Drill, data_dir: Path, profile: str, *, clock: Callable[[], datetime],
                 results_file: Path | None = None, attempt: str | None = None, db: str | None = None) -> None:
        self.drill = drill
        self.profile = clean_name(profile)
        self.clock = clock
        self.results_file = results_file
        self.attempt = attempt or new_attempt_id()
        self.results: list[DrillResult] = []
        self.store = Store(locate(Path(data_dir), db))

    @property
    def code(self) -> str:
        return self.drill.code

    def on_wait(self, callback: Callable[[bool], None] | None) -> None:
        """Call ``callback(True)`` when an answer waits for a database that went away, ``(False)`` when it is in.

        Called from the thread that is sending the answer.
        """
        self.store.backend.on_wait = callback

    @property
    def total(self) -> int:
        return len(self.drill.items)

    @property
    def current(self) -> DrillItem | None:
        """The question to answer now (None: the drill is over)."""
        done = len(self.results)
        return self.drill.items[done] if done < self.total else None

    @property
    def finished(self) -> bool:
        return self.current is None

    def answer(self, response: Response, *, seconds: float | None, raw: str | None = None) -> Answered:
        """Grade and commit ``response`` to the current question (None: don't know, or time up).

        ``raw``: text the student typed that could not be understood; it is
        kept as their answer, answered and wrong.
        """
        item = self.current
        if item is None:
            raise ValueError("the drill is over: there is no question to answer")
        result = result_of(item, None if raw is not None else response, code=self.code, profile=self.profile,
                           attempt=self.attempt, seconds=None if seconds is None else round(max(seconds, 0.0), 3),
                           at=self.clock())
        if raw is not None:
            result = replace(result, answer=raw, answered=True, response=encode(None, unparsed=raw))
        record_result(self.store, result)
        self.results.append(result)
        if self.results_file is not None:
            write_results_file(self.results_file, self.code, self.results)
        return Answered(item, result, self.current)

    def close(self) -> None:
        self.store.close()


# -- the board ---------------------------------------------------------------
@dataclass(frozen=True)
class BoardRow:
    """One sitting: ``done`` questions gone through of ``total``, ``answered`` of them, ``score`` right.

    *Answered* means one thing everywhere (board, report, JSON): the student gave
    an answer; "don't know", a time-out and a question not reached are not answered.
    *Done* counts every question gone through, answered or not.
    """

    profile: str
    attempt: str
    sitting: int  # 1 for a profile's first sitting of this drill, 2 for its second, ...
    done: int
    total: int
    score: int
    answered: int = 0

    @property
    def finished(self) -> bool:
        return self.done >= self.total


@dataclass(frozen=True)
class BoardQuestion:
    """One question: of the ``done`` sittings that went through it, ``answered`` answered, ``right`` rightly."""

    position: int
    question_id: str
    prompt: str | None  # None when the pack is not installed here
    done: int
    right: int
    answered: int = 0
    skipped: bool = False  # skipped unrevealed by the teacher of a live drill: counts for nobody
    not_asked: bool = False  # a live drill's teacher ended it before asking this: counts for nobody

    @property
    def left_out(self) -> bool:
        return self.skipped or self.not_asked

    @property
    def share(self) -> float | None:
        return self.right / self.done if self.done and not self.left_out else None


@dataclass(frozen=True)
class Board:
    """What the teacher's board shows at one moment."""

    code: str | None  # None: no drill results yet
    rows: tuple[BoardRow, ...] = ()
    questions: tuple[BoardQuestion, ...] = ()
    note: str | None = None
    results: int = 0  # answers that count (not to skipped questions), those asked while a seat was away included

    @property
    def skipped(self) -> tuple[BoardQuestion, ...]:
        return tuple(q for q in self.questions if q.skipped)

    @property
    def not_asked(self) -> tuple[BoardQuestion, ...]:
        return tuple(q for q in self.questions if q.not_asked)


@dataclass
class BoardReader:
    """Reads the board of drill ``code`` (default: the most recently answered drill) from ``data_dir``.

    Only reads: the database is not created when missing, and no profile is
    added.  Keep one reader and call :meth:`read` as often as you like; each
    read sees every answer committed before it (SQLite WAL).
    """

    data_dir: Path
    code: str | None
    packs: Sequence[Pack] = ()
    db: str | None = None  # a postgresql:// URL or an SQLite file, instead of the data folder's file
    _store: Store | None = field(default=None, init=False, repr=False)
    _items: dict[str, tuple[list[DrillItem] | None, str | None]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.code is not None:
            self.code = DrillSpec.parse(self.code).format()

    def read(self) -> Board:
        if self._store is None:
            self._store = open_existing(self.data_dir, self.db)
            if self._store is None:
                return Board(self.code, note=f"waiting: no progress database yet in {self.data_dir}")
        code = self.code
        if code is None:
            codes = drill_codes(self._store)
            if not codes:
                return Board(None, note="waiting for the first answer of a drill")
            code = codes[0]
        return self._board(code, results_for(self._store, code), roll(self._store, code))

    def _drill_items(self, code: str) -> tuple[list[DrillItem] | None, str | None]:
        if code not in self._items:
            try:
                self._items[code] = (select(DrillSpec.parse(code), self.packs), None)
            except ValueError as exc:
                self._items[code] = (None, f"{exc}; showing question ids only")
        return self._items[code]

    def _board(self, code: str, results: Iterable[DrillResult], live: Roll) -> Board:
        """The board, counted as the report counts: in a live drill, a question the teacher skipped or
        never asked (the drill ended first) is for nobody, and one asked while a seat was away is
        unanswered (every seat is a sitting, answers or not)."""
        found = list(results)
        every, note = self._drill_items(code)
        rows = counted(live, found, code=code, items=every or ())
        length = max([DrillSpec.parse(code).count, *(r.position for r in found)]) if every is None else len(every)
        out = left_out(live, found, range(1, length + 1), code=code)
        items = None if every is None else [i for i in every if i.position not in out]
        analysis = analyse(rows, items, sittings=live.sittings())
        total = length - len(out)
        done: dict[str, int] = {}
        per_question: dict[tuple[str, str], list[DrillResult]] = {}
        seen: set[tuple[str, str, str]] = set()
        for r in rows:
            if (r.attempt, *r.key) in seen:
                continue
            seen.add((r.attempt, *r.key))
            done[r.attempt] = done.get(r.attempt, 0) + 1
            per_question.setdefault(r.key, []).append(r)
        sittings: dict[str, int] = {}
        board_rows = []
        for s in analysis.students:
            sittings[s.profile] = sittings.get(s.profile, 0) + 1
            board_rows.append(BoardRow(s.profile, s.attempt, sittings[s.profile], done.get(s.attempt, 0),
                                       total, s.score, s.answered))
        prompts = {i.key: i.question.prompt for i in every} if every is not None else {}
        questions = [
            BoardQuestion(i.position, i.question_id, prompts.get(i.key), len(per_question.get(i.key, [])),
                          i.right, i.answered)
            for i in analysis.items
        ]
        named = {i.position: i.key for i in every or ()}
        for r in found:
            named.setdefault(r.position, r.key)
        questions += [BoardQuestion(p, named[p][1], prompts.get(named[p]), 0, 0, skipped=p in live.skipped,
                                    not_asked=p not in live.skipped)
                      for p in sorted(out) if p in named]
        return Board(code, tuple(board_rows), tuple(sorted(questions, key=lambda q: q.position)), note, len(seen))

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
