"""A study session: the queue, picking, answering, rating, undo and practice mode.

Pure state machine: the progress store is the small :class:`ProgressStore`
protocol, and the clock and the random generator are passed in.  Every answer
is committed through the store before :meth:`StudySession.answer` returns.
"""

from __future__ import annotations

import itertools
import random
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import compress

from fsrs import Card, Rating, State

from nkstudy.core.model import Pack, Question, Response
from nkstudy.core.questions.base import Grade
from nkstudy.core.study.marks import is_leech
from nkstudy.core.study.pacing import GiveAways, new_card_order
from nkstudy.core.study.planning import LEARN_AHEAD, SPACING, pick_spaced, plan_queue, spread
from nkstudy.core.study.progress import CardRow, Key, Marks, ProgressStore, ReviewRow
from nkstudy.core.study.results import AnswerOutcome, CurrentItem, SessionScore
from nkstudy.core.study.schedule import Planner, allowed_ratings, default_rating, intervals
from nkstudy.core.study.score import ScoreKeeper, Snapshot
from nkstudy.core.study.selection import Selection, StudyRequest

Clock = Callable[[], datetime]

__all__ = ["Queue", "ScoreKeeper", "Selection", "StudyRequest", "StudySession", "practice_queue",
           "study_candidates", "study_queue"]


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
    score: Snapshot
    missed: list[CurrentItem]
    when: datetime  # the answer's time, from the clock
    grade: Grade
    requeued: bool = False
    overridden: bool = False  # the learner overrode a wrong grade ("I was right")
    leech: bool = False  # this answer made the card a leech (and suspended it)
    marks: Marks = Marks()


class StudySession:
    """One sitting: a queue of questions, answered one at a time, each committed at once."""

    #: how far into the main queue a pick looks for a card that does not give a recent one away
    LOOKAHEAD = 50
    #: how much further it looks when none of those fits
    FAR = 1000

    def __init__(self, questions: dict[Key, tuple[Pack, Question]], queue: Queue, *,
                 progress: ProgressStore, planner: Planner, rng: random.Random, clock: Clock,
                 practice: bool, day_end: datetime, limit: int | None = None) -> None:
        self.practice = practice
        self._limit = limit  # at most this many answers, cards coming back included
        self._questions = questions
        self._progress = progress
        self._planner = planner
        self._rng = rng
        self._clock = clock
        self._main: deque[Key] = deque([*queue.first, *queue.main])
        self._learn: list[tuple[float, Key]] = list(queue.later)
        self._day_end = day_end.timestamp()
        self._score = ScoreKeeper()
        self._missed: list[CurrentItem] = []
        self._history: list[_Done] = []
        self._current: CurrentItem | None = None
        self._current_key: Key | None = None
        self._origin: tuple[str, float] = ("main", 0.0)
        self._answered = False
        self._started = clock()
        self._related = GiveAways(questions)
        self._far_failed = False  # the last look further back found nothing: skip it until a pick fits
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
                            self._clock() - self._started, self._left(), s.overridden)

    def _left(self) -> int:
        """Cards still to show after the current one: queued, and coming back later today,
        within the session's limit."""
        left = len(self._main) + len(self._learn)
        if self._limit is not None:
            shown = self._score.answered + (1 if self._current is not None and not self._answered else 0)
            left = min(left, max(0, self._limit - shown))
        return left

    @property
    def missed(self) -> list[CurrentItem]:
        return list(self._missed)

    # -- moving through the queue ----------------------------------------
    def _make_item(self, key: Key) -> CurrentItem:
        pack, q = self._questions[key]
        shown = q.choices(self._rng)
        is_new = self._progress.card(key) is None
        index = self._score.answered + 1
        total = index + len(self._main) + len(self._learn)
        if self._limit is not None:
            total = min(total, self._limit)
        return CurrentItem(pack.id, q, tuple(shown), index, total, is_new)

    def _pick(self) -> None:
        """The next card: learning cards due now (earliest first), then the main queue, then
        learning cards due within the learn-ahead window; among these, the first that gives
        away none of the last few cards answered (:data:`~nkstudy.core.study.planning.SPACING`)."""
        if self._limit is not None and self._score.answered >= self._limit:
            self._current_key = self._current = None
            self._answered = False
            return
        now_ts = self._clock().timestamp()
        recent = [d.key for d in self._history[-SPACING:]]
        last = recent[-1] if recent else None
        key: Key | None = None
        self._learn.sort(key=lambda t: t[0])
        due_now = [i for i, (due, k) in enumerate(self._learn)
                   if due <= now_ts and not (k == last and self._main)]
        candidates = [self._learn[i][1] for i in due_now]
        scan = min(len(self._main), self.LOOKAHEAD)
        candidates += [self._main[i] for i in range(scan)]
        chosen = pick_spaced(candidates, recent, self._related, near=self._related.near, fits_only=True)
        if chosen is None and len(self._main) > scan and not self._far_failed:
            # nothing near the front fits: look further back (once per run of such picks: in a
            # queue that is one cluster, every pick would otherwise scan it all in vain)
            further = pick_spaced(list(itertools.islice(self._main, scan, scan + self.FAR)), recent,
                                  self._related, near=self._related.near, fits_only=True)
            chosen = None if further is None else len(due_now) + scan + further
            self._far_failed = further is None
        elif chosen is not None:
            self._far_failed = False
        if chosen is None:
            chosen = pick_spaced(candidates, recent, self._related, near=self._related.near)
        if chosen is not None and chosen < len(due_now):
            due, key = self._learn.pop(due_now[chosen])
            self._origin = ("learn", due)
        elif chosen is not None:
            index = chosen - len(due_now)
            key = self._main[index]
            del self._main[index]
            self._origin = ("main", 0.0)
        else:
            ahead = [i for i, (due, _k) in enumerate(self._learn) if due <= now_ts + LEARN_AHEAD.total_seconds()]
            chosen = pick_spaced([self._learn[i][1] for i in ahead], recent, self._related, near=self._related.near)
            if chosen is not None:
                due, key = self._learn.pop(ahead[chosen])
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
        if self.practice or done.marks.hidden(done.when.timestamp()):
            return
        card = done.outcomes[done.rating]
        if card.state != State.Review and card.due.timestamp() < self._day_end:
            self._learn.append((card.due.timestamp(), done.key))
            done.requeued = True

    def _outcome(self, done: _Done) -> AnswerOutcome:
        pack, q = self._questions[done.key]
        m = done.marks
        return AnswerOutcome(pack.id, q, done.correct, done.response_text, done.rating,
                             allowed_ratings(done.correct), intervals(done.outcomes, done.when),
                             pack.source_of(q), self.practice, done.grade.close, done.grade.expected,
                             overridable=q.overridable and not done.correct and bool(done.response_text),
                             overridden=done.overridden,
                             leech=done.leech, suspended=m.suspended, buried=m.buried(done.when.timestamp()),
                             flagged=m.flagged)

    def answer(self, response: Response, *, elapsed_ms: int | None = None,
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
        _pack, q = self._questions[key]
        grade = Grade(False)
        if response is not None:
            grade = q.assess(response, exact_spelling=self._planner.settings.exact_spelling)
        correct = grade.correct
        now = self._clock()
        prev = self._progress.card(key)
        card = prev.to_card() if prev is not None else self._planner.new_card(now)
        done = _Done(
            key=key, item=item, origin=self._origin, review_id=0, prev=prev,
            outcomes=self._planner.outcomes(card, now, elapsed_ms), correct=correct,
            rating=default_rating(correct, grade.close), grade=grade,
            response_text=answer_text if answer_text is not None else q.response_text(response),
            score=self._score.snapshot(), missed=list(self._missed), when=now,
        )
        review = ReviewRow(
            pack_id=key[0], question_id=key[1], source_id=q.source or "", tags=tuple(q.tags), ts=now.timestamp(),
            rating=int(done.rating), correct=correct, answer=done.response_text,
            response_ms=elapsed_ms, practice=self.practice,
            prev_state=prev.state if prev is not None else None,
            prev_card=card.to_dict() if prev is not None else None,
        )
        new_row = None if self.practice else self._new_row(done)
        done.review_id = self._progress.record_answer(review, new_row)
        done.marks = self._progress.marks(key)
        if new_row is not None and new_row.lapses > (prev.lapses if prev else 0) \
                and is_leech(new_row.lapses, self._planner.settings.leech_threshold):
            done.leech = True
            done.marks = self._progress.set_marks(key, leech=True, suspended=True)
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
        return CardRow.from_card(done.key, done.outcomes[done.rating], reps, lapses)

    def rate(self, rating: Rating) -> AnswerOutcome:
        """Change the last answer's rating before moving on, within :func:`allowed_ratings`."""
        done = self._last_answer()
        rating = Rating(rating)
        if rating not in allowed_ratings(done.correct):
            names = "/".join(r.name for r in allowed_ratings(done.correct))
            raise ValueError(f"a {'right' if done.correct else 'wrong'} answer is rated {names}")
        if rating != done.rating:
            done.rating = rating
            self._progress.change_rating(done.review_id, int(rating),
                                         None if self.practice else self._new_row(done))
            self._requeue(done)
        return self._outcome(done)

    def override(self, rating: Rating = Rating.Good) -> AnswerOutcome:
        """"I was right": regrade the last answer, a typed one marked wrong, as right with ``rating``.

        The log keeps it as an override, the score counts it right, and a leech it made is undone.
        """
        if not self._history:  # the last answer, also once the next question is showing
            raise RuntimeError("answer the question first")
        done = self._history[-1]
        if done.correct or not done.response_text or not self._questions[done.key][1].overridable:
            raise ValueError("only a typed answer marked wrong can be overridden")
        rating = Rating(rating)
        if rating not in allowed_ratings(True):
            raise ValueError("an overridden answer is rated Hard, Good or Easy")
        done.correct, done.overridden, done.rating = True, True, rating
        if done.leech:
            done.leech = False
            done.marks = self._progress.set_marks(done.key, leech=False, suspended=False)
        self._progress.override(done.review_id, int(rating), True, None if self.practice else self._new_row(done))
        self._score.restore(done.score)
        self._score.add(True, overridden=True)
        self._missed = list(done.missed)
        self._requeue(done)
        return self._outcome(done)

    def mark(self, *, suspend: bool = False, bury: bool = False, flag: bool | None = None) -> AnswerOutcome:
        """Suspend the last answer's card, bury it until the next study day, or flag or unflag it.

        A suspended or buried card leaves this session's queue as well.
        """
        done = self._last_answer()
        changes: dict[str, object] = {}
        if suspend:
            changes["suspended"] = True
        if bury:
            changes["buried_until"] = self._day_end
        if flag is not None:
            changes["flagged"] = flag
        done.marks = self._progress.set_marks(done.key, **changes)
        if done.marks.hidden(done.when.timestamp()):
            self._learn = [(d, k) for d, k in self._learn if k != done.key]
            done.requeued = False
        return self._outcome(done)

    def _last_answer(self) -> _Done:
        if not self._answered or not self._history:
            raise RuntimeError("answer the question first")
        return self._history[-1]

    def undo(self) -> CurrentItem | None:
        """Take back the last answer (its card state and its log row); its question is current again."""
        if not self._history:
            return self._current
        done = self._history.pop()
        self._progress.undo_answer(done.review_id, done.key, done.prev, touch_card=not self.practice)
        if done.leech:
            self._progress.set_marks(done.key, leech=False, suspended=False)
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
