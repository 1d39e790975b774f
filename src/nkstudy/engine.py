"""The study engine: the one facade the app and the command line call.

It joins the packs (core), scheduling (``fsrs``, via core.schedule), sessions
(core.session) and the progress store (store).  No Textual, no Rich.

Paths and the clock are injected: ``Engine(data_dir, profile, packs,
clock=..., tz=..., fuzz=..., seed=...)``.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from fsrs import Rating, State

from nkstudy.core.model import Pack, Question, Source
from nkstudy.core.schedule import (
    Card,
    Planner,
    Settings,
    card_from_row,
    format_interval,
    intervals,
)
from nkstudy.core.session import (
    LEARN_AHEAD,
    ScoreKeeper,
    day_bounds,
    plan_queue,
    streak_days,
    study_day,
)
from nkstudy.store.db import DB_NAME, CardRow, ReviewRow, Store, StoreError

__all__ = [
    "AnswerOutcome", "CurrentItem", "Engine", "PackOverview", "Rating", "SessionScore", "Settings",
    "Stats", "StoreError", "StudyCounts", "StudySession", "TodaySummary", "format_interval",
]

Key = tuple[str, str]  # (pack id, question id)
MAX_PROFILE_NAME = 64
#: mastery = mean predicted recall this far ahead (unseen questions count 0)
MASTERY_HORIZON = timedelta(days=30)


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class PackOverview:
    pack_id: str
    title: str
    total: int
    new: int
    learning: int
    review: int
    due: int
    mastery: float  # 0..1: mean predicted recall in 30 days over the pack's questions (unseen count 0)


@dataclass(frozen=True)
class StudyCounts:
    """What studying a pack now would show (as Anki's New / Learn / Due)."""

    pack_id: str
    new: int  # new cards it would introduce, within what is left of today's limit (shared by all packs)
    learning: int  # learning and relearning cards due now or within the learn-ahead window
    due: int  # review cards due today
    later: int  # learning cards that come back later today

    @property
    def now(self) -> int:
        """Cards waiting now: learning plus due (new ones not counted)."""
        return self.learning + self.due


@dataclass(frozen=True)
class TodaySummary:
    reviews: int
    right: int
    accuracy: float | None
    streak_days: int
    due_now: int


@dataclass(frozen=True)
class CurrentItem:
    pack_id: str
    question: Question
    shown: tuple[str, ...]  # choices in display order
    index: int  # 1-based position in this session
    total: int  # answered + this + still queued (grows when a card must be seen again)
    is_new: bool


@dataclass(frozen=True)
class AnswerOutcome:
    pack_id: str
    question: Question
    correct: bool
    response_text: str
    rating: Rating
    intervals: dict[Rating, timedelta]  # the next interval each rating gives (practice: not applied)
    source: Source
    practice: bool


@dataclass(frozen=True)
class SessionScore:
    answered: int
    right: int
    wrong: int
    streak: int
    best_streak: int
    accuracy: float | None
    elapsed: timedelta


@dataclass(frozen=True)
class Stats:
    profile: str
    reviews: int
    right: int
    accuracy: float | None
    reviews_today: int
    time_ms: int  # total response time recorded
    accuracy_by_pack: dict[str, tuple[int, int]]  # id -> (right, total)
    accuracy_by_source: dict[str, tuple[int, int]]  # "pack/source" -> (right, total)
    accuracy_by_tag: dict[str, tuple[int, int]]
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
        def acc(d: dict[str, tuple[int, int]]) -> dict[str, dict[str, Any]]:
            return {k: {"right": r, "total": t, "accuracy": (r / t if t else None)}
                    for k, (r, t) in d.items()}

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


class Engine:
    """Progress for one profile over a set of packs, stored in ``data_dir/progress.sqlite3``."""

    def __init__(
        self,
        data_dir: Path,
        profile: str,
        packs: Sequence[Pack],
        *,
        clock: Callable[[], datetime] = _utcnow,
        tz: tzinfo | None = None,
        fuzz: bool = True,
        seed: int | None = None,
        synchronous: str = "NORMAL",
    ) -> None:
        self.data_dir = Path(data_dir)
        self.packs: dict[str, Pack] = {}
        for pack in packs:
            self.packs.setdefault(pack.id, pack)
        self.clock = clock
        self.tz = tz
        self.fuzz = fuzz
        self.seed = seed
        self._rng = random.Random(seed)
        self.store = Store(self.data_dir / DB_NAME, synchronous=synchronous)
        self.profile = ""
        self.profile_id = 0
        self.settings = Settings()
        self.planner = Planner(self.settings, fuzz=fuzz, seed=seed)
        try:
            self.switch_profile(profile)
        except BaseException:
            self.store.close()
            raise

    @property
    def db_path(self) -> Path:
        return self.store.path

    # -- profiles and settings ------------------------------------------
    def switch_profile(self, name: str) -> None:
        clean = (name or "").strip()
        if not clean or len(clean) > MAX_PROFILE_NAME or any(ord(ch) < 32 for ch in clean):
            raise ValueError(f"profile name {name!r} must be 1 to {MAX_PROFILE_NAME} printable characters")
        self.profile_id = self.store.profile_id(clean, self.now())
        self.profile = clean
        self.settings = Settings.from_dict(self.store.load_settings(self.profile_id))
        self.planner = Planner(self.settings, fuzz=self.fuzz, seed=self.seed)

    def profiles(self) -> list[str]:
        return self.store.profile_names()

    def update_settings(self, **changes: Any) -> Settings:
        settings = self.settings.with_changes(**changes)
        self.store.save_settings(self.profile_id, settings.to_dict())
        self.settings = settings
        self.planner = Planner(settings, fuzz=self.fuzz, seed=self.seed)
        return settings

    # -- helpers --------------------------------------------------------
    def now(self) -> datetime:
        now = self.clock()
        if now.tzinfo is None:
            raise ValueError("the engine's clock must return timezone-aware datetimes")
        return now.astimezone(UTC)

    def day_bounds(self, now: datetime | None = None) -> tuple[datetime, datetime]:
        return day_bounds(now or self.now(), self.tz, self.settings.day_starts_hour)

    def study_day(self, when: datetime) -> date:
        return study_day(when, self.tz, self.settings.day_starts_hour)

    def _pack_list(self, pack_ids: Iterable[str] | None) -> list[Pack]:
        if pack_ids is None:
            return list(self.packs.values())
        out = []
        for pid in pack_ids:
            if pid not in self.packs:
                known = ", ".join(sorted(self.packs)) or "none"
                raise ValueError(f"no pack with id {pid!r} (packs: {known})")
            out.append(self.packs[pid])
        return out

    def _counts(self, pack: Pack, cards: dict[Key, CardRow], now_ts: float, end_ts: float,
                now: datetime) -> PackOverview:
        learning = review = due = 0
        recall = 0.0
        for q in pack.questions:
            row = cards.get((pack.id, q.id))
            if row is None:
                continue
            if row.state == State.Review:
                review += 1
                if row.due < end_ts:
                    due += 1
            else:
                learning += 1
                if row.due <= now_ts:
                    due += 1
            recall += self.planner.retrievability(_card(row), now + MASTERY_HORIZON)
        total = len(pack.questions)
        return PackOverview(pack.id, pack.title, total, total - learning - review, learning, review, due,
                            recall / total if total else 0.0)

    # -- overviews ------------------------------------------------------
    def pack_overview(self) -> list[PackOverview]:
        now = self.now()
        _start, end = self.day_bounds(now)
        cards = self.store.cards(self.profile_id, list(self.packs))
        return [self._counts(p, cards, now.timestamp(), end.timestamp(), now) for p in self.packs.values()]

    def study_counts(self, pack_ids: Iterable[str] | None = None) -> list[StudyCounts]:
        """Per pack, what a normal session (``start_session(pack_ids=[id])``) would show now.

        ``StudyCounts.now`` is what "due now" means everywhere: home, stats and ``today()``.
        """
        now = self.now()
        start, end = self.day_bounds(now)
        now_ts, end_ts = now.timestamp(), end.timestamp()
        ahead_ts = now_ts + LEARN_AHEAD.total_seconds()
        cards = self.store.cards(self.profile_id, list(self.packs))
        new_limit = max(0, self.settings.new_per_day - self.store.new_cards_since(self.profile_id, start.timestamp()))
        out = []
        for pack in self._pack_list(pack_ids):
            keys = [(pack.id, q.id) for q in pack.questions]
            plan = plan_queue(keys, {k: (cards[k].state, cards[k].due) for k in keys if k in cards},
                              now_ts, end_ts, new_limit)
            soon = sum(1 for due, _k in plan.learning_later if due <= ahead_ts)
            new = sum(1 for k in plan.main if k not in cards)
            out.append(StudyCounts(pack.id, new, len(plan.learning_now) + soon, len(plan.main) - new,
                                   len(plan.learning_later) - soon))
        return out

    def today(self) -> TodaySummary:
        now = self.now()
        start, _end = self.day_bounds(now)
        groups = self.store.review_groups(self.profile_id, since=start.timestamp())
        reviews = sum(g[4] for g in groups)
        right = sum(g[3] for g in groups)
        due = sum(c.now for c in self.study_counts())
        return TodaySummary(reviews, right, right / reviews if reviews else None, self._streak(now), due)

    def _study_days(self, now: datetime, days: int = 400, pack_ids: Iterable[str] | None = None
                    ) -> dict[date, int]:
        since = (now - timedelta(days=days)).timestamp()
        out: dict[date, int] = {}
        for ts, n, _right in self.store.review_buckets(self.profile_id, since, pack_ids):
            # a 15-minute bucket never straddles a day boundary at a whole or half hour
            day = self.study_day(datetime.fromtimestamp(ts, UTC))
            out[day] = out.get(day, 0) + n
        return out

    def _streak(self, now: datetime) -> int:
        return streak_days(self._study_days(now), self.study_day(now))

    # -- sessions -------------------------------------------------------
    def start_session(
        self,
        *,
        pack_ids: Iterable[str] | None = None,
        source_ids: Iterable[str] | None = None,
        tags: Iterable[str] | None = None,
        question_ids: Iterable[str] | None = None,
        practice: bool = False,
        limit: int | None = None,
    ) -> StudySession:
        """A session over the selected questions.

        Normal: due learning cards, then due reviews (most overdue first) with
        new cards (up to the daily limit) mixed in.  ``practice``: questions
        that are not due, weakest first; answers are logged but the schedule is
        left alone.
        """
        packs = self._pack_list(pack_ids)
        sources = set(source_ids) if source_ids is not None else None
        tag_set = set(tags) if tags is not None else None
        qids = set(question_ids) if question_ids is not None else None
        questions: dict[Key, tuple[Pack, Question]] = {}
        for pack in packs:
            for q in pack.questions:
                if sources is not None and q.source not in sources:
                    continue
                if tag_set is not None and not tag_set.intersection(q.tags):
                    continue
                if qids is not None and q.id not in qids:
                    continue
                questions[(pack.id, q.id)] = (pack, q)
        now = self.now()
        start, end = self.day_bounds(now)
        cards = self.store.cards(self.profile_id, [p.id for p in packs])
        if practice:
            seen: list[tuple[float, Key]] = []
            unseen: list[Key] = []
            for key in questions:
                row = cards.get(key)
                if row is None:
                    unseen.append(key)
                elif row.state == State.Review and row.due >= end.timestamp():
                    seen.append((self.planner.retrievability(_card(row), now), key))
                elif row.state != State.Review and row.due > now.timestamp():
                    seen.append((self.planner.retrievability(_card(row), now), key))
            self._rng.shuffle(unseen)
            seen.sort(key=lambda t: t[0])
            main = [k for _r, k in seen] + unseen
            if limit is not None:
                main = main[:limit]
            return StudySession(self, questions, [], main, [], practice=True, day_end=end)
        introduced = self.store.new_cards_since(self.profile_id, start.timestamp())
        new_limit = max(0, self.settings.new_per_day - introduced)
        plan = plan_queue(
            questions, {k: (r.state, r.due) for k, r in cards.items()},
            now.timestamp(), end.timestamp(), new_limit, limit,
        )
        return StudySession(self, questions, plan.learning_now, plan.main, plan.learning_later,
                            practice=False, day_end=end)

    # -- statistics -----------------------------------------------------
    def stats(self, pack_ids: Iterable[str] | None = None) -> Stats:
        packs = self._pack_list(pack_ids)
        ids = [p.id for p in packs]
        filt = ids if pack_ids is not None else None
        now = self.now()
        start, end = self.day_bounds(now)
        groups = self.store.review_groups(self.profile_id, filt)
        by_pack: dict[str, list[int]] = {}
        by_source: dict[str, list[int]] = {}
        by_tag: dict[str, list[int]] = {}
        reviews = right = time_ms = 0
        for pack_id, source_id, tags, r, n, ms in groups:
            reviews += n
            right += r
            time_ms += ms
            for bucket, key in ((by_pack, pack_id), (by_source, f"{pack_id}/{source_id}")):
                acc = bucket.setdefault(key, [0, 0])
                acc[0] += r
                acc[1] += n
            for tag in tags.split():
                acc = by_tag.setdefault(tag, [0, 0])
                acc[0] += r
                acc[1] += n
        cards = self.store.cards(self.profile_id, ids)
        overviews = [self._counts(p, cards, now.timestamp(), end.timestamp(), now) for p in packs]
        forecast = [0] * 14
        bounds = [self.day_bounds(start + timedelta(days=i, hours=12))[1].timestamp() for i in range(14)]
        for pack in packs:
            for q in pack.questions:
                row = cards.get((pack.id, q.id))
                if row is None:
                    continue
                for i, edge in enumerate(bounds):
                    if row.due < edge:
                        forecast[i] += 1
                        break
        passed, total = self.store.true_retention(self.profile_id, filt)
        daily = self._study_days(now, 400, filt)
        today = self.study_day(now)
        year_ago = today - timedelta(days=365)
        return Stats(
            profile=self.profile,
            reviews=reviews,
            right=right,
            accuracy=right / reviews if reviews else None,
            reviews_today=sum(n for d, n in daily.items() if d == today),
            time_ms=time_ms,
            accuracy_by_pack={k: (v[0], v[1]) for k, v in sorted(by_pack.items())},
            accuracy_by_source={k: (v[0], v[1]) for k, v in sorted(by_source.items())},
            accuracy_by_tag={k: (v[0], v[1]) for k, v in sorted(by_tag.items())},
            new=sum(o.new for o in overviews),
            learning=sum(o.learning for o in overviews),
            review=sum(o.review for o in overviews),
            due_now=sum(c.now for c in self.study_counts(filt)),
            forecast=forecast,
            daily_reviews={d: n for d, n in daily.items() if d > year_ago},
            retention=passed / total if total else None,
            streak_days=streak_days(daily, today),
            mastery={o.pack_id: o.mastery for o in overviews},
            studied_days=len(daily),
        )

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _card(row: CardRow) -> Card:
    return card_from_row(row.state, row.step, row.stability, row.difficulty, row.due, row.last_review)


def _row(key: Key, card: Card, reps: int, lapses: int) -> CardRow:
    return CardRow(
        key[0], key[1], int(card.state), card.step, card.stability, card.difficulty,
        card.due.timestamp(), card.last_review.timestamp() if card.last_review else None, reps, lapses,
    )


@dataclass
class _Done:
    """What undo needs to take back one answer."""

    key: Key
    item: CurrentItem
    origin: tuple[str, float]  # ("main" | "learn", due ts)
    review_id: int
    prev: CardRow | None
    outcomes: dict[Rating, Card]
    correct: bool
    rating: Rating
    response_text: str
    score: tuple[int, int, int, int]
    missed: list[CurrentItem]
    when: datetime  # the answer's time, from the engine's clock
    requeued: bool = False


class StudySession:
    """One sitting: a queue of questions, answered one at a time, each committed at once."""

    def __init__(self, engine: Engine, questions: dict[Key, tuple[Pack, Question]], first: list[Key],
                 main: list[Key], later: list[tuple[float, Key]], *, practice: bool,
                 day_end: datetime) -> None:
        self.engine = engine
        self.practice = practice
        self._questions = questions
        self._main: deque[Key] = deque([*first, *main])
        self._learn: list[tuple[float, Key]] = list(later)
        self._day_end = day_end.timestamp()
        self._score = ScoreKeeper()
        self._missed: list[CurrentItem] = []
        self._history: list[_Done] = []
        self._current: CurrentItem | None = None
        self._current_key: Key | None = None
        self._origin: tuple[str, float] = ("main", 0.0)
        self._answered = False
        self._started = engine.now()
        self._pick()

    # -- state ----------------------------------------------------------
    @property
    def current(self) -> CurrentItem | None:
        return self._current

    @property
    def finished(self) -> bool:
        return self._current is None

    @property
    def answered(self) -> bool:
        """True between answer() and advance()."""
        return self._answered

    @property
    def score(self) -> SessionScore:
        s = self._score
        return SessionScore(s.answered, s.right, s.wrong, s.streak, s.best_streak, s.accuracy,
                            self.engine.now() - self._started)

    @property
    def missed(self) -> list[CurrentItem]:
        return list(self._missed)

    @property
    def remaining(self) -> int:
        return len(self._main) + len(self._learn) + (0 if self._current is None or self._answered else 1)

    # -- moving through the queue ----------------------------------------
    def _make_item(self, key: Key) -> CurrentItem:
        pack, q = self._questions[key]
        shown = q.choices(self.engine._rng)
        is_new = self.engine.store.card(self.engine.profile_id, key[0], key[1]) is None
        index = self._score.answered + 1
        total = index + len(self._main) + len(self._learn)
        return CurrentItem(pack.id, q, tuple(shown), index, total, is_new)

    def _pick(self) -> None:
        now_ts = self.engine.now().timestamp()
        last = self._history[-1].key if self._history else None
        key: Key | None = None
        self._learn.sort(key=lambda t: t[0])
        if self._learn and self._learn[0][0] <= now_ts and not (self._learn[0][1] == last and self._main):
            due, key = self._learn.pop(0)
            self._origin = ("learn", due)
        elif self._main:
            key = self._main.popleft()
            self._origin = ("main", 0.0)
        elif self._learn and self._learn[0][0] <= now_ts + LEARN_AHEAD.total_seconds():
            due, key = self._learn.pop(0)
            self._origin = ("learn", due)
        self._current_key = key
        self._current = self._make_item(key) if key is not None else None
        self._answered = False

    def _put_back(self) -> None:
        """Return the current (unanswered) item to where it came from."""
        if self._current_key is None:
            return
        kind, due = self._origin
        if kind == "learn":
            self._learn.append((due, self._current_key))
        else:
            self._main.appendleft(self._current_key)

    def advance(self) -> CurrentItem | None:
        """Move on.  Advancing past an unanswered question skips it for this session."""
        self._pick()
        return self._current

    # -- answering ------------------------------------------------------
    def _requeue(self, done: _Done) -> None:
        self._learn = [(d, k) for d, k in self._learn if k != done.key]
        done.requeued = False
        if self.practice:
            return
        card = done.outcomes[done.rating]
        if card.state != State.Review and card.due.timestamp() < self._day_end:
            self._learn.append((card.due.timestamp(), done.key))
            done.requeued = True

    def _outcome(self, done: _Done) -> AnswerOutcome:
        pack, q = self._questions[done.key]
        return AnswerOutcome(pack.id, q, done.correct, done.response_text, done.rating,
                             intervals(done.outcomes, done.when), pack.sources[q.source], self.practice)

    def answer(self, response: Any, *, elapsed_ms: int | None = None,
               answer_text: str | None = None) -> AnswerOutcome:
        """Grade ``response`` (None = don't know) and commit it with the default rating.

        ``answer_text`` replaces what the log records as the answer given (the
        plain quiz passes the raw line when it could not be understood).
        """
        if self._current is None or self._current_key is None:
            raise RuntimeError("the session is finished")
        if self._answered:
            raise RuntimeError("this question is already answered; call advance() to move on")
        key, item = self._current_key, self._current
        pack, q = self._questions[key]
        correct = False
        if response is not None:
            try:
                correct = bool(q.grade(response))
            except (TypeError, ValueError, AttributeError):
                correct = False
        engine = self.engine
        now = engine.now()
        prev = engine.store.card(engine.profile_id, *key)
        card = _card(prev) if prev is not None else engine.planner.new_card(now)
        outcomes = engine.planner.outcomes(card, now, elapsed_ms)
        rating = Rating.Good if correct else Rating.Again
        done = _Done(
            key=key, item=item, origin=self._origin, review_id=0, prev=prev, outcomes=outcomes,
            correct=correct, rating=rating,
            response_text=answer_text if answer_text is not None else q.response_text(response),
            score=self._score.snapshot(), missed=list(self._missed), when=now,
        )
        review = ReviewRow(
            pack_id=key[0], question_id=key[1], source_id=q.source, tags=tuple(q.tags), ts=now.timestamp(),
            rating=int(rating), correct=correct, answer=done.response_text,
            response_ms=elapsed_ms, practice=self.practice,
            prev_state=prev.state if prev is not None else None,
            prev_card=card.to_dict() if prev is not None else None,
        )
        done.review_id = engine.store.record_answer(
            engine.profile_id, review, None if self.practice else self._new_row(done)
        )
        self._history.append(done)
        self._answered = True
        self._score.add(correct)
        if not correct and all((m.pack_id, m.question.id) != key for m in self._missed):
            self._missed.append(item)
        self._requeue(done)
        return self._outcome(done)

    def _new_row(self, done: _Done) -> CardRow:
        reps = (done.prev.reps if done.prev else 0) + 1
        lapses = done.prev.lapses if done.prev else 0
        if done.prev is not None and done.prev.state == State.Review and done.rating == Rating.Again:
            lapses += 1
        return _row(done.key, done.outcomes[done.rating], reps, lapses)

    def rate(self, rating: Rating) -> AnswerOutcome:
        """Change the last answer's rating before moving on (right: Hard/Good/Easy; wrong: Again)."""
        if not self._answered or not self._history:
            raise RuntimeError("nothing to rate: answer the question first")
        done = self._history[-1]
        rating = Rating(rating)
        if done.correct and rating == Rating.Again:
            raise ValueError("a right answer is rated Hard, Good or Easy")
        if not done.correct and rating != Rating.Again:
            raise ValueError("a wrong answer is always rated Again")
        if rating != done.rating:
            done.rating = rating
            self.engine.store.change_rating(
                self.engine.profile_id, done.review_id, int(rating),
                None if self.practice else self._new_row(done),
            )
            self._requeue(done)
        return self._outcome(done)

    def undo(self) -> CurrentItem | None:
        """Take back the last answer (its card state and its log row); its question is current again."""
        if not self._history:
            return self._current
        done = self._history.pop()
        engine = self.engine
        engine.store.undo_answer(engine.profile_id, done.review_id, done.key[0], done.key[1], done.prev,
                                 touch_card=not self.practice)
        if not self._answered:  # already moved on: return the newer question to its place
            self._put_back()
        if done.requeued:
            self._learn = [(d, k) for d, k in self._learn if k != done.key]
        self._score.restore(done.score)
        self._missed = done.missed
        self._current_key = done.key
        self._current = done.item
        self._origin = done.origin
        self._answered = False
        return self._current

    @property
    def last_outcome(self) -> AnswerOutcome | None:
        return self._outcome(self._history[-1]) if self._answered and self._history else None
