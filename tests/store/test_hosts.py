"""Several hosts on one PostgreSQL: a drill sat on two "machines" (data folders of their own), seen whole on both.

Each host here is a data folder of its own (its own packs cache and settings, no shared
files) and the students are separate processes, as the visitors' processes of two
``nkstudy serve`` hosts are.  The board on one host and ``report --db`` on the other see
every answer, each within a second of its commit.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nkstudy.cli import main
from nkstudy.core.classroom.drill import DrillSpec
from nkstudy.core.model import Pack
from nkstudy.core.packs.loader import load_pack
from nkstudy.drillroom import BoardReader
from packfactory import write_pack
from pgkit import PgServer

SRC = str(Path(__file__).resolve().parents[2] / "src")
STUDENT = r"""
import os, sys, time
from datetime import UTC, datetime
from pathlib import Path
from nkstudy.core.classroom.drill import DrillSpec
from nkstudy.core.packs.loader import load_pack
from nkstudy.drillroom import Sitting, open_drill

packs, data, code, name = sys.argv[1:5]
pack = load_pack(Path(packs) / "test-pack").pack
sitting = Sitting(open_drill(DrillSpec.parse(code), [pack]), Path(data), name,
                  clock=lambda: datetime.now(UTC), db=os.environ["NKSTUDY_DB"])  # as `join` resolves it
while not sitting.finished:
    time.sleep(0.15)
    sitting.answer(None, seconds=1.0)
    print(f"{sitting.current.position if sitting.current else 'end'} {time.time()}", flush=True)
sitting.close()
"""


@pytest.fixture
def pack(tmp_path: Path) -> Pack:
    write_pack(tmp_path / "packs" / "test-pack")
    result = load_pack(tmp_path / "packs" / "test-pack")
    assert result.pack is not None
    return result.pack


def test_a_drill_across_two_hosts_is_seen_whole_on_each_within_a_second(tmp_path: Path, pack: Pack,
                                                                        pg_server: PgServer) -> None:
    url = pg_server.schema_url()
    hosts = [tmp_path / "host-a", tmp_path / "host-b"]
    code = DrillSpec.build([pack], 3, 4).format()
    students = []
    for i in range(6):
        host = hosts[i % 2]
        # the URL reaches a student's process by the environment only, as `nkstudy serve` passes it on
        env = {**os.environ, "PYTHONPATH": SRC, "NKSTUDY_DB": url}
        students.append(subprocess.Popen(
            [sys.executable, "-c", STUDENT, str(tmp_path / "packs"), str(host), code, f"student{i}"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env))
    board = BoardReader(hosts[0], code, [pack], db=url)
    first_seen: dict[int, float] = {}  # answers on the board -> when that many were first seen
    deadline = time.monotonic() + 60
    while any(p.poll() is None for p in students) and time.monotonic() < deadline:
        answered = board.read().results
        first_seen.setdefault(answered, time.time())
        time.sleep(0.05)
    commits: list[float] = []
    for p in students:
        out, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
        commits += [float(line.split()[1]) for line in out.splitlines()]
    assert len(commits) == 6 * 4
    final = board.read()
    assert final.results == 24 and len(final.rows) == 6
    # the k-th commit (in time) was on the board within a second: some count >= k was seen by then
    for k, committed in enumerate(sorted(commits), start=1):
        seen = min(t for n, t in first_seen.items() if n >= k) if any(n >= k for n in first_seen) else time.time()
        assert seen - committed < 1.0, (k, seen - committed)

    # and the report on the other host counts every answer of every student
    out_file = tmp_path / "report.json"
    assert main(["report", code, "--format", "json", "-o", str(out_file), "--data-dir", str(hosts[1]),
                 "--packs", str(tmp_path / "packs"), "--db", url]) == 0
    report = json.loads(out_file.read_text(encoding="utf-8"))
    assert sorted(s["profile"] for s in report["students"]) == [f"student{i}" for i in range(6)]
    assert all(s["total"] == 4 for s in report["students"])
    assert not (hosts[0] / "progress.sqlite3").exists() and not (hosts[1] / "progress.sqlite3").exists()
