"""The flashcard and match types in the app, by keyboard and by mouse."""

from __future__ import annotations

from pathlib import Path

from tui_helpers import settled, start_study

from nkstudy.core.model import CardQuestion, MatchQuestion
from nkstudy.core.packs.loader import load_pack
from nkstudy.core.study.schedule import Rating
from nkstudy.tui.widgets.answers import CardAnswer, MatchAnswer
from packfactory import CARD_MATCH_YAML, write_pack

SIZE = (80, 24)


def card_match_pack(tmp_path: Path):
    result = load_pack(write_pack(tmp_path / "cm", questions_yaml=CARD_MATCH_YAML))
    assert result.pack is not None, [p.format() for p in result.problems]
    return result.pack


async def _answered(pilot, screen) -> None:
    await settled(pilot, lambda: screen.outcome is not None and not screen.busy)


async def test_card_by_keyboard_then_match_by_keyboard(make_app, tmp_path: Path) -> None:
    app = make_app(packs=[card_match_pack(tmp_path)])
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_study(pilot)
        assert isinstance(screen.item.question, CardQuestion)
        card = screen.query_one(CardAnswer)
        await pilot.press("y")  # nothing to say before the answer is shown
        assert screen.outcome is None and "Choe" not in str(card.query_one("#back").render())
        await pilot.press("space")
        assert "Choe Ryong Hae" in str(card.query_one("#back").render())
        await pilot.press("y")
        await _answered(pilot, screen)
        assert screen.outcome.correct and screen.outcome.response_text == "knew it"
        assert screen.outcome.allowed == (Rating.Hard, Rating.Good, Rating.Easy)
        await pilot.press("enter")
        await settled(pilot, lambda: screen.outcome is None and screen.query(MatchAnswer))
        q = screen.item.question
        assert isinstance(q, MatchQuestion)
        shown = screen.item.shown
        for left, right in q.pairs:  # the list starts on the first left item and moves down on each pair
            assert left in q.lefts()
            await pilot.press(str(shown.index(right) + 1))
        await pilot.press("enter")
        await _answered(pilot, screen)
        assert screen.outcome.correct, screen.outcome.response_text
        assert not app.errors


async def test_card_not_known_and_match_by_mouse(make_app, tmp_path: Path) -> None:
    app = make_app(packs=[card_match_pack(tmp_path)])
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_study(pilot)
        await pilot.click("#reveal")
        await pilot.click("#didnt")
        await _answered(pilot, screen)
        assert not screen.outcome.correct and screen.outcome.allowed == (Rating.Again,)
        await pilot.press("enter")
        await settled(pilot, lambda: screen.outcome is None and screen.query(MatchAnswer))
        widget = screen.query_one(MatchAnswer)
        q = screen.item.question
        wrong = {left: next(r for r in widget.shown if r != right) for left, right in q.pairs}
        for i, left in enumerate(q.lefts()):
            await pilot.click("#choices", offset=(2, 1 + i))  # row i, below the border
            await pilot.click("#answers", offset=(4, 1 + widget.shown.index(wrong[left])))
            await pilot.pause()
        assert len(widget.paired) == len(q.pairs)
        await pilot.click("#check")
        await _answered(pilot, screen)
        assert not screen.outcome.correct
        assert all(f"{left} → {wrong[left]}" in screen.outcome.response_text for left in q.lefts())
