"""Lines typed by a student, read with a timeout, and the question shown to them: shared by the plain drill
and the plain live drill."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from nkstudy.core.classroom.drill import DrillItem


class _TimeUp:
    """What :meth:`LineReader.readline` returns when the time ran out first."""


TIME_UP = _TimeUp()


class LineReader:
    """Lines from a file descriptor, with a timeout (select) that buffered ``sys.stdin`` cannot give."""

    def __init__(self, fd: int, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.fd = fd
        self.monotonic = monotonic
        self.buffer = b""
        self.eof = False

    def readline(self, timeout: float | None = None) -> str | None | _TimeUp:
        """The next line without its end; None at end of input; TIME_UP when ``timeout`` seconds pass first."""
        import select

        deadline = None if timeout is None else self.monotonic() + max(timeout, 0.0)
        while b"\n" not in self.buffer and not self.eof:
            if deadline is not None:
                try:
                    ready, _, _ = select.select([self.fd], [], [], max(deadline - self.monotonic(), 0.0))
                except (OSError, ValueError):  # not selectable (Windows consoles): wait without a timer
                    ready = [self.fd]
                if not ready:
                    return TIME_UP
            chunk = os.read(self.fd, 65536)
            if chunk:
                self.buffer += chunk
            else:
                self.eof = True
        if not self.buffer:
            return None
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line.decode("utf-8", errors="replace").rstrip("\r")

    def discard_typed(self) -> None:
        """Forget a half-typed line on a terminal (after time ran out), so it cannot answer the next question."""
        self.buffer = b""
        try:
            import termios

            termios.tcflush(self.fd, termios.TCIFLUSH)
        except (ImportError, OSError):
            pass


__all__ = ["TIME_UP", "LineReader"]


def print_line(console: Console, *parts: str | Text, style: str | None = None, end: str = "\n") -> None:
    """One line to a student: plain strings in ``style``, Text as it is; flushed at once (a pipe may watch)."""
    from rich.text import Text

    out = Text(end=end)
    for part in parts:
        if isinstance(part, Text):
            out.append_text(part)
        else:
            out.append(part, style=style)
    console.print(out)
    console.file.flush()


def show_question(say: Callable[..., Any], item: DrillItem, total: int, left: float | None) -> None:
    """Print a drill question as both plain drills show it: its number, the time left, the prompt, the
    numbered options and how to answer (every text made visible: it is the pack's)."""
    from rich.text import Text

    from nkstudy.core.figures import duration
    from nkstudy.core.text import visible

    head = f"Question {item.position} of {total}"
    if left is not None:
        head += f" - {duration(max(left, 0))} left"
    say("")
    say(head, style="bold")
    say(Text(visible(item.question.prompt)))
    for line in item.question.option_lines(item.options):
        say(Text("  " + visible(line)))
    say(f"Type {item.question.hint_for(item.options)}.", style="dim")
