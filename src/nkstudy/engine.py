"""The study engine: the one facade the app and the command line call.  It wires the packs and the pure
study code in ``core`` (sessions, scheduling, statistics) to the progress store in ``store``; no Textual, no
Rich.  Paths and the clock are injected: ``Engine(data_dir, profile, packs, clock=..., tz=..., seed=...)``.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path

from nkstudy.core.model import Pack, Question
from nkstudy.core.names import profile_name, shown_name
from nkstudy.core.packs.loader import paused_gc
from nkstudy.core.study.marks import hidden_keys
from nkstudy.core.study.planning import day_bounds, streak_days, study_day
from nkstudy.core.study.progress import CardRow, Key
from nkstudy.core.study.results import PackOverview, ProfileSummary, Stats, StudyCounts, TodaySummary
from nkstudy.core.study.schedule import Planner, Settings
from nkstudy.core.study.session import (
    Selection,
    StudyRequest,
    StudySession,
    practice_queue,
    study_candidates,
    study_queue,
)
from nkstudy.core.study.stats import (
    FORECAST_DAYS,
    accuracy,
    build_stats,
    daily_reviews,
    forecast,
    pack_overview,
    study_counts,
    upcoming,
)
from nkstudy.core.text import quoted
from nkstudy.store import marks
from nkstudy.store.db import Store, StoreError, locate, profile_to_open
from nkstudy.store.progress import ProfileProgress

__all__ = ["Engine", "StoreError", "profile_to_open"]


def system_clock() -> datetime:
    """The wall clock, as an aware UTC datetime (the one real clock; tests pass their own)."""
    return datetime.now(UTC)


class Engine:
    """Progress for one profile over a set of packs, in ``data_dir/progress.sqlite3`` or ``db`` (a URL or file)."""

    def __init__(
        self,
        data_dir: Path,
        profile: str,
        packs: Sequence[Pack],
        *,
        create_profile: bool = True,
        clock: Callable[[], datetime] = system_clock,
        tz: tzinfo | None = None,
        fuzz: bool = True,
        seed: int | None = None,
        synchronous: str = "NORMAL", db: str | None = None,
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
        self.store = Store(locate(self.data_dir, db), synchronous=synchronous)
        self.profile = ""
        self.profile_id = 0
        self.settings = Settings()
        self.planner = Planner(self.settings, fuzz=fuzz, seed=seed)
        try:
            self.switch_profile(profile, create=create_profile)
        except BaseException:
            self.store.close()
            raise

    # -- profiles and settings ------------------------------------------
    def switch_profile(self, name: str, *, create: bool = True) -> None:
        """Use profile ``name`` (created unless ``create`` is False: then a missing one is a ValueError)."""
        clean = profile_name(name)
        if create:
            self.profile_id = self.store.profile_id(clean, self.now())
        else:
            found = self.store.find_profile(clean)
            if found is None:
                known = ", ".join(shown_name(n) for n in self.store.profile_names()) or "none yet"
                raise ValueError(f"there is no profile {shown_name(clean)} (profiles: {known})")
            self.profile_id = found
        self.profile = clean
        self.settings = Settings.from_dict(self.store.load_settings(self.profile_id))
        self.planner = Planner(self.settings, fuzz=self.fuzz, seed=self.seed)

    def profiles(self) -> list[str]:
        return self.store.profile_names()

    def profile_summaries(self) -> list[ProfileSummary]:
        """Every profile with its answer count and last study day."""
        return [ProfileSummary(name, answers, self.study_day(datetime.fromtimestamp(last, UTC)) if last else None)
                for name, answers, last in self.store.profile_summaries()]

    def rename_profile(self, old: str, new: str) -> None:
        """Rename a profile (this one too: the engine follows it)."""
        self.store.rename_profile(profile_name(old), profile_name(new))
        if profile_name(old) == self.profile:
            self.profile = profile_name(new)

    def delete_profile(self, name: str) -> None:
        """Delete another profile and all its progress in one transaction."""
        if profile_name(name) == self.profile:
            raise ValueError(f"{shown_name(name)} is the profile in use; switch to another one first")
        self.store.delete_profile(profile_name(name))

    def update_settings(self, **changes: object) -> Settings:
        settings = self.settings.with_changes(**changes)
        self.store.save_settings(self.profile_id, settings.to_dict())
        self.settings = settings
        self.planner = Planner(settings, fuzz=self.fuzz, seed=self.seed)
        return settings

    # -- time -----------------------------------------------------------
    def now(self) -> datetime:
        now = self.clock()
        if now.tzinfo is None:
            raise ValueError("the engine's clock must return timezone-aware datetimes")
        return now.astimezone(UTC)

    def day_bounds(self, now: datetime | None = None) -> tuple[datetime, datetime]:
        return day_bounds(now or self.now(), self.tz, self.settings.day_starts_hour)

    def study_day(self, when: datetime) -> date:
        return study_day(when, self.tz, self.settings.day_starts_hour)

    def _day_of_ts(self, ts: float) -> date:
        # a 15-minute bucket never straddles a day boundary at a whole or half hour
        return self.study_day(datetime.fromtimestamp(ts, UTC))

    # -- packs ----------------------------------------------------------
    def _pack_list(self, pack_ids: Iterable[str] | None) -> list[Pack]:
        if pack_ids is None:
            return list(self.packs.values())
        out = []
        for pid in pack_ids:
            if pid not in self.packs:
                known = ", ".join(sorted(self.packs)) or "none"
                raise ValueError(f"no pack with id {quoted(pid)} (packs: {known})")
            out.append(self.packs[pid])
        return out

    def _new_limit(self, start: datetime) -> int:
        introduced = self.store.new_cards_since(self.profile_id, start.timestamp())
        return max(0, self.settings.new_per_day - introduced)

    # -- overviews ------------------------------------------------------
    def _hidden(self, now: datetime, pack_ids: Iterable[str] | None = None) -> set[Key]:  # suspended, buried
        return hidden_keys(marks.marks(self.store, self.profile_id, pack_ids), now.timestamp())

    def study_counts(self, pack_ids: Iterable[str] | None = None) -> list[StudyCounts]:
        """Per pack, what a normal session (``start_session(pack_ids=[id])``) would show now.

        ``StudyCounts.now`` is what "due now" means everywhere: home, stats, ``today()`` and the overview.
        """
        packs = self._pack_list(pack_ids)
        now = self.now()
        start, end = self.day_bounds(now)
        cards = self.store.cards(self.profile_id, [p.id for p in packs])
        new_limit, hidden = self._new_limit(start), self._hidden(now)
        return [study_counts(p, cards, now, end, new_limit, hidden) for p in packs]

    def pack_overview(self, pack_ids: Iterable[str] | None = None) -> list[PackOverview]:
        return self._overviews(self._pack_list(pack_ids), self.now())[1]

    def _overviews(self, packs: list[Pack], now: datetime) -> tuple[dict[Key, CardRow], list[PackOverview]]:
        """The packs' cards (read once) and an overview of each."""
        start, end = self.day_bounds(now)
        cards = self.store.cards(self.profile_id, [p.id for p in packs])
        new_limit, hidden = self._new_limit(start), self._hidden(now)
        return cards, [pack_overview(p, cards, study_counts(p, cards, now, end, new_limit, hidden), self.planner,
                                     now) for p in packs]

    def today(self) -> TodaySummary:
        """Today's answers and streak, what is due now, and (for when nothing is) what comes next."""
        now = self.now()
        start, end = self.day_bounds(now)
        acc = accuracy(self.store.review_groups(self.profile_id, since=start.timestamp()))
        packs = list(self.packs.values())
        cards = self.store.cards(self.profile_id, [p.id for p in packs])
        new_limit, hidden = self._new_limit(start), self._hidden(now)
        due = sum(study_counts(p, cards, now, end, new_limit, hidden).now for p in packs)
        next_due, tomorrow = upcoming(packs, cards, hidden, now, end, self.day_bounds(end + timedelta(hours=12))[1])
        return TodaySummary(acc.reviews, acc.right, acc.right / acc.reviews if acc.reviews else None,
                            streak_days(self._daily(now), self.study_day(now)), due, next_due, tomorrow)

    def _daily(self, now: datetime, pack_ids: Iterable[str] | None = None) -> dict[date, int]:
        since = (now - timedelta(days=400)).timestamp()
        return daily_reviews(self.store.review_buckets(self.profile_id, since, pack_ids), self._day_of_ts)

    # -- sessions -------------------------------------------------------
    def start_session(
        self,
        *,
        pack_ids: Sequence[str] | None = None,
        source_ids: Sequence[str] | None = None,
        tags: Sequence[str] | None = None,
        question_ids: Sequence[str] | None = None,
        practice: bool = False,
        limit: int | None = None,
    ) -> StudySession:
        """A session over the selected questions.

        Normal: due learning cards, then due reviews (most overdue first) with
        new cards (up to the daily limit) mixed in.  ``practice``: questions
        that are not due, weakest first; answers are logged but the schedule is
        left alone.
        """
        return self.start(StudyRequest(pack_ids, source_ids, tags, question_ids, practice, limit))

    def start(self, request: StudyRequest) -> StudySession:
        """A session for a :class:`~nkstudy.core.study.session.StudyRequest` (see :meth:`start_session`)."""
        # the selection and the queue are 100,000s of small containers and no cycles: without the
        # pause, the collector's full passes over the packs took most of the time at 100k questions
        with paused_gc():
            return self._start(request)

    def _start(self, request: StudyRequest) -> StudySession:
        packs = self._pack_list(request.pack_ids)
        selection = Selection.of(request.source_ids, request.tags, request.question_ids)
        now = self.now()
        start, end = self.day_bounds(now)
        hidden = self._hidden(now, [p.id for p in packs])
        if request.practice:
            questions = {k: v for k, v in selection.pick(packs).items() if k not in hidden}
            cards = self.store.cards(self.profile_id, [p.id for p in packs])
            queue = practice_queue(questions, cards, now, end, self.planner, self._rng, request.limit,
                                   named=request.question_ids is not None)
        else:
            new_limit = self._new_limit(start)
            questions, cards = self._study_candidates(packs, selection, end.timestamp(), new_limit)
            questions = {k: v for k, v in questions.items() if k not in hidden}
            queue = study_queue(questions, cards, now, end, new_limit, request.limit, self._rng)
        return StudySession(questions, queue, progress=ProfileProgress(self.store, self.profile_id),
                            planner=self.planner, rng=self._rng, clock=self.now, practice=request.practice,
                            day_end=end, limit=request.limit)

    def _study_candidates(
        self, packs: list[Pack], selection: Selection, day_end_ts: float, new_limit: int,
    ) -> tuple[dict[Key, tuple[Pack, Question]], dict[Key, CardRow]]:
        """The selected questions that can enter a normal queue, and their cards (see ``study_candidates``).

        A card due at or after the end of the study day takes no part in a normal queue, so
        only the cards due before the day ends are read as rows, and the seen questions as
        one list of ids per pack.
        """
        pack_ids = list({p.id: None for p in packs})
        cards = self.store.cards(self.profile_id, pack_ids, due_before=day_end_ts)
        seen = self.store.card_ids(self.profile_id, pack_ids) if new_limit > 0 else {}
        return study_candidates(packs, selection, cards, seen, offer_unseen=new_limit > 0), cards

    # -- statistics -----------------------------------------------------
    def stats(self, pack_ids: Iterable[str] | None = None) -> Stats:
        packs = self._pack_list(pack_ids)
        filt = [p.id for p in packs] if pack_ids is not None else None
        now = self.now()
        start, _end = self.day_bounds(now)
        cards, overviews = self._overviews(packs, now)
        day_ends = [self.day_bounds(start + timedelta(days=i, hours=12))[1].timestamp()
                    for i in range(FORECAST_DAYS)]
        return build_stats(
            profile=self.profile,
            acc=accuracy(self.store.review_groups(self.profile_id, filt)),
            overviews=overviews,
            due_now=sum(o.due for o in overviews),
            forecast_counts=forecast(packs, cards, day_ends),
            daily=self._daily(now, filt),
            today=self.study_day(now),
            retention=self.store.true_retention(self.profile_id, filt),
        )

    def on_wait(self, callback: Callable[[bool], None] | None) -> None:
        """Call ``callback(True)`` when a change waits for a database server that went away (it is retried
        with a growing pause for the store's reconnect time), ``(False)`` once it is through or given up.

        Called from the thread that is writing.  A SQLite file never goes away: never called.
        """
        self.store.backend.on_wait = callback

    def off_wait(self, callback: Callable[[bool], None]) -> None:
        """Stop calling ``callback`` (when it is still the one set by :meth:`on_wait`)."""
        if self.store.backend.on_wait == callback:
            self.store.backend.on_wait = None

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
