"""Typed access to the fields of one YAML mapping, collecting problems.

Every read that fails records a :class:`Problem` with the file, the line of
the offending field and a message, and returns ``None`` so the caller can go
on and report further problems.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from nkstudy.core.packs.safeyaml import LList, LMap, Number
from nkstudy.core.text import quoted, visible


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a pack, located in a file."""

    path: Path
    line: int | None
    message: str

    def format(self, relative_to: Path | None = None) -> str:
        """``file:line: message`` on one line, safe to print on a terminal.

        A file name holding control characters or a line break is quoted, and
        every control or bidi character anywhere in the line is shown escaped.
        """
        shown = show_name(_display_path(self.path, relative_to))
        where = f"{shown}:{self.line}" if self.line else shown
        return visible(f"{where}: {self.message}")


def show_name(name: str) -> str:
    """A file name or key as it can be printed: as is, or quoted and escaped
    (``'a\\nb'``) when it holds anything that is not plain printable text."""
    return name if visible(name) == name else repr(name)


def _display_path(path: Path, relative_to: Path | None) -> str:
    if relative_to is not None:
        base = str(relative_to)
    else:
        try:
            base = os.getcwd()
        except OSError:
            return str(path)
    return _relative(str(path), base)


@lru_cache(maxsize=4096)
def _relative(path: str, base: str) -> str:
    """``path`` relative to ``base`` when it lies under it, else as given (cached:
    a pack with 50,000 problems resolves each of its few paths once)."""
    if not os.path.isabs(path):
        return path
    try:
        real_path, real_base = os.path.realpath(path), os.path.realpath(base)
        if os.path.commonpath([real_path, real_base]) != real_base:
            return path
        return os.path.relpath(path, base)
    except (OSError, ValueError, RuntimeError):
        return path


class Fields:
    """Reads fields of ``data`` for the object described by ``label``."""

    def __init__(self, data: LMap, path: Path, label: str, problems: list[Problem]) -> None:
        self.data = data
        self.path = path
        self.label = label
        self.problems = problems
        self.used: set[str] = set()

    def line(self, name: str | None = None) -> int | None:
        if name is not None and name in self.data.key_lines:
            return self.data.key_lines[name]
        return getattr(self.data, "line", None)

    def error(self, name: str | None, message: str, line: int | None = None) -> None:
        prefix = f"{self.label}: " if self.label else ""
        self.problems.append(Problem(self.path, line or self.line(name), prefix + message))

    def _get(self, name: str, required: bool) -> object | None:
        self.used.add(name)
        if name not in self.data or self.data[name] is None:
            if required:
                self.error(None, f"missing field '{name}'")
            return None
        value: object = self.data[name]
        return value

    def text(self, name: str, required: bool = True) -> str | None:
        value = self._get(name, required)
        if value is None:
            return None
        if isinstance(value, bool) or isinstance(value, (LMap, LList)):
            hint = " (put it in quotes)" if isinstance(value, bool) else ""
            self.error(name, f"field '{name}' must be text, not {_kind(value)}{hint}")
            return None
        text = str(value).strip()
        if not text:
            if required:
                self.error(name, f"field '{name}' is empty")
            return None
        return text

    def string(self, name: str, required: bool = True) -> str | None:
        """Like :meth:`text`, for values that must be written as text: ids,
        references to ids and versions.  A value YAML reads as a number
        (``2024``, ``0x1F``, ``1.10``) is refused with a hint to quote it."""
        value = self.data.get(name)
        if isinstance(value, Number):
            self.used.add(name)
            number = value.as_yaml_reads_it()
            reads = f"the number {number}" if number is not None and str(number) != value else "a number"
            self.error(
                name,
                f"field '{name}' must be text, but YAML reads {value} as {reads}; "
                f'put it in quotes: {name}: "{value}"',
            )
            return None
        return self.text(name, required)

    def boolean(self, name: str, required: bool = True, default: bool = False) -> bool | None:
        value = self._get(name, required)
        if value is None:
            return None if required else default
        if not isinstance(value, bool):
            self.error(name, f"field '{name}' must be true or false, not {quoted(value)}")
            return None
        return value

    def text_list(self, name: str, required: bool = True) -> tuple[str, ...] | None:
        value = self._get(name, required)
        if value is None:
            return None if required else ()
        if not isinstance(value, LList):
            self.error(name, f"field '{name}' must be a list, not {_kind(value)}")
            return None
        items: list[str] = []
        ok = True
        for item, line in zip(value, value.item_lines, strict=True):
            if isinstance(item, (LMap, LList, bool)) or item is None:
                hint = " (put it in quotes)" if isinstance(item, bool) else ""
                self.error(name, f"items of '{name}' must be text, not {_kind(item)}{hint}", line)
                ok = False
                continue
            text = str(item).strip()
            if not text:
                self.error(name, f"'{name}' has an empty item", line)
                ok = False
                continue
            items.append(text)
        if len(set(items)) != len(items):
            self.error(name, f"'{name}' lists the same item twice")
            ok = False
        return tuple(items) if ok else None

    def unknown(self, allowed: set[str]) -> None:
        for key in self.data:
            if key not in allowed:
                close = difflib.get_close_matches(key.casefold(), sorted(allowed), n=1, cutoff=0.6)
                hint = f"; did you mean '{close[0]}'?" if close else f" (known fields: {', '.join(sorted(allowed))})"
                self.error(key, f"unknown field '{key}'{hint}")


def _kind(value: object) -> str:
    if isinstance(value, LMap):
        return "a mapping"
    if isinstance(value, LList):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "nothing"
    if isinstance(value, (int, float)):
        return "a number"
    return "text"
