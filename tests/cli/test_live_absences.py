"""A student away for part of a live drill, and one who never came back: every question the class was asked
counts for them, unanswered, the same way in the report (table, JSON, CSV, HTML, sheets), the gradebook,
the board, the projector and the student's own end screen."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from classkit import ALL
from enginekit import make_pack
from nkstudy.cli import main
from nkstudy.core.classroom import live as rules
from nkstudy.core.classroom.drill import DrillSpec
from nkstudy.drillroom import BoardReader, open_drill
from nkstudy.liveroom import LiveHost, LiveSeat
from nkstudy.present import drill_summary

T0 = datetime(2024, 5, 2, 9, 0, tzinfo=UTC)
AWAY = (2, 3)  # the questions cai misses while away


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def test_questions_asked_while_away_count_as_unanswered_everywhere(home: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    pack = make_pack(home / "packs" / "test-pack")
    drill = open_drill(DrillSpec.parse(ALL), [pack])
    data, clock = home / "data", Clock()
    ann, cai, dee = (LiveSeat(drill, data, name, clock=clock) for name in ("ann", "cai", "dee"))
    host = LiveHost(drill, data, clock=clock, seconds=20)
    try:
        for position, item in enumerate(drill.items, start=1):
            host.next()  # ask
            clock.now += timedelta(seconds=rules.HEARTBEAT)
            here = [ann] if position in AWAY else [ann, cai]  # dee left after joining and never came back
            for seat in here:
                state = seat.state()
                assert state is not None and state.position == position
                seat.answer(item, state, item.question.answer)
            clock.now += timedelta(seconds=rules.AWAY_SECONDS - rules.HEARTBEAT)
            if position == AWAY[0]:
                assert host.act(None).away == ("cai", "dee")  # the projector sees cai away, really
            view = host.act(None)  # away seats do not hold up the reveal; time is up anyway
            assert view.state.phase == rules.REVEAL
            # the projector's distribution counts whoever did not answer, away or not
            assert ("(no answer)", 3 - len(here)) in [(s.label, s.count) for s in view.shares]
            clock.now += timedelta(seconds=1)
        host.next()
        ended = host.act(None)
        assert ended.state.phase == rules.ENDED
        assert [(s.profile, s.right) for s in ended.standings] == [("ann", 6), ("cai", 4), ("dee", 0)]
        cai.state()  # cai's screen learns the drill has ended
        mine = cai.outcome()
        assert (mine.right, mine.total) == (4, 6)
        assert [item.position for item, _r in mine.missed()] == list(AWAY)
        end_screen = drill_summary(mine, plain=True).plain
        assert "not reached" not in end_screen and end_screen.count("you were away when it was asked") == 2
        assert cai.standing(20) == next(s for s in ended.standings if s.profile == "cai")
        reader = BoardReader(data, ALL, [pack])
        try:
            board = reader.read()
        finally:
            reader.close()
        assert [(r.profile, r.done, r.answered, r.score, r.finished) for r in board.rows] == [
            ("ann", 6, 6, 6, True), ("cai", 6, 4, 4, True), ("dee", 6, 0, 0, True)]
        assert [(q.answered, q.right, q.done) for q in board.questions][1] == (1, 1, 3)
    finally:
        for closing in (ann, cai, dee, host):
            closing.close()

    assert main(["report", ALL, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [(s["profile"], s["score"], s["total"], s["answered"]) for s in doc["students"]] == [
        ("ann", 6, 6, 6), ("cai", 4, 6, 4), ("dee", 0, 6, 0)]
    assert doc["summary"]["sittings"] == 3 and doc["summary"]["histogram"] == [1, 0, 0, 0, 1, 0, 1]
    assert [(i["answered"], i["right"], i["facility"]) for i in doc["items"]][1] == (1, 1, round(1 / 3, 4))
    cai_answers = next(r["answers"] for r in doc["responses"] if r["profile"] == "cai")
    assert [(a["position"], a["answered"], a["correct"], a["absent"]) for a in cai_answers] == [
        (1, True, True, False), (2, False, False, True), (3, False, False, True),
        (4, True, True, False), (5, True, True, False), (6, True, True, False)]

    roster = home / "class.txt"
    roster.write_text("ann\ncai\ndee\neve\n", encoding="utf-8")
    assert main(["report", ALL, "--format", "gradebook", "--roster", str(roster)]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert [r[1:] for r in rows[1:]] == [["ann", "6", "6", "100.0", "1"], ["cai", "4", "6", "66.7", "1"],
                                         ["dee", "0", "6", "0.0", "1"], ["eve", "", "6", "", "0"]]
    assert main(["report", ALL, "--format", "csv"]) == 0
    grid = [r for r in csv.reader(io.StringIO(capsys.readouterr().out)) if r[:1] == ["cai"] and len(r) == 8]
    assert [(r[2], r[4], r[5], r[6]) for r in grid][1:3] == [("2", "0", "0", ""), ("3", "0", "0", "")]
    assert main(["report", ALL, "--roster", str(roster)]) == 0
    table = capsys.readouterr().out
    cai_line = next(line for line in table.splitlines() if line.startswith("│ cai ") and "away" in line)
    assert cai_line.count("✗ away") == 2 and cai_line.count("✓") == 4
    assert "Never sat: eve" in table
    assert main(["report", ALL, "--format", "html"]) == 0
    assert capsys.readouterr().out.count("<em>away</em>") == 2 + 6
    assert main(["report", ALL, "--format", "sheets"]) == 0
    assert capsys.readouterr().out.count("you were away when it was asked") == 2 + 6
