"""A live drill with a Chromium visitor (``nkstudy serve --live``) beside five plain student processes.

The host is driven through the facade the projector uses (LiveHost).  At the
second question the visitor's tab drops and she joins again under the same
name (no roster): she must go on in the same sitting.  The
terminal in the page is a canvas, so what the visitor did is read from the
database and from ``nkstudy report --format json``.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from test_serve_browser import _join, _mark, _open, _shot, _visitors, _wait_text, browser  # noqa: F401  (a fixture)

from classkit import ALL, free_port, items, nkstudy, nkstudy_env, right_keys, right_line, start_serve
from enginekit import make_pack
from livekit import Student, until
from nkstudy.core.classroom import live as rules
from nkstudy.core.classroom.drill import DrillSpec
from nkstudy.drillroom import open_drill
from nkstudy.liveroom import LiveHost

NAMES = ["ann", "bob", "cai", "dee", "eve"]
KEYS = {"enter": "Enter", "space": "Space", "down": "ArrowDown", "up": "ArrowUp", "shift+up": "Shift+ArrowUp"}


def _line(item, n: int, k: int) -> str:
    return "" if (n + k) % 3 == 0 else right_line(item)


def test_a_live_drill_with_five_plain_students_and_a_chromium_visitor(browser, tmp_path: Path) -> None:  # noqa: F811
    from datetime import UTC, datetime

    pack = make_pack(tmp_path / "packs" / "test-pack")
    drill_items = items(pack, ALL)
    data = tmp_path / "data"
    env = nkstudy_env(data, tmp_path / "packs")
    host = LiveHost(open_drill(DrillSpec.parse(ALL), [pack]), data, clock=lambda: datetime.now(UTC), seconds=90)
    served = start_serve(env, ALL, "--live", "--port", str(free_port()))
    students = {name: Student(ALL, name, env) for name in NAMES}
    try:
        page = _open(browser, served.url)
        _join(page, "Zoe", served.class_code)
        until(lambda: len(host.act(None).joined) == len(NAMES) + 1, "five students and Zoe to join")
        _wait_text(page, "Waiting for the teacher to start")
        _shot(page, tmp_path / "live-waiting.png")
        for k, item in enumerate(drill_items, start=1):
            since = _mark(page)
            assert host.act("next").state.phase == rules.ASKING
            for s in students.values():
                s.wait_for(f"Question {k} of 6")
            for n, name in enumerate(NAMES):
                students[name].type(_line(item, n, k))
            if k == 2:  # Zoe's tab drops; she opens the page again and takes her seat back, without a roster
                page.close()
                until(lambda: len(_visitors(data)) == 0, "Zoe's process to end")
                page = _open(browser, served.url)
                since = _mark(page)
                _join(page, "Zoe", served.class_code)
                until(lambda: len(_visitors(data)) == 1, "Zoe to be back")
            _wait_text(page, f"Question {k} of 6", since)  # Zoe's screen polls, then draws the question
            if k == 1:
                _shot(page, tmp_path / "live-question.png")
            for key in right_keys(item):
                page.keyboard.press(KEYS.get(key, key))
                page.wait_for_timeout(60)
            until(lambda: host.act(None).state.phase == rules.REVEAL, f"everyone to answer question {k}")
        _wait_text(page, "Question 6 of 6: the answer", since)
        _shot(page, tmp_path / "live-reveal.png")
        assert host.act("next").state.phase == rules.ENDED
        view = host.act(None)
        assert view.standings[0].profile == "Zoe"  # the only one right every time
        outcomes = {name: s.finish() for name, s in students.items()}
        _wait_text(page, "The teacher ended the drill", since)
        _shot(page, tmp_path / "live-ended.png")
    finally:
        for s in students.values():
            if s.proc.poll() is None:
                s.kill()
        host.close()
        code, _out, err = served.stop()
    assert code == 0, err
    assert all(rc == 0 for rc, _o, _e in outcomes.values()), outcomes
    report = nkstudy("report", ALL, "--format", "json", env=env, timeout=120)
    assert report.returncode == 0, report.stderr
    doc = json.loads(report.stdout)
    scores = {s["profile"]: s["score"] for s in doc["students"]}
    expected = {name: sum(1 for k, item in enumerate(drill_items, 1) if _line(item, n, k))
                for n, name in enumerate(NAMES)}
    assert scores == {**expected, "Zoe": 6}
    assert [s["profile"] for s in doc["students"]].count("Zoe") == 1  # back in the same sitting
    zoe = next(r for r in doc["responses"] if r["profile"] == "Zoe")
    assert [a["position"] for a in zoe["answers"]] == [1, 2, 3, 4, 5, 6] and all(a["correct"] for a in zoe["answers"])
    time.sleep(0)
