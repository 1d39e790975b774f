"""``nkstudy live`` and ``drill --live``: usage errors are one line with the right exit status; the store's rows."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from classkit import ALL, nkstudy, nkstudy_env
from enginekit import make_pack
from nkstudy.core.classroom import live as rules
from nkstudy.core.classroom.live import LiveState
from nkstudy.store.db import Store
from nkstudy.store.live import load_state, save_state, seated, take_seat

T0 = datetime(2024, 5, 2, 9, 0, tzinfo=UTC)


def test_live_refuses_a_drill_time_limit_and_a_bad_roster_and_a_missing_pack(home: Path) -> None:
    make_pack(home / "packs" / "test-pack")
    env = nkstudy_env(home / "data", home / "packs")
    for argv, status in [(["live", ALL, "--time-limit", "5"], 2),
                         (["live", ALL, "--roster", str(home / "no-such-roster.txt")], 2),
                         (["live", "no-pack@1.0#1/3"], 1)]:
        got = nkstudy(*argv, env=env)
        assert got.returncode == status, (argv, got.stderr)
        assert len(got.stderr.strip().splitlines()) == 1 and "Traceback" not in got.stderr, got.stderr


def test_drill_live_takes_no_timers_and_no_results_file(home: Path) -> None:
    make_pack(home / "packs" / "test-pack")
    env = nkstudy_env(home / "data", home / "packs")
    for extra in (["--per-question", "10"], ["--time-limit", "1"], ["--results", str(home / "r.json")]):
        got = nkstudy("drill", ALL, "--live", "--plain", "--profile", "ann", *extra, env=env)
        assert got.returncode == 2 and len(got.stderr.strip().splitlines()) == 1, got.stderr
    assert not (home / "r.json").exists()
    got = nkstudy("serve", ALL, "--live", "--per-question", "10", env=env)
    assert got.returncode == 2 and len(got.stderr.strip().splitlines()) == 1, got.stderr


def test_drill_live_keeps_to_the_roster(home: Path) -> None:
    make_pack(home / "packs" / "test-pack")
    roster = home / "class.txt"
    roster.write_text("Ann\nBob\n", encoding="utf-8")
    env = nkstudy_env(home / "data", home / "packs")
    got = nkstudy("drill", ALL, "--live", "--plain", "--profile", "Mallory", "--roster", str(roster), env=env)
    assert got.returncode == 2 and len(got.stderr.strip().splitlines()) == 1
    db = home / "data" / "progress.sqlite3"
    if db.exists():
        store = Store(db)
        try:
            assert "Mallory" not in store.profile_names()  # no seat, no profile
        finally:
            store.close()


def test_the_state_row_round_trips_and_a_seat_is_kept_on_rejoin(tmp_path: Path) -> None:
    store = Store(tmp_path / "progress.sqlite3")
    try:
        assert load_state(store, ALL) is None
        state = rules.ask(LiveState(ALL), 2, 100.0, 20)
        save_state(store, state, 100.0)
        save_state(store, rules.toggle_pause(state, 105.0), 105.0)
        assert load_state(store, ALL) == rules.toggle_pause(state, 105.0)
        first = take_seat(store, ALL, "ann", "att-1", T0)
        again = take_seat(store, ALL, "ANN", "att-2", T0)  # names compare without case: the same seat
        assert first == again == "att-1" and seated(store, ALL) == ["ann"]
        store.write(lambda c: c.execute("UPDATE live_state SET phase = 'dancing'"))
        assert load_state(store, ALL) is None  # a row no nkstudy wrote is ignored, never a crash
    finally:
        store.close()


def test_a_question_skipped_unrevealed_is_listed_as_skipped_and_counts_for_nobody(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from nkstudy.cli import main
    from nkstudy.core.classroom.drill import DrillSpec
    from nkstudy.drillroom import open_drill
    from nkstudy.liveroom import LiveHost, LiveSeat

    pack = make_pack(home / "packs" / "test-pack")
    drill = open_drill(DrillSpec.parse(ALL), [pack])
    data = home / "data"
    ann = LiveSeat(drill, data, "ann", clock=lambda: T0)
    bob = LiveSeat(drill, data, "bob", clock=lambda: T0)
    host = LiveHost(drill, data, clock=lambda: T0, seconds=None)
    try:
        for position in range(1, len(drill.items) + 1):
            host.next()  # ask
            item = drill.items[position - 1]
            state = ann.state()
            assert state is not None and state.position == position
            ann.answer(item, state, item.question.answer)  # ann: right every time, question 2 included
            bob.answer(item, state, None)
            if position == 2:
                host.skip()  # the teacher moves on without revealing it
                continue
            host.next()  # reveal
        host.next()
        assert host.state.phase == rules.ENDED
        # no points for the skipped question either, on the projector and on each student's screen
        assert [(x.profile, x.points, x.right) for x in host.act(None).standings] == [("ann", 5000, 5), ("bob", 0, 0)]
        ann.state()  # the drill has ended: the seat learns what was skipped
        mine = ann.outcome()
        assert (mine.right, mine.total) == (5, 5) and 2 not in [r.position for r in mine.results]
        standing = ann.standing(None)
        assert standing is not None and standing.points == 5000
        bob.state()
        assert [item.position for item, _r in bob.outcome().missed()] == [1, 3, 4, 5, 6]  # not the skipped one
    finally:
        for closing in (ann, bob, host):
            closing.close()
    assert main(["report", ALL, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    skipped_id = drill.items[1].question_id
    assert [(k["position"], k["question"]) for k in doc["skipped"]] == [(2, skipped_id)]
    assert {s["profile"]: (s["score"], s["total"]) for s in doc["students"]} == {"ann": (5, 5), "bob": (0, 5)}
    assert 2 not in [i["position"] for i in doc["items"]]
    assert all(a["position"] != 2 for r in doc["responses"] for a in r["answers"])
    assert main(["report", ALL]) == 0
    table = capsys.readouterr().out
    assert f"Skipped by the teacher (not marked, for nobody): 2. {drill.items[1].question.prompt}" in table
    assert main(["report", ALL, "--format", "gradebook"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[1].split(",")[1:4] == ["ann", "5", "5"]
    assert main(["report", ALL, "--format", "sheets"]) == 0
    assert "Skipped by the teacher" in capsys.readouterr().out
