"""Helpers for the live-drill tests: a student as a real ``nkstudy drill CODE --live --plain`` process."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable


class Student:
    """A running student process; its output is gathered line by line in a thread."""

    def __init__(self, code: str, name: str, env: dict[str, str]) -> None:
        self.name = name
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "nkstudy", "drill", code, "--live", "--plain", "--profile", name],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, bufsize=1)
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, needle: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.text:
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name} never printed {needle!r}; printed:\n{self.text}")
            if self.proc.poll() is not None and not self._reader.is_alive() and needle not in self.text:
                err = self.proc.stderr.read() if self.proc.stderr else ""
                raise AssertionError(f"{self.name} ended ({self.proc.returncode}) before {needle!r}:\n"
                                     f"{self.text}\n{err}")
            time.sleep(0.05)

    def type(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=20)

    def finish(self, timeout: float = 60) -> tuple[int, str, str]:
        self.proc.wait(timeout=timeout)
        self._reader.join(timeout=10)
        err = self.proc.stderr.read() if self.proc.stderr else ""
        return self.proc.returncode, self.text, err


def until(check: Callable[[], bool], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)
