"""Serve's visitors forked from one warm process (the zygote): the fork protocol, and serve using it."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from pathlib import Path

import aiohttp
import pytest

from classkit import CHOICE_ONLY, free_port, nkstudy_env, start_serve
from enginekit import make_pack
from nkstudy.cli.serve import ENV_FORK, zygote_command
from nkstudy.tui.classroom.forks import Zygote

pytest.importorskip("textual_serve", reason="nkstudy serve needs textual-serve (a dependency of nkstudy)")

#: a zygote that imports nothing and whose children echo: argv, one variable, then each line of stdin
ECHO = """
import os, sys
from nkstudy.tui.classroom.forks import ENV_FD, fork_server
def run(argv):
    print(" ".join(argv), os.environ.get("ONLY_CHILD", "-"), os.environ.get("ONLY_ZYGOTE", "-"), flush=True)
    for line in sys.stdin:
        print("echo " + line.strip(), flush=True)
    return 0
fork_server(int(os.environ[ENV_FD]), run, ())
"""


def _stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _ppid(pid: int) -> int:
    try:
        return int(_stat(pid)[1])
    except OSError:
        return 0


def test_a_forked_child_gets_the_pipes_the_environment_and_the_arguments_it_is_sent(tmp_path: Path) -> None:
    env = {**os.environ, "ONLY_ZYGOTE": "z", "PYTHONPATH": os.pathsep.join(sys.path)}
    zygote = Zygote([sys.executable, "-c", ECHO], env)
    assert zygote.start(timeout=30) and zygote.alive

    async def talk() -> tuple[int, list[bytes]]:
        child = await zygote.spawn(["join", "a b"], {"ONLY_CHILD": "c", "PATH": os.environ.get("PATH", "")})
        child.stdin.write(b"hello\n")
        await child.stdin.drain()
        lines = [await asyncio.wait_for(child.stdout.readline(), 10) for _ in range(2)]
        child.close()  # end of its input: the child's loop ends and it exits
        lines.append(await asyncio.wait_for(child.stdout.readline(), 10))
        return child.pid, lines

    try:
        pid, lines = asyncio.run(talk())
        assert lines == [b"join a b c -\n", b"echo hello\n", b""]  # its own environment, not the zygote's
        assert zygote.process is not None and _ppid(pid) in (zygote.process.pid, 0)  # forked by the zygote
    finally:
        zygote.stop()
    assert not zygote.alive
    with pytest.raises(OSError):
        zygote.fork(["join"], {})


def test_a_zygote_that_never_gets_ready_is_not_used() -> None:
    zygote = Zygote([sys.executable, "-c", "pass"], dict(os.environ))
    assert not zygote.start(timeout=30) and not zygote.alive


def test_the_zygote_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_FORK, "0")
    assert zygote_command(["join", "X"]) is None
    monkeypatch.setenv(ENV_FORK, "1")
    command = zygote_command(["join", "X"])
    assert command is not None and command[-2:] == ["join", "X"]  # what it serves shows in ps


async def _visit(url: str, data: Path) -> dict[int, list[bytes]]:
    """Open a session, wait for the join screen, and return the processes serving ``data`` meanwhile."""
    async with aiohttp.ClientSession() as session, session.ws_connect(
            url + "/ws?width=80&height=24", headers={"Origin": url}) as ws:
        seen = b""
        while b"Your name" not in seen:
            message = await ws.receive(timeout=20)
            assert message.type == aiohttp.WSMsgType.BINARY, message
            seen += message.data
        return _processes(str(data.resolve()).encode())


def _processes(needle: bytes) -> dict[int, list[bytes]]:
    found = {}
    for proc in Path("/proc").iterdir():
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if needle in argv:
            found[int(proc.name)] = argv
    return found


def test_serve_forks_each_visitor_from_its_zygote_and_stops_it(home: Path) -> None:
    make_pack(home / "packs" / "test-pack")
    data = home / "data"
    served = start_serve(nkstudy_env(data, home / "packs"), CHOICE_ONLY, "--port", str(free_port()))
    try:
        ours = asyncio.run(_visit(served.url, data))
        zygotes = [pid for pid, argv in ours.items() if _ppid(pid) == served.proc.pid and b"nkstudy.cli.zygote" in argv]
        assert len(zygotes) == 1, ours
        visitors = [pid for pid in ours if _ppid(pid) == zygotes[0]]
        assert len(visitors) == 1, ours  # the visitor's app, forked from the zygote
        os.kill(zygotes[0], signal.SIGKILL)  # the zygote is gone: the next visitor gets a process of its own
        ours = asyncio.run(_visit(served.url, data))
        assert [pid for pid, argv in ours.items() if b"nkstudy.cli.zygote" not in argv and b"join" in argv], ours
    finally:
        code, _out, err = served.stop()
    assert code == 0, err
    assert "Traceback" not in err
    deadline = time.monotonic() + 10
    while _processes(str(data.resolve()).encode()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _processes(str(data.resolve()).encode()) == {}  # the zygote and every visitor are gone
