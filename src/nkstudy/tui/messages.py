"""Typed messages: engine results travel from worker threads to screens as these.

Workers never touch widgets.  They call the engine and post one of these
messages; the screen's handler updates its widgets on the UI thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message


@dataclass
class EngineReady(Message):
    """The engine is open (posted to the app)."""

    engine: Any


@dataclass
class OverviewLoaded(Message):
    """The home screen's numbers: every pack, what studying each would show, and today's summary."""

    overview: list[Any]  # PackOverview per pack (mastery)
    counts: list[Any]  # StudyCounts per pack (new today / learning / due)
    today: Any


@dataclass
class SessionStarted(Message):
    session: Any
    item: Any  # CurrentItem | None


@dataclass
class Answered(Message):
    outcome: Any  # AnswerOutcome
    score: Any  # SessionScore


@dataclass
class Moved(Message):
    """The session moved on (advance) or back (undo)."""

    item: Any  # CurrentItem | None
    score: Any
    undone: bool = False


@dataclass
class StatsLoaded(Message):
    stats: Any
    today: Any  # the study day the stats were computed for


@dataclass
class SettingsSaved(Message):
    settings: Any


@dataclass
class ProfilesLoaded(Message):
    profiles: list[str]
    current: str


@dataclass
class ProfileSwitched(Message):
    profile: str


@dataclass
class SessionFinished(Message):
    score: Any
    missed: list[Any]
