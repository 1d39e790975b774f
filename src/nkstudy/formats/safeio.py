"""Opening what import reads, within bounds: regular files only, and a budget for every
decompression (an absolute size and a ratio to the compressed size), so a damaged or
hostile archive stops with one line instead of a traceback or gigabytes of memory.
"""

from __future__ import annotations

import io
import os
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from nkstudy.core.packs.safeyaml import FileProblem, open_regular
from nkstudy.formats.common import FormatError

MAX_PACKAGE_BYTES = 1024 * 1024 * 1024  # an archive (.apkg) on disk, read piece by piece
_CHUNK = 1 << 20

# what an archive's member may expand to: at most the absolute size, and at most
# ``ratio`` times its compressed size (but always the floor, for small real files)
MAX_EXPANDED = 512 * 1024 * 1024
MAX_RATIO = 100
RATIO_FLOOR = 32 * 1024 * 1024

# what zip, zlib and zstd raise for a damaged archive, besides their own error classes
_DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, RuntimeError)


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


@dataclass(frozen=True)
class Budget:
    """How far one decompression may go."""

    limit: int
    reason: str

    @classmethod
    def for_compressed(cls, compressed: int) -> Budget:
        by_ratio = max(RATIO_FLOOR, compressed * MAX_RATIO)
        if by_ratio < MAX_EXPANDED:
            return cls(by_ratio, f"more than {MAX_RATIO} times its compressed size of {compressed:,} bytes")
        return cls(MAX_EXPANDED, f"more than {MAX_EXPANDED // (1024 * 1024)} MB")


def read_head(path: Path, size: int = 8192) -> bytes:
    """The first ``size`` bytes of a file to import (to tell its kind), never from a FIFO or device."""
    fd, _ = _open(path, MAX_PACKAGE_BYTES)
    try:
        return os.read(fd, size)
    except OSError as exc:
        raise FormatError(path, None, f"cannot be read: {exc.strerror}") from None
    finally:
        os.close(fd)


def open_input(path: Path) -> BinaryIO:
    """The regular file at ``path`` opened for reading (an archive); raises FormatError."""
    fd, _ = _open(path, MAX_PACKAGE_BYTES)
    return os.fdopen(fd, "rb")


def _open(path: Path, limit: int) -> tuple[int, os.stat_result]:
    try:
        return open_regular(path, limit)
    except FileProblem as exc:
        raise FormatError(path, None, "file not found" if exc.message == "not found" else exc.message) from None


@contextmanager
def open_zip(path: Path, what: str) -> Iterator[zipfile.ZipFile]:
    """``path`` as a zip archive (the file is closed after); ``what`` names the kind of file
    for the one-line message when it is not a readable zip."""
    with open_input(path) as handle:
        try:
            archive = zipfile.ZipFile(handle)
        except _DAMAGE:
            raise FormatError(path, None, f"not a readable {what} (it is a zip file, and this one is damaged "
                                          "or is something else); export it again") from None
        with archive:
            yield archive


def read_member(archive: zipfile.ZipFile, name: str, path: Path) -> bytearray:
    """The bytes of member ``name``, within its budget; raises FormatError (one line)."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise FormatError(path, None, f"{name} is missing from the archive") from None
    budget = Budget.for_compressed(info.compress_size)
    if info.file_size > budget.limit:
        raise FormatError(path, None, f"{name} inside would expand to {budget.reason}; not unpacked")
    try:
        with archive.open(info) as member:
            return _bounded(member, budget, name, path)
    except FormatError:
        raise
    except _DAMAGE:
        raise FormatError(path, None, f"{name} inside is damaged and cannot be unpacked; export it again") from None


def unzstd(data: bytes | bytearray, name: str, path: Path, budget: Budget | None = None) -> bytearray:
    """``data`` decompressed from zstd, within ``budget`` (default: the budget for its size); raises FormatError."""
    try:
        import zstandard
    except ImportError:  # pragma: no cover - a dependency
        raise FormatError(path, None, f"reading {name} needs the 'zstandard' package") from None
    budget = budget or Budget.for_compressed(len(data))
    try:
        reader = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data))
        with reader:
            return _bounded(reader, budget, name, path)
    except FormatError:
        raise
    except (zstandard.ZstdError, *_DAMAGE):
        raise FormatError(path, None, f"{name} inside is not valid zstd data (damaged); export it again") from None


def _bounded(stream: _Readable, budget: Budget, name: str, path: Path) -> bytearray:
    out = bytearray()
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            return out
        out += chunk
        if len(out) > budget.limit:
            raise FormatError(path, None, f"{name} inside expands to {budget.reason}; stopped unpacking it")
