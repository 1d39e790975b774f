"""``nkstudy db copy`` of a large review log: rows per second and the command's peak memory.

Builds an SQLite progress file with one profile and ``--reviews`` review-log rows (default
1,000,000), then times ``nkstudy db copy`` as its own process, SQLite -> PostgreSQL and back
to a new SQLite file, each with the checksums it prints (both sides read again).  The peak
resident memory is the copying process's own (``wait4``'s ru_maxrss), not this script's.

Without ``--db`` it starts a throwaway PostgreSQL from Debian's binaries (tests/pgkit.py).
``--src DIR`` runs another checkout's ``src`` (a ``git archive`` of an older commit, to compare).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent


def build(path: Path, reviews: int) -> None:
    """An SQLite progress file at this nkstudy's schema with ``reviews`` answers of one profile."""
    from nkstudy.store.db import Store

    store = Store(path)
    pid = store.profile_id("ann", datetime(2024, 5, 6, tzinfo=UTC))
    conn = store.conn
    chunk = 50_000
    for start in range(0, reviews, chunk):
        rows = ((pid, "pack", f"q{i % 100_000}", "art", "where when", 1_700_000_000.0 + i,
                 f"2023-11-14T22:00:00.{i % 1000:03d}Z", 3, i % 3 != 0, f"answer number {i}", 1200 + i % 5000,
                 False, 2, '{"state": 2, "stability": 3.5, "difficulty": 5.1}', f"{i:032x}")
                for i in range(start, min(start + chunk, reviews)))
        with conn:
            conn.executemany(
                "INSERT INTO reviews(profile_id, pack_id, question_id, source_id, tags, ts, at, rating, correct, "
                "answer, response_ms, practice, prev_state, prev_card, uid) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                rows)
    store.close()


def timed_copy(src: Path, source: str, target: str) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB, and the output of one ``nkstudy db copy``."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "nkstudy", "db", "copy", "--from", source, "--to", target],
                                stdout=out, stderr=subprocess.STDOUT, env=env)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        out.seek(0)
        text = out.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"nkstudy db copy failed:\n{text}")
    return wall, usage.ru_maxrss / 1024, text


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reviews", type=int, default=1_000_000, help="review-log rows (default 1,000,000)")
    ap.add_argument("--db", help="an empty PostgreSQL database (default: a throwaway server)")
    ap.add_argument("--src", type=Path, default=HERE.parent / "src", help="the nkstudy sources to run")
    args = ap.parse_args()
    sys.path.insert(0, str(args.src))
    server = None
    if args.db is None:
        sys.path.insert(0, str(HERE.parent / "tests"))
        from pgkit import start_server  # type: ignore[import-not-found]

        server = start_server()
    try:
        url = args.db or server.schema_url()
        with tempfile.TemporaryDirectory() as tmp:
            lab, back = Path(tmp) / "lab.sqlite3", Path(tmp) / "back.sqlite3"
            started = time.perf_counter()
            build(lab, args.reviews)
            print(f"built {args.reviews:,} review rows in {time.perf_counter() - started:.1f} s "
                  f"({lab.stat().st_size / 2**20:.0f} MB file); running {args.src}")
            for name, source, target in (("SQLite -> PostgreSQL", str(lab), url),
                                         ("PostgreSQL -> SQLite", url, str(back))):
                wall, rss, _out = timed_copy(args.src, source, target)
                print(f"  {name:<22} {wall:6.1f} s  {args.reviews / wall:9,.0f} review rows/s  "
                      f"peak RSS {rss:6.0f} MB")
    finally:
        if server is not None:
            server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
