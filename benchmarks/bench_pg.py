"""Benchmark: many learners answering at once, on PostgreSQL and on SQLite; and faults mid-run.

Engine level: ``--groups`` processes, each with its share of ``--learners`` learners (a
thread and an :class:`~nkstudy.engine.Engine`, so a connection, each), every learner
answering ``--answers`` questions with a short pause between.  Prints p50/p95/p99 of the
time to commit one answer (``StudySession.answer``: grading, fsrs, and the committed
transaction), and checks that nothing was lost or duplicated.  Not part of the test suite.

    PYTHONPATH=src python benchmarks/bench_pg.py [--learners 300] [--answers 50] [--groups 6]
        [--db postgresql://...] [--no-sqlite] [--kill] [--restart]

Without ``--db`` it starts a throwaway PostgreSQL from Debian's binaries (tests/pgkit.py).
``--kill``: SIGKILL one group's process mid-run, then check that every answer it reported
committed is in the database.  ``--restart``: restart the throwaway server mid-run; every
answer must still land exactly once.  Loopback and a unix socket only.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def _pack(n: int = 60):  # type: ignore[no-untyped-def]
    from nkstudy.core.model import Pack, PackInfo, PartialDate, Source, TrueFalseQuestion

    text = "A senior Chinese official met Kim Jong Un on Saturday."
    source = Source("art", "sources/art.txt", "Title", "Wire", PartialDate(2024, 4, 13), False, text)
    questions = tuple(TrueFalseQuestion(id=f"q{i:03d}", prompt=f"Statement {i}", source="art", excerpt="on Saturday",
                                        tags=("when",), answer=True) for i in range(n))
    return Pack(PackInfo("bench", "Bench", "1", "bench", "en"), Path("."), {"art": source}, (), questions)


# -- one group (a process) -------------------------------------------------------------
def worker(group: int, learners: int, answers: int, data: Path, db: str | None, go: Path) -> int:
    from nkstudy.engine import Engine

    pack = _pack(max(answers + 10, 60))
    lock = threading.Lock()
    times: list[float] = []
    errors: list[str] = []
    engines = []
    for i in range(learners):
        clock = [NOW]
        eng = Engine(data, f"g{group:02d}-l{i:03d}", [pack], clock=lambda c=clock: c[0], tz=UTC, fuzz=False,
                     seed=i, db=db)
        eng.update_settings(new_per_day=1000)
        engines.append((eng, clock))
    print("ready", flush=True)
    while not go.exists():
        time.sleep(0.01)

    def learner(eng, clock, seed: int) -> None:  # type: ignore[no-untyped-def]
        rng = random.Random(seed)
        session = eng.start_session()
        try:
            for k in range(answers):
                if session.finished:
                    session = eng.start_session()
                t = time.perf_counter()
                session.answer(rng.random() < 0.8, elapsed_ms=3000)
                dt = time.perf_counter() - t
                with lock:
                    times.append(dt)
                    print(f"ok {eng.profile} {k + 1}", flush=True)  # committed: the parent counts on it
                clock[0] += timedelta(seconds=20)
                session.advance()
                time.sleep(rng.uniform(0.0, 0.05))
        except Exception as exc:  # noqa: BLE001 - reported to the parent
            with lock:
                errors.append(f"{eng.profile}: {exc}")

    threads = [threading.Thread(target=learner, args=(eng, clock, i)) for i, (eng, clock) in enumerate(engines)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for eng, _clock in engines:
        eng.close()
    print("result " + json.dumps({"times": times, "errors": errors}), flush=True)
    return 0


# -- the parent --------------------------------------------------------------------------
def _pct(samples: list[float], p: float) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, int(len(s) * p))] * 1000 if s else float("nan")


def run(label: str, db: str | None, args: argparse.Namespace, server=None, kill: bool = False,  # type: ignore[no-untyped-def]
        restart: bool = False) -> dict[str, object]:
    from nkstudy.store.db import Store, locate

    data = Path(tempfile.mkdtemp(prefix="nkload-"))
    go = data / "go"
    per = args.learners // args.groups
    env = {**os.environ, "PYTHONPATH": str(HERE.parent / "src")}
    procs = [subprocess.Popen([sys.executable, __file__, "--worker", str(g), "--per", str(per), "--answers",
                               str(args.answers), "--data", str(data), *(["--db", db] if db else [])],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for g in range(args.groups)]
    reported: dict[str, int] = {}
    out_killed = 0
    results = []
    ready: list[int] = []
    victim = procs[0] if kill else None

    def reader(p: subprocess.Popen[str]) -> None:
        assert p.stdout is not None
        for line in p.stdout:
            if line.startswith("ready"):
                ready.append(1)
            elif line.startswith("ok "):
                _ok, profile, k = line.split()
                reported[profile] = int(k)
            elif line.startswith("result "):
                results.append(json.loads(line[7:]))

    readers = [threading.Thread(target=reader, args=(p,)) for p in procs]
    for r in readers:
        r.start()
    deadline = time.monotonic() + 600
    while len(ready) < len(procs) and time.monotonic() < deadline and all(p.poll() is None for p in procs):
        time.sleep(0.05)  # every engine open (each learner's first connection) before anyone answers
    t0 = time.perf_counter()
    go.touch()
    if kill or restart:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and sum(k for p, k in list(reported.items()) if p.startswith("g00-")) < 20:
            time.sleep(0.01)  # the victim is mid-drill: some answers of its learners are in
        if victim is not None:
            os.kill(victim.pid, signal.SIGKILL)
            out_killed = sum(k for p, k in list(reported.items()) if p.startswith("g00-"))
        if restart and server is not None:
            server.pg_ctl_stop("fast")
            time.sleep(2.0)
            server.pg_ctl_start()
    for p in procs:
        p.wait(timeout=1800)
    failed = [(p.returncode, p.stderr.read()[-400:] if p.stderr else "") for p in procs
              if p is not victim and p.returncode != 0]
    for r in readers:
        r.join()
    wall = time.perf_counter() - t0
    store = Store(locate(data, db))
    counts = dict(store.read("SELECT p.name, count(r.id) FROM profiles p LEFT JOIN reviews r ON r.profile_id = p.id "
                             "GROUP BY p.name"))
    total, distinct = store.read("SELECT count(*), count(DISTINCT uid) FROM reviews")[0]
    store.close()
    times = [t for r in results for t in r["times"]]
    errors = [e for r in results for e in r["errors"]]
    expected = per * args.groups * args.answers
    lost = sum(max(0, k - int(counts.get(p, 0))) for p, k in reported.items())  # reported committed, not there
    killed = {p for p in counts if victim is not None and p.startswith("g00-")}
    short = sum(args.answers - int(n) for p, n in counts.items() if p not in killed)
    out = {"label": label, "answers": total, "expected": expected, "distinct_ids": distinct, "lost": lost,
           "duplicated": total - distinct, "short_of_50_outside_killed": short, "errors": len(errors),
           "p50_ms": _pct(times, 0.5), "p95_ms": _pct(times, 0.95), "p99_ms": _pct(times, 0.99),
           "max_ms": max(times) * 1000 if times else None, "answers_per_s": len(times) / wall, "wall_s": wall}
    if victim is not None:
        out["killed_group_reported_committed"] = out_killed
        out["killed_group_in_db"] = sum(int(n) for p, n in counts.items() if p in killed)
    if errors:
        out["first_error"] = errors[0]
    if failed:
        out["processes_failed"] = failed
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--learners", type=int, default=300)
    ap.add_argument("--answers", type=int, default=50)
    ap.add_argument("--groups", type=int, default=6)
    ap.add_argument("--db", help="a postgresql:// URL of an empty database (default: a throwaway server)")
    ap.add_argument("--no-sqlite", action="store_true", help="skip the SQLite run")
    ap.add_argument("--kill", action="store_true", help="also a run with one group SIGKILLed mid-run")
    ap.add_argument("--restart", action="store_true", help="also a run with the server restarted mid-run")
    ap.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--per", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--data", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker is not None:
        return worker(args.worker, args.per, args.answers, Path(args.data), args.db, Path(args.data) / "go")
    server = None
    if args.db is None:
        sys.path.insert(0, str(HERE.parent / "tests"))
        from pgkit import start_server  # type: ignore[import-not-found]

        server = start_server()

    def url() -> str:
        return args.db if args.db else server.schema_url()

    runs = []
    try:
        runs.append(run("postgresql", url(), args, server))
        if not args.no_sqlite:
            runs.append(run("sqlite", None, args))
        if args.kill:
            runs.append(run("postgresql, one group SIGKILLed", url(), args, server, kill=True))
        if args.restart and server is not None:
            runs.append(run("postgresql, server restarted", url(), args, server, restart=True))
    finally:
        if server is not None:
            server.stop()
    print(f"{args.learners} learners in {args.groups} processes x {args.answers} answers")
    for r in runs:
        print(json.dumps(r))
    return 0


if __name__ == "__main__":
    sys.exit(main())
