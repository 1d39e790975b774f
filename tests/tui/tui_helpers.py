"""Helpers for driving the app like a person would."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import suppress
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable
from textual.worker import WorkerCancelled, WorkerFailed

from nkstudy.core.model import (
    CardQuestion,
    ChoiceQuestion,
    MatchQuestion,
    MultiQuestion,
    OrderQuestion,
    Question,
    TrueFalseQuestion,
    TypedQuestion,
)
from nkstudy.core.questions import Unsupported, for_type
from nkstudy.tui.study.screens.study import StudyScreen


async def settle(pilot: Pilot[Any], timeout: float = 10.0) -> None:
    """Let the app run until no worker is running and every message posted so far is handled.

    Deterministic: it waits on the workers themselves (``app.workers.wait_for_complete()``)
    and on the message queues (``pilot.pause()``), again while a handled message starts
    another worker.  A worker that fails is left to the app to report, as in a real run.
    """
    app = pilot.app

    async def run() -> None:
        await pilot.pause()
        while app.workers:
            with suppress(WorkerFailed, WorkerCancelled):  # an exclusive worker replaced by the next one
                await app.workers.wait_for_complete()
            await pilot.pause()

    try:
        await asyncio.wait_for(run(), timeout)
    except TimeoutError:
        raise AssertionError(f"workers still running after {timeout} s: {list(app.workers)}") from None


async def settled(pilot: Pilot[Any], condition: Callable[[], Any], what: str = "") -> None:
    """Let the workers finish and their messages be handled, then require ``condition()``."""
    await settle(pilot)
    assert condition(), f"not so once the app settled: {what or condition}"


async def wait_for(pilot: Pilot[Any], condition: Callable[[], Any], timeout: float = 5.0) -> None:
    """Poll until ``condition()`` holds: only for what a timer drives (the board's reads, countdowns).

    Whatever a key press or a worker brings about is awaited with :func:`settled` instead.
    """
    for _ in range(int(timeout / 0.02)):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("timed out waiting for the app")


async def ready(pilot: Pilot[Any]) -> None:
    """Wait until the engine is open and the home screen shows its numbers, the mastery column measured
    to them (the table sizes its columns when idle: a snapshot taken before would show it narrow and empty)."""
    app = pilot.app

    def measured() -> bool:
        table = app.screen.query_one("#packs", DataTable)
        return all(c.content_width > len("Mastery") for c in table.columns.values() if c.key == "mastery")

    await settled(pilot, lambda: app.engine is not None and getattr(app.screen, "overview", None) and measured(),
                  "home ready")


async def press_to(pilot: Pilot[Any], key: str, screen_type: type) -> Any:
    """Press ``key`` and wait until the app shows a screen of ``screen_type``; returns that screen."""
    await pilot.press(key)
    await settled(pilot, lambda: isinstance(pilot.app.screen, screen_type), screen_type.__name__)
    return pilot.app.screen


async def start_study(pilot: Pilot[Any]) -> Any:
    """From home, study the highlighted pack; returns the study screen once its question is shown."""
    await ready(pilot)
    screen = await press_to(pilot, "enter", StudyScreen)
    await settled(pilot, lambda: screen.item is not None and not screen.busy and screen.query("#answer"))
    return screen


def static_text(app: Any, selector: str) -> str:
    widget = app.screen.query_one(selector)
    return str(widget.render())


_NOT_HERE = Unsupported("these helpers do not answer {type} questions")

#: question class → the keys that answer the current item right (see :func:`right_keys`)
RIGHT_KEYS: dict[type[Question], Callable[[Any, Any], list[str]] | Unsupported] = {
    TrueFalseQuestion: lambda item, q: ["1" if q.answer else "2"],
    ChoiceQuestion: lambda item, q: [str(item.shown.index(q.answer) + 1)],
    MultiQuestion: lambda item, q: [str(item.shown.index(o) + 1) for o in q.answer] + ["enter"],
    TypedQuestion: lambda item, q: [*q.answer, "enter"],
    OrderQuestion: _NOT_HERE,
    CardQuestion: _NOT_HERE,
    MatchQuestion: _NOT_HERE,
}

#: question class → keys that answer the current item wrong (see :func:`wrong_keys`)
WRONG_KEYS: dict[type[Question], Callable[[Any, Any], list[str]] | Unsupported] = {
    TrueFalseQuestion: lambda item, q: ["2" if q.answer else "1"],
    ChoiceQuestion: lambda item, q: [str(next(i for i, o in enumerate(item.shown, 1) if o != q.answer))],
    TypedQuestion: lambda item, q: [*"nonsense", "enter"],
    MultiQuestion: _NOT_HERE,
    OrderQuestion: _NOT_HERE,
    CardQuestion: _NOT_HERE,
    MatchQuestion: _NOT_HERE,
}


def _keys(table: dict[type[Question], Any], item: Any) -> list[str]:
    entry = for_type(table, type(item.question))
    if isinstance(entry, Unsupported):
        raise AssertionError(entry.why(type(item.question)))
    keys: list[str] = entry(item, item.question)
    return keys


def right_keys(item: Any) -> list[str]:
    """The keys that answer the current item correctly."""
    return _keys(RIGHT_KEYS, item)


def wrong_keys(item: Any) -> list[str]:
    return _keys(WRONG_KEYS, item)


async def answer(pilot: Pilot[Any], right: bool) -> None:
    screen = pilot.app.screen
    await settled(pilot, lambda: screen.item is not None and not screen.busy and screen.query("#answer"))
    await pilot.press(*(right_keys(screen.item) if right else wrong_keys(screen.item)))
    await settled(pilot, lambda: screen.outcome is not None and not screen.busy)
