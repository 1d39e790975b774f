"""``nkstudy serve`` as a process: the address and class code, loopback by default, the page, Ctrl+C."""

from __future__ import annotations

import argparse
import shlex
import urllib.request
from pathlib import Path

import pytest

from classkit import CHOICE_ONLY, free_port, nkstudy, nkstudy_env, start_serve
from nkstudy.cli import build_parser
from nkstudy.cli.common import Context
from nkstudy.cli.serve import CODE_ALPHABET, beyond_this_machine, new_class_code, visitor_command

pytest.importorskip("textual_serve", reason="nkstudy serve needs textual-serve (a dependency of nkstudy)")


def test_serve_prints_the_address_and_a_class_code_listens_on_loopback_and_stops_on_ctrl_c(
        home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = nkstudy_env(home / "data", home / "packs")
    port = free_port()
    served = start_serve(env, CHOICE_ONLY, "--port", str(port))
    try:
        assert served.url == f"http://127.0.0.1:{port}"
        assert len(served.class_code) == 6 and set(served.class_code) <= set(CODE_ALPHABET)
        assert f"  drill: {CHOICE_ONLY} (1 question)\n" in served.lines
        # the board command it gives works from another terminal, one without $NKSTUDY_HOME
        watch = next(ln for ln in served.lines if "watch them with: " in ln).split("watch them with: ")[1]
        monkeypatch.delenv("NKSTUDY_HOME", raising=False)
        argv = shlex.split(watch)
        args = build_parser().parse_args(argv[1:])
        assert argv[0] == "nkstudy" and args.command == "board" and args.code == CHOICE_ONLY
        assert Context.from_args(args).data_dir == home / "data"
        page = urllib.request.urlopen(served.url + "/", timeout=10).read().decode()
        assert f'data-session-websocket-url="ws://127.0.0.1:{port}/ws"' in page
        assert served.class_code not in page and "nkstudy join" not in page  # neither code nor command line
        assert "googleapis" not in page and "http://" not in page.replace(served.url, "")  # nothing from elsewhere
    finally:
        code, out, err = served.stop()
    assert code == 0, err
    assert "stopped" in out
    assert "warning" not in err


def test_serve_warns_when_it_listens_beyond_this_machine(home: Path) -> None:
    env = nkstudy_env(home / "data", home / "packs")
    served = start_serve(env, CHOICE_ONLY, "--host", "0.0.0.0", "--port", str(free_port()))
    code, _out, err = served.stop()
    assert code == 0
    assert "warning: listening on 0.0.0.0, beyond this machine" in err


def test_serve_without_a_drill_picks_one_and_a_busy_port_is_one_line(home: Path) -> None:
    env = nkstudy_env(home / "data", home / "packs")
    served = start_serve(env, "--pack", "test-pack", "--port", str(free_port()))
    try:
        drill_line = next(ln for ln in served.lines if "drill: " in ln)
        assert "test-pack@1.0#" in drill_line and "/10" in drill_line
        port = served.url.rsplit(":", 1)[1]
        busy = nkstudy("serve", CHOICE_ONLY, "--port", port, env=env, timeout=60)
        assert busy.returncode == 1 and "cannot listen on 127.0.0.1 port" in busy.stderr
        assert len(busy.stderr.strip().splitlines()) == 1
    finally:
        served.stop()


def test_join_is_only_for_serve(home: Path) -> None:
    env = nkstudy_env(home / "data", home / "packs")
    done = nkstudy("join", CHOICE_ONLY, env=env)
    assert done.returncode == 2 and "start nkstudy serve" in done.stderr
    assert "join" not in nkstudy("--help", env=env).stdout.split("commands:")[1].split("\n\n")[0].split()


def test_the_visitor_command_holds_no_class_code(tmp_path: Path) -> None:
    codes = {new_class_code() for _ in range(50)}
    assert len(codes) > 45
    args = argparse.Namespace(time_limit=5.0, per_question=None)
    command = visitor_command(Context(tmp_path / "data", "me", [str(tmp_path)]), CHOICE_ONLY, args)
    assert all(c not in command for c in codes)
    assert "join" in command and "--time-limit 5.0" in command and "'test-pack@1.0#1/1;tag=where'" in command


def test_what_counts_as_this_machine() -> None:
    assert not beyond_this_machine("127.0.0.1") and not beyond_this_machine("::1")
    assert not beyond_this_machine("localhost") and not beyond_this_machine("127.1.2.3")
    assert beyond_this_machine("0.0.0.0") and beyond_this_machine("::") and beyond_this_machine("192.168.1.5")
    assert beyond_this_machine("lab-server")
