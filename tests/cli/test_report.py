"""``nkstudy report``: the hand-computed class through the database and result files, in every format."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from drillkit import CODE, EXPECTED, EXPECTED_STUDENTS, MOST_MISSED, class_items, class_results
from enginekit import make_pack
from nkstudy.classroom.report import build_report, render_json
from nkstudy.classroom.report_pages import render_html
from nkstudy.cli import main
from nkstudy.core.classroom.drill import DrillResult, DrillSpec, result_of, select
from nkstudy.core.model import ChoiceQuestion, Pack
from nkstudy.core.packs.loader import load_pack
from nkstudy.core.text import visible
from nkstudy.store.db import Store
from nkstudy.store.drills import record_result, results_for, write_results_file
from packfactory import PACK_YAML, write_pack

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _db(home: Path) -> Path:
    return home / "data" / "progress.sqlite3"


def _results(home: Path) -> list[DrillResult]:
    return class_results(load_pack(home / "packs" / "test-pack").pack)


def _fill_db(home: Path, results: list[DrillResult]) -> None:
    store = Store(_db(home))
    for r in results:
        assert record_result(store, r)
    store.close()


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _check_document(doc: dict, home: Path) -> None:
    """Every figure of the hand-computed class (tests/drillkit.py), as the JSON report gives it."""
    assert doc["drill"] == CODE
    assert doc["group_size"] == 2 and doc["note"] is None
    assert [(s["profile"], s["attempt"], s["score"], s["total"], s["answered"], s["seconds"])
            for s in doc["students"]] == EXPECTED_STUDENTS
    for s in doc["students"]:
        assert set(s) >= {"profile", "score", "total", "seconds"}
    pack = load_pack(home / "packs" / "test-pack").pack
    items = class_items(pack)
    assert [i["question"] for i in doc["items"]] == [i.question_id for i in items]
    for item, drill_item in zip(doc["items"], items, strict=True):
        answered, right, facility, discrimination, options = EXPECTED[item["question"]]
        assert item["prompt"] == drill_item.question.prompt
        assert (item["answered"], item["right"]) == (answered, right)
        assert item["facility"] == round(facility, 4)
        assert item["discrimination"] == round(discrimination, 4)
        assert item["options"] == (options or {})
        assert list(item["options"]) == (list(drill_item.options) if options else [])
    assert [m["question"] for m in doc["most_missed"][:3]] == MOST_MISSED
    order = doc["most_missed"][0]
    assert order["missed"] == 5 and order["excerpt"] == "on Thursday"
    assert order["citation"] == ("“Chinese official meets North Korean leader Kim in Pyongyang” "
                                 "(Test Wire, about 2024-04-13)")


def test_json_report_from_the_database_matches_the_hand_computed_class(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _fill_db(home, _results(home))
    store = Store(_db(home))
    profiles = store.profile_names()
    store.close()
    code, out, err = _run(capsys, "report", CODE, "--format", "json")
    assert (code, err) == (0, "")
    _check_document(json.loads(out), home)
    # without a code: the only drill with results
    code, out2, _ = _run(capsys, "report", "--format", "json")
    assert code == 0 and out2 == out
    store = Store(_db(home))
    assert store.profile_names() == profiles  # the report created no profile ("ann", "bob", ... only)
    store.close()


def test_result_files_give_the_same_report_and_overlaps_count_once(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    results = _results(home)
    files = []
    for attempt in sorted({r.attempt for r in results}):
        path = home / f"{attempt}.json"
        write_results_file(path, CODE, [r for r in results if r.attempt == attempt])
        files.append(str(path))
    code, out, err = _run(capsys, "report", "--from", *files, "--format", "json")
    assert (code, err) == (0, "")
    _check_document(json.loads(out), home)
    assert not _db(home).exists()  # reading files never creates a database
    # the database holds some of the same sittings: with --with-db each sitting still counts once
    _fill_db(home, [r for r in results if r.attempt in ("ann-1", "bob-1")])
    code, both, _ = _run(capsys, "report", CODE, "--from", *files, "--with-db", "--format", "json")
    assert code == 0 and json.loads(both) == json.loads(out)


def test_csv_has_students_then_questions_and_never_a_formula(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    results = _results(home)
    evil = [DrillResult(**{**r.__dict__, "profile": "=HYPERLINK(\"http://x\")"}) for r in results
            if r.attempt == "eve-1"]
    _fill_db(home, [r for r in results if r.attempt != "eve-1"] + evil)
    code, out, _ = _run(capsys, "report", CODE, "--format", "csv")
    assert code == 0
    students, items, _responses = out.split("\n\n")
    rows = list(csv.DictReader(io.StringIO(students)))
    assert [r["profile"] for r in rows] == ["'=HYPERLINK(\"http://x\")", "ann", "ann", "bob", "cai", "dan", "fay"]
    assert {r["profile"]: r["score"] for r in rows}["bob"] == "4"
    q = {r["question"]: r for r in csv.DictReader(io.StringIO(items))}
    assert q["q-multi"]["facility"] == "0.4286" and q["q-multi"]["discrimination"] == "0.6667"
    assert q["q-tf"]["right"] == "6" and q["q-tf"]["answered"] == "7" and q["q-tf"]["options"] == ""
    assert "Kim Jong Un (right)=5" in q["q-multi"]["options"] and "Wang Yi=2" in q["q-multi"]["options"]
    assert q["q-multi"]["type"] == "multi" and q["q-tf"]["type"] == "truefalse"
    assert q["q-choice"]["answer"] == "Pyongyang" and q["q-typed"]["answer"] == "Kim Jong Un"


def test_answered_right_and_facility_agree_and_the_right_option_is_marked_in_every_format(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _fill_db(home, _results(home))
    pack = load_pack(home / "packs" / "test-pack").pack
    multi = next(i for i in class_items(pack) if i.question_id == "q-multi")
    shown_right = [o for o in multi.options if o in ("Kim Jong Un", "Choe Ryong Hae")]
    _code, out, _ = _run(capsys, "report", CODE, "--format", "json")
    doc = json.loads(out)
    items = {i["question"]: i for i in doc["items"]}
    assert items["q-multi"]["right_options"] == shown_right and items["q-choice"]["right_options"] == ["Pyongyang"]
    assert items["q-multi"]["answer"] == "; ".join(shown_right)  # in the order the drill showed the options
    assert items["q-typed"]["right_options"] == []
    # answered: an answer was given (time-outs are not); right and facility share the sittings as denominator
    assert (items["q-typed"]["answered"], items["q-typed"]["right"]) == (6, 3)
    _code, table, _ = _run(capsys, "report", CODE)
    row = next(line for line in table.splitlines() if "who was the North Korean" in line)
    assert "6/7" in row and "3/7" in row and "43%" in row
    assert "✓ Pyongyang: 4" in table and "  Beijing: 2" in table
    _code, page, _ = _run(capsys, "report", CODE, "--format", "html")
    assert "<strong>✓ Pyongyang: 4</strong>" in page


CLEAN_QUESTIONS = """\
questions:
  - id: q-evil
    type: choice
    prompt: Which city?
    options: ["<b>Pyongyang</b>", Beijing]
    answer: "<b>Pyongyang</b>"
    source: art
    excerpt: the capital Pyongyang
    tags: [where]
"""
EVIL_PROMPT = "Which city? <script>alert(1)</script> [@click=app.quit] \x1b[2J \u202e"
EVIL_PROFILE = "<i>mal</i>\x1b]0;pwn\x07"


@pytest.fixture
def hostile(home: Path) -> tuple[Path, str, Pack]:
    """Results of a drill whose profile names hold controls, and the pack with controls in its text.

    The loader refuses such text, so the hostile pack is built around it from a clean one
    (the report's own escaping is what is tested); the clean pack is the one on disk.
    """
    write_pack(home / "packs" / "test-pack", PACK_YAML, CLEAN_QUESTIONS)
    pack = load_pack(home / "packs" / "test-pack").pack
    assert pack is not None
    question = pack.question("q-evil")
    assert isinstance(question, ChoiceQuestion)
    evil = dataclasses.replace(question, prompt=EVIL_PROMPT, options=("<b>Pyongyang</b>", "Beijing \x9b31m"))
    evil_pack = dataclasses.replace(pack, questions=(evil,))
    spec = DrillSpec.build([evil_pack], 1, 1)
    [item] = select(spec, [evil_pack])
    store = Store(_db(home))
    from datetime import UTC, datetime

    at = datetime(2024, 5, 1, tzinfo=UTC)
    for n, (profile, picked) in enumerate([(EVIL_PROFILE, "Beijing \x9b31m"), ("ok", "<b>Pyongyang</b>")]):
        record_result(store, result_of(item, picked, code=spec.format(), profile=profile, attempt=f"a{n}",
                                       seconds=3.0, at=at))
    store.close()
    return home, spec.format(), evil_pack


def test_html_is_one_self_contained_page_with_pack_text_escaped(
        hostile: tuple[Path, str, Pack], capsys: pytest.CaptureFixture[str]) -> None:
    home, code, evil_pack = hostile
    status, out, err = _run(capsys, "report", code, "--format", "html", "-o", str(home / "r.html"))
    assert status == 0 and out == "" and err.startswith("Wrote ") and not CONTROL.search(err)
    page = (home / "r.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page and "@media print" in page
    assert "&lt;i&gt;mal&lt;/i&gt;\\x1b]0;pwn\\x07" in page and not CONTROL.search(page)
    store = Store(_db(home))
    page = render_html(build_report(code, results_for(store, code), [evil_pack]))
    store.close()
    for external in ("<script", "<link", "src=", "http://", "https://", "url("):
        assert external not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;Pyongyang&lt;/b&gt;: 1" in page and "&lt;i&gt;mal&lt;/i&gt;" in page
    assert "[@click=app.quit]" in page and "\\x1b[2J" in page and "\\u202e" in page and "\\x9b" in page
    assert not CONTROL.search(page)


def test_table_and_json_on_a_terminal_carry_no_control_characters(
        hostile: tuple[Path, str, Pack], capsys: pytest.CaptureFixture[str]) -> None:
    _home, code, _pack = hostile
    status, out, _ = _run(capsys, "report", code)
    assert status == 0
    assert "\\x1b]0;pwn\\x07" in out
    assert not CONTROL.search(out)
    status, out, _ = _run(capsys, "report", code, "--format", "json")
    assert status == 0 and not CONTROL.search(out)
    doc = json.loads(out)  # the JSON stays exact: escapes, not substitutions
    assert doc["students"][0]["profile"] == EVIL_PROFILE
    options = doc["items"][0]["options"]
    assert options["<b>Pyongyang</b>"] == 1 and options["Beijing \x9b31m"] == 1
    evil_json = render_json(build_report(code, [], [_pack]))
    assert not CONTROL.search(evil_json)


def test_a_report_names_missing_pack_text_but_keeps_the_figures(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    results = _results(home)
    _fill_db(home, results)
    code, out, _ = _run(capsys, "report", CODE, "--format", "json", "--data-dir", str(home / "data"))
    assert code == 0
    # the same drill, but the pack here is now at another version
    (home / "packs" / "test-pack" / "pack.yaml").write_text(PACK_YAML.replace('version: "1.0"', 'version: "2.0"'))
    code, out2, _ = _run(capsys, "report", CODE, "--format", "json")
    doc = json.loads(out2)
    assert code == 0 and "version 1.0" in doc["note"] and "2.0 is installed" in doc["note"]
    assert [i["prompt"] for i in doc["items"]] == [None] * 6
    before = json.loads(out)
    assert [(i["question"], i["right"], i["facility"], i["discrimination"]) for i in doc["items"]] == \
        [(i["question"], i["right"], i["facility"], i["discrimination"]) for i in before["items"]]


def test_usage_and_problems(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # no database: nothing is created, and the error says where it looked
    code, out, err = _run(capsys, "report")
    assert code == 1 and out == "" and "no drill results in the data folder" in err and err.count("\n") == 1
    assert not (home / "data").exists()
    code, _, err = _run(capsys, "report", "nk@1#x/2")
    assert code == 2 and "bad drill code" in err and err.count("\n") == 1
    _fill_db(home, _results(home))
    code, _, err = _run(capsys, "report", "test-pack@1.0#8/6")
    assert code == 1 and "no results for drill test-pack@1.0#8/6" in err and CODE in err
    # two drills: name one
    pack = load_pack(home / "packs" / "test-pack").pack
    other = DrillSpec.build([pack], 99, 2)
    item = select(other, [pack])[0]
    store = Store(_db(home))
    record_result(store, result_of(item, None, code=other.format(), profile="zed", attempt="z1", seconds=None,
                                   at=_results(home)[0].at))
    store.close()
    code, _, err = _run(capsys, "report")
    assert code == 2 and "results of 2 drills" in err and "nkstudy report CODE" in err
    # a bad result file: one line naming it
    bad = home / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    code, _, err = _run(capsys, "report", "--from", str(bad))
    assert code == 1 and str(bad) in err and "not an nkstudy result file" in err and err.count("\n") == 1
    # a file of another drill is skipped, with a word
    mine = home / "other.json"
    write_results_file(mine, other.format(), [])
    code, out, err = _run(capsys, "report", CODE, "--from", str(mine), "--with-db", "--format", "json")
    assert code == 0 and "holds results of drill" in err and "skipped" in err
    assert json.loads(out)["drill"] == CODE
    code, _, err = _run(capsys, "report", CODE, "-o", str(home / "no" / "such" / "dir" / "r.txt"))
    assert code == 1 and "cannot write the report" in err
    code, _, err = _run(capsys, "report", "--format", "pdf")
    assert code == 2


def test_help_has_examples(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--help"]) == 0
    out = capsys.readouterr().out
    assert "examples:" in out and "--from" in out and "exit status" in out


def test_visible_shows_controls_and_keeps_text() -> None:
    assert visible("plain 中文 é") == "plain 中文 é"
    assert visible("a\x1b[31mb\x00\x7f") == "a\\x1b[31mb\\x00\\x7f"
    assert visible("x\u202ey\x9bz") == "x\\u202ey\\x9bz"
    assert visible("line\nnext\tcol") == "line\\nnext\\tcol"  # one line unless asked to keep them
    assert visible("line\nnext\tcol", keep="\n\t") == "line\nnext\tcol"


def test_classroom_and_drill_code_import_neither_textual_nor_rich() -> None:
    modules = ["nkstudy.core.classroom.drill", "nkstudy.core.classroom.analysis", "nkstudy.store.drills",
               "nkstudy.classroom.report", "nkstudy.classroom.worksheet"]
    code = ("import importlib, sys\n"
            f"for m in {modules!r}: importlib.import_module(m)\n"
            "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich', 'sqlite3'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert "textual" not in out and "rich" not in out
    pure = ("import importlib, sys\n"
            "for m in ['nkstudy.core.classroom.analysis', 'nkstudy.classroom.report', 'nkstudy.classroom.worksheet']:\n"
            "    importlib.import_module(m)\n"
            "print('sqlite3' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", pure], capture_output=True, text=True,
                          check=True).stdout.strip() == "False"


def test_make_pack_is_the_factory_pack(tmp_path: Path) -> None:
    # drillkit's class is drawn from the factory pack; if the factory changes, the hand figures must too
    pack = make_pack(tmp_path / "test-pack")
    assert sorted(q.id for q in pack.questions) == sorted(EXPECTED)


def _through_a_terminal(argv: list[str], env: dict[str, str]) -> str:
    """What ``nkstudy`` writes to a real (pseudo-)terminal."""
    import os
    import pty

    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "nkstudy", *argv], stdin=follower, stdout=follower,
                            stderr=follower, env=env, close_fds=True)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the process has finished writing
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert proc.wait(timeout=60) == 0
    return b"".join(chunks).decode("utf-8")


def test_the_table_on_a_colour_terminal_is_coloured_not_garbled(hostile: tuple[Path, str, Pack]) -> None:
    import os

    home, code, _pack = hostile
    env = {k: v for k, v in os.environ.items() if not k.startswith("NKSTUDY_") and k != "NO_COLOR"}
    env.update({"NKSTUDY_HOME": str(home / "data"), "NKSTUDY_PACKS": str(home / "packs"),
                "TERM": "xterm-256color", "COLUMNS": "120", "PYTHONPATH": str(Path(__file__).parents[2] / "src")})
    out = _through_a_terminal(["report", code], env)
    assert "\x1b[1m" in out  # bold, as a style the terminal obeys
    assert "\\x1b[1m" not in out and "\\x1b[0m" not in out  # not as text
    assert f"Drill {code}" in re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert "\\x1b]0;pwn\\x07" in out and "\x1b]" not in out  # a profile's own controls still shown, not obeyed
    assert "\x9b" not in out and "\u202e" not in out
