"""Typed access to the fields of one YAML mapping, collecting problems.

Every read that fails records a :class:`Problem` with the file, the line of
the offending field and a message, and returns ``None`` so the caller can go
on and report further problems.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from nkstudy.core.safeyaml import LList, LMap


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a pack, located in a file."""

    path: Path
    line: int | None
    message: str

    def format(self, relative_to: Path | None = None) -> str:
        shown = _display_path(self.path, relative_to)
        where = f"{shown}:{self.line}" if self.line else shown
        return f"{where}: {self.message}"


def _display_path(path: Path, relative_to: Path | None) -> str:
    base = relative_to if relative_to is not None else Path.cwd()
    try:
        return os.path.relpath(path, base) if path.is_absolute() and _under(path, base) else str(path)
    except ValueError:
        return str(path)


def _under(path: Path, base: Path) -> bool:
    try:
        path.resolve().relative_to(base.resolve())
    except ValueError:
        return False
    return True


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
        return self.data[name]

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

    def boolean(self, name: str, required: bool = True, default: bool = False) -> bool | None:
        value = self._get(name, required)
        if value is None:
            return None if required else default
        if not isinstance(value, bool):
            self.error(name, f"field '{name}' must be true or false, not {value!r}")
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
                self.error(key, f"unknown field '{key}'")


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
