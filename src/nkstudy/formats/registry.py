"""The format registry: every import and export format, one declarative :class:`Format` each.

``nkstudy import`` and ``nkstudy export`` (their choices and ``--help``), :func:`detect`,
:func:`import_files`, :func:`export_pack` and the format table in docs/authoring.md all
come from :data:`FORMATS`.  Adding a format is one entry here and its module.

Importing this module is cheap (the CLI builds its parser from it on every start): each
format's module is imported only when a file is read or written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from nkstudy.core.text import quoted

if TYPE_CHECKING:
    from nkstudy.core.model import Pack
    from nkstudy.formats.common import ImportOptions, ImportResult

HEAD_BYTES = 8192


@dataclass(frozen=True)
class Head:
    """The first bytes of a file, for sniffing: raw, and as text (BOM and leading space gone)."""

    data: bytes
    text: str

    @classmethod
    def of(cls, data: bytes) -> Head:
        return cls(data, data.decode("utf-8", "replace").lstrip("\ufeff \n\r\t"))


class Reader(Protocol):
    def __call__(self, path: Path, options: ImportOptions) -> ImportResult: ...


#: ``(pack, timestamp) -> (the file's bytes, one line per question left out)``
Writer = Callable[["Pack", float], tuple[bytes, list[str]]]


@dataclass(frozen=True)
class Format:
    """One file format nkstudy reads, writes, or both."""

    name: str  #: what --format takes
    label: str  #: one line for --help and the docs
    suffix: str  #: the suffix an export is written with
    suffixes: tuple[str, ...] = ()  #: file names it is recognised by when reading (``--format auto``)
    sniff: Callable[[Head], bool] | None = None  #: recognises a file by its first bytes
    read: Reader | None = None
    write: Writer | None = None
    binary: bool = False  #: an export is binary (needs -o FILE)
    #: the exporter's per-type table (question class → writer or Unsupported); None: it holds every type
    types: Callable[[], Mapping[type, object]] | None = None

    def cannot_hold(self, *, templates: bool = False) -> dict[str, str]:
        """Question type name → why an export in this format leaves it out (empty: it holds every type).

        ``templates``: the reasons with ``{type}`` where the type's name goes, so that types left out
        for the same reason can be named together.
        """
        from nkstudy.core.model import QUESTION_TYPES
        from nkstudy.core.questions import Unsupported, lookup

        if self.types is None:
            return {}
        table = self.types()
        out: dict[str, str] = {}
        for name, cls in QUESTION_TYPES.items():
            entry = lookup(table, cls)
            if entry is None:
                out[name] = f"no entry for {'{type}' if templates else name} in the {self.name} exporter"
            elif isinstance(entry, Unsupported):
                out[name] = entry.reason if templates else entry.why(cls)
        return out


# -- the readers and writers, each importing its module when first used ----------------------------


def _read_csv(path: Path, options: ImportOptions) -> ImportResult:
    from nkstudy.formats import csv

    return csv.import_file(path, options)


def _read_tsv(path: Path, options: ImportOptions) -> ImportResult:
    from nkstudy.formats import csv

    return csv.import_file(path, options, default_separator="\t")


def _read_json(path: Path, options: ImportOptions) -> ImportResult:
    from nkstudy.formats import jsonpack

    return jsonpack.import_file(path, options)


def _read_aiken(path: Path, options: ImportOptions) -> ImportResult:
    from nkstudy.formats import aiken

    return aiken.import_file(path)


def _read_gift(path: Path, options: ImportOptions) -> ImportResult:
    from nkstudy.formats import gift_import

    return gift_import.import_file(path, whole_pack=options.whole_pack)


def _read_moodlexml(path: Path, options: ImportOptions) -> ImportResult:
    from nkstudy.formats import moodlexml

    return moodlexml.import_file(path, whole_pack=options.whole_pack)


def _read_apkg(path: Path, options: ImportOptions) -> ImportResult:
    from nkstudy.formats import apkg_read

    return apkg_read.import_file(path)


def _text(text: str, skipped: list[str]) -> tuple[bytes, list[str]]:
    return text.encode("utf-8"), skipped


def _write_json(pack: Pack, timestamp: float) -> tuple[bytes, list[str]]:
    from nkstudy.core.text import json_text
    from nkstudy.formats.media import media_records

    data = pack.to_export()
    media = media_records(pack)
    if media:
        data["media"] = media  # the files themselves, so an import of the export is the same pack
    return _text(json_text(data) + "\n", [])  # control and bidi characters as \u escapes


def _write_csv(pack: Pack, timestamp: float) -> tuple[bytes, list[str]]:
    from nkstudy.formats import csv

    return _text(*csv.export(pack, ","))


def _write_tsv(pack: Pack, timestamp: float) -> tuple[bytes, list[str]]:
    from nkstudy.formats import csv

    return _text(*csv.export(pack, "\t"))


def _write_quizlet(pack: Pack, timestamp: float) -> tuple[bytes, list[str]]:
    from nkstudy.formats import csv

    return _text(*csv.export_quizlet(pack))


def _write_gift(pack: Pack, timestamp: float) -> tuple[bytes, list[str]]:
    from nkstudy.formats import gift_export

    return _text(*gift_export.export(pack))


def _write_aiken(pack: Pack, timestamp: float) -> tuple[bytes, list[str]]:
    from nkstudy.formats import aiken

    return _text(*aiken.export(pack))


def _write_moodlexml(pack: Pack, timestamp: float) -> tuple[bytes, list[str]]:
    from nkstudy.formats import moodlexml

    return _text(*moodlexml.export(pack))


def _write_apkg(pack: Pack, timestamp: float) -> tuple[bytes, list[str]]:
    from nkstudy.formats import apkg

    return apkg.export(pack, timestamp)


def _write_md(pack: Pack, timestamp: float) -> tuple[bytes, list[str]]:
    from nkstudy.formats import md

    return _text(*md.export(pack))


def _csv_types() -> Mapping[type, object]:
    from nkstudy.formats.csv import SHEET

    return SHEET


def _gift_types() -> Mapping[type, object]:
    from nkstudy.formats.gift_export import GIFT

    return GIFT


def _aiken_types() -> Mapping[type, object]:
    from nkstudy.formats.aiken import AIKEN

    return AIKEN


def _moodlexml_types() -> Mapping[type, object]:
    from nkstudy.formats.moodlexml import MOODLE_XML

    return MOODLE_XML


def _apkg_types() -> Mapping[type, object]:
    from nkstudy.formats.apkg import ANKI_NOTES

    return ANKI_NOTES


_AIKEN_ANSWER = re.compile(r"^ANSWER\s*:\s*[A-Z]\s*$", re.M)
# a GIFT answer block: its first mark right after the brace (``{=a ~b}``, ``{#3.14}``, ``{TRUE}``),
# not any brace holding '=' (``{x | x = 2k}`` in a spreadsheet is not GIFT), and never '::' alone
_GIFT_BLOCK = re.compile(r"\{\s*(?:[=~#]|%-?\d|(?:TRUE|FALSE|T|F)\s*(?:#[^}]*)?\})")
_GIFT_CATEGORY = re.compile(r"^\$CATEGORY:", re.M)
# Anki's "Notes in Plain Text" export starts with these header lines
_ANKI_HEADER = re.compile(
    r"^#(?:separator|html|guid column|notetype column|deck column|tags column|columns|notetype|deck|tags|if matches):",
    re.I,
)


def _is_gift(head: Head) -> bool:
    text = head.text
    if _ANKI_HEADER.match(text):
        return False
    return bool(_GIFT_CATEGORY.search(text)) or bool(_GIFT_BLOCK.search(text))


def _rows_with(head: Head, marks: str) -> bool:
    """The first rows of a text (after any Anki header lines) hold one of ``marks`` between cells."""
    if b"\x00" in head.data:
        return False
    rows = [line for line in head.text.splitlines()[:20] if line.strip() and not line.startswith("#")]
    header = _ANKI_HEADER.match(head.text)
    if header and "#separator:" in head.text:
        return True
    return bool(rows) and any(mark in row for row in rows for mark in marks)


_OUR_JSON = re.compile(r'^\{\s*"format"\s*:\s*\d+\s*,\s*"pack"\s*:')


def _is_json(head: Head) -> bool:
    """nkstudy's own export: it starts with its format and pack (its questions may come far later)."""
    return bool(_OUR_JSON.match(head.text)) or (head.text.startswith("{") and '"questions"' in head.text)


#: every format, in the order a file of unknown kind is sniffed (the first whose sniffer
#: recognises it wins; csv takes whatever is left) and the order --help lists them
FORMATS: tuple[Format, ...] = (
    Format(
        "json",
        "the normalized pack, one JSON object (docs/packs.md gives its shape); control and bidi "
        "characters in strings are written as \\uXXXX escapes; import reads it back whole",
        suffix=".json",
        suffixes=(".json",),
        sniff=_is_json,
        read=_read_json,
        write=_write_json,
    ),
    Format(
        "apkg",
        "an Anki deck (written with genanki)",
        suffix=".apkg",
        suffixes=(".apkg", ".colpkg"),
        sniff=lambda head: head.data.startswith(b"PK\x03\x04"),
        read=_read_apkg,
        write=_write_apkg,
        binary=True,
        types=_apkg_types,
    ),
    Format(
        "moodlexml",
        "Moodle XML",
        suffix=".xml",
        suffixes=(".xml",),
        sniff=lambda head: head.text.startswith(("<?xml", "<quiz")),
        read=_read_moodlexml,
        write=_write_moodlexml,
        types=_moodlexml_types,
    ),
    Format(
        "aiken",
        "Moodle's Aiken format (one-answer multiple choice only)",
        suffix=".txt",
        suffixes=(".aiken", ".aiken.txt"),
        sniff=lambda head: bool(_AIKEN_ANSWER.search(head.text)),
        read=_read_aiken,
        write=_write_aiken,
        types=_aiken_types,
    ),
    Format(
        "gift",
        "Moodle's GIFT text format",
        suffix=".gift",
        suffixes=(".gift", ".gift.txt"),
        sniff=_is_gift,
        read=_read_gift,
        write=_write_gift,
        types=_gift_types,
    ),
    Format(
        "tsv",
        "tab-separated prompt and answer columns (Quizlet, Anki's text import)",
        suffix=".tsv",
        suffixes=(".tsv",),
        sniff=lambda head: _rows_with(head, "\t"),
        read=_read_tsv,
        write=_write_tsv,
        types=_csv_types,
    ),
    Format(
        "csv",
        "a spreadsheet: prompt and answer columns (an export adds the citation as a third)",
        suffix=".csv",
        suffixes=(".csv",),
        sniff=lambda head: _rows_with(head, ",;"),
        read=_read_csv,
        write=_write_csv,
        types=_csv_types,
    ),
    Format(
        "quizlet",
        "Quizlet's import: term, a tab, definition; one line a card, no header (line breaks inside a "
        "card become spaces)",
        suffix=".txt",
        sniff=lambda head: False,  # read as tsv when not named: the same file
        read=_read_tsv,
        write=_write_quizlet,
        types=_csv_types,
    ),
    Format("md", "a readable Markdown page", suffix=".md", write=_write_md),
)

BY_NAME: dict[str, Format] = {f.name: f for f in FORMATS}


def readers() -> tuple[Format, ...]:
    """The formats ``nkstudy import`` reads."""
    return tuple(f for f in FORMATS if f.read is not None)


def writers() -> tuple[Format, ...]:
    """The formats ``nkstudy export`` writes."""
    return tuple(f for f in FORMATS if f.write is not None)


def get(name: str) -> Format:
    """The format called ``name``; ValueError naming the known ones when there is none."""
    found = BY_NAME.get(name)
    if found is None:
        raise ValueError(f"unknown format {quoted(name)} (use one of: {', '.join(BY_NAME)})")
    return found


def detect(path: Path) -> Format:
    """A file's format: from its name, else from its first bytes (FormatError when it cannot be read)."""
    name = path.name.casefold()
    for fmt in readers():
        if name.endswith(fmt.suffixes):
            return fmt
    from nkstudy.formats.safeio import read_head  # regular files only: never a FIFO or a device

    head = Head.of(read_head(path, HEAD_BYTES))
    for fmt in readers():
        if fmt.sniff is not None and fmt.sniff(head):
            return fmt
    from nkstudy.formats.common import UnclearFormat

    raise UnclearFormat(path, None, "cannot tell what kind of file this is; say it with --format "
                                    f"({', '.join(f.name for f in readers())})")


def help_lines(formats: tuple[Format, ...], width: int = 78) -> str:
    """``  name       label`` for each format, wrapped to ``width``, for a command's --help."""
    import textwrap

    out: list[str] = []
    for fmt in formats:
        out += textwrap.wrap(fmt.label, width, initial_indent=f"  {fmt.name:<10} ", subsequent_indent=" " * 13)
    return "\n".join(out)


def docs_table() -> str:
    """The Markdown table of formats in docs/authoring.md (a test holds the two equal)."""
    from nkstudy.core.model import QUESTION_TYPES

    rows = [
        "| format | what it is | import reads | export writes | an export holds |",
        "| --- | --- | --- | --- | --- |",
    ]
    for fmt in FORMATS:
        if fmt.read is None:
            reads = "—"
        elif fmt.suffixes:
            reads = ", ".join(f"`*{s}`" for s in fmt.suffixes) + " or by content"
        else:  # read only when named: its files look like another format's
            reads = f"with `--format {fmt.name}`"
        writes = f"`*{fmt.suffix}`" if fmt.write is not None else "—"
        left = fmt.cannot_hold()
        held = ", ".join(f"`{name}`" for name in QUESTION_TYPES if name not in left)
        holds = ("every type" if not left else held or "nothing") if fmt.write is not None else "—"
        rows.append(f"| `{fmt.name}` | {fmt.label} | {reads} | {writes} | {holds} |")
    return "\n".join(rows)


__all__ = ["BY_NAME", "FORMATS", "Format", "Head", "detect", "docs_table", "get", "help_lines", "readers", "writers"]
