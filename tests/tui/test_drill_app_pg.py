"""The drill app on PostgreSQL: while the server is down the screen says so and keeps the answer, then sends it once."""

from __future__ import annotations

from pathlib import Path

from tui_helpers import wait_for

from classkit import ALL, right_keys
from enginekit import Clock, make_pack
from nkstudy.core.classroom.drill import DrillSpec
from nkstudy.core.model import TypedQuestion
from nkstudy.drillroom import open_drill
from nkstudy.store.backend import parse_location
from nkstudy.store.db import Store
from nkstudy.store.drills import results_for
from nkstudy.tui.classroom.drill_app import DrillApp
from nkstudy.tui.classroom.screens.drill import DrillScreen
from pgkit import PgServer


def _count(url: str, code: str) -> int:
    store = Store(parse_location(url))
    try:
        return len(results_for(store, code, "ann"))
    finally:
        store.close()


async def test_an_answer_sent_while_the_server_is_down_waits_and_lands_once(tmp_path: Path,
                                                                            pg_server: PgServer) -> None:
    url = pg_server.schema_url()
    drill = open_drill(DrillSpec.parse(ALL), [make_pack(tmp_path / "test-pack")])
    app = DrillApp(drill, tmp_path / "data", "ann", Clock(), theme="textual-dark", db=url)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, DrillScreen)
        await wait_for(pilot, lambda: screen.item is not None and not screen.busy)
        await pilot.press(*right_keys(drill.items[0]))
        await wait_for(pilot, lambda: screen.sitting is not None and len(screen.sitting.results) == 1)
        await wait_for(pilot, lambda: screen.item is not None and not screen.busy)
        pg_server.pg_ctl_stop("fast")
        try:
            await pilot.press(*right_keys(drill.items[1]))
            await wait_for(pilot, lambda: "not answering" in str(screen.query_one("#drill-status").render()),
                           timeout=10)
            assert screen.sitting is not None and len(screen.sitting.results) == 1  # kept, not yet in
        finally:
            pg_server.pg_ctl_start()
        await wait_for(pilot, lambda: len(screen.sitting.results) == 2, timeout=20)
        await wait_for(pilot, lambda: "Question 3 of" in str(screen.query_one("#drill-status").render()))
    assert not (tmp_path / "data" / "progress.sqlite3").exists()
    assert _count(url, drill.code) == 2


async def test_an_answer_the_database_gave_up_on_stays_on_screen_and_is_sent_again_once(
        tmp_path: Path, pg_server: PgServer) -> None:
    url = pg_server.schema_url()
    drill = open_drill(DrillSpec.parse(ALL), [make_pack(tmp_path / "test-pack")])
    app = DrillApp(drill, tmp_path / "data", "ann", Clock(), theme="textual-dark", db=url)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, DrillScreen)
        await wait_for(pilot, lambda: screen.item is not None and not screen.busy)
        assert screen.sitting is not None
        screen.sitting.store.backend.reconnect_seconds = 0.2  # the store's patience (30 s), shortened
        first = drill.items[0]
        pg_server.pg_ctl_stop("fast")
        try:
            await pilot.press(*right_keys(first))
            await wait_for(pilot, lambda: "Not saved" in str(screen.query_one("#drill-status").render()),
                           timeout=10)
            assert not screen.sitting.results and not screen.busy
            assert not screen.query_one("#answer").disabled  # the answer is there, to send again
        finally:
            pg_server.pg_ctl_start()
        screen.sitting.store.backend.reconnect_seconds = 30.0  # patient again for the second try
        again = ["enter"] if isinstance(first.question, TypedQuestion) else right_keys(first)
        await pilot.press(*again)
        await wait_for(pilot, lambda: len(screen.sitting.results) == 1, timeout=10)
        await wait_for(pilot, lambda: "Question 2 of" in str(screen.query_one("#drill-status").render()))
        assert screen.sitting.results[0].correct
    assert _count(url, drill.code) == 1
