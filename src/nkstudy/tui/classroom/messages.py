"""Typed messages of the classroom apps (drill, join, board): from worker threads to their screens.

Kept apart from :mod:`nkstudy.tui.study.messages` (the study app's), as the
classroom apps are small apps of their own.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from nkstudy.core.classroom.live import LiveState
from nkstudy.drillroom import Answered, Board, Sitting
from nkstudy.liveroom import LiveSeat, LiveView
from nkstudy.tui.screens.workers import DatabaseWaiting as DatabaseWaiting  # shared with the study app


@dataclass
class SittingOpened(Message):
    """The sitting is open: its database is ready for the first answer."""

    sitting: Sitting


@dataclass
class DrillAnswered(Message):
    """An answer is committed (to the database, and the result file if any)."""

    answered: Answered


@dataclass
class BoardRead(Message):
    """The board as the database holds it now."""

    board: Board


@dataclass
class LiveRead(Message):
    """How the live drill stands now (after the host's move, if any)."""

    view: LiveView


@dataclass
class LiveSeatOpened(Message):
    """A student has joined (or rejoined) a live drill."""

    seat: LiveSeat


@dataclass
class LiveSeen(Message):
    """Where the live drill stands, as a student's poll read it (None: not opened yet)."""

    state: LiveState | None
