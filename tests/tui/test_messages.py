"""The study app as its messages tell it (``run_test(message_hook=...)``): attributes down, messages up."""

from __future__ import annotations

from textual.message import Message
from textual.worker import Worker, WorkerState
from tui_helpers import answer, settled, start_study

from nkstudy.core.study.schedule import Rating
from nkstudy.tui.study.messages import Answered, EngineReady, Moved, OverviewLoaded, SessionStarted
from nkstudy.tui.widgets.answers import AnswerWidget
from nkstudy.tui.widgets.rating import RatingBar

SIZE = (80, 24)
FLOW = (EngineReady, OverviewLoaded, SessionStarted, AnswerWidget.Submitted, Answered, RatingBar.Accepted, Moved)


def posted(messages: list[Message], kinds: tuple[type[Message], ...]) -> list[Message]:
    """Each message of ``kinds`` once, in the order posted (a bubbling one arrives at every node on its way)."""
    seen: set[int] = set()
    out = []
    for m in messages:
        if isinstance(m, kinds) and id(m) not in seen:
            seen.add(id(m))
            out.append(m)
    return out


async def test_start_answer_and_rate_are_each_one_message_in_order(make_app) -> None:
    messages: list[Message] = []
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        screen = await start_study(pilot)
        first = screen.item
        await answer(pilot, right=True)
        await pilot.press("enter")  # accept Good
        await settled(pilot, lambda: screen.outcome is None and not screen.busy)
    flow = posted(messages, FLOW)
    assert [type(m) for m in flow] == list(FLOW)
    ready, overview, started, submitted, answered, accepted, moved = flow
    assert isinstance(ready, EngineReady) and isinstance(overview, OverviewLoaded)
    assert [o.pack_id for o in overview.overview] == ["tui-pack"]
    assert isinstance(started, SessionStarted) and started.item == first
    assert isinstance(answered, Answered) and answered.outcome.correct and answered.score.answered == 1
    assert isinstance(submitted, AnswerWidget.Submitted) and submitted.response is not None
    assert isinstance(accepted, RatingBar.Accepted) and accepted.rating == Rating.Good
    assert isinstance(moved, Moved) and moved.item is not None and moved.item != first and not moved.undone
    assert not [m for m in messages if isinstance(m, Worker.StateChanged) and m.state == WorkerState.ERROR]
