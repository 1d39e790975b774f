"""Helpers for driving the app like a person would."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from nkstudy.core.model import (
    ChoiceQuestion,
    MultiQuestion,
    OrderQuestion,
    TrueFalseQuestion,
    TypedQuestion,
)
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


def right_keys(item: Any) -> list[str]:
    """The keys that answer the current item correctly."""
    q = item.question
    if isinstance(q, TrueFalseQuestion):
        return ["1" if q.answer else "2"]
    if isinstance(q, ChoiceQuestion):
        return [str(item.shown.index(q.answer) + 1)]
    if isinstance(q, MultiQuestion):
        return [str(item.shown.index(o) + 1) for o in q.answer] + ["enter"]
    if isinstance(q, TypedQuestion):
        return [*q.answer, "enter"]
    if isinstance(q, OrderQuestion):
        raise NotImplementedError
    raise AssertionError(type(q))


def wrong_keys(item: Any) -> list[str]:
    q = item.question
    if isinstance(q, TrueFalseQuestion):
        return ["2" if q.answer else "1"]
    if isinstance(q, ChoiceQuestion):
        return [str(next(i for i, o in enumerate(item.shown, 1) if o != q.answer))]
    if isinstance(q, TypedQuestion):
        return [*"nonsense", "enter"]
    raise AssertionError(type(q))


async def answer(pilot: Pilot[Any], right: bool) -> None:
    screen = pilot.app.screen
    await wait_for(pilot, lambda: screen.item is not None and not screen.busy and screen.query("#answer"))
    await pilot.pause()
    await pilot.press(*(right_keys(screen.item) if right else wrong_keys(screen.item)))
    await wait_for(pilot, lambda: screen.outcome is not None and not screen.busy)
    await pilot.pause()
