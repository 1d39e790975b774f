"""Drill results: in the database (migration, one commit per answer, a class at once) and in result files."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from enginekit import make_pack
from nkstudy.cli import main
from nkstudy.core.classroom.drill import DrillResult, DrillSpec, result_of, select
from nkstudy.core.model import Pack
from nkstudy.store.db import CardRow, Store, locate
from nkstudy.store.drills import (
    ResultsFileError,
    drill_codes,
    open_existing,
    read_results_file,
    record_result,
    results_for,
    write_results_file,
)
from nkstudy.store.schema import MIGRATIONS, SCHEMA_VERSION
from studentkit import sit, students

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def pack(tmp_path: Path) -> Pack:
    return make_pack(tmp_path / "packs" / "test-pack")


def _sit(pack: Pack, profile: str, attempt: str, responses: list, start: datetime = T0,
         code: str | None = None) -> list[DrillResult]:
    spec = DrillSpec.build([pack], 11, 6)
    items = select(spec, [pack])
    out = []
    for n, (item, response) in enumerate(zip(items, responses, strict=False)):
        out.append(result_of(item, response, code=code or spec.format(), profile=profile, attempt=attempt,
                             seconds=2.5 + n, at=start + timedelta(seconds=10 * n)))
    return out


def _right(item) -> object:
    """The right response to ``item`` (each question class keeps it as ``answer``)."""
    return item.question.answer


def test_a_v1_database_gains_the_drill_table_and_keeps_its_data(tmp_path: Path, pack: Pack) -> None:
    path = tmp_path / "data" / "progress.sqlite3"
    old = Store(path, migrations=MIGRATIONS[:1])  # what nkstudy wrote before drills
    pid = old.profile_id("ann", T0)
    old.write(lambda c: c.execute(  # an answer as nkstudy wrote it then (no answer id)
        "INSERT INTO reviews(profile_id, pack_id, question_id, source_id, tags, ts, at, rating, correct, answer, "
        "response_ms) VALUES (?, 'p', 'q1', 's', 'who', ?, '', 3, 1, 'yes', 900)", (pid, T0.timestamp())))
    Store._put_card(old.conn, pid, CardRow("p", "q1", 2, None, 4.0, 5.0, T0.timestamp() + 86400, T0.timestamp(), 1, 0))
    assert old.conn.execute("PRAGMA user_version").fetchone()[0] == 1
    old.close()

    store = Store(path)
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert store.profile_names() == ["ann"]
    assert sum(n for *_k, n, _ms in store.review_groups(pid)) == 1
    assert store.cards(pid)[("p", "q1")].stability == 4.0
    [first] = _sit(pack, "ann", "a1", [None])
    assert record_result(store, first)
    assert results_for(store, first.code) == [first]
    store.close()


def test_results_are_kept_per_sitting_and_profile(tmp_path: Path, pack: Pack, progress_db: str | None) -> None:
    store = Store(locate(tmp_path, progress_db))
    items = select(DrillSpec.build([pack], 11, 6), [pack])
    rights = [_right(i) for i in items]
    ann1 = _sit(pack, "ann", "ann-1", rights[:3])
    ann2 = _sit(pack, "ann", "ann-2", rights, start=T0 + timedelta(hours=1))
    bob = _sit(pack, "Bob", "bob-1", [None] * 6)
    for r in [*bob, *ann2, *ann1]:
        assert record_result(store, r)
    code = ann1[0].code
    assert results_for(store, code) == [*ann1, *ann2, *bob]  # by profile, then sitting, then position
    assert results_for(store, code, profile="Bob") == bob
    assert [r.correct for r in ann2] == [True] * 6 and not any(r.correct for r in bob)
    assert [r.answered for r in bob] == [False] * 6
    # the same sitting answering the same question again keeps the first answer
    again = DrillResult(**{**ann1[0].__dict__, "answer": "changed", "correct": False})
    assert record_result(store, again) is False
    assert results_for(store, code, profile="ann")[0] == ann1[0]

    other = _sit(pack, "ann", "ann-3", rights[:1], start=T0 + timedelta(days=1), code="test-pack@1.0#12/6")
    record_result(store, other[0])
    assert drill_codes(store) == ["test-pack@1.0#12/6", code]
    assert results_for(store, "nope@1#1/1") == []
    store.close()


def test_a_drill_never_touches_cards_or_reviews(tmp_path: Path, pack: Pack, progress_db: str | None) -> None:
    store = Store(locate(tmp_path, progress_db))
    for r in _sit(pack, "ann", "a", [_right(i) for i in select(DrillSpec.build([pack], 11, 6), [pack])]):
        record_result(store, r)
    store.close()
    other = Store(locate(tmp_path, progress_db))  # as another process sees it
    assert other.read("SELECT count(*) FROM cards")[0][0] == 0
    assert other.read("SELECT count(*) FROM reviews")[0][0] == 0
    assert other.read("SELECT count(*) FROM drill_results")[0][0] == 6
    other.close()


def test_bad_attempt_ids_are_refused(tmp_path: Path, pack: Pack) -> None:
    store = Store(tmp_path / "progress.sqlite3")
    [r] = _sit(pack, "ann", "has space", [None])
    with pytest.raises(ValueError, match="attempt id"):
        record_result(store, r)
    store.close()


def test_open_existing_creates_nothing(tmp_path: Path) -> None:
    assert open_existing(tmp_path / "data") is None
    assert not (tmp_path / "data").exists()
    Store(tmp_path / "data" / "progress.sqlite3").close()
    store = open_existing(tmp_path / "data")
    assert store is not None and store.profile_names() == []
    store.close()


# -- result files ---------------------------------------------------------------
def test_result_file_round_trip(tmp_path: Path, pack: Pack) -> None:
    items = select(DrillSpec.build([pack], 11, 6), [pack])
    results = _sit(pack, "Łucja \u202e", "x1", [_right(i) for i in items[:4]] + [None, None])
    path = tmp_path / "ann.json"
    write_results_file(path, results[0].code, results)
    code, back = read_results_file(path)
    assert code == results[0].code
    assert back == results
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["nkstudy"] == "drill-results" and data["format"] == 1 and len(data["results"]) == 6
    assert data["results"][0]["at"] == "2024-05-01T09:00:00.000Z"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ann.json", "packs"]  # no temporary file left
    # rewriting replaces the file whole
    write_results_file(path, code, results[:2])
    assert len(read_results_file(path)[1]) == 2
    # an empty sitting still names its drill
    write_results_file(path, code, [])
    assert read_results_file(path) == (code, [])
    with pytest.raises(ValueError, match="cannot go into a file for drill"):
        write_results_file(path, "test-pack@1.0#1/1", results)


GOOD_ROW = {"profile": "ann", "attempt": "a1", "position": 1, "pack": "test-pack", "question": "q-tf",
            "answer": "True", "picked": None, "answered": True, "correct": True, "seconds": 3.5,
            "at": "2024-05-01T09:00:00Z"}


def _doc(**over: object) -> dict:
    doc = {"nkstudy": "drill-results", "format": 1, "drill": "test-pack@1.0#11/6", "results": [dict(GOOD_ROW)]}
    doc.update(over)
    return doc


def _row(**over: object) -> dict:
    return _doc(results=[{**GOOD_ROW, **over}])


@pytest.mark.parametrize(
    ("content", "phrase"),
    [
        (b"{not json", "is not valid JSON"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (json.dumps([1, 2]).encode(), "is not an nkstudy result file"),
        (json.dumps({"nkstudy": "something-else"}).encode(), "is not an nkstudy result file"),
        (json.dumps(_doc(format=9)).encode(), "newer nkstudy"),
        (json.dumps(_doc(format="1")).encode(), "whole-number \"format\""),
        (json.dumps(_doc(drill="nk@1#x/3")).encode(), "bad drill code"),
        (json.dumps(_doc(results={"a": 1})).encode(), 'no "results" list'),
        (json.dumps(_doc(results=[3])).encode(), "result 1: is not an object"),
        (json.dumps(_row(correct="yes")).encode(), 'result 1: "correct" must be true or false'),
        (json.dumps(_row(profile="")).encode(), '"profile" must be non-empty text'),
        (json.dumps(_row(position=0)).encode(), '"position" must be a whole number'),
        (json.dumps(_row(picked=[1])).encode(), '"picked" must be a list of options or null'),
        (json.dumps(_row(seconds=-1)).encode(), '"seconds" must be a number from 0'),
        (json.dumps(_row(at="yesterday")).encode(), '"at" must be an ISO 8601 time'),
        (json.dumps(_row(at="2024-05-01T09:00:00")).encode(), '"at" must give its time zone'),
        (json.dumps(_row(attempt="../x")).encode(), '"attempt" must be 1 to 64'),
        (b"[" * 100000, "nests too deeply"),
    ],
)
def test_bad_result_files_get_one_line_naming_the_file(tmp_path: Path, content: bytes, phrase: str) -> None:
    path = tmp_path / "class\x1b[31m.json"
    path.write_bytes(content)
    with pytest.raises(ResultsFileError) as info:
        read_results_file(path)
    message = str(info.value)
    assert phrase in message, message
    assert "\n" not in message and "\x1b" not in message
    assert str(tmp_path / "class\\x1b[31m.json") in message


def test_missing_result_file_or_folder(tmp_path: Path) -> None:
    with pytest.raises(ResultsFileError, match="not found"):
        read_results_file(tmp_path / "none.json")
    with pytest.raises(ResultsFileError, match="is a folder"):
        read_results_file(tmp_path)
    ok = tmp_path / "ok.json"
    ok.write_text(json.dumps(_row(seconds=None, picked=["True"])), encoding="utf-8")
    code, [row] = read_results_file(ok)
    assert code == "test-pack@1.0#11/6" and row.seconds is None and row.picked == ("True",)


# -- a class at once ----------------------------------------------------------------


def test_thirty_processes_drilling_one_code_lose_nothing_and_report_matches(tmp_path: Path, pack: Pack,
                                                                           progress_db: str | None) -> None:
    data = tmp_path / "data"
    Store(locate(data, progress_db)).close()
    code = DrillSpec.build([pack], 5, 4).format()
    go = tmp_path / "go"
    context = students()
    procs = [
        context.Process(target=sit, args=(str(tmp_path / "packs"), str(data), code, f"student{i:02d}", i, str(go),
                                          progress_db, str(tmp_path / f"said-{i:02d}.json")))
        for i in range(30)
    ]
    for p in procs:
        p.start()
    go.touch()  # they all answer at once (each waits for this file after opening its store)
    for p in procs:
        p.join(timeout=120)
        assert p.exitcode == 0, f"student process {p.pid} ended with {p.exitcode}"
    said = {}
    for i in range(30):
        told = json.loads((tmp_path / f"said-{i:02d}.json").read_text(encoding="utf-8"))
        said[told["profile"]] = told
    assert len(said) == 30

    store = Store(locate(data, progress_db))
    rows = results_for(store, code)
    store.close()
    assert len(rows) == 30 * 4
    for profile, told in said.items():
        mine = [r for r in rows if r.profile == profile]
        assert {r.attempt for r in mine} == {told["attempt"]}
        assert [{"question": r.question_id, "correct": r.correct, "answer": r.answer, "answered": r.answered,
                 "picked": list(r.picked) if r.picked is not None else None} for r in mine] == told["answers"]

    out_file = tmp_path / "report.json"
    where = ["--db", progress_db] if progress_db else []
    assert main(["report", code, "--format", "json", "-o", str(out_file), "--data-dir", str(data),
                 "--packs", str(tmp_path / "packs"), *where]) == 0
    report = json.loads(out_file.read_text(encoding="utf-8"))
    assert report["drill"] == code
    by_profile = {s["profile"]: s for s in report["students"]}
    assert set(by_profile) == set(said)
    for profile, told in said.items():
        assert by_profile[profile]["score"] == sum(a["correct"] for a in told["answers"])
        assert by_profile[profile]["total"] == 4
    for item in report["items"]:
        answers = [a for t in said.values() for a in t["answers"] if a["question"] == item["question"]]
        assert item["right"] == sum(a["correct"] for a in answers)
        assert item["answered"] == sum(a["answered"] for a in answers)
        assert 0 < item["answered"] < 30  # some timed out, some answered
        for option, count in item["options"].items():
            assert count == sum(option in (a["picked"] or ()) for a in answers)
