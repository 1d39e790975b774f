"""What a student sees, at 80x24, as docs/classroom.md shows it: the drill app (a question, and the end
after answering) and a live drill's student screen while a question is asked.

Snapshots (pytest-textual-snapshot): docs/classroom.md links the SVGs under
``__snapshots__/test_classroom_shots/``, so the pictures in the docs are the
ones these tests check.  Regenerate with ``--snapshot-update`` and look at them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import settled, wait_for

from classkit import CHOICE_ONLY, right_keys
from enginekit import Clock, make_pack
from nkstudy.core.classroom.drill import DrillSpec
from nkstudy.drillroom import open_drill
from nkstudy.liveroom import LiveHost
from nkstudy.tui.classroom.drill_app import DrillApp
from nkstudy.tui.classroom.screens.drill import DrillScreen

SIZE = (80, 24)


@pytest.fixture
def drill(tmp_path: Path):
    return open_drill(DrillSpec.parse(CHOICE_ONLY), [make_pack(tmp_path / "test-pack")])


async def _question(pilot) -> None:
    screen = pilot.app.screen
    await settled(pilot, lambda: isinstance(screen, DrillScreen) and screen.item is not None
                  and not screen.busy and screen.query("#answer"))


def test_drill_question_snapshot(snap_compare, tmp_path: Path, drill) -> None:
    app = DrillApp(drill, tmp_path / "data", "Zoe K", Clock(), theme="textual-dark")
    assert snap_compare(app, terminal_size=SIZE, run_before=_question)


def test_drill_end_snapshot(snap_compare, tmp_path: Path, drill) -> None:
    (item,) = drill.items
    right = right_keys(item)
    wrong = next(str(n) for n in range(1, len(item.options) + 1) if [str(n)] != right)
    app = DrillApp(drill, tmp_path / "data", "Zoe K", Clock(), theme="textual-dark")

    async def run_before(pilot) -> None:
        await _question(pilot)
        await pilot.press(wrong)
        await settled(pilot, lambda: pilot.app.screen.over)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_live_student_question_snapshot(snap_compare, tmp_path: Path, drill) -> None:
    clock = Clock()
    host = LiveHost(drill, tmp_path / "data", clock=clock, seconds=20)
    try:
        host.next()  # the teacher asks the first question
        clock.advance(seconds=6)
        app = DrillApp(drill, tmp_path / "data", "Zoe K", clock, live=True, theme="textual-dark")

        async def run_before(pilot) -> None:
            await wait_for(pilot, lambda: getattr(pilot.app.screen, "item", None) is not None)
            await pilot.pause()

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
    finally:
        host.close()
