"""``nkstudy report`` marks answers from the responses kept, never from a stored mark; --regrade after a key fix."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from drillkit import CODE, EXPECTED_STUDENTS, class_results
from nkstudy.cli import main
from nkstudy.core.classroom.drill import DrillSpec, result_of, select
from nkstudy.core.classroom.responses import FROM_TEXT, READERS, encode, mark
from nkstudy.core.packs.loader import load_pack
from nkstudy.core.questions.types import QUESTION_TYPES
from nkstudy.store.db import Store
from nkstudy.store.drills import record_result, write_results_file
from nkstudy.store.schema import MIGRATIONS
from packfactory import CARD_MATCH_YAML, PACK_YAML, QUESTIONS_YAML, write_pack


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _scores(doc: dict) -> list[tuple[str, int]]:
    return [(s["profile"], s["score"]) for s in doc["students"]]


def _right_and_wrong(q: Any) -> tuple[Any, Any]:
    """A right and a wrong response to ``q``, of its own response type."""
    kind = q.type_name
    if kind == "match":
        return q.pairs, tuple((a, b) for (a, _), (_, b) in zip(q.pairs, reversed(q.pairs), strict=True))
    if kind == "card":
        return True, False
    if kind == "order":
        return q.answer, tuple(reversed(q.answer))
    if kind == "truefalse":
        return q.answer, not q.answer
    wrong = {"choice": "Tokyo", "multi": frozenset({"Wang Yi"}), "typed": "Kim Il Sung", "cloze": "trade"}
    return q.answer, wrong[kind]


def test_every_question_class_reads_its_response_back_and_marks_as_its_own_grade(tmp_path: Path) -> None:
    assert set(READERS) == set(FROM_TEXT) == set(QUESTION_TYPES.values())  # each type by its own entry
    main_pack = load_pack(write_pack(tmp_path / "a")).pack
    cm_pack = load_pack(write_pack(tmp_path / "b", questions_yaml=CARD_MATCH_YAML)).pack
    assert main_pack is not None and cm_pack is not None
    seen = set()
    for pack in (main_pack, cm_pack):
        spec = DrillSpec.build([pack], 1, len(pack.questions), with_cards=True)  # every type, cards too
        for item in select(spec, [pack]):
            q = item.question
            seen.add(type(q))
            right, wrong = _right_and_wrong(q)
            for response, expected in ((right, True), (wrong, False)):
                r = result_of(item, response, code=spec.format(), profile="ann", attempt="a1", seconds=1.0,
                              at=datetime(2024, 5, 1, tzinfo=UTC))
                assert r.correct is expected
                assert mark(q, replace(r, correct=not expected)).correct is expected  # the stored mark is ignored
                older = replace(r, response=None, correct=not expected)  # an older result: answer text only
                assert mark(q, older).correct is expected, (q.type_name, r.answer)
    assert seen == set(QUESTION_TYPES.values())


def test_a_results_file_with_every_mark_set_right_is_marked_from_its_answers(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    results = class_results(load_pack(home / "packs" / "test-pack").pack)
    files = []
    for attempt in ("bob-1", "fay-1"):
        rows = [replace(r, correct=True) for r in results if r.attempt == attempt]  # a forged file
        path = home / f"{attempt}.json"
        write_results_file(path, CODE, rows)
        files.append(str(path))
    honest = home / "cai-1.json"
    write_results_file(honest, CODE, [r for r in results if r.attempt == "cai-1"])
    # the oldest shape: no "response" kept, only the answer text and picked options
    old = home / "eve-1.json"
    doc = json.loads(json.dumps({"nkstudy": "drill-results", "format": 1, "drill": CODE, "results": []}))
    write_results_file(old, CODE, [replace(r, correct=True, response=None) for r in results if r.attempt == "eve-1"])
    doc = json.loads(old.read_text(encoding="utf-8"))
    assert all("response" not in row for row in doc["results"])
    status, out, err = _run(capsys, "report", "--from", *files, str(honest), str(old), "--format", "json")
    assert status == 0
    report = json.loads(out)
    expected = {p: s for p, _a, s, *_rest in EXPECTED_STUDENTS}
    assert _scores(report) == [(p, expected[p]) for p in ("bob", "cai", "eve", "fay")]
    flagged = {(d["profile"], d["question"]) for d in report["disagreements"]}
    assert flagged == {("bob", "q-order"), ("bob", "q-cloze"), ("fay", "q-choice"), ("fay", "q-multi"),
                       ("fay", "q-typed"), ("fay", "q-order"), ("eve", "q-choice"), ("eve", "q-typed"),
                       ("eve", "q-order")}
    assert all(d["was"] and not d["now"] for d in report["disagreements"])
    assert err.count("\n") == 1 and "9 stored marks disagree" in err and "bob, eve, fay" in err
    status, table, _ = _run(capsys, "report", "--from", *files, "--format", "table")
    assert "Marks that disagree" in table and "fay" in table


def test_a_version_2_database_gains_the_response_column_and_its_rows_are_still_marked(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = home / "data" / "progress.sqlite3"
    old = Store(path, migrations=MIGRATIONS[:2])
    old.close()
    results = class_results(load_pack(home / "packs" / "test-pack").pack)
    with sqlite3.connect(path) as c:
        c.execute("INSERT INTO profiles(name, created) VALUES ('eve', '2024-05-01')")
        for r in results:
            if r.attempt == "eve-1":
                c.execute("INSERT INTO drill_results(profile_id, attempt, code, position, pack_id, question_id, "
                          "answer, picked, answered, correct, seconds, ts, at) VALUES (1,?,?,?,?,?,?,?,?,1,?,?,?)",
                          (r.attempt, r.code, r.position, r.pack_id, r.question_id, r.answer,
                           json.dumps(list(r.picked)) if r.picked is not None else None, int(r.answered),
                           r.seconds, r.at.timestamp(), r.at.isoformat()))
    status, out, err = _run(capsys, "report", CODE, "--format", "json")
    assert status == 0 and _scores(json.loads(out)) == [("eve", 3)] and "3 stored marks disagree" in err
    with sqlite3.connect(path) as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


FIXED = QUESTIONS_YAML.replace("    answer: exchanges\n", "    answer: trade\n")


def test_regrade_after_a_key_fix_marks_with_the_new_version_and_says_what_changed(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    results = class_results(load_pack(home / "packs" / "test-pack").pack)
    store = Store(home / "data" / "progress.sqlite3")
    for r in results:
        assert record_result(store, r)
    store.close()
    write_pack(home / "packs" / "test-pack", PACK_YAML.replace('version: "1.0"', 'version: "1.1"'), FIXED)
    status, out, err = _run(capsys, "report", CODE, "--format", "json")
    assert status == 0 and json.loads(out)["regrade"] is None  # without --regrade: the stored marks, unchecked
    assert "stored marks" in json.loads(out)["note"]
    status, out, err = _run(capsys, "report", CODE, "--regrade", "--format", "json")
    assert status == 0, err
    doc = json.loads(out)
    assert doc["regrade"]["against"] == "test-pack 1.1"
    changes = {(c["profile"], c["attempt"], c["question"], c["was"], c["now"]) for c in doc["regrade"]["changes"]}
    # the key moved from "exchanges" to "trade": everyone who wrote exchanges is now wrong, "trade" is now right
    assert changes == {("ann", "ann-1", "q-cloze", True, False), ("cai", "cai-1", "q-cloze", True, False),
                       ("dan", "dan-1", "q-cloze", True, False), ("eve", "eve-1", "q-cloze", True, False),
                       ("bob", "bob-1", "q-cloze", False, True)}
    scores = dict((s["attempt"], s["score"]) for s in doc["students"])
    assert scores["ann-1"] == 5 and scores["bob-1"] == 5
    assert "5 marks changed" in err
    assert [i["question"] for i in doc["items"]][-1] in {"q-cloze", "q-order", "q-typed", "q-tf", "q-multi",
                                                          "q-choice"}
    assert all(i["prompt"] for i in doc["items"])


def test_encode_keeps_unparsed_text_apart_from_a_response() -> None:
    assert json.loads(encode(None, unparsed="7")) == {"unparsed": "7"}
    assert json.loads(encode(frozenset({"b", "a"}))) == {"value": ["a", "b"]}
    assert json.loads(encode(None)) == {"value": None}


def test_hostile_responses_in_a_results_file_are_marked_wrong_never_crash_or_score(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    results = [r for r in class_results(load_pack(home / "packs" / "test-pack").pack) if r.attempt == "ann-1"]
    path = home / "forged.json"
    write_results_file(path, CODE, results)
    doc = json.loads(path.read_text(encoding="utf-8"))
    hostile = [{"value": ["Pyongyang"]}, {"value": {"x": 1}}, {"unparsed": 7}, {"value": [["a"]]},
               {"value": "x" * 30_000}, {"other": True}]
    for row, response in zip(doc["results"], hostile, strict=False):
        row["response"] = response
        row["correct"] = True
    doc["results"][-1]["response"] = {"value": "\x1b]0;pwn\x07"}
    path.write_text(json.dumps(doc), encoding="utf-8")
    status, out, err = _run(capsys, "report", "--from", str(path), "--format", "json")
    assert status == 0 and err.count("\n") == 1
    report = json.loads(out)
    assert report["students"][0]["score"] == 0 and len(report["disagreements"]) == 6
    status, table, _ = _run(capsys, "report", "--from", str(path))
    assert status == 0 and "\x1b]" not in table
    doc["results"][0]["response"] = "not an object"
    path.write_text(json.dumps(doc), encoding="utf-8")
    status, _out, err = _run(capsys, "report", "--from", str(path))
    assert status == 1 and err.count("\n") == 1 and "forged.json" in err and '"response"' in err


def test_a_fifo_given_as_a_results_file_or_a_roster_is_one_line_not_a_hang(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    fifo = tmp_path / "results.json"
    os.mkfifo(fifo)
    env = {**os.environ, "NKSTUDY_HOME": str(tmp_path / "home")}
    for args in (["report", "--from", str(fifo)],
                 ["drill", "--seed", "1", "--count", "2", "--plain", "--roster", str(fifo)]):
        done = subprocess.run([sys.executable, "-m", "nkstudy", *args], stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=20, env=env)  # a hang raises TimeoutExpired
        assert done.returncode in (1, 2), done.stderr
        assert done.stderr.count("\n") == 1 and str(fifo) in done.stderr and "Traceback" not in done.stderr
