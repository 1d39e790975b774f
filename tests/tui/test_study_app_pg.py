"""The study app on PostgreSQL: while the server is down the screen says so and keeps the answer, and the
answer is logged exactly once, whether the store's own retry brings it in or, after the store gave up, the
learner sends it again."""

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


def _lock_waiters(url: str) -> list[int]:
    """The server processes of the sessions that wait for a lock (the app's read, behind the test's lock)."""
    with psycopg.connect(url) as conn:
        return [int(r[0]) for r in conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock'").fetchall()]


def _banner(screen: StudyScreen) -> str | None:
    banner = screen.query_one("#db-banner")
    return str(banner.render()) if banner.display else None


def _quick_keys(item: Any) -> list[str]:
    """Keys that answer ``item`` at once: Enter on a typed question's empty line (don't know), else the right ones."""
    return ["enter"] if isinstance(item.question, TypedQuestion) else right_keys(item)


async def _start(pilot: Any, app: NkStudyApp) -> StudyScreen:
    """The study screen on its first question (failing with why the progress could not be opened, if so)."""
    try:
        # polled first: on a busy machine the home screen's numbers may come after a moment with no worker
        await wait_for(pilot, lambda: app.engine_problem or (app.engine is not None and
                                                             getattr(app.screen, "overview", None)), timeout=20)
        return await start_study(pilot)
    except AssertionError as exc:
        raise AssertionError(f"{exc}: {app.engine_problem or app.errors}") from None


def _build(make_app: Callable[..., NkStudyApp], url: str) -> NkStudyApp:
    def engine(*args: Any, **kwargs: Any) -> Engine:
        return Engine(*args, fuzz=False, seed=7, db=url, **kwargs)

    return make_app(engine_factory=engine, db=url)


async def test_an_answer_given_while_the_server_is_down_is_kept_said_and_logged_once_it_is_back(
        make_app: Callable[..., NkStudyApp], pg_server: PgServer) -> None:
    url = pg_server.schema_url()
    app = _build(make_app, url)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _start(pilot, app)
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
        screen = await _start(pilot, app)
        assert app.engine is not None
        first = screen.item
        assert screen.outcome is None and _logged(url) == []
        # The answer's row commits; the read that follows it waits behind a lock, and its connection is
        # cut there, with no patience left to reconnect: the store gives up on an answer that is in the
        # log - the one case where a fresh id on the second try would log it twice.
        app.engine.store.backend.reconnect_seconds = 0.0
        with psycopg.connect(url) as locker:
            locker.execute("LOCK TABLE card_marks IN ACCESS EXCLUSIVE MODE")
            await pilot.press(*right_keys(first))
            await wait_for(pilot, lambda: _logged(url) == [(first.question.id, 1)] and _lock_waiters(url),
                           timeout=10)
            (app_backend,) = _lock_waiters(url)
            with psycopg.connect(url, autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", (app_backend,))
            await wait_for(pilot, lambda: app.errors and not screen.busy, timeout=10)  # the store gave up
        assert _banner(screen) == GAVE_UP and len(app.errors) == 1, (_banner(screen), app.errors)
        assert screen.outcome is None and screen.session is not None and screen.session.unsent
        # while it is kept, undo is not offered and Esc warns once instead of leaving
        assert screen.check_action("undo", ()) is None
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        app.engine.store.backend.reconnect_seconds = 30.0
        await pilot.press("ctrl+r")  # the same answer, under the same id
        await wait_for(pilot, lambda: screen.outcome is not None, timeout=20)
        assert _banner(screen) is None and not screen.kept() and screen.outcome.correct
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.outcome is None and screen.item is not None and not screen.busy)
        assert screen.item is not first
    assert _logged(url) == [(first.question.id, 1)]
