"""How wide ``nkstudy report`` lays its tables out: a terminal's own width (never wider), else
$COLUMNS, else 80 columns for a pipe or a file."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import termios
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import pytest

from drillkit import CODE
from nkstudy.cli import main
from nkstudy.cli.report import FILE_WIDTH, table_width


def _widest(text: str) -> int:
    return max(len(line) for line in text.splitlines())


def test_a_piped_report_is_80_columns_unless_columns_says(
    filled: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    assert main(["report", CODE]) == 0
    piped = capsys.readouterr().out
    assert FILE_WIDTH == 80 and 70 < _widest(piped) <= 80
    monkeypatch.setenv("COLUMNS", "130")
    assert main(["report", CODE]) == 0
    assert 80 < _widest(capsys.readouterr().out) <= 130
    # a file of its own (-o) follows the same rule
    monkeypatch.delenv("COLUMNS")
    out = filled / "report.txt"
    assert main(["report", CODE, "-o", str(out)]) == 0
    assert 70 < _widest(out.read_text(encoding="utf-8")) <= 80


@pytest.fixture
def terminal() -> Iterator[tuple[TextIO, int]]:
    """A real pseudo-terminal: the stream written to, and the descriptor that sets its size."""
    leader, follower = pty.openpty()
    stream = os.fdopen(follower, "w")
    try:
        yield stream, follower
    finally:
        stream.close()
        os.close(leader)


def _resize(fd: int, columns: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))


def test_on_a_terminal_the_width_is_never_wider_than_the_terminal(
    terminal: tuple[TextIO, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    stream, fd = terminal
    _resize(fd, 60)
    monkeypatch.delenv("COLUMNS", raising=False)
    assert table_width(stream) == 60
    monkeypatch.setenv("COLUMNS", "120")  # a stale $COLUMNS from a wider window
    assert table_width(stream) == 60
    monkeypatch.setenv("COLUMNS", "50")  # narrower on purpose
    assert table_width(stream) == 50
    _resize(fd, 0)  # a terminal that does not say how wide it is
    assert table_width(stream) == 50
    monkeypatch.setenv("COLUMNS", "wide")
    assert table_width(stream) == FILE_WIDTH
