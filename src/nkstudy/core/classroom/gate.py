"""Who may join a class drill, and how fast wrong class codes may be tried.

* A **roster** is a text file, one name a line (blank lines and lines starting
  with ``#`` are skipped); a line may end with an e-mail address in angle
  brackets, ``Zoe K <zoe@school.example>``, for the gradebook.  With a roster only listed names may join, each
  once at a time; names compare without case (:func:`name_key`).
* Without a roster a name already in use in the same drill is refused
  ("taken; add an initial"), and so is the name of a profile with study
  progress.
* Wrong class codes are limited per client address and in total over a sliding
  window (:class:`RateRule`), so twenty connections try no faster than one.

Pure: no Textual, no Rich, no SQLite, no clock (times are passed in).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from nkstudy.core.names import profile_name
from nkstudy.core.packs.safeyaml import FileProblem, read_file
from nkstudy.core.text import visible

MAX_ROSTER_BYTES = 1024 * 1024
MAX_ROSTER_NAMES = 5000
_EMAIL_RE = re.compile(r"^(.*?)\s*<([^<>@\s]+@[^<>@\s]+)>\s*$")


def name_key(name: str) -> str:
    """What two names must share to be the same person: NFKC, case folded, inner spaces folded."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


class RosterError(Exception):
    """A one-line problem with a roster file: the file (and line), what is wrong, what to do."""


@dataclass(frozen=True)
class Roster:
    """The names allowed to join, as written in the file, in file order."""

    names: tuple[str, ...]
    emails: tuple[tuple[str, str], ...] = ()  # (name, e-mail address) for the lines that give one

    def email(self, name: str) -> str:
        """The e-mail address the roster gives ``name`` ("" when none)."""
        key = name_key(name)
        return next((e for n, e in self.emails if name_key(n) == key), "")

    def find(self, name: str) -> str | None:
        """The roster's spelling of ``name`` (any case), or None when it is not on the roster."""
        key = name_key(name)
        return next((n for n in self.names if name_key(n) == key), None)

    def missing(self, present: Sequence[str]) -> list[str]:
        """The roster names not in ``present`` (any case), in roster order."""
        keys = {name_key(p) for p in present}
        return [n for n in self.names if name_key(n) not in keys]


def read_roster(path: Path) -> Roster:
    """The roster in ``path``; RosterError (one line, with file:line) when it cannot be one."""
    where = visible(str(path))
    try:  # the loader's safe reader: a regular file only (a FIFO or a device never hangs it), size-limited
        raw, _ = read_file(path, MAX_ROSTER_BYTES)
    except FileProblem as exc:
        hint = ("give one name a line" if exc.too_large
                else "check the name given to --roster; it must be a text file with one name a line")
        raise RosterError(f"{where}: {exc.message}; {hint}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RosterError(f"{where}: is not UTF-8 text; save it as UTF-8") from None
    names: list[str] = []
    emails: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        found = _EMAIL_RE.match(line)
        try:
            name = profile_name(found.group(1) if found else line)
        except ValueError as exc:
            raise RosterError(f"{where}:{number}: {exc}") from None
        key = name_key(name)
        if key in seen:
            raise RosterError(f"{where}:{number}: {visible(name)!r} is already on line {seen[key]}; "
                              "give each student once (add an initial to tell two apart)")
        seen[key] = number
        names.append(name)
        if found:
            emails.append((name, found.group(2)))
        if len(names) > MAX_ROSTER_NAMES:
            raise RosterError(f"{where}:{number}: more than {MAX_ROSTER_NAMES} names; split the class")
    if not names:
        raise RosterError(f"{where}: holds no names; write one name a line")
    return Roster(tuple(names), tuple(emails))


@dataclass(frozen=True)
class RateRule:
    """At most ``per_address`` wrong codes from one address, and ``total`` from all, in ``window`` seconds."""

    per_address: int = 5
    total: int = 30
    window: float = 60.0

    def wait(self, from_address: Sequence[float], from_all: Sequence[float], now: float) -> float:
        """Seconds until the next try is allowed (0: now), given the times of earlier wrong codes."""
        waits = [0.0]
        for times, limit in ((from_address, self.per_address), (from_all, self.total)):
            recent = sorted(t for t in times if now - t < self.window)
            if len(recent) >= limit:
                waits.append(recent[len(recent) - limit] + self.window - now)
        return max(waits)


__all__ = ["RateRule", "Roster", "RosterError", "name_key", "read_roster"]
