"""The media files inside an Anki package, by the names the notes use.

An .apkg holds its files as numbered members (``0``, ``1``, ...) and a ``media`` member
naming them: JSON (``{"0": "map.png"}``) in the legacy format, or, in the format Anki
writes since 2.1.50 when *Support older Anki versions* is off, a zstd-compressed protobuf
list of entries (name, size, SHA-1) whose position is the member's number, each member
itself zstd-compressed.  Every file is read within :data:`MAX_MEDIA_BYTES` and checked by
its content (:func:`nkstudy.formats.media.keep`); whatever is refused is one note line.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from nkstudy.core.media import MAX_MEDIA_BYTES
from nkstudy.core.text import quoted
from nkstudy.formats.common import FormatError, ImportResult
from nkstudy.formats.media import keep
from nkstudy.formats.safeio import Budget, open_zip, read_member, unzstd

_ZSTD = b"\x28\xb5\x2f\xfd"
_WHAT = "Anki package (.apkg)"
_TOO_BIG = Budget(MAX_MEDIA_BYTES, f"more than {MAX_MEDIA_BYTES // (1024 * 1024)} MB")


def varint(data: bytes, at: int) -> tuple[int, int]:
    """The protobuf varint at ``at`` in ``data`` and the position after it; ValueError when damaged."""
    value = shift = 0
    while at < len(data):
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, at
        if shift > 63:
            break
    raise ValueError("a damaged protobuf varint")


def _fields(data: bytes) -> list[tuple[int, int | bytes]]:
    """The top-level fields of a protobuf message: (number, varint value or bytes)."""
    out: list[tuple[int, int | bytes]] = []
    at = 0
    while at < len(data):
        key, at = varint(data, at)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, at = varint(data, at)
            out.append((number, value))
        elif wire == 2:
            size, at = varint(data, at)
            if at + size > len(data):
                raise ValueError("a damaged protobuf field")
            out.append((number, data[at : at + size]))
            at += size
        elif wire in (1, 5):
            at += 8 if wire == 1 else 4
        else:
            raise ValueError("an unknown protobuf wire type")
    return out


def _entries(data: bytes) -> dict[str, str]:
    """Anki's MediaEntries message: file name -> member name (its position, or legacy_zip_filename)."""
    out: dict[str, str] = {}
    position = 0
    for number, value in _fields(data):
        if number != 1 or not isinstance(value, bytes):
            continue
        name, member = None, str(position)
        for inner, item in _fields(value):
            if inner == 1 and isinstance(item, bytes):
                name = item.decode("utf-8")
            elif inner == 255 and isinstance(item, int):
                member = str(item)
        if name:
            out[name] = member
        position += 1
    return out


class PackageMedia:
    """The files of one package, read on demand by the names its notes use."""

    def __init__(self, path: Path, result: ImportResult) -> None:
        self.path, self.result = path, result
        self.members: dict[str, str] = {}
        self.kept: dict[str, str | None] = {}
        try:
            with open_zip(path, _WHAT) as archive:
                if "media" in archive.namelist():
                    raw = bytes(read_member(archive, "media", path))
                    self.members = self._mapping(raw, set(archive.namelist()))
        except (FormatError, ValueError, UnicodeDecodeError):
            result.note(f"{path}: the package's list of media cannot be read (damaged?); media left out")

    def _mapping(self, raw: bytes, names: set[str]) -> dict[str, str]:
        if raw.startswith(_ZSTD):
            found = _entries(bytes(unzstd(raw, "media", self.path)))
        else:
            mapping = json.loads(raw.decode("utf-8"))
            found = {str(v): str(k) for k, v in mapping.items()} if isinstance(mapping, dict) else {}
        return {name: member for name, member in found.items() if member in names}

    def entries(self, names: list[str]) -> list[str]:
        """The pack entries (``media/x.png``) of the files ``names``, each read and checked once."""
        out: list[str] = []
        for name in dict.fromkeys(names):
            if name not in self.kept:
                self.kept[name] = self._read(name)
            entry = self.kept[name]
            if entry is not None:
                out.append(entry)
        return out

    def _read(self, name: str) -> str | None:
        member = self.members.get(name)
        if member is None:
            self.result.note(f"{self.path}: media {quoted(name)} left out: it is not in the package")
            return None
        too_big = (f"{self.path}: media {quoted(name)} left out: it is larger than "
                   f"{MAX_MEDIA_BYTES // (1024 * 1024)} MB")
        try:
            with open_zip(self.path, _WHAT) as archive:
                info = archive.getinfo(member)
                if info.file_size > MAX_MEDIA_BYTES * 2:
                    self.result.note(too_big)
                    return None
                data = bytes(read_member(archive, member, self.path))
            if data.startswith(_ZSTD):
                data = bytes(unzstd(data, member, self.path, _TOO_BIG))
        except FormatError as exc:
            self.result.note(too_big if "expands to" in exc.message else
                             f"{self.path}: media {quoted(name)} left out: it cannot be unpacked")
            return None
        except (KeyError, zipfile.BadZipFile):
            self.result.note(f"{self.path}: media {quoted(name)} left out: it cannot be unpacked")
            return None
        if len(data) > MAX_MEDIA_BYTES:
            self.result.note(too_big)
            return None
        return keep(self.result, name, data, self.path)
