"""The study app on PostgreSQL: while the server is down the screen says so and keeps the answer, and the
answer is logged exactly once, whether the store's own retry brings it in or the learner sends it again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import psycopg
from tui_helpers import answer, right_keys, start_study, wait_for

from nkstudy.core.model import TypedQuestion
from nkstudy.engine import Engine
from nkstudy.tui.study.app import NkStudyApp
from nkstudy.tui.study.screens.study import GAVE_UP, WAITING, StudyScreen
from pgkit import PgServer


def _logged(url: str) -> list[tuple[str, int]]:
    """Each question answered, with the number of log rows it has (every row under its own uid)."""
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT question_id, count(*), count(DISTINCT uid) FROM reviews "
                            "GROUP BY question_id ORDER BY question_id").fetchall()
    assert all(n == uids for _q, n, uids in rows)
    return [(q, n) for q, n, _uids in rows]


def _banner(screen: StudyScreen) -> str | None:
    banner = screen.query_one("#db-banner")
    return str(banner.render()) if banner.display else None


def _quick_keys(item: Any) -> list[str]:
    """Keys that answer ``item`` at once: Enter on a typed question's empty line (don't know), else the right ones."""
    return ["enter"] if isinstance(item.question, TypedQuestion) else right_keys(item)


def _build(make_app: Callable[..., NkStudyApp], url: str) -> NkStudyApp:
    def engine(*args: Any, **kwargs: Any) -> Engine:
        return Engine(*args, fuzz=False, seed=7, db=url, **kwargs)

    return make_app(engine_factory=engine, db=url)


async def test_an_answer_given_while_the_server_is_down_is_kept_said_and_logged_once_it_is_back(
        make_app: Callable[..., NkStudyApp], pg_server: PgServer) -> None:
    url = pg_server.schema_url()
    app = _build(make_app, url)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_study(pilot)
        await answer(pilot, right=True)
        await pilot.press("enter")  # Good: the next question
        await wait_for(pilot, lambda: screen.outcome is None and screen.item is not None and not screen.busy)
        second = screen.item
        pg_server.pg_ctl_stop("fast")
        try:
            await pilot.press(*_quick_keys(second))
            await wait_for(pilot, lambda: _banner(screen) == WAITING, timeout=10)
            assert screen.outcome is None and screen.busy and screen.kept()  # in the worker, retried
        finally:
            pg_server.pg_ctl_start()
        await wait_for(pilot, lambda: screen.outcome is not None, timeout=20)  # the store's retry took it
        assert _banner(screen) is None and not screen.kept() and not app.errors
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.outcome is None and screen.item is not None and not screen.busy)
        assert screen.item is not second  # the session goes on
    assert sum(n for _q, n in _logged(url)) == 2
    assert (second.question.id, 1) in _logged(url)


async def test_after_the_store_gives_up_the_kept_answer_is_sent_again_by_hand_and_logged_once(
        make_app: Callable[..., NkStudyApp], pg_server: PgServer) -> None:
    url = pg_server.schema_url()
    app = _build(make_app, url)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_study(pilot)
        assert app.engine is not None
        app.engine.store.backend.reconnect_seconds = 0.2  # the store's patience (30 s), shortened
        first = screen.item
        # The answer's row commits, then the read that follows it waits on a lock, and the server
        # goes down under it: the one case where a fresh id on the retry would log the answer twice.
        locker = psycopg.connect(url)
        try:
            locker.execute("LOCK TABLE card_marks IN ACCESS EXCLUSIVE MODE")
            await pilot.press(*right_keys(first))
            await wait_for(pilot, lambda: _logged(url) == [(first.question.id, 1)], timeout=10)
            pg_server.pg_ctl_stop("fast")
        finally:
            locker.close()
        try:
            await wait_for(pilot, lambda: _banner(screen) == GAVE_UP, timeout=20)
            assert screen.outcome is None and screen.session is not None and screen.session.unsent
            assert len(app.errors) == 1 and not screen.busy
            # while it is kept, undo is not offered and Esc warns once instead of leaving
            assert screen.check_action("undo", ()) is None
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is screen
        finally:
            pg_server.pg_ctl_start()
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.outcome is not None, timeout=20)
        assert _banner(screen) is None and not screen.kept() and screen.outcome.correct
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.outcome is None and screen.item is not None and not screen.busy)
        assert screen.item is not first
    assert _logged(url) == [(first.question.id, 1)]
