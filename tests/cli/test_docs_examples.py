"""The report pictures and examples in docs/classroom.md are what nkstudy makes: these tests make them again.

Over the hand class of tests/drillkit.py (seven sittings of the factory pack's
six questions):

* the terminal report, drawn by the report's own table code into an SVG with
  Rich's recording console (``docs/img/report-table.svg``);
* the gradebook CSV, shown in the docs as a code block.

Each is compared with what is stored; ``--snapshot-update`` (the snapshot
plugin's flag, as for the app's snapshots) writes them anew: look at the
result before committing it.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from rich.console import Console

from drillkit import CODE, class_results
from enginekit import make_pack
from nkstudy.classroom.report import build_report
from nkstudy.classroom.report_csv import render_gradebook
from nkstudy.cli.report import table_parts
from nkstudy.core.classroom.gate import read_roster

DOCS = Path(__file__).resolve().parents[2] / "docs"
REPORT_SVG = DOCS / "img" / "report-table.svg"
CLASSROOM = DOCS / "classroom.md"
GRADEBOOK_BLOCK = re.compile(r"(<!-- gradebook example[^\n]*-->\n```csv\n)(.*?)(```)", re.S)
MAX_IMAGE = 100_000  # bytes: pictures in the docs stay small


def _update(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--snapshot-update", default=False))


@pytest.fixture
def report(tmp_path: Path):
    pack = make_pack(tmp_path / "test-pack")
    return build_report(CODE, class_results(pack), [pack])


def test_the_terminal_report_in_the_docs_is_what_report_prints(request: pytest.FixtureRequest, report) -> None:
    console = Console(record=True, width=100, file=io.StringIO(), force_terminal=True, color_system="truecolor",
                      highlight=False)
    for part in table_parts(report):
        console.print(part)
    svg = console.export_svg(title=f"nkstudy report '{CODE}'")
    if _update(request):
        REPORT_SVG.parent.mkdir(exist_ok=True)
        REPORT_SVG.write_text(svg, encoding="utf-8")
    assert REPORT_SVG.is_file(), "run this test with --snapshot-update to draw it"
    assert REPORT_SVG.read_text(encoding="utf-8") == svg, "the report changed: run with --snapshot-update, look"
    assert len(svg.encode()) < MAX_IMAGE
    assert "Responses" in svg and "Most" in svg  # the whole report, down to the most missed


def test_the_gradebook_in_the_docs_is_what_report_writes(request: pytest.FixtureRequest, report,
                                                         tmp_path: Path) -> None:
    roster_file = tmp_path / "class-7b.txt"
    roster_file.write_text("Ann <ann@school.example>\nBob <bob@school.example>\nCai <cai@school.example>\n"
                           "Dan <dan@school.example>\nEve <eve@school.example>\nFay <fay@school.example>\n"
                           "Gus <gus@school.example>\n", encoding="utf-8")
    csv_text = render_gradebook(report, read_roster(roster_file))
    docs = CLASSROOM.read_text(encoding="utf-8")
    found = GRADEBOOK_BLOCK.search(docs)
    assert found, "docs/classroom.md has no '<!-- gradebook example -->' block"
    if _update(request):
        docs = docs[:found.start(2)] + csv_text + docs[found.end(2):]
        CLASSROOM.write_text(docs, encoding="utf-8")
        found = GRADEBOOK_BLOCK.search(docs)
        assert found
    assert found.group(2) == csv_text, "the gradebook changed: run with --snapshot-update"
    assert "Gus <gus@school.example>" not in csv_text and "gus@school.example,Gus,,6,,0" in csv_text


def test_every_picture_in_the_classroom_docs_is_one_the_tests_make() -> None:
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", CLASSROOM.read_text(encoding="utf-8"))
    assert len(links) >= 8  # board, projector, drill question and end, live student, browser, report, sheet
    for link in links:
        target = (CLASSROOM.parent / link).resolve()
        assert target.is_file(), f"docs/classroom.md links {link}, which is not there"
        assert target.stat().st_size < MAX_IMAGE, link
        made_by = "__snapshots__" in target.parts or target.parent == DOCS / "img"
        assert made_by, f"{link}: pictures in the docs come from the tests (a snapshot or docs/img)"
