"""The format registry is the one list of formats: the CLI, detection and the docs all follow it."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest
from formatkit import BUILTIN, REPO

from nkstudy.cli import build_parser
from nkstudy.core.model import QUESTION_TYPES
from nkstudy.core.packs.loader import load_pack
from nkstudy.formats import FORMATS, export_pack
from nkstudy.formats.registry import BY_NAME, Head, detect, docs_table, readers, writers


def _choices(command: str) -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    action = next(a for a in sub.choices[command]._actions if "--format" in a.option_strings)
    return list(action.choices or [])


def test_cli_choices_come_from_the_registry() -> None:
    assert _choices("export") == [f.name for f in writers()]
    assert _choices("import") == ["auto", *(f.name for f in readers())]


@pytest.mark.parametrize("command, formats", [("export", writers()), ("import", readers())])
def test_help_lists_every_format_with_its_label(command: str, formats: tuple) -> None:
    out = subprocess.run([sys.executable, "-m", "nkstudy", command, "--help"], capture_output=True, text=True,
                         check=True).stdout
    flat = " ".join(out.split())
    for fmt in formats:
        assert f"{fmt.name} {' '.join(fmt.label.split())}" in flat, fmt.name


def test_docs_table_matches_the_registry() -> None:
    docs = (REPO / "docs" / "authoring.md").read_text(encoding="utf-8")
    assert docs_table() in docs, "docs/authoring.md's format table differs: paste formats.registry.docs_table()"


def test_readme_export_and_import_rows_name_every_format() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    export_row = next(line for line in readme.splitlines() if line.startswith("| `nkstudy export"))
    for fmt in writers():
        assert f"`{fmt.name}`" in export_row, fmt.name


def test_names_are_unique_and_every_format_reads_or_writes() -> None:
    assert len(BY_NAME) == len(FORMATS)
    for fmt in FORMATS:
        assert fmt.read is not None or fmt.write is not None, fmt.name
        assert fmt.suffix.startswith("."), fmt.name
        assert (fmt.read is None) == (fmt.sniff is None), fmt.name
        assert fmt.cannot_hold().keys() <= set(QUESTION_TYPES), fmt.name
        assert not any(why.startswith("no entry") for why in fmt.cannot_hold().values()), fmt.name


@pytest.mark.parametrize("fmt", [f.name for f in readers()])
def test_each_reader_is_known_by_its_suffixes(tmp_path: Path, fmt: str) -> None:
    for suffix in BY_NAME[fmt].suffixes:
        path = tmp_path / f"file{suffix}"
        path.write_bytes(b"")
        assert detect(path).name == fmt


@pytest.mark.parametrize(
    "head, fmt",
    [
        (b"PK\x03\x04rest", "apkg"),
        (b"\xef\xbb\xbf <?xml version='1.0'?><quiz/>", "moodlexml"),
        (b"Which?\nA) x\nB) y\nANSWER: A\n", "aiken"),
        (b"::q1:: Which? {=a ~b}\n", "gift"),
        (b"front\tback\n", "tsv"),
        (b"front,back\n", "csv"),
    ],
)
def test_sniffing_follows_the_registry_order(tmp_path: Path, head: bytes, fmt: str) -> None:
    path = tmp_path / "noname"
    path.write_bytes(head)
    assert detect(path).name == fmt
    # the first reader whose sniffer says yes is the one chosen
    assert next(f for f in readers() if f.sniff is not None and f.sniff(Head.of(head))).name == fmt


@pytest.mark.parametrize("fmt", [f.name for f in writers()])
def test_each_writer_says_what_it_left_out(fmt: str) -> None:
    pack = load_pack(BUILTIN).pack
    assert pack is not None
    exported = export_pack(pack, fmt, timestamp=0.0)
    assert exported.suffix == BY_NAME[fmt].suffix and exported.binary == BY_NAME[fmt].binary
    left = BY_NAME[fmt].cannot_hold()
    expected = [q.id for q in pack.questions if q.type_name in left]
    said = [line for line in exported.skipped if line.startswith("skipped question")]
    # one line per question of a type the format cannot hold (GIFT also skips a cloze blank at the very end)
    assert [q for q in expected if not any(f"'{q}'" in line for line in said)] == []


def test_docs_table_says_how_each_reader_is_reached() -> None:
    # A reader with no file suffix (quizlet) is reached only through --format; the table says so.
    for line in docs_table().splitlines()[2:]:
        reads = line.split(" | ")[2]
        assert not reads.startswith(" or") and not reads.startswith("or "), line
    quizlet = next(line for line in docs_table().splitlines() if line.startswith("| `quizlet`"))
    assert "--format quizlet" in quizlet
