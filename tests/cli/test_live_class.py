"""A whole live drill: the host (the facade the projector uses) and five real student processes.

Pause holds answers back, skip leaves a question unanswered by all, a student
killed mid-drill rejoins in the same sitting with their answers kept, and
``nkstudy report --format json`` matches what everyone typed.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path

from classkit import ALL, items, nkstudy, nkstudy_env, right_line
from enginekit import make_pack
from livekit import Student, until
from nkstudy.core.classroom import live as rules
from nkstudy.core.classroom.drill import DrillSpec
from nkstudy.drillroom import open_drill
from nkstudy.liveroom import LiveHost

NAMES = ["ann", "bob", "cai", "dee", "eve"]
SKIPPED = 5  # the question the teacher skips


def _line(item, n: int, k: int) -> str:
    """Student n's answer to question k (1-based): right unless (n + k) % 3 == 0, then "don't know"."""
    return "" if (n + k) % 3 == 0 else right_line(item)


def _now() -> datetime:
    return datetime.now(UTC)


def test_a_live_drill_with_five_students_pause_skip_rejoin_and_the_report(home: Path) -> None:
    pack = make_pack(home / "packs" / "test-pack")
    drill_items = items(pack, ALL)
    env = nkstudy_env(home / "data", home / "packs")
    host = LiveHost(open_drill(DrillSpec.parse(ALL), [pack]), home / "data", clock=_now, seconds=60)
    students = {name: Student(ALL, name, env) for name in NAMES}
    try:
        until(lambda: len(host.act(None).joined) == len(NAMES), "five students to join")
        for s in students.values():
            s.wait_for("Waiting for the teacher to start")
        for k, item in enumerate(drill_items, start=1):
            view = host.act("next") if k != SKIPPED + 1 else host.act(None)  # the skip asked this one
            assert (view.state.phase, view.state.position) == (rules.ASKING, k)
            live = [s for s in students.values() if s.proc.poll() is None]
            for s in live:
                s.wait_for(f"Question {k} of 6")
            if k == SKIPPED:
                view = host.act("skip")
                assert (view.state.phase, view.state.position) == (rules.ASKING, k + 1)
                continue
            if k == 2:  # a pause holds answers back until the question resumes
                assert host.act("pause").state.phase == rules.PAUSED
                for s in live:
                    s.wait_for("Paused by the teacher.")
                for n, name in enumerate(NAMES):
                    students[name].type(_line(item, n, k))
                time.sleep(1.0)  # the students poll every 0.4 s: they had time to send, had they not held it
                assert host.act(None).answered == 0
                assert host.act("pause").state.phase == rules.ASKING
            elif k == 4:  # cai dropped after question 3, and comes back during question 4
                students["cai"] = Student(ALL, "cai", env)
                students["cai"].wait_for("welcome back: 3 answers kept")
                students["cai"].wait_for("Question 4 of 6")
                for n, name in enumerate(NAMES):
                    students[name].type(_line(item, n, k))
            else:
                for n, name in enumerate(NAMES):
                    students[name].type(_line(item, n, k))
            # everyone seated answered: the answer is revealed without the teacher
            until(lambda: host.act(None).state.phase == rules.REVEAL, f"question {k} to be revealed")
            view = host.act(None)
            assert view.answered == len(NAMES)
            assert sum(share.count for share in view.shares) >= len(NAMES), (k, view.shares)
            for s in students.values():
                s.wait_for(f"Answer to question {k}:")
            if k == 3:
                students["cai"].kill()
        view = host.act("next")
        assert view.state.phase == rules.ENDED
        assert [s.profile for s in view.standings] and view.standings[0].rank == 1
        outcomes = {name: s.finish() for name, s in students.items()}
    finally:
        for s in students.values():
            if s.proc.poll() is None:
                s.kill()
        host.close()
    for name, (code, out, err) in outcomes.items():
        assert code == 0, (name, err)
        assert "The teacher ended the drill." in out and "Points:" in out and "Traceback" not in err

    report = nkstudy("report", ALL, "--format", "json", env=env, timeout=120)
    assert report.returncode == 0, report.stderr
    doc = json.loads(report.stdout)
    sittings = {s["profile"]: s for s in doc["students"]}
    assert sorted(sittings) == sorted(NAMES)  # one sitting each: cai's rejoin went on in the same one
    answers = {r["profile"]: {a["position"]: a for a in r["answers"]} for r in doc["responses"]}
    for n, name in enumerate(NAMES):
        lines = {k: _line(item, n, k) for k, item in enumerate(drill_items, start=1) if k != SKIPPED}
        assert sittings[name]["score"] == sum(1 for line in lines.values() if line)
        assert sittings[name]["answered"] == sum(1 for line in lines.values() if line)
        assert sorted(answers[name]) == sorted(lines)  # the skipped question has no answer from anyone
        for k, line in lines.items():
            assert answers[name][k]["correct"] == bool(line), (name, k)
            assert answers[name][k]["answered"] == bool(line), (name, k)
