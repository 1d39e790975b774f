"""A class at once: 30 processes sit one drill code on one data folder through the real command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from classkit import ALL, items, nkstudy, nkstudy_env, right_line
from enginekit import make_pack

STUDENTS = 30


def _lines(drill_items, n: int) -> list[str]:
    """Student n's answers: right where bit k of n is set, otherwise an empty line (don't know)."""
    return [right_line(item) if n >> (k % 5) & 1 else "" for k, item in enumerate(drill_items)]


def test_thirty_students_at_once_lose_nothing_and_the_report_matches(home: Path) -> None:
    pack = make_pack(home / "packs" / "test-pack")
    drill_items = items(pack, ALL)
    env = nkstudy_env(home / "data", home / "packs")
    procs = []
    for n in range(STUDENTS):
        proc = subprocess.Popen([sys.executable, "-m", "nkstudy", "drill", ALL, "--plain", "--profile", f"s{n:02d}"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=env)
        procs.append((n, proc))
    for n, proc in procs:
        out, err = proc.communicate("\n".join(_lines(drill_items, n)) + "\n", timeout=240)
        assert proc.returncode == 0, err
        expected = sum(1 for line in _lines(drill_items, n) if line)
        assert f"Score: {expected} of 6 right" in out

    report = nkstudy("report", ALL, "--format", "json", env=env, timeout=120)
    assert report.returncode == 0, report.stderr
    doc = json.loads(report.stdout)
    students = {s["profile"]: s for s in doc["students"]}
    assert sorted(students) == [f"s{n:02d}" for n in range(STUDENTS)]  # one sitting each, none lost
    for n in range(STUDENTS):
        lines = _lines(drill_items, n)
        s = students[f"s{n:02d}"]
        assert (s["score"], s["total"], s["answered"]) == (sum(1 for x in lines if x), 6, sum(1 for x in lines if x))
    for k, item in enumerate(doc["items"]):
        right = sum(1 for n in range(STUDENTS) if _lines(drill_items, n)[k])
        assert (item["question"], item["right"], item["answered"]) == (drill_items[k].question_id, right, right)
