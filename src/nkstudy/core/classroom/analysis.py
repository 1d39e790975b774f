"""Item analysis of a drill's results, as Moodle's quiz statistics give it.

Pure: it reads :class:`~nkstudy.core.classroom.drill.DrillResult` rows from anywhere
(the database, result files) and returns figures.

Each sitting of the drill (an *attempt*: a profile may sit a drill twice) is
one *student* here.  Every question of the drill is worth one mark; a question
a student did not answer, or not reach, counts as wrong.

* **facility**: the share of students who got the question right
  (right / students).
* **discrimination index**: (right in the upper group - right in the lower
  group) / group size, where the upper and lower groups are the top and bottom
  27% of students by score.  The group size is 27% of the students rounded to
  the nearest whole number (halves up), at least 1; with fewer than 2 students
  there is no index (None).  **Ties**: students tied on the score at a group's
  edge share the places left in that group equally (each counts as a fraction
  of a student), so the index never depends on the order rows arrive in or on
  names.  When every student has the same score the index is 0.
* **distractors** (choice and multi questions): how many students picked each
  option; a multi answer counts once for every option it picked.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from nkstudy.core.classroom.drill import DrillItem, DrillResult, picked_options

GROUP_SHARE = Fraction(27, 100)
Key = tuple[str, str]  # (pack id, question id)


@dataclass(frozen=True)
class StudentScore:
    """One sitting's result."""

    profile: str
    attempt: str
    score: int
    total: int
    answered: int
    seconds: float


@dataclass(frozen=True)
class ItemStats:
    """One question's figures.  ``options`` is None for questions without distractors."""

    position: int
    pack_id: str
    question_id: str
    students: int
    answered: int
    right: int
    facility: float | None
    discrimination: float | None
    options: dict[str, int] | None

    @property
    def key(self) -> Key:
        return (self.pack_id, self.question_id)

    @property
    def missed(self) -> int:
        return self.students - self.right


@dataclass(frozen=True)
class Analysis:
    students: tuple[StudentScore, ...]
    items: tuple[ItemStats, ...]
    group_size: int  # of the upper and of the lower group; 0 when there are fewer than 2 students

    def most_missed(self, limit: int = 5) -> list[ItemStats]:
        """Questions some student missed, the most missed first (then in drill order)."""
        missed = [i for i in self.items if i.missed > 0]
        missed.sort(key=lambda i: (-i.missed, i.position))
        return missed[:limit]

    def item(self, key: Key) -> ItemStats:
        for i in self.items:
            if i.key == key:
                return i
        raise KeyError(key)


def group_size(students: int) -> int:
    """The size of the upper and of the lower group: 27% rounded half up, at least 1 (0 below 2 students)."""
    if students < 2:
        return 0
    return max(1, int(GROUP_SHARE * students + Fraction(1, 2)))


def group_weights(scores: Sequence[int], size: int, *, top: bool) -> list[Fraction]:
    """Each student's share of the upper (``top``) or lower group of ``size``; ties at the edge share equally."""
    weights = [Fraction(0)] * len(scores)
    left = Fraction(size)
    levels = sorted(set(scores), reverse=top)
    for level in levels:
        if left <= 0:
            break
        tied = [i for i, s in enumerate(scores) if s == level]
        share = min(Fraction(1), left / len(tied))
        for i in tied:
            weights[i] = share
        left -= share * len(tied)
    return weights


def _dedupe(results: Iterable[DrillResult]) -> list[DrillResult]:
    seen: set[tuple[str, str, str]] = set()
    out: list[DrillResult] = []
    for r in results:
        k = (r.attempt, r.pack_id, r.question_id)
        if k not in seen:
            seen.add(k)
            out.append(r)
    return out


def analyse(results: Iterable[DrillResult], items: Sequence[DrillItem] | None = None, *,
            sittings: Iterable[tuple[str, str]] = ()) -> Analysis:
    """Per-student and per-question figures for one drill's ``results``.

    ``items`` (from :func:`~nkstudy.core.classroom.drill.select`) fixes the drill's
    questions, their order and each question's options; results for other
    questions are then ignored.  Without it the questions are those answered,
    in position order, and the options those picked.  A sitting answering the
    same question twice counts its first answer.  ``sittings``: (profile, attempt)
    of sittings that count even without an answer (the seats of a live drill):
    each is a student, every question wrong.
    """
    rows = _dedupe(results)
    codes = {r.code for r in rows}
    if len(codes) > 1:
        raise ValueError(f"results of {len(codes)} drills cannot be analysed together: {', '.join(sorted(codes))}")

    # the questions, in drill order, with their options (None: no distractor analysis)
    order: list[Key] = []
    position: dict[Key, int] = {}
    options: dict[Key, list[str] | None] = {}
    if items is not None:
        for it in items:
            order.append(it.key)
            position[it.key] = it.position
            has_options = picked_options(it.question, None) is not None
            options[it.key] = list(it.options) if has_options else None
    else:
        for r in sorted(rows, key=lambda r: (r.position, r.pack_id, r.question_id)):
            if r.key not in position:
                order.append(r.key)
                position[r.key] = r.position
                options[r.key] = None
            if r.picked is not None:
                opts = options[r.key]
                if opts is None:
                    opts = options[r.key] = []
                opts.extend(p for p in r.picked if p not in opts)
    known = set(order)
    rows = [r for r in rows if r.key in known]

    # the students (sittings), by profile, then by when they started
    attempts: dict[str, list[DrillResult]] = {}
    names: dict[str, str] = {}
    for r in rows:
        attempts.setdefault(r.attempt, []).append(r)
        names.setdefault(r.attempt, r.profile)
    for profile, attempt in sittings:
        attempts.setdefault(attempt, [])
        names.setdefault(attempt, profile)
    attempts = dict(sorted(  # a sitting without an answer comes after the same profile's others
        attempts.items(),
        key=lambda kv: (names[kv[0]].casefold(), names[kv[0]], (0, min(r.at for r in kv[1])) if kv[1] else (1,),
                        kv[0]),
    ))
    students = tuple(
        StudentScore(
            profile=names[attempt],
            attempt=attempt,
            score=sum(1 for r in rs if r.correct),
            total=len(order),
            answered=sum(1 for r in rs if r.answered),
            seconds=float(sum(r.seconds or 0.0 for r in rs)),
        )
        for attempt, rs in attempts.items()
    )
    n = len(students)
    size = group_size(n)
    scores = [s.score for s in students]
    upper = group_weights(scores, size, top=True) if size else [Fraction(0)] * n
    lower = group_weights(scores, size, top=False) if size else [Fraction(0)] * n
    index = {s.attempt: i for i, s in enumerate(students)}

    stats: list[ItemStats] = []
    for key in order:
        answers = [r for r in rows if r.key == key]
        right = sum(1 for r in answers if r.correct)
        counts: dict[str, int] | None = None
        if options[key] is not None:
            counts = {o: 0 for o in options[key] or ()}
            for r in answers:
                for p in r.picked or ():
                    counts[p] = counts.get(p, 0) + 1
        discrimination: float | None = None
        if size:
            hi = sum((upper[index[r.attempt]] for r in answers if r.correct), Fraction(0))
            lo = sum((lower[index[r.attempt]] for r in answers if r.correct), Fraction(0))
            discrimination = float((hi - lo) / size)
        stats.append(ItemStats(
            position=position[key],
            pack_id=key[0],
            question_id=key[1],
            students=n,
            answered=sum(1 for r in answers if r.answered),
            right=right,
            facility=float(Fraction(right, n)) if n else None,
            discrimination=discrimination,
            options=counts,
        ))
    return Analysis(students, tuple(stats), size)


__all__ = ["Analysis", "ItemStats", "StudentScore", "analyse", "group_size", "group_weights"]
