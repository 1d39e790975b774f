"""Import and export, one module per format.  Pure: files in, model out, and back.

Every format is one :class:`~nkstudy.formats.registry.Format` entry in
:data:`~nkstudy.formats.registry.FORMATS`; everything here comes from it.

Public API::

    FORMATS, Format, detect(path) -> Format    (formats.registry)
    import_files(paths, fmt="auto", *, as_typed=False) -> ImportResult
    export_pack(pack, fmt, *, timestamp=0.0) -> Exported
    write_pack(result, dest, pack_id=..., title=...)  (formats.writer)

Errors that stop a whole file raise :class:`FormatError` (one line, ``file:line: ...``).
Importing this package is cheap: each format's module loads when a file is read or written.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nkstudy.core.text import quoted
from nkstudy.formats.registry import FORMATS, Format, detect, get

if TYPE_CHECKING:
    from nkstudy.core.model import Pack
    from nkstudy.formats.common import FormatError, ImportOptions, ImportResult

__all__ = [
    "FORMATS",
    "Exported",
    "Format",
    "FormatError",
    "ImportResult",
    "detect",
    "export_pack",
    "import_files",
]


def __getattr__(name: str) -> Any:
    # FormatError and ImportResult live in formats.common, which loads the model: only on first use
    if name in ("FormatError", "ImportResult"):
        from nkstudy.formats import common

        return getattr(common, name)
    raise AttributeError(f"module 'nkstudy.formats' has no attribute {name!r}")


def import_files(
    paths: list[Path], fmt: str = "auto", *, as_typed: bool = False, options: ImportOptions | None = None
) -> ImportResult:
    """Read every file into one result; a file that cannot be read at all raises FormatError
    (:class:`~nkstudy.formats.common.UnclearFormat` when its kind cannot be told).  With several
    files, the name each gives its questions (GIFT's opening category) is a tag that tells them
    apart; one file alone names the pack (:attr:`ImportResult.title`)."""
    from nkstudy.formats.common import FormatError, ImportOptions, ImportResult

    options = replace(options or ImportOptions(as_typed=as_typed), whole_pack=len(paths) == 1)
    total = ImportResult()
    for path in paths:
        found = detect(path) if fmt == "auto" else get_reader(path, fmt)
        if found.read is None:  # detect and get_reader give readers only
            raise FormatError(path, None, f"nkstudy cannot read {found.name} files")
        total.extend(found.read(path, options))
    return total


def get_reader(path: Path, name: str) -> Format:
    """The format ``name`` for reading ``path``; FormatError naming the readable ones when it is not one."""
    from nkstudy.formats.common import FormatError
    from nkstudy.formats.registry import readers

    found = next((f for f in readers() if f.name == name), None)
    if found is None:
        names = ", ".join(f.name for f in readers())
        raise FormatError(path, None, f"unknown format {quoted(name)} (use one of: {names})")
    return found


@dataclass(frozen=True)
class Exported:
    """An export: the file's bytes, one line per question left out, and the usual suffix."""

    data: bytes
    skipped: list[str]
    suffix: str
    binary: bool


def export_pack(pack: Pack, fmt: str, *, timestamp: float = 0.0) -> Exported:
    """``pack`` in format ``fmt``; ``timestamp`` (seconds) stamps .apkg notes, so pass the clock in."""
    found = get(fmt)
    if found.write is None:
        raise ValueError(f"nkstudy cannot write {fmt} files")
    data, skipped = found.write(pack, timestamp)
    return Exported(data, skipped, found.suffix, found.binary)
