"""What the engine hands to the app and the command line: plain, frozen results.

One module for every result type, so the CLI, the app and the tests name the
same classes.  No I/O here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from fsrs import Rating

from nkstudy.core.model import Question, Source


@dataclass(frozen=True)
class StudyCounts:
    """What studying a pack now would show (as Anki's New / Learn / Due)."""

    pack_id: str
    new: int  # new cards it would introduce, within what is left of today's limit (shared by all packs)
    learning: int  # learning and relearning cards due now
    due: int  # review cards due today
    later: int  # learning cards that come back later today (a session shows them up to 20 minutes early)

    @property
    def now(self) -> int:
        """Cards waiting now: learning plus due (new ones not counted).  This is "due now" everywhere."""
        return self.learning + self.due


@dataclass(frozen=True)
class PackOverview:
    """A pack's cards by state, what is due (from :class:`StudyCounts`), and its mastery."""

    pack_id: str
    title: str
    total: int
    new: int  # cards never answered
    learning: int  # cards in learning or relearning
    review: int  # cards in review
    counts: StudyCounts
    mastery: float  # 0..1: mean predicted recall in 30 days over the pack's questions (unseen count 0)

    @property
    def due(self) -> int:
        return self.counts.now


@dataclass(frozen=True)
class TodaySummary:
    reviews: int
    right: int
    accuracy: float | None
    streak_days: int
    due_now: int
    #: when the next card falls due (None: no card is scheduled), and the cards due tomorrow
    next_due: datetime | None = None
    tomorrow: int = 0


@dataclass(frozen=True)
class ProfileSummary:
    name: str
    answers: int
    last_day: date | None  # the study day of the last answer


@dataclass(frozen=True)
class CurrentItem:
    """The question a session is asking."""

    pack_id: str
    question: Question
    shown: tuple[str, ...]  # choices in display order
    index: int  # 1-based position in this session
    #: answered + this + still queued + cards that come back later today (a wrong answer, or a new
    #: card in its learning steps): so it grows by one when an answer sends a card back for today
    total: int
    is_new: bool


@dataclass(frozen=True)
class AnswerOutcome:
    """A graded, saved answer: what the feedback shows and what the rating bar offers."""

    pack_id: str
    question: Question
    correct: bool
    response_text: str
    rating: Rating
    allowed: tuple[Rating, ...]  # the ratings this answer may be given (the rating rule)
    intervals: dict[Rating, timedelta]  # the next interval each rating gives (practice: not applied)
    source: Source | None  # None: the question cites no source
    practice: bool
    close: bool = False  # right with a one-letter slip ("close spelling"); rated Hard by default
    #: typed answers: the accepted answer the response is nearest to, to show what differs (else None)
    expected: str | None = None
    #: a wrong typed answer the learner may override as right ("I was right")
    overridable: bool = False
    overridden: bool = False  # the learner overrode the grade: counted right
    leech: bool = False  # this answer made the card a leech: it is suspended
    suspended: bool = False  # the card is suspended (by the learner, or as a leech)
    buried: bool = False  # the card is buried until the next study day
    flagged: bool = False


@dataclass(frozen=True)
class SessionScore:
    answered: int
    right: int
    wrong: int
    streak: int
    best_streak: int
    accuracy: float | None
    elapsed: timedelta
    #: cards still to show: queued, plus those that come back later today (see ``CurrentItem.total``);
    #: ``answered + left`` (+1 while a question is being asked) is the session's total
    left: int = 0
    overridden: int = 0  # answers the learner overrode as right (counted in ``right``)


#: (right, total) answers
Tally = tuple[int, int]


@dataclass(frozen=True)
class Stats:
    profile: str
    reviews: int
    right: int
    accuracy: float | None
    reviews_today: int
    time_ms: int  # total response time recorded
    accuracy_by_pack: dict[str, Tally]  # id -> (right, total)
    accuracy_by_source: dict[str, Tally]  # "pack/source" -> (right, total)
    accuracy_by_tag: dict[str, Tally]
    new: int
    learning: int
    review: int
    due_now: int
    forecast: list[int]  # cards due on each of the next 14 study days (today first, overdue included)
    daily_reviews: dict[date, int]  # answers per study day, last 365 days
    retention: float | None  # true retention: share of scheduled reviews of review cards answered right
    streak_days: int
    mastery: dict[str, float]  # pack id -> 0..1
    studied_days: int = 0

    def to_json(self) -> dict[str, Any]:
        def acc(d: dict[str, Tally]) -> dict[str, dict[str, Any]]:
            return {k: {"right": r, "total": t, "accuracy": (r / t if t else None)} for k, (r, t) in d.items()}

        return {
            "profile": self.profile,
            "reviews": self.reviews,
            "right": self.right,
            "accuracy": self.accuracy,
            "reviews_today": self.reviews_today,
            "time_ms": self.time_ms,
            "accuracy_by_pack": acc(self.accuracy_by_pack),
            "accuracy_by_source": acc(self.accuracy_by_source),
            "accuracy_by_tag": acc(self.accuracy_by_tag),
            "due_now": self.due_now,
            "new": self.new,
            "learning": self.learning,
            "review": self.review,
            "forecast": list(self.forecast),
            "daily_reviews": {d.isoformat(): n for d, n in sorted(self.daily_reviews.items())},
            "retention": self.retention,
            "streak_days": self.streak_days,
            "studied_days": self.studied_days,
            "mastery": dict(self.mastery),
        }
