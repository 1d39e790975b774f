"""Helpers for driving the app like a person would."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

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


async def wait_for(pilot: Pilot[Any], condition: Callable[[], Any], timeout: float = 5.0) -> None:
    """Let the app run until ``condition()`` holds (workers run in threads)."""
    for _ in range(int(timeout / 0.02)):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("timed out waiting for the app")


async def ready(pilot: Pilot[Any]) -> None:
    """Wait until the engine is open and the home screen shows its numbers."""
    app = pilot.app
    await wait_for(pilot, lambda: app.engine is not None and getattr(app.screen, "overview", None))
    await pilot.pause()


async def press_to(pilot: Pilot[Any], key: str, screen_type: type) -> Any:
    """Press ``key`` and wait until the app shows a screen of ``screen_type``; returns that screen."""
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, screen_type))
    return pilot.app.screen


async def start_study(pilot: Pilot[Any]) -> Any:
    """From home, study the highlighted pack; returns the study screen once its question is shown."""
    await ready(pilot)
    screen = await press_to(pilot, "enter", StudyScreen)
    await wait_for(pilot, lambda: screen.item is not None and not screen.busy and screen.query("#answer"))
    await pilot.pause()
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
    await wait_for(pilot, lambda: screen.item is not None and not screen.busy and screen.query("#answer"))
    await pilot.pause()
    await pilot.press(*(right_keys(screen.item) if right else wrong_keys(screen.item)))
    await wait_for(pilot, lambda: screen.outcome is not None and not screen.busy)
    await pilot.pause()
