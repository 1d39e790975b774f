"""Import and export, one module per format.  Pure: files in, model out, and back.

Public API::

    IMPORT_FORMATS, EXPORT_FORMATS
    detect_format(path) -> str
    import_files(paths, fmt="auto", *, as_typed=False) -> ImportResult
    export_pack(pack, fmt, *, timestamp=0.0) -> Exported
    write_pack(result, dest, pack_id=..., title=...)  (formats.writer)

Errors that stop a whole file raise :class:`FormatError` (one line, ``file:line: ...``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from nkstudy.core.model import Pack
from nkstudy.core.text import json_text, quoted
from nkstudy.formats.common import FormatError, ImportResult

IMPORT_FORMATS = ("csv", "tsv", "aiken", "gift", "moodlexml", "apkg")
EXPORT_FORMATS = ("json", "csv", "tsv", "gift", "aiken", "moodlexml", "apkg", "md")
SUFFIXES = {
    "json": ".json",
    "csv": ".csv",
    "tsv": ".tsv",
    "gift": ".gift",
    "aiken": ".txt",
    "moodlexml": ".xml",
    "apkg": ".apkg",
    "md": ".md",
}

__all__ = [
    "EXPORT_FORMATS",
    "IMPORT_FORMATS",
    "Exported",
    "FormatError",
    "ImportResult",
    "detect_format",
    "export_pack",
    "import_files",
]


def detect_format(path: Path) -> str:
    """Guess a file's format from its name, then from its first bytes."""
    name = path.name.casefold()
    for suffix, fmt in (
        (".apkg", "apkg"),
        (".colpkg", "apkg"),
        (".gift", "gift"),
        (".gift.txt", "gift"),
        (".xml", "moodlexml"),
        (".tsv", "tsv"),
        (".csv", "csv"),
        (".aiken", "aiken"),
        (".aiken.txt", "aiken"),
    ):
        if name.endswith(suffix):
            return fmt
    try:
        with path.open("rb") as fh:
            head = fh.read(8192)
    except OSError as exc:
        raise FormatError(path, None, f"cannot read file: {exc.strerror}") from None
    if head.startswith(b"PK\x03\x04"):
        return "apkg"
    text = head.decode("utf-8", "replace").lstrip("\ufeff \n\r\t")
    if text.startswith("<?xml") or text.startswith("<quiz"):
        return "moodlexml"
    import re

    if re.search(r"^ANSWER\s*:\s*[A-Z]\s*$", text, re.M):
        return "aiken"
    if re.search(r"\{[^}]*(=|~|TRUE|FALSE|#)[^}]*\}", text) or "::" in text or "$CATEGORY:" in text:
        return "gift"
    return "tsv" if "\t" in text else "csv"


def import_files(paths: list[Path], fmt: str = "auto", *, as_typed: bool = False) -> ImportResult:
    """Read every file into one result; a file that cannot be read at all raises FormatError."""
    from nkstudy.formats import aiken, apkg, csv, gift_import, moodlexml

    total = ImportResult()
    for path in paths:
        kind = detect_format(path) if fmt == "auto" else fmt
        if kind == "csv":
            part = csv.import_file(path, separator=None, as_typed=as_typed)
        elif kind == "tsv":
            part = csv.import_file(path, separator="\t", as_typed=as_typed)
        elif kind == "aiken":
            part = aiken.import_file(path)
        elif kind == "gift":
            part = gift_import.import_file(path)
        elif kind == "moodlexml":
            part = moodlexml.import_file(path)
        elif kind == "apkg":
            part = apkg.import_file(path)
        else:
            raise FormatError(path, None, f"unknown format {quoted(kind)} (use one of: {', '.join(IMPORT_FORMATS)})")
        total.extend(part)
    return total


@dataclass(frozen=True)
class Exported:
    """An export: the file's bytes, one line per question left out, and the usual suffix."""

    data: bytes
    skipped: list[str]
    suffix: str
    binary: bool


def export_pack(pack: Pack, fmt: str, *, timestamp: float = 0.0) -> Exported:
    """``pack`` in format ``fmt``; ``timestamp`` (seconds) stamps .apkg notes, so pass the clock in."""
    from nkstudy.formats import aiken, apkg, csv, gift_export, md, moodlexml

    text: str
    skipped: list[str]
    if fmt == "json":
        text, skipped = json_text(pack.to_export()) + "\n", []  # control and bidi characters as \\u escapes
    elif fmt == "apkg":
        data, skipped = apkg.export(pack, timestamp)
        return Exported(data, skipped, ".apkg", True)
    elif fmt in ("csv", "tsv"):
        text, skipped = csv.export(pack, "," if fmt == "csv" else "\t")
    else:
        exporters: dict[str, Callable[[Pack], tuple[str, list[str]]]] = {
            "gift": gift_export.export,
            "aiken": aiken.export,
            "moodlexml": moodlexml.export,
            "md": md.export,
        }
        exporter = exporters.get(fmt)
        if exporter is None:
            raise ValueError(f"unknown export format {quoted(fmt)} (use one of: {', '.join(EXPORT_FORMATS)})")
        text, skipped = exporter(pack)
    return Exported(text.encode("utf-8"), skipped, SUFFIXES[fmt], False)
