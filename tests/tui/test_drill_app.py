"""The drill app and its join screen, driven with Pilot against a real pack, a real database and a fixed clock."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import settled, wait_for

from classkit import ALL, CHOICE_ONLY, right_keys
from enginekit import Clock, make_pack
from nkstudy.core.classroom.drill import DrillSpec
from nkstudy.drillroom import Limits, open_drill
from nkstudy.store.db import Store
from nkstudy.store.drills import read_results_file, results_for
from nkstudy.tui.classroom.drill_app import DrillApp
from nkstudy.tui.classroom.screens.drill import DrillScreen
from nkstudy.tui.classroom.screens.join import JoinScreen
from nkstudy.tui.widgets.answers import ChoiceList

SIZE = (80, 24)


class Ticks:
    """A monotonic clock the test moves (the timers' only source of time)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def test_pack(tmp_path: Path):
    return make_pack(tmp_path / "test-pack")


def _results(data: Path, code: str, profile: str | None = None):
    store = Store(data / "progress.sqlite3")
    try:
        return results_for(store, code, profile)
    finally:
        store.close()


async def _question_shown(pilot, screen: DrillScreen) -> None:
    await settled(pilot, lambda: screen.item is not None and not screen.busy and screen.query("#answer"))


async def test_a_whole_drill_by_keys_commits_each_answer_and_ends_with_the_missed_excerpts(tmp_path, test_pack):
    drill = open_drill(DrillSpec.parse(ALL), [test_pack])
    data = tmp_path / "data"
    app = DrillApp(drill, data, "ann", Clock(), results_file=tmp_path / "ann.json", theme="textual-dark")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, DrillScreen)
        for n, item in enumerate(drill.items, start=1):
            await _question_shown(pilot, screen)
            assert screen.item == item
            if item.question.id == "q-tf":
                await pilot.press("d")  # don't know: counts as wrong
            else:
                await pilot.press(*right_keys(item))
            await settled(pilot, lambda n=n: screen.sitting is not None and len(screen.sitting.results) == n)
            # committed before the next question is shown: in the database and in the result file
            assert len(_results(data, drill.code, "ann")) == n
            assert len(read_results_file(tmp_path / "ann.json")[1]) == n
        await settled(pilot, lambda: screen.over)
        end = str(screen.query_one("#drill-end").render())
    rows = _results(data, drill.code, "ann")
    assert [r.correct for r in rows] == [r.question_id != "q-tf" for r in rows]
    assert "Score: 5 of 6 right (83%)" in end
    assert "You did not know." in end and "during a meeting Saturday" in end  # the missed one's excerpt
    assert "Test Wire" in end  # its citation
    assert "in which city" not in end  # questions answered right are not listed


async def test_a_click_answers_a_choice_question(tmp_path, test_pack):
    drill = open_drill(DrillSpec.parse(CHOICE_ONLY), [test_pack])
    app = DrillApp(drill, tmp_path / "data", "bea", Clock(), theme="textual-dark")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await _question_shown(pilot, screen)
        options = screen.query_one(ChoiceList)
        picked = drill.items[0].options.index("Pyongyang")
        await pilot.click(ChoiceList, offset=(4, 1 + picked))
        await settled(pilot, lambda: screen.over)
        assert options.highlighted == picked
    (row,) = _results(tmp_path / "data", drill.code)
    assert row.correct and row.answer == "Pyongyang" and row.picked == ("Pyongyang",)


async def test_time_up_counts_as_unanswered_and_the_countdown_shows(tmp_path, test_pack):
    drill = open_drill(DrillSpec.parse(ALL), [test_pack])
    ticks = Ticks()
    app = DrillApp(drill, tmp_path / "data", "cai", Clock(), limits=Limits(per_question=30), monotonic=ticks,
                   theme="textual-dark")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await _question_shown(pilot, screen)
        ticks.now += 12
        await pilot.pause(0.3)
        assert "18s left" in str(screen.query_one("#drill-status").render())
        ticks.now += 19  # past the 30 seconds: the next tick (a timer) gives up the question
        await wait_for(pilot, lambda: screen.sitting is not None and len(screen.sitting.results) == 1)
        await _question_shown(pilot, screen)
        assert screen.item == drill.items[1]
        assert "30s left" in str(screen.query_one("#drill-status").render())
    (row,) = _results(tmp_path / "data", drill.code)
    assert not row.answered and not row.correct and row.answer == ""


async def test_the_drill_time_limit_ends_the_drill(tmp_path, test_pack):
    drill = open_drill(DrillSpec.parse(ALL), [test_pack])
    ticks = Ticks()
    app = DrillApp(drill, tmp_path / "data", "dan", Clock(), limits=Limits(total=60), monotonic=ticks,
                   theme="textual-dark")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await _question_shown(pilot, screen)
        await pilot.press(*right_keys(drill.items[0]))
        await _question_shown(pilot, screen)
        assert screen.item == drill.items[1]
        ticks.now += 61  # the next tick (a timer) ends the drill
        await wait_for(pilot, lambda: screen.over)
        await pilot.pause()  # the end is shown once finish() has run to its end
        assert "not reached" in str(screen.query_one("#drill-prompt").render())
        assert "4 not reached" in str(screen.query_one("#drill-end").render())
    rows = _results(tmp_path / "data", drill.code)
    assert [(r.correct, r.answered) for r in rows] == [(True, True), (False, False)]


async def test_pack_text_is_never_markup(tmp_path, pack):
    drill = open_drill(DrillSpec.parse("tui-pack@1.0#1/1;tag=context"), [pack])
    app = DrillApp(drill, tmp_path / "data", "eve", Clock(), theme="textual-dark")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await _question_shown(pilot, screen)
        prompt = str(screen.query_one("#drill-prompt").render())
        assert "[bold]True or false[/bold] [@click=app.quit]" in prompt
        await pilot.press("2")  # wrong: the excerpt with its markup-looking text is listed at the end
        await settled(pilot, lambda: screen.over)
        assert "[bold]highest-level[/bold]" in str(screen.query_one("#drill-end").render())
        assert app.is_running  # nothing in the pack text was run as an action


async def test_ctrl_q_quits(tmp_path, test_pack):
    drill = open_drill(DrillSpec.parse(ALL), [test_pack])
    app = DrillApp(drill, tmp_path / "data", "fay", Clock(), theme="textual-dark")
    async with app.run_test(size=SIZE) as pilot:
        await _question_shown(pilot, app.screen)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0 and not app.is_running


# -- the join screen (nkstudy serve) -------------------------------------------
async def _type(pilot, selector: str, text: str) -> None:
    await pilot.click(selector)
    await pilot.press(*["space" if ch == " " else ch for ch in text])


async def test_join_refuses_a_wrong_code_and_a_bad_name_then_drills_as_that_name(tmp_path, test_pack):
    drill = open_drill(DrillSpec.parse(CHOICE_ONLY), [test_pack])
    data = tmp_path / "data"
    app = DrillApp(drill, data, None, Clock(), class_code="K7QP2M", theme="textual-dark")
    async with app.run_test(size=SIZE) as pilot:
        join = app.screen
        assert isinstance(join, JoinScreen)
        await _type(pilot, "#join-name", "Mallory")
        await _type(pilot, "#join-code", "K7QP2N")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is join
        assert "not the class code" in str(join.query_one("#join-error").render())
        assert not (data / "progress.sqlite3").exists()  # nothing was opened, no profile made
        await wait_for(pilot, lambda: not join.query_one("#join-go").disabled, timeout=3)

        join.query_one("#join-name").value = "  \x1b[31mZoe"
        await _type(pilot, "#join-code", "k7qp2m")
        await pilot.click("#join-go")
        await pilot.pause()
        assert app.screen is join and "control character" in str(join.query_one("#join-error").render())

        join.query_one("#join-name").value = "  Zoe K "
        await pilot.click("#join-go")
        await settled(pilot, lambda: isinstance(app.screen, DrillScreen))
        screen = app.screen
        await _question_shown(pilot, screen)
        await pilot.press(*right_keys(drill.items[0]))
        await settled(pilot, lambda: screen.over)
    (row,) = _results(data, drill.code)
    assert row.profile == "Zoe K" and row.correct
