"""A live drill the teacher ends early, and one nobody answered.

Ended early: the questions never asked count for nobody (as if the drill had been that long), the same way
in the report (table, JSON, CSV, HTML, sheets, gradebook), the board, the leaderboard and the student's
end screen.  Nobody answered: the report and the board still show the drill and its class, at 0.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from classkit import ALL
from enginekit import make_pack
from nkstudy.cli import main
from nkstudy.core.classroom import live as rules
from nkstudy.core.classroom.drill import DrillSpec
from nkstudy.core.model import Pack
from nkstudy.drillroom import BoardReader, Drill, open_drill
from nkstudy.liveroom import LiveHost, LiveSeat
from nkstudy.present import drill_summary

T0 = datetime(2024, 5, 2, 9, 0, tzinfo=UTC)
ENDED_AT = 4  # of the drill's 6 questions


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def _board(data: Path, code: str | None, pack: Pack):
    reader = BoardReader(data, code, [pack])
    try:
        return reader.read()
    finally:
        reader.close()


def _run_to(drill: Drill, data: Path, clock: Clock, last: int) -> None:
    """ann answers every question right, bob every one wrong (he was there), dee joins and is away throughout;
    the teacher ends the drill while question ``last`` is revealed."""
    ann, bob, dee = (LiveSeat(drill, data, name, clock=clock) for name in ("ann", "bob", "dee"))
    host = LiveHost(drill, data, clock=clock, seconds=20)
    try:
        for position in range(1, last + 1):
            host.next()  # ask
            clock.now += timedelta(seconds=rules.HEARTBEAT)
            item = drill.items[position - 1]
            for seat in (ann, bob):
                state = seat.state()
                assert state is not None and state.position == position
                if seat is ann:
                    seat.answer(item, state, item.question.answer)
                else:  # typed at the plain prompt and not understood: an answer, and wrong
                    seat.answer(item, state, None, raw="no idea, sorry")
                assert seat.results[-1].answered
            clock.now += timedelta(seconds=20)
            assert host.act(None).state.phase == rules.REVEAL  # time is up
        ended = host.act("end")
        assert ended.state.phase == rules.ENDED and ended.state.position == last
        # equal on points, bob answered every question and dee none: bob comes first, though he took longer
        assert [(s.rank, s.profile, s.points, s.answered) for s in ended.standings] == [
            (1, "ann", ended.standings[0].points, last), (2, "bob", 0, last), (3, "dee", 0, 0)]
        for seat, right in ((ann, last), (bob, 0), (dee, 0)):
            seat.state()  # each student's screen learns the drill has ended
            mine = seat.outcome()
            assert (mine.right, mine.total) == (right, last)
            assert [item.position for item, _r in mine.missed()] == ([] if right else list(range(1, last + 1)))
            shown = drill_summary(mine, plain=True).plain
            assert f"of {last} right" in shown and "not reached" not in shown
    finally:
        for closing in (ann, bob, dee, host):
            closing.close()


def test_questions_never_asked_count_for_nobody_everywhere(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = make_pack(home / "packs" / "test-pack")
    drill = open_drill(DrillSpec.parse(ALL), [pack])
    data = home / "data"
    _run_to(drill, data, Clock(), ENDED_AT)
    unasked = [(i.position, i.question_id) for i in drill.items[ENDED_AT:]]
    assert len(unasked) == 2

    board = _board(data, ALL, pack)
    assert [(r.profile, r.done, r.total, r.score, r.finished) for r in board.rows] == [
        ("ann", 4, 4, 4, True), ("bob", 4, 4, 0, True), ("dee", 4, 4, 0, True)]
    assert [(q.position, q.question_id) for q in board.not_asked] == unasked
    assert not board.skipped and all(q.share is None for q in board.not_asked)

    assert main(["report", ALL, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [(s["profile"], s["score"], s["total"]) for s in doc["students"]] == [
        ("ann", 4, 4), ("bob", 0, 4), ("dee", 0, 4)]
    assert [(k["position"], k["question"]) for k in doc["not_asked"]] == unasked and doc["skipped"] == []
    assert [i["position"] for i in doc["items"]] == [1, 2, 3, 4]
    assert doc["summary"]["questions"] == 4 and doc["summary"]["histogram"] == [2, 0, 0, 0, 1]
    assert all(a["position"] <= ENDED_AT for r in doc["responses"] for a in r["answers"])

    assert main(["report", ALL, "--format", "gradebook"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert [r[1:5] for r in rows[1:]] == [["ann", "4", "4", "100.0"], ["bob", "0", "4", "0.0"],
                                         ["dee", "0", "4", "0.0"]]
    assert main(["report", ALL, "--format", "csv"]) == 0
    students = list(csv.reader(io.StringIO(capsys.readouterr().out.split("\n\n")[0])))
    assert [(r[0], r[2], r[3]) for r in students[1:]] == [("ann", "4", "4"), ("bob", "0", "4"), ("dee", "0", "4")]

    assert main(["report", ALL]) == 0
    table = capsys.readouterr().out
    prompts = "; ".join(f"{i.position}. {i.question.prompt}" for i in drill.items[ENDED_AT:])
    line = f"Not asked before the teacher ended the drill (not marked, for nobody): {prompts}"
    assert line in " ".join(table.split())
    assert "Drill test-pack@1.0#7/6: 3 sittings, 4 questions" in table
    assert re.findall(r"│ +(\d+/\d+) │", table)[:3] == ["4/4", "0/4", "0/4"]  # the students' scores
    for fmt in ("html", "sheets"):
        assert main(["report", ALL, "--format", fmt]) == 0
        page = capsys.readouterr().out
        assert "Not asked before the teacher ended the drill, so not marked, for nobody" in page, fmt
        assert "not reached" not in page, fmt
    assert main(["report", ALL, "--format", "sheets"]) == 0
    assert capsys.readouterr().out.count("score 0 of 4 (0%)") == 2


def test_a_live_drill_still_running_counts_the_questions_to_come(home: Path) -> None:
    """Until the teacher ends it, the questions still to come are part of the drill (the board's progress)."""
    pack = make_pack(home / "packs" / "test-pack")
    drill = open_drill(DrillSpec.parse(ALL), [pack])
    data, clock = home / "data", Clock()
    ann = LiveSeat(drill, data, "ann", clock=clock)
    host = LiveHost(drill, data, clock=clock, seconds=None)
    try:
        host.next()
        item = drill.items[0]
        state = ann.state()
        assert state is not None
        ann.answer(item, state, item.question.answer)
        host.next()  # revealed; the teacher quits the projector here, without ending the drill
    finally:
        ann.close()
        host.close()
    board = _board(data, ALL, pack)
    assert [(r.done, r.total, r.finished) for r in board.rows] == [(1, 6, False)] and not board.not_asked


def test_a_live_drill_nobody_answered_shows_in_the_report_and_on_the_board(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = make_pack(home / "packs" / "test-pack")
    drill = open_drill(DrillSpec.parse(ALL), [pack])
    data, clock = home / "data", Clock()
    seats = [LiveSeat(drill, data, name, clock=clock) for name in ("ann", "bob")]
    host = LiveHost(drill, data, clock=clock, seconds=20)
    try:
        board = _board(data, None, pack)  # joined, nothing asked yet: the class is there, at 0
        assert board.code == ALL and [(r.profile, r.done, r.total, r.score) for r in board.rows] == [
            ("ann", 0, 6, 0), ("bob", 0, 6, 0)]
        for _ in range(2):
            host.next()  # ask: nobody answers
            clock.now += timedelta(seconds=25)
            assert host.act(None).state.phase == rules.REVEAL
        host.end()
    finally:
        for closing in (*seats, host):
            closing.close()

    board = _board(data, None, pack)  # no code: the drill joined most recently
    assert board.code == ALL
    assert [(r.profile, r.done, r.answered, r.total, r.score) for r in board.rows] == [
        ("ann", 2, 0, 2, 0), ("bob", 2, 0, 2, 0)]
    assert main(["report", "--format", "json"]) == 0  # no code: the only drill here
    doc = json.loads(capsys.readouterr().out)
    assert doc["drill"] == ALL
    assert [(s["profile"], s["score"], s["total"], s["answered"]) for s in doc["students"]] == [
        ("ann", 0, 2, 0), ("bob", 0, 2, 0)]
    assert [i["position"] for i in doc["not_asked"]] == [3, 4, 5, 6]
    assert main(["report", ALL]) == 0
    assert "2 sittings, 2 questions" in capsys.readouterr().out


def test_a_live_drill_ended_before_its_first_question_lists_its_class(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = make_pack(home / "packs" / "test-pack")
    drill = open_drill(DrillSpec.parse(ALL), [pack])
    data = home / "data"
    seat = LiveSeat(drill, data, "ann", clock=lambda: T0)
    host = LiveHost(drill, data, clock=lambda: T0, seconds=20)
    try:
        host.end()
    finally:
        seat.close()
        host.close()
    assert main(["report", ALL, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [(s["profile"], s["score"], s["total"]) for s in doc["students"]] == [("ann", 0, 0)]
    assert len(doc["not_asked"]) == 6 and doc["items"] == []
    assert main(["report", ALL]) == 0  # the table, with nothing to mark, still prints (no crash, no traceback)
    assert "1 sitting, 0 questions" in capsys.readouterr().out


def test_ended_while_a_question_is_asked_it_counts_and_a_student_there_ran_out_of_time(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The question on screen when the teacher ends counts; a student who was shown it and had not answered
    has run out of time (unanswered, as at a reveal), not been away; one whose process was gone was away."""
    pack = make_pack(home / "packs" / "test-pack")
    drill = open_drill(DrillSpec.parse(ALL), [pack])
    data, clock = home / "data", Clock()
    ann, bob, dee = (LiveSeat(drill, data, name, clock=clock) for name in ("ann", "bob", "dee"))
    host = LiveHost(drill, data, clock=clock, seconds=20)
    try:
        host.next()  # question 1: everyone there answers
        for seat in (ann, bob, dee):
            state = seat.state()
            assert state is not None
            seat.answer(drill.items[0], state, drill.items[0].question.answer)
        assert host.act(None).state.phase == rules.REVEAL
        dee.close()  # dee's machine is gone
        host.next()  # question 2, on screen for ann and bob; only ann answers before the teacher ends
        clock.now += timedelta(seconds=5)
        for seat in (ann, bob):
            state = seat.state()
            assert state is not None and (state.phase, state.position) == (rules.ASKING, 2)
        state = ann.state()
        assert state is not None
        ann.answer(drill.items[1], state, drill.items[1].question.answer)
        clock.now += timedelta(seconds=1)
        assert host.act("end").state.phase == rules.ENDED
        for seat, right in ((ann, 2), (bob, 1)):
            assert seat.state() is not None  # each screen learns the drill has ended
            assert (seat.outcome().right, seat.outcome().total) == (right, 2)
        shown = drill_summary(bob.outcome(), plain=True).plain
        assert "you were away" not in shown and "not reached" not in shown
        assert [(r.position, r.answered, r.absent, r.seconds) for r in bob.results] == [
            (1, True, False, 0.0), (2, False, False, 6.0)]
    finally:
        for closing in (ann, bob, host):
            closing.close()
    assert main(["report", ALL, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [(s["profile"], s["score"], s["total"]) for s in doc["students"]] == [
        ("ann", 2, 2), ("bob", 1, 2), ("dee", 1, 2)]
    second = {r["profile"]: r["answers"][1] for r in doc["responses"]}
    assert {name: (a["answered"], a["absent"]) for name, a in second.items()} == {
        "ann": (True, False), "bob": (False, False), "dee": (False, True)}
    assert [k["position"] for k in doc["not_asked"]] == [3, 4, 5, 6]


def test_a_results_file_cannot_answer_for_a_live_seat_nor_make_questions_asked(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Result files are untrusted, and a live drill writes none: a row in a seat's sitting (its attempt id is in
    the JSON report) would answer for that student and, through their seat, make the questions after the end
    "asked" of the whole class, lowering everyone's score.  It is ignored, said in one line naming the file."""
    pack = make_pack(home / "packs" / "test-pack")
    drill = open_drill(DrillSpec.parse(ALL), [pack])
    _run_to(drill, home / "data", Clock(), ENDED_AT)
    assert main(["report", ALL, "--format", "json"]) == 0
    bob = next(s["attempt"] for s in json.loads(capsys.readouterr().out)["students"] if s["profile"] == "bob")
    last = drill.items[-1]
    forged = home / "bob.json"
    forged.write_text(json.dumps({"nkstudy": "drill-results", "format": 1, "drill": ALL, "results": [
        {"profile": "bob", "attempt": bob, "position": last.position, "pack": last.key[0], "question": last.key[1],
         "answer": last.question.answer_text(), "picked": None, "correct": True, "seconds": 1.0,
         "at": T0.isoformat(), "answered": True}]}), encoding="utf-8")
    assert main(["report", ALL, "--format", "json", "--from", str(forged), "--with-db"]) == 0
    out = capsys.readouterr()
    doc = json.loads(out.out)
    assert [(s["profile"], s["score"], s["total"]) for s in doc["students"]] == [
        ("ann", 4, 4), ("bob", 0, 4), ("dee", 0, 4)]
    assert [k["position"] for k in doc["not_asked"]] == [5, 6]
    assert len(out.err.strip().splitlines()) == 1 and str(forged) in out.err and "Traceback" not in out.err


def test_an_ended_drill_opened_again_stays_ended_and_its_report_does_not_change(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The teacher opens the projector again after the lesson (to show the leaderboard, or by mistake): the drill
    stays ended.  Started again from the top, it was no longer "ended", so the questions never asked came back
    into every total (ann's 4 of 4 became 4 of 6), and a second run's questions counted as missed by the first
    class."""
    pack = make_pack(home / "packs" / "test-pack")
    drill = open_drill(DrillSpec.parse(ALL), [pack])
    data = home / "data"
    _run_to(drill, data, Clock(), ENDED_AT)
    assert main(["report", ALL, "--format", "json"]) == 0
    before = json.loads(capsys.readouterr().out)
    host = LiveHost(drill, data, clock=lambda: T0 + timedelta(hours=1), seconds=20)
    try:
        view = host.act("next")  # the teacher presses n: nothing more is asked
        assert view.state.phase == rules.ENDED and view.item is None
        assert [(s.profile, s.right) for s in view.standings] == [("ann", ENDED_AT), ("bob", 0), ("dee", 0)]
    finally:
        host.close()
    assert main(["report", ALL, "--format", "json"]) == 0
    after = json.loads(capsys.readouterr().out)
    assert [(s["profile"], s["score"], s["total"]) for s in after["students"]] == [
        ("ann", 4, 4), ("bob", 0, 4), ("dee", 0, 4)]
    assert after == before


def test_joining_a_live_drill_no_teacher_opened_makes_no_sitting(home: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """A student who types --live for a drill the class sits at its own pace waits for a projector that never
    opens, quits, and sits it: one sitting, not a second one at 0 (in every total, the mean and the histogram)."""
    from nkstudy.drillroom import Sitting

    pack = make_pack(home / "packs" / "test-pack")
    drill = open_drill(DrillSpec.parse(ALL), [pack])
    data = home / "data"
    seat = LiveSeat(drill, data, "ann", clock=lambda: T0)
    try:
        assert seat.state() is None  # "waiting for the teacher to open the drill"
    finally:
        seat.close()
    sitting = Sitting(drill, data, "ann", clock=lambda: T0 + timedelta(minutes=1))
    try:
        while (item := sitting.current) is not None:
            sitting.answer(item.question.answer, seconds=2.0)
    finally:
        sitting.close()
    assert main(["report", ALL, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [(s["profile"], s["score"], s["total"]) for s in doc["students"]] == [("ann", 6, 6)]
    assert doc["summary"]["sittings"] == 1
    assert [(r.profile, r.score) for r in _board(data, ALL, pack).rows] == [("ann", 6)]
