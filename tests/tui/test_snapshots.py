"""Snapshots of the main screens at 80×24 (regenerate with --snapshot-update)."""

from __future__ import annotations

from tui_helpers import answer, ready, settled, start_study

from nkstudy.tui.study.screens.reader import ReaderScreen
from nkstudy.tui.study.screens.stats import StatsScreen
from nkstudy.tui.study.screens.timeline import TimelineScreen

SIZE = (80, 24)



def test_home(snap_compare, make_app) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=ready)


def test_study_question(snap_compare, make_app) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=start_study)


def test_study_after_answer(snap_compare, make_app) -> None:
    async def run_before(pilot) -> None:
        await start_study(pilot)
        await answer(pilot, right=True)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_summary(snap_compare, make_app) -> None:
    async def run_before(pilot) -> None:
        await start_study(pilot)
        await answer(pilot, right=False)
        await pilot.press("escape")
        await settled(pilot, lambda: type(pilot.app.screen).__name__ == "SummaryScreen")

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_reader(snap_compare, make_app) -> None:
    async def run_before(pilot) -> None:
        await ready(pilot)
        await pilot.press("r")
        await settled(pilot, lambda: isinstance(pilot.app.screen, ReaderScreen))
        await pilot.press("n")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_timeline(snap_compare, make_app) -> None:
    async def run_before(pilot) -> None:
        await ready(pilot)
        await pilot.press("t")
        await settled(pilot, lambda: isinstance(pilot.app.screen, TimelineScreen))

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_stats(snap_compare, make_app) -> None:
    async def run_before(pilot) -> None:
        await start_study(pilot)
        await answer(pilot, right=True)
        await pilot.press("escape")
        await settled(pilot, lambda: type(pilot.app.screen).__name__ == "SummaryScreen")
        await pilot.press("escape")
        await ready(pilot)
        await pilot.press("s")
        await settled(pilot, lambda: isinstance(pilot.app.screen, StatsScreen))
        screen = pilot.app.screen
        await settled(pilot, lambda: "answer" in str(screen.query_one("#stats-summary").render()))

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_help(snap_compare, make_app) -> None:
    async def run_before(pilot) -> None:
        await ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)
