"""The toy question type (tests/toykit.py) in the app: its widget comes from ANSWER_WIDGETS."""

from __future__ import annotations

from pathlib import Path

from tui_helpers import answer, start_study

from nkstudy.core.packs.loader import load_pack
from nkstudy.tui.widgets.answers import TypedAnswer
from packfactory import PACK_YAML, write_pack
from toykit import ENTRIES, YearQuestion
from typekit import registered

YEAR_ONLY = """\
questions:
  - id: q-year
    type: year
    prompt: In which year did the official meet Kim Jong Un in Pyongyang?
    answer: "2024"
    source: art
    excerpt: A senior Chinese official reaffirmed ties with North Korea
"""


async def test_the_app_asks_and_grades_a_registered_toy_type(make_app, tmp_path: Path) -> None:
    with registered(YearQuestion, ENTRIES):
        result = load_pack(write_pack(tmp_path / "year", PACK_YAML, YEAR_ONLY))
        assert result.pack is not None, [p.format() for p in result.problems]
        app = make_app(packs=[result.pack])
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await start_study(pilot)
            assert isinstance(screen.item.question, YearQuestion)
            assert screen.query(TypedAnswer)
            await answer(pilot, right=True)
            assert screen.outcome.correct and screen.outcome.response_text == "2024"
