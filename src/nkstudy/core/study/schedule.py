"""Scheduling with the ``fsrs`` library (FSRS-6).

This module is a thin wrapper: :class:`Settings` becomes an ``fsrs.Scheduler``,
and :func:`outcomes` reviews a card once per rating so the UI can show the
interval each rating would give (as Anki shows on its buttons) and the engine
can store exactly the outcome that was shown.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import fsrs.scheduler as _fsrs_scheduler
from fsrs import Card, Rating, Scheduler, State

from nkstudy.core.text import quoted

#: fsrs's own default parameters (FSRS-6), what a profile without its own uses
DEFAULT_PARAMETERS: tuple[float, ...] = tuple(Scheduler().parameters)

RATINGS = (Rating.Again, Rating.Hard, Rating.Good, Rating.Easy)
#: a right answer may be rated any of these; a wrong one only Again
RIGHT_RATINGS = (Rating.Hard, Rating.Good, Rating.Easy)
WRONG_RATINGS = (Rating.Again,)


def allowed_ratings(correct: bool) -> tuple[Rating, ...]:
    """The rating rule: which ratings an answer allows (the first default is Good or Again)."""
    return RIGHT_RATINGS if correct else WRONG_RATINGS


def default_rating(correct: bool, close: bool = False) -> Rating:
    """The rating an answer gets unless the learner changes it: Good when right, Hard when right
    with a one-letter slip (close spelling), Again when wrong."""
    if not correct:
        return Rating.Again
    return Rating.Hard if close else Rating.Good


@dataclass(frozen=True)
class Settings:
    """A profile's study settings (saved per profile)."""

    desired_retention: float = 0.9
    new_per_day: int = 20
    learning_steps_minutes: tuple[int, ...] = (1, 10)
    relearning_steps_minutes: tuple[int, ...] = (10,)
    maximum_interval_days: int = 36500
    day_starts_hour: int = 4
    #: False: a one-letter slip in a typed answer of six or more letters is accepted (rated Hard);
    #: True: typed answers must be spelled exactly (for teachers who want that)
    exact_spelling: bool = False
    #: a card that lapses this many times becomes a leech: tagged and suspended (0: never)
    leech_threshold: int = 8
    #: the profile's own FSRS parameters (``nkstudy optimize``); empty: fsrs's defaults
    parameters: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.exact_spelling, bool):
            raise ValueError("exact_spelling must be true or false")
        if not 0.7 <= self.desired_retention <= 0.99:
            raise ValueError("desired_retention must be between 0.70 and 0.99")
        if self.new_per_day < 0:
            raise ValueError("new_per_day must be 0 or more")
        if self.maximum_interval_days < 1:
            raise ValueError("maximum_interval_days must be at least 1")
        if not isinstance(self.leech_threshold, int) or isinstance(self.leech_threshold, bool) \
                or not 0 <= self.leech_threshold <= 99:
            raise ValueError("leech_threshold must be a whole number from 0 (never) to 99")
        if not 0 <= self.day_starts_hour <= 23:
            raise ValueError("day_starts_hour must be 0 to 23")
        if self.parameters and (len(self.parameters) != len(DEFAULT_PARAMETERS) or not all(
                isinstance(p, (int, float)) and not isinstance(p, bool) for p in self.parameters)):
            raise ValueError(f"parameters must be {len(DEFAULT_PARAMETERS)} numbers (run nkstudy optimize)")
        for name in ("learning_steps_minutes", "relearning_steps_minutes"):
            steps = getattr(self, name)
            if any((not isinstance(s, int)) or s <= 0 for s in steps):
                raise ValueError(f"{name} must be whole minutes above 0")

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = list(value) if isinstance(value, tuple) else value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Settings:
        """Settings from saved JSON; unknown keys are ignored, bad values fall back."""
        known = {f.name for f in fields(cls)}
        clean: dict[str, Any] = {}
        for key, value in data.items():
            if key not in known:
                continue
            if isinstance(value, list):
                value = tuple(value)
            clean[key] = value
        try:
            return cls(**clean)
        except (TypeError, ValueError):
            return cls()

    def with_changes(self, **changes: Any) -> Settings:
        known = {f.name for f in fields(self)}
        unknown = set(changes) - known
        if unknown:
            raise ValueError(f"unknown setting {quoted(sorted(unknown)[0])}")
        fixed: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in changes.items()}
        return replace(self, **fixed)


def make_scheduler(settings: Settings, *, fuzz: bool = True) -> Scheduler:
    return Scheduler(
        parameters=settings.parameters or DEFAULT_PARAMETERS,
        desired_retention=settings.desired_retention,
        learning_steps=tuple(timedelta(minutes=m) for m in settings.learning_steps_minutes),
        relearning_steps=tuple(timedelta(minutes=m) for m in settings.relearning_steps_minutes),
        maximum_interval=settings.maximum_interval_days,
        enable_fuzzing=fuzz,
    )


@contextmanager
def _seeded(rand: Callable[[], float] | None) -> Iterator[None]:
    """fsrs draws its fuzz from ``random.random``; swap in a seeded source."""
    if rand is None:
        yield
        return
    namespace = vars(_fsrs_scheduler)  # fsrs calls its module-level ``random``
    original = namespace["random"]
    namespace["random"] = rand
    try:
        yield
    finally:
        namespace["random"] = original


class Planner:
    """Reviews cards with an ``fsrs.Scheduler`` built from :class:`Settings`."""

    def __init__(self, settings: Settings, *, fuzz: bool = True, seed: int | None = None) -> None:
        self.settings = settings
        self.fuzz = fuzz
        self._rng = random.Random(seed) if seed is not None else None
        self.scheduler = make_scheduler(settings, fuzz=fuzz)

    def new_card(self, now: datetime) -> Card:
        return Card(card_id=0, due=now)

    def review(self, card: Card, rating: Rating, now: datetime, duration_ms: int | None = None) -> Card:
        with _seeded(self._rng.random if self._rng else None):
            new, _log = self.scheduler.review_card(card, rating, _utc(now), duration_ms)
        return new

    def outcomes(self, card: Card, now: datetime, duration_ms: int | None = None) -> dict[Rating, Card]:
        """The card after each of the four ratings, reviewed at ``now``."""
        return {r: self.review(card, r, now, duration_ms) for r in RATINGS}

    def retrievability(self, card: Card, now: datetime) -> float:
        return float(self.scheduler.get_card_retrievability(card, _utc(now)))


def intervals(outcomes: dict[Rating, Card], now: datetime) -> dict[Rating, timedelta]:
    return {r: c.due - _utc(now) for r, c in outcomes.items()}


def format_interval(delta: timedelta) -> str:
    """Anki-style short interval: <1m, 10m, 3h, 4d, 2.1mo, 1.3y."""
    seconds = delta.total_seconds()
    if seconds < 60:
        return "<1m"
    minutes = seconds / 60
    if minutes < 60:
        return f"{round(minutes)}m"
    hours = minutes / 60
    if hours < 24:
        return f"{round(hours)}h"
    days = hours / 24
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo"
    return f"{days / 365:.1f}y"


def _utc(dt: datetime) -> datetime:
    if dt.tzinfo is None:
        raise ValueError("datetimes must be timezone-aware")
    return dt.astimezone(UTC)


__all__ = [
    "DEFAULT_PARAMETERS", "RATINGS", "RIGHT_RATINGS", "WRONG_RATINGS", "Card", "Planner", "Rating", "Settings", "State",
    "allowed_ratings", "default_rating", "format_interval", "intervals", "make_scheduler",
]
