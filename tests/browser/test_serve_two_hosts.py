"""Two ``nkstudy serve`` hosts on one PostgreSQL: a student on each, in Chromium; the board and report see both.

The hosts are two serve processes on two ports with data folders of their own (standing
for two machines), given the database by ``$NKSTUDY_DB`` only.  Each student joins their
host in the browser and answers; the board read on host A and ``report`` on host B
count both answers, each within a second of its reaching the database.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from test_serve_browser import FIRST_QUESTION, _join, _open, browser  # noqa: F401 - the browser fixture

from classkit import CHOICE_ONLY, free_port, items, nkstudy_env, right_line, start_serve
from enginekit import make_pack
from nkstudy.cli import main
from nkstudy.drillroom import BoardReader
from pgkit import PgServer


def test_a_drill_spans_two_serve_hosts_sharing_one_postgresql(browser, tmp_path: Path,  # noqa: F811
                                                              pg_server: PgServer) -> None:
    url = pg_server.schema_url()
    pack = make_pack(tmp_path / "packs" / "test-pack")
    (item,) = items(pack, CHOICE_ONLY)
    hosts = [tmp_path / "host-a", tmp_path / "host-b"]
    served = [start_serve(nkstudy_env(host, tmp_path / "packs", NKSTUDY_DB=url), CHOICE_ONLY, "--port",
                          str(free_port())) for host in hosts]
    try:
        assert all("postgresql://" in "".join(s.lines) for s in served)  # each says where results go
        board = BoardReader(hosts[0], CHOICE_ONLY, [pack], db=url)
        seen_at: list[float] = []
        for n, (host, name) in enumerate(zip(served, ("Ann Lee", "Bo Kim"), strict=True), start=1):
            page = _open(browser, host.url)
            _join(page, name, host.class_code, expect=FIRST_QUESTION)
            sent = time.monotonic()
            page.keyboard.press(right_line(item))
            while board.read().results < n and time.monotonic() - sent < 20:
                time.sleep(0.05)
            seen_at.append(time.monotonic() - sent)
        final = board.read()
        assert final.results == 2 and sorted(r.profile for r in final.rows) == ["Ann Lee", "Bo Kim"]
        # key press to the other host's board: the visitor's app, its commit, and the board's read
        assert max(seen_at) < 5.0, seen_at
    finally:
        stopped = [s.stop() for s in served]
    assert all(code == 0 for code, _out, _err in stopped), stopped
    out_file = tmp_path / "report.json"
    assert main(["report", CHOICE_ONLY, "--format", "json", "-o", str(out_file), "--data-dir", str(hosts[1]),
                 "--packs", str(tmp_path / "packs"), "--db", url]) == 0
    report = json.loads(out_file.read_text(encoding="utf-8"))
    assert sorted(s["profile"] for s in report["students"]) == ["Ann Lee", "Bo Kim"]
    assert all(s["score"] == 1 for s in report["students"])
    assert not any((h / "progress.sqlite3").exists() for h in hosts)  # nothing went to a local file
