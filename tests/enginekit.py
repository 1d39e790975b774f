"""Helpers for the engine, store and study tests: packs of N questions and a fake clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from nkstudy.core.model import Pack
from nkstudy.core.packs.loader import load_pack
from packfactory import PACK_YAML, write_pack

PACK_NO_INCLUDE = PACK_YAML


def tf_questions(n: int, tags: tuple[str, ...] = ("when",)) -> str:
    lines = ["questions:"]
    for i in range(1, n + 1):
        tag = tags[(i - 1) % len(tags)]
        lines += [
            f"  - id: q{i:03d}",
            "    type: truefalse",
            f'    prompt: "Statement {i}: the April 2024 meeting was on a Saturday."',
            "    answer: true",
            "    source: art",
            "    excerpt: during a meeting Saturday",
            f"    tags: [{tag}]",
        ]
    return "\n".join(lines) + "\n"


def make_pack(folder: Path, n: int | None = None, tags: tuple[str, ...] = ("when",)) -> Pack:
    """The factory's six-question pack, or ``n`` true/false questions (all true)."""
    if n is None:
        write_pack(folder)
    else:
        write_pack(folder, questions_yaml=tf_questions(n, tags))
    result = load_pack(folder)
    assert result.pack is not None, [p.format() for p in result.problems]
    return result.pack


class Clock:
    """A clock that stands still until a test moves it (the only fake the tests use, with seeded randomness)."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2024, 5, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)
