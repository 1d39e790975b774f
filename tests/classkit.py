"""Helpers for the classroom tests (drill, board, serve): the test pack's drills and the nkstudy command."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nkstudy.core.classroom.drill import DrillItem, DrillSpec, select
from nkstudy.core.model import (
    CardQuestion,
    ChoiceQuestion,
    MatchQuestion,
    MultiQuestion,
    OrderQuestion,
    Pack,
    Question,
    TrueFalseQuestion,
    TypedQuestion,
)
from nkstudy.core.questions import Unsupported, for_type

#: every question of the factory pack (tests/packfactory.py), in drill order for seed 7
ALL = "test-pack@1.0#7/6"
#: the factory pack's one choice question (the only one tagged where)
CHOICE_ONLY = "test-pack@1.0#1/1;tag=where"


def items(pack: Pack, code: str) -> list[DrillItem]:
    return select(DrillSpec.parse(code), [pack])


def _numbers(item: DrillItem, picked: tuple[str, ...] | list[str]) -> str:
    return " ".join(str(item.options.index(o) + 1) for o in picked)


#: question class → what the plain quiz takes as the right answer (see :func:`right_line`)
RIGHT_LINE: dict[type[Question], Callable[[DrillItem, Any], str] | Unsupported] = {
    TrueFalseQuestion: lambda item, q: "t" if q.answer else "f",
    MultiQuestion: lambda item, q: _numbers(item, q.answer),
    OrderQuestion: lambda item, q: _numbers(item, q.answer),
    ChoiceQuestion: lambda item, q: str(item.options.index(q.answer) + 1),
    TypedQuestion: lambda item, q: q.answer,
    CardQuestion: Unsupported("a flashcard is graded by the learner, not by a typed line"),
    MatchQuestion: Unsupported("these helpers do not answer {type} questions"),
}

#: question class → the keys that answer it right in the app (see :func:`right_keys`)
RIGHT_KEYS: dict[type[Question], Callable[[DrillItem, Any], list[str]] | Unsupported] = {
    TrueFalseQuestion: lambda item, q: ["1" if q.answer else "2"],
    MultiQuestion: lambda item, q: [str(item.options.index(o) + 1) for o in q.answer] + ["enter"],
    OrderQuestion: lambda item, q: _order_keys(item) + ["enter"],
    ChoiceQuestion: lambda item, q: [str(item.options.index(q.answer) + 1)],
    TypedQuestion: lambda item, q: ["space" if ch == " " else ch for ch in q.answer] + ["enter"],
    CardQuestion: Unsupported("these helpers do not answer {type} questions"),
    MatchQuestion: Unsupported("these helpers do not answer {type} questions"),
}


def _entry(table: dict[type[Question], Any], item: DrillItem) -> Any:
    entry = for_type(table, type(item.question))
    if isinstance(entry, Unsupported):
        raise AssertionError(entry.why(type(item.question)))
    return entry


def right_line(item: DrillItem) -> str:
    """What the plain quiz takes as the right answer to ``item``."""
    return _entry(RIGHT_LINE, item)(item, item.question)


def right_keys(item: DrillItem) -> list[str]:
    """The keys that answer ``item`` right in the app (order questions: Shift+arrows, then Enter)."""
    return _entry(RIGHT_KEYS, item)(item, item.question)


def _order_keys(item: DrillItem) -> list[str]:
    """From the top of the list, move each wanted item up into its place with Shift+Up."""
    q = item.question
    assert isinstance(q, OrderQuestion)
    order = list(item.options)
    keys: list[str] = []
    cursor = 0
    for target, wanted in enumerate(q.answer):
        at = order.index(wanted)
        keys += ["down"] * (at - cursor) if at >= cursor else ["up"] * (cursor - at)
        while at > target:
            order[at - 1], order[at] = order[at], order[at - 1]
            keys.append("shift+up")
            at -= 1
        cursor = at
    return keys


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def nkstudy_env(data: Path, packs: Path | None = None, **extra: str) -> dict[str, str]:
    """The environment of a real ``nkstudy`` process: this data folder, these packs, plain output."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NKSTUDY_")}
    env.update({"NKSTUDY_HOME": str(data), "NO_COLOR": "1", "COLUMNS": "200", "PYTHONUTF8": "1"})
    if packs is not None:
        env["NKSTUDY_PACKS"] = str(packs)
    env.update(extra)
    return env


def nkstudy(*argv: str, env: dict[str, str], stdin: str = "", timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "nkstudy", *argv], input=stdin, env=env, capture_output=True,
                          text=True, timeout=timeout)


class Served:
    """A running ``nkstudy serve``: its process, its address and its class code."""

    def __init__(self, proc: subprocess.Popen[str], url: str, class_code: str, lines: list[str]) -> None:
        self.proc = proc
        self.url = url
        self.class_code = class_code
        self.lines = lines

    def stop(self, timeout: float = 20) -> tuple[int, str, str]:
        """Ctrl+C, then (exit code, the rest of stdout, stderr)."""
        import signal

        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        out, err = self.proc.communicate(timeout=timeout)
        return self.proc.returncode, out, err


def start_serve(env: dict[str, str], *argv: str, timeout: float = 30,
                wrap: Callable[..., list[str]] | None = None) -> Served:
    """Start ``nkstudy serve ARGV`` and wait until it says it listens.

    ``wrap``: makes the command line to run from serve's (``netkit.Host.command``: in a network namespace).
    """
    return serve_ready(spawn_serve(env, *argv, wrap=wrap), timeout)


def spawn_serve(env: dict[str, str], *argv: str, wrap: Callable[..., list[str]] | None = None) -> subprocess.Popen[str]:
    """Start ``nkstudy serve ARGV`` (see :func:`start_serve`); :func:`serve_ready` waits for it."""
    command = [sys.executable, "-m", "nkstudy", "serve", *argv]
    return subprocess.Popen(wrap(*command) if wrap else command, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def serve_ready(proc: subprocess.Popen[str], timeout: float = 30) -> Served:
    """Wait until a started serve says it listens (killed, and an AssertionError, if it does not)."""
    import time

    assert proc.stdout is not None
    lines: list[str] = []
    started = time.monotonic()
    while not lines or not lines[-1].startswith("Press Ctrl+C"):
        line = proc.stdout.readline()
        if not line or time.monotonic() - started > timeout:
            proc.kill()
            out, err = proc.communicate()
            raise AssertionError(f"serve did not start: {lines} {out} {err}")
        lines.append(line)
    url = next(ln.split("open ")[1].split(" in a browser")[0] for ln in lines if " open " in ln)
    code = next(ln.split("class code: ")[1].strip() for ln in lines if "class code: " in ln)
    return Served(proc, url, code, lines)
