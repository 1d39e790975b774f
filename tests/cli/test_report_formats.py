"""``nkstudy report``: the class summary, the response grid, feedback sheets and the gradebook, over the hand class."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from drillkit import CODE
from nkstudy.cli import main

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_class_summary_is_the_hand_computed_one(filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # scores 6, 4, 4, 4, 3, 1, 0 (tests/drillkit.py): mean 22/7, median 4, population variance 174/49
    # KR-20 = 6/5 * (1 - (64/49) / (174/49)) = 0.7586
    _code, out, _ = _run(capsys, "report", CODE, "--format", "json")
    sm = json.loads(out)["summary"]
    assert sm["sittings"] == 7 and sm["questions"] == 6
    assert sm["mean"] == round(22 / 7, 4) and sm["median"] == 4 and sm["min"] == 0 and sm["max"] == 6
    assert sm["sd"] == round((174 / 49) ** 0.5, 4)
    assert sm["histogram"] == [1, 1, 0, 1, 3, 0, 1]
    assert sm["kr20"] == round(6 / 5 * (1 - (64 / 49) / (174 / 49)), 4)
    assert sm["seconds_per_question"] is not None
    _code, table, _ = _run(capsys, "report", CODE)
    assert "mean 3.14, median 4.0, sd 1.88, min 0, max 6 of 6; KR-20 0.76" in table


def test_the_response_grid_gives_every_answer_with_its_mark_and_time(
        filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _code, out, _ = _run(capsys, "report", CODE, "--format", "json")
    doc = json.loads(out)
    by_attempt = {s["attempt"]: s["answers"] for s in doc["responses"]}
    bob = {a["question"]: a for a in by_attempt["bob-1"]}
    assert bob["q-typed"]["answer"] == "Kim Jong Un" and bob["q-typed"]["correct"]
    assert bob["q-cloze"]["answer"] == "trade" and not bob["q-cloze"]["correct"]
    assert "q-cloze" not in {a["question"] for a in by_attempt["fay-1"]}  # not reached
    assert {a["question"]: a["answered"] for a in by_attempt["ann-2"]} == {
        "q-choice": True, "q-multi": False, "q-tf": True, "q-typed": False, "q-order": False, "q-cloze": False}
    _code, out, _ = _run(capsys, "report", CODE, "--format", "csv")
    grid = list(csv.DictReader(io.StringIO(out.split("\n\n")[2])))
    assert len(grid) == 41  # 7 sittings x 6 questions, less fay's one not reached
    row = next(r for r in grid if r["attempt"] == "bob-1" and r["question"] == "q-cloze")
    assert (row["correct"], row["answered"], row["answer"]) == ("0", "1", "trade")
    _code, table, _ = _run(capsys, "report", CODE)
    assert "Responses" in table and "✗" in table and "✓" in table
    _code, page, _ = _run(capsys, "report", CODE, "--format", "html")
    assert "<h2>Class summary</h2>" in page and "<h2>Responses</h2>" in page and "trade" in page


def test_sheets_give_each_student_a_printable_page(filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "report", CODE, "--format", "sheets", "-o", str(filled / "sheets.html"))
    assert code == 0 and out == ""
    # one line on stderr says what was written where (the report was silent, unlike export and worksheet)
    assert err.count("\n") == 1 and err.startswith(f"Wrote {filled / 'sheets.html'}: ") and "7 sittings" in err
    page = (filled / "sheets.html").read_text(encoding="utf-8")
    assert page.count("<section class=\"sheet\">") == 7 and "break-before: page" in page
    bob = page.split("<h1>bob</h1>")[1].split("</section>")[0]
    assert "score 4 of 6" in bob and "Your answer: trade" in bob and "Right answer: <strong>exchanges</strong>" in bob
    assert "how to promote &quot;exchanges and cooperation&quot;" in bob  # the source excerpt
    assert not CONTROL.search(page) and "<script" not in page


def test_the_gradebook_has_a_row_per_roster_student_with_email_and_best_score(
        filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    roster = filled / "class.txt"
    roster.write_text("# 7b\nAnn <ann@school.example>\nBob\nGus <gus@school.example>\n", encoding="utf-8")
    code, out, _ = _run(capsys, "report", CODE, "--roster", str(roster), "--format", "gradebook")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["Email address", "Full name", "Score", "Out of", "Percent", "Sittings"]
    assert [(r["Email address"], r["Full name"], r["Score"], r["Out of"], r["Percent"], r["Sittings"])
            for r in rows] == [
        ("ann@school.example", "Ann", "6", "6", "100.0", "2"),  # ann's best of two sittings
        ("", "Bob", "4", "6", "66.7", "1"),
        ("gus@school.example", "Gus", "", "6", "", "0"),  # on the roster, never sat
        ("", "cai", "4", "6", "66.7", "1"), ("", "dan", "4", "6", "66.7", "1"), ("", "eve", "3", "6", "50.0", "1"),
        ("", "fay", "1", "6", "16.7", "1")]
    _code, out, _ = _run(capsys, "report", CODE, "--roster", str(roster), "--format", "json")
    assert json.loads(out)["never_sat"] == ["Gus"]
    _code, table, _ = _run(capsys, "report", CODE, "--roster", str(roster))
    assert "Never sat: Gus" in table
