"""Serve's door: Origin, --max-visitors, wrong-code limits across connections, names as identities, rosters."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest

from classkit import CHOICE_ONLY, free_port, nkstudy, nkstudy_env, start_serve
from enginekit import make_pack
from nkstudy.core.classroom.gate import RateRule, RosterError, read_roster
from nkstudy.door import Door
from nkstudy.store.db import Store


async def _ws(url: str, origin: str | None) -> int:
    """The HTTP status the websocket handshake gets (101 when a session opened)."""
    headers = {"Origin": origin} if origin is not None else {}
    async with aiohttp.ClientSession() as session:
        try:
            async with session.ws_connect(url.replace("http://", "ws://") + "/ws?width=80&height=24",
                                          headers=headers) as ws:
                await ws.receive(timeout=10)  # the visitor's app started and wrote something
                return 101
        except aiohttp.WSServerHandshakeError as exc:
            return exc.status


async def _page(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session, session.get(url + "/") as response:
        return response.status, await response.text()


def test_the_websocket_takes_only_pages_of_this_server_or_an_allowed_origin(home: Path) -> None:
    make_pack(home / "packs" / "test-pack")
    env = nkstudy_env(home / "data", home / "packs")
    served = start_serve(env, CHOICE_ONLY, "--port", str(free_port()), "--allow-origin", "https://class.example.org")
    try:
        assert asyncio.run(_ws(served.url, "https://evil.example.com")) == 403
        assert asyncio.run(_ws(served.url, "http://127.0.0.1:1")) == 403  # another port is another site
        assert asyncio.run(_ws(served.url, served.url)) == 101
        assert asyncio.run(_ws(served.url, "https://class.example.org")) == 101
    finally:
        code, _out, err = served.stop()
    assert code == 0, err


async def _two_visitors(url: str) -> tuple[int, int, str]:
    headers = {"Origin": url}
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(url.replace("http://", "ws://") + "/ws", headers=headers) as first:
            await first.receive(timeout=10)
            try:
                async with session.ws_connect(url.replace("http://", "ws://") + "/ws", headers=headers):
                    second = 101
            except aiohttp.WSServerHandshakeError as exc:
                second = exc.status
            async with session.get(url + "/") as page:
                return second, page.status, await page.text()


def test_max_visitors_refuses_the_next_one_with_a_page_saying_the_class_is_full(home: Path) -> None:
    make_pack(home / "packs" / "test-pack")
    env = nkstudy_env(home / "data", home / "packs")
    served = start_serve(env, CHOICE_ONLY, "--port", str(free_port()), "--max-visitors", "1")
    try:
        status, _text = asyncio.run(_page(served.url))
        assert status == 200
        second, page_status, page = asyncio.run(_two_visitors(served.url))
        assert second == 503 and page_status == 503 and "The class is full" in page and "--max-visitors" in page
        deadline = time.monotonic() + 15
        while asyncio.run(_page(served.url))[0] != 200:  # the first visitor left: room again
            assert time.monotonic() < deadline
            time.sleep(0.3)
    finally:
        code, _out, err = served.stop()
    assert code == 0, err
    bad = nkstudy("serve", CHOICE_ONLY, "--max-visitors", "0", env=env)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1


def _door(tmp_path: Path, address: str, pid: int | None = None, **kw: object) -> Door:
    door = Door(CHOICE_ONLY, tmp_path / "data", "K7QP2M", tmp_path / "gate.sqlite3", address=address, **kw)
    if pid is not None:
        door.pid = pid
    return door


def test_wrong_codes_are_limited_per_address_across_connections_and_in_total(tmp_path: Path) -> None:
    rule = RateRule(per_address=3, total=5, window=60)
    now = 1000.0
    for n in range(3):  # three connections from one address, one wrong code each
        assert _door(tmp_path, "10.0.0.7", rule=rule).enter("Zoe", "WRONG1", now + n) == (
            None, "That is not the class code; ask your teacher for it.")
    name, why = _door(tmp_path, "10.0.0.7", rule=rule).enter("Zoe", "K7QP2M", now + 3)  # even the right code waits
    assert name is None and "Too many wrong class codes; wait 57 seconds" in why
    assert _door(tmp_path, "10.0.0.8", rule=rule).enter("Ann", "k7qp2m", now + 3) == ("Ann", "")
    for n in range(2):
        _door(tmp_path, f"10.0.1.{n}", rule=rule).enter("Bo", "WRONG1", now + 4)
    name, why = _door(tmp_path, "10.0.0.9", rule=rule).enter("Cy", "K7QP2M", now + 5)  # 5 in all: everyone waits
    assert name is None and "wait 55 seconds" in why
    assert _door(tmp_path, "10.0.0.7", rule=rule).enter("Zoe", "K7QP2M", now + 61) == ("Zoe", "")
    assert RateRule(5, 30, 60).wait([1.0] * 4, [1.0] * 4, 2.0) == 0


@pytest.fixture
def other_process() -> object:
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield proc
    proc.kill()
    proc.wait()


def test_a_name_is_one_person_at_a_time_in_any_case(tmp_path: Path, other_process: subprocess.Popen) -> None:
    assert _door(tmp_path, "a").enter("Sam", "K7QP2M", 1.0) == ("Sam", "")
    assert _door(tmp_path, "b", pid=other_process.pid).enter("  sam ", "K7QP2M", 2.0) == (
        None, "Sam is taken; add an initial.")
    assert _door(tmp_path, "b", pid=other_process.pid).enter("Sam B", "K7QP2M", 2.0) == ("Sam B", "")


def test_a_name_used_in_this_drill_or_with_study_progress_is_refused_unless_on_the_roster(
        tmp_path: Path, other_process: subprocess.Popen) -> None:
    from enginekit import Clock
    from nkstudy.core.classroom.drill import DrillSpec, result_of, select
    from nkstudy.store.drills import record_result
    from nkstudy.store.progress import CardRow, ReviewRow

    pack = make_pack(tmp_path / "packs" / "test-pack")
    (item,) = select(DrillSpec.parse(CHOICE_ONLY), [pack])
    store = Store(tmp_path / "data" / "progress.sqlite3")
    at = Clock()()
    record_result(store, result_of(item, "Beijing", code=CHOICE_ONLY, profile="Lee", attempt="x1", seconds=1,
                                   at=at))
    pid = store.profile_id("Kim", at)
    store.record_answer(pid, ReviewRow("p", "q1", "s", ("who",), at.timestamp(), 3, True, "yes", 900, False, None,
                                       None), CardRow("p", "q1", 2, None, 4.0, 5.0, at.timestamp() + 86400,
                                                      at.timestamp(), 1, 0))
    assert store.find_profile("kim") == pid  # profile names compare without case
    store.close()
    door = _door(tmp_path, "a", pid=other_process.pid)
    assert door.enter("LEE", "K7QP2M", 1.0) == (None, "Lee is taken in this drill; add an initial.")
    assert door.enter("kim", "K7QP2M", 1.0) == (None, "Kim is a profile with study progress here; add an initial.")
    roster_file = tmp_path / "class.txt"
    roster_file.write_text("# class 7b\nKim\n\nZoe K\n", encoding="utf-8")
    listed = _door(tmp_path, "a", roster=read_roster(roster_file))
    assert listed.enter("KIM", "K7QP2M", 1.0) == ("Kim", "")  # on the roster: their own profile
    name, why = listed.enter("Mallory", "K7QP2M", 1.0)
    assert name is None and "not on the class list" in why
    assert _door(tmp_path, "b", pid=other_process.pid, roster=read_roster(roster_file)).enter(
        "kim", "K7QP2M", 2.0) == (None, "Kim has already joined; if that is not you, tell your teacher.")


def test_a_bad_roster_is_one_line_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text("Ann\nann\n", encoding="utf-8")
    with pytest.raises(RosterError, match=r"r\.txt:2: 'ann' is already on line 1"):
        read_roster(path)
    path.write_text("Ann\n\x1b[31mBob\n", encoding="utf-8")
    with pytest.raises(RosterError, match=r"r\.txt:2: "):
        read_roster(path)
    with pytest.raises(RosterError, match="not found"):
        read_roster(tmp_path / "none.txt")


def test_drill_with_a_roster_takes_only_listed_names(home: Path) -> None:
    roster = home / "class.txt"
    roster.write_text("Zoe K\n", encoding="utf-8")
    env = nkstudy_env(home / "data", home / "packs")
    out = nkstudy("drill", CHOICE_ONLY, "--plain", "--profile", "mallory", "--roster", str(roster), env=env)
    assert out.returncode == 2 and out.stderr.count("\n") == 1 and "not on the roster" in out.stderr
    ok = nkstudy("drill", CHOICE_ONLY, "--plain", "--profile", "zoe k", "--roster", str(roster), env=env, stdin="1\n")
    assert ok.returncode == 0 and "profile Zoe K" in ok.stdout


def test_in_a_live_drill_a_dropped_visitor_takes_their_seat_back_but_never_a_running_ones(
        tmp_path: Path, other_process: subprocess.Popen) -> None:
    from datetime import UTC, datetime

    from nkstudy.core.classroom.drill import DrillSpec
    from nkstudy.drillroom import open_drill
    from nkstudy.liveroom import LiveHost, LiveSeat

    pack = make_pack(tmp_path / "packs" / "test-pack")
    drill = open_drill(DrillSpec.parse(CHOICE_ONLY), [pack])
    t0 = 1_700_000_000.0
    at = lambda t: lambda: datetime.fromtimestamp(t, UTC)  # noqa: E731
    browser_a, browser_b = "a" * 32, "b" * 32
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(gone.stdout)  # a visitor's process that has ended

    def door(client: str, pid: int) -> Door:
        return _door(tmp_path, "10.0.0.7", pid=pid, client=client, live=True)

    # Zoe joins from browser A; her process runs, and she answers the first question
    assert door(browser_a, other_process.pid).enter("Zoe", "K7QP2M", t0) == ("Zoe", "")
    seat = LiveSeat(drill, tmp_path / "data", "Zoe", clock=at(t0))
    host = LiveHost(drill, tmp_path / "data", clock=at(t0), seconds=None)
    host.next()
    item = drill.items[0]
    state = seat.state()
    assert state is not None and seat.answer(item, state, "Pyongyang") is not None
    attempt = seat.attempt
    seat.close()
    # while her process runs, nobody else gets the name, not even another tab of her browser
    assert door(browser_a, os.getpid()).enter("zoe", "K7QP2M", t0 + 1) == (None, "Zoe is taken; add an initial.")
    other_process.kill()
    other_process.wait()
    # her process ended (the tab dropped): her own browser takes the seat back at once
    assert door(browser_a, dead_pid).enter(" ZOE ", "K7QP2M", t0 + 2) == ("Zoe", "")
    # another browser must wait until the seat has been away for a while
    name, why = door(browser_b, dead_pid).enter("Zoe", "K7QP2M", t0 + 3)
    assert name is None and why.startswith("Zoe is taken; add an initial.") and "try again in 7 seconds" in why
    assert door(browser_b, os.getpid()).enter("Zoe", "K7QP2M", t0 + 11) == ("Zoe", "")
    back = LiveSeat(drill, tmp_path / "data", "Zoe", clock=at(t0 + 11))
    try:
        assert back.attempt == attempt and [r.answer for r in back.results] == ["Pyongyang"]  # answers kept
    finally:
        back.close()
        host.close()
    # and now that this process holds the name, a second visitor is refused, whatever the browser
    assert door(browser_a, dead_pid).enter("Zoe", "K7QP2M", t0 + 30) == (None, "Zoe is taken; add an initial.")
    # a drill at each student's own pace keeps refusing a name used in it
    assert _door(tmp_path, "10.0.0.7", pid=dead_pid, client=browser_a).enter("Zoe", "K7QP2M", t0 + 31) == (
        None, "Zoe is taken in this drill; add an initial.")
