"""A new question type, added the way docs/architecture.md says, reaches every consumer.

``YearQuestion`` lives only in the test suite (tests/toykit.py).  It is registered as the
recipe says (its class, its widget, one entry in every table, through ``typekit.registered``)
and then validated, studied in the plain quiz, exported to every format and put on a
worksheet: each either handles it or names it unsupported, one line on stderr.
"""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from nkstudy.cli import main
from nkstudy.formats import import_files
from nkstudy.formats.registry import BY_NAME, writers
from packfactory import PACK_YAML, write_pack
from toykit import ENTRIES, YearQuestion
from typekit import registered

QUESTIONS = """\
questions:
  - id: q-year
    type: year
    prompt: In which year did the official meet Kim Jong Un in Pyongyang?
    answer: "2024"
    source: art
    excerpt: A senior Chinese official reaffirmed ties with North Korea
    tags: [when]
  - id: q-typed
    type: typed
    prompt: In April 2024, who was the North Korean leader the official met?
    answer: Kim Jong Un
    source: art
    excerpt: the country's leader Kim Jong Un
    tags: [who]
"""


@pytest.fixture
def toy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """YearQuestion registered; a pack with one year and one typed question in tmp_path/packs."""
    monkeypatch.setenv("NKSTUDY_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("NKSTUDY_PACKS", str(tmp_path / "packs"))
    monkeypatch.setenv("NO_COLOR", "1")
    folder = write_pack(tmp_path / "packs" / "test-pack", PACK_YAML, QUESTIONS)
    with registered(YearQuestion, ENTRIES):
        yield folder


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def test_validate_reads_it_through_its_class(toy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--strict", str(toy)]) == 0
    capsys.readouterr()
    bad = (toy / "questions.yaml").read_text(encoding="utf-8").replace('answer: "2024"', "answer: soon")
    (toy / "questions.yaml").write_text(bad, encoding="utf-8")
    assert main(["validate", str(toy)]) == 1
    err = capsys.readouterr()
    problem = [line for line in _lines(err.out + err.err) if "four digits" in line]
    assert len(problem) == 1 and "questions.yaml:" in problem[0]


def test_the_plain_quiz_asks_grades_and_records_it(toy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("2024\n"))
    code = main(["study", "--plain", "--profile", "ann", "--pack", "test-pack", "--tag", "when", "--seed", "3"])
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    assert "In which year did the official meet Kim Jong Un" in out and "a year, like 2018" in out
    con = sqlite3.connect(tmp_path / "data" / "progress.sqlite3")
    try:
        log = con.execute("SELECT question_id, correct, answer FROM reviews ORDER BY id").fetchall()
    finally:
        con.close()
    assert log == [("q-year", 1, "2024")]


@pytest.mark.parametrize("fmt", [f.name for f in writers()])
def test_every_export_holds_it_or_says_why_in_one_line(toy: Path, tmp_path: Path, fmt: str,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / f"out{BY_NAME[fmt].suffix}"
    assert main(["export", str(toy), "--format", fmt, "-o", str(out)]) == 0
    err = capsys.readouterr().err
    about = [line for line in _lines(err) if "q-year" in line]
    why = BY_NAME[fmt].cannot_hold().get("year")
    if why is not None:  # declared unsupported: one line, with the reason the table gives
        assert about == [f"skipped question 'q-year': {why}"]
        assert "Kim Jong Un in Pyongyang?" not in out.read_bytes().decode("utf-8")
    else:  # handled: the question is in the file, and nothing said about it
        assert about == []
        if BY_NAME[fmt].binary:
            back = import_files([out])
            assert any("Kim Jong Un in Pyongyang?" in q.prompt for q in back.questions)
        else:
            assert "Kim Jong Un in Pyongyang?" in out.read_text(encoding="utf-8")
    assert {"gift", "moodlexml", "aiken"} == {f.name for f in writers() if "year" in f.cannot_hold()}


def test_the_worksheet_leaves_it_out_with_one_line(toy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["worksheet", "--pack", "test-pack", "--seed", "1", "--count", "2"])
    out, err = capsys.readouterr()
    assert code == 0
    left = [line for line in _lines(err) if not line.startswith("Wrote ")]
    assert len(left) == 1 and "'q-year'" in left[0]
    assert left[0].endswith("a worksheet has no layout for year questions yet")
    assert "who was the North Korean leader" in out and "In which year" not in out
