"""Typed messages: engine results travel from worker threads to screens as these.

Workers never touch widgets.  They call the engine and post one of these
messages; the screen's handler updates its widgets on the UI thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from textual.message import Message

from nkstudy.core.study.results import (
    AnswerOutcome,
    CurrentItem,
    PackOverview,
    ProfileSummary,
    SessionScore,
    Stats,
    StudyCounts,
    TodaySummary,
)
from nkstudy.core.study.schedule import Settings

if TYPE_CHECKING:
    from nkstudy.cardbook import CardHistory
    from nkstudy.core.study.browse import CardInfo
    from nkstudy.core.study.session import StudySession
    from nkstudy.engine import Engine


@dataclass
class EngineReady(Message):
    """The engine is open (posted to the app)."""

    engine: Engine


@dataclass
class OverviewLoaded(Message):
    """The home screen's numbers: every pack, what studying each would show, and today's summary."""

    overview: list[PackOverview]
    today: TodaySummary

    @property
    def counts(self) -> list[StudyCounts]:
        return [o.counts for o in self.overview]


@dataclass
class SessionStarted(Message):
    session: StudySession
    item: CurrentItem | None
    score: SessionScore
    upcoming: str = ""  # when nothing is due: when the next card is, and how many tomorrow


@dataclass
class Answered(Message):
    outcome: AnswerOutcome
    score: SessionScore


@dataclass
class Remarked(Message):
    """The answer just given was overridden ("I was right"), or its card suspended, buried or flagged."""

    outcome: AnswerOutcome
    score: SessionScore


@dataclass
class CardsFound(Message):
    """The card browser's search result."""

    cards: list[CardInfo]


@dataclass
class CardShown(Message):
    """One card of the browser with its answers (after a change, too)."""

    history: CardHistory


@dataclass
class Moved(Message):
    """The session moved on (advance) or back (undo)."""

    item: CurrentItem | None
    score: SessionScore
    undone: bool = False


@dataclass
class StatsLoaded(Message):
    stats: Stats
    today: date  # the study day the stats were computed for


@dataclass
class SettingsSaved(Message):
    settings: Settings


@dataclass
class ProfilesLoaded(Message):
    profiles: list[ProfileSummary]
    current: str


@dataclass
class ProfileRefused(Message):
    """The engine refused a profile change (a bad name, the profile in use): its one line."""

    problem: str


@dataclass
class ProfileDeleted(Message):
    """A profile and its progress were deleted."""

    name: str


@dataclass
class ProfileRenamed(Message):
    old: str
    new: str


@dataclass
class ProfileSwitched(Message):
    profile: str


@dataclass
class SessionFinished(Message):
    score: SessionScore
    missed: list[CurrentItem]
    complete: bool = True  # False: Esc ended it before the last card
