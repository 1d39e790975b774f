# ruff: noqa: E501
"""Benchmark: pick the next card and record an answer at scale, for nkstudy and for Anki.

One profile with 100,000 questions, 100,000 card states and 1,000,000 review-log rows.
Prints the median (and p95) time of each operation.  Not part of the test suite.

    PYTHONPATH=src python benchmarks/bench_engine.py [--questions N] [--reviews N] [--ops N]
        [--anki-python /tmp/ankivenv/bin/python] [--db postgresql://...]

Anki is measured in the same run when ``--anki-python`` points at a Python with the
``anki`` package installed (``python -m venv /tmp/ankivenv && /tmp/ankivenv/bin/pip install anki``).
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def _fmt(samples: list[float]) -> str:
    s = sorted(samples)
    med = statistics.median(s) * 1000
    p95 = s[int(len(s) * 0.95)] * 1000
    return f"median {med:.3f} ms, p95 {p95:.3f} ms (n={len(s)})"


def _load(db: str | None, path: Path, cards: list[tuple], reviews) -> None:
    """Bulk-load card states and review rows: sqlite3 executemany, or PostgreSQL's COPY."""
    cols = ("profile_id, pack_id, question_id, source_id, tags, ts, at, rating, correct, answer, response_ms, "
            "practice, prev_state, prev_card")
    if db is None:
        con = sqlite3.connect(path)
        con.execute("PRAGMA journal_mode=WAL")
        con.executemany("INSERT INTO cards VALUES (?,?,?,?,?,?,?,?,?,?,?)", cards)
        con.executemany(f"INSERT INTO reviews({cols}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", reviews)
        con.commit()
        con.close()
        return
    import psycopg

    with psycopg.connect(db) as conn, conn.cursor() as cur:
        with cur.copy("COPY cards FROM STDIN") as copy:
            for row in cards:
                copy.write_row(row)
        with cur.copy(f"COPY reviews({cols}) FROM STDIN") as copy:
            for row in reviews:
                copy.write_row(row)
        cur.execute("ANALYZE cards")
        cur.execute("ANALYZE reviews")


def bench_nkstudy(n_questions: int, n_reviews: int, ops: int, db: str | None = None) -> dict[str, list[float]]:
    from nkstudy.core.model import Pack, PackInfo, PartialDate, Source, TrueFalseQuestion
    from nkstudy.engine import Engine
    from nkstudy.store.db import DB_NAME

    text = "A senior Chinese official met Kim Jong Un on Saturday."
    source = Source("art", "sources/art.txt", "Title", "Wire", PartialDate(2024, 4, 13), False, text)
    questions = tuple(
        TrueFalseQuestion(id=f"q{i:06d}", prompt=f"Statement {i}", source="art", excerpt="on Saturday",
                          tags=("when",), answer=True)
        for i in range(n_questions)
    )
    pack = Pack(PackInfo("bench", "Bench", "1", "bench", "en"), Path("."), {"art": source}, (), questions)
    pack.giveaway_graph()  # as a loaded pack has it (the loader builds it; the pack cache keeps it)
    tmp = Path(tempfile.mkdtemp(prefix="nkbench-"))
    clock = [NOW]
    eng = Engine(tmp, "bench", [pack], clock=lambda: clock[0], tz=UTC, fuzz=True, seed=1, db=db)
    pid = eng.profile_id
    rng = random.Random(1)
    now_ts = NOW.timestamp()
    t0 = time.perf_counter()
    cards = []
    for i in range(n_questions):
        stability = rng.uniform(1, 300)
        last = now_ts - rng.uniform(0, stability) * 86400
        due = last + stability * 86400 * rng.uniform(0.8, 1.2)
        cards.append((pid, "bench", f"q{i:06d}", 2, None, stability, rng.uniform(1, 10), due, last, 5, 0))

    def revs():
        for j in range(n_reviews):
            ts = now_ts - rng.uniform(0, 3 * 365) * 86400
            ok = rng.random() < 0.85
            yield (pid, "bench", f"q{j % n_questions:06d}", "art", "when", ts, "2024-01-01T00:00:00.000Z",
                   3 if ok else 1, int(ok), "True" if ok else "False", 4000, 0, 2, None)

    _load(db, tmp / DB_NAME, cards, revs())
    print(f"nkstudy: built {n_questions} cards and {n_reviews} log rows in {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    session = eng.start_session()
    start_s = time.perf_counter() - t0
    due = len(session._main) + 1
    print(f"nkstudy: start_session (build the queue, {due} due) {start_s * 1000:.0f} ms once")
    pick, answer = [], []
    for k in range(ops):
        if session.finished:
            session = eng.start_session()
            if session.finished:  # nothing left to study (a small --questions)
                break
        t = time.perf_counter()
        session.answer(k % 7 != 0, elapsed_ms=3000)
        answer.append(time.perf_counter() - t)
        clock[0] += timedelta(seconds=5)
        t = time.perf_counter()
        session.advance()
        pick.append(time.perf_counter() - t)
    eng.close()
    return {"pick next card": pick, "record an answer": answer}


ANKI_SCRIPT = r"""
import json, random, statistics, sys, tempfile, time, os
from anki.collection import Collection
n_questions, n_reviews, ops = map(int, sys.argv[1:4])
tmp = tempfile.mkdtemp(prefix="ankibench-")
col = Collection(os.path.join(tmp, "c.anki2"))
t0 = time.perf_counter()
model = col.models.by_name("Basic")
deck = col.decks.id("Bench")
# Anki's default limit of 200 reviews a day would end the run after 200 cards
conf = col.decks.config_dict_for_deck_id(deck)
conf["rev"]["perDay"] = 9999  # (Anki 26.09 did not keep 10**6)
col.decks.save(conf)
from anki.collection import AddNoteRequest
reqs = []
for i in range(n_questions):
    note = col.new_note(model)
    note["Front"] = f"Statement {i}"
    note["Back"] = "True"
    reqs.append(AddNoteRequest(note=note, deck_id=deck))
col.add_notes(reqs)
today = col.sched.today
rng = random.Random(1)
ids = col.db.list("select id from cards")
rows = []
for cid in ids:
    ivl = rng.randint(1, 300)
    rows.append((ivl, today + rng.randint(-int(ivl * 0.2) - 1, int(ivl * 0.2) + 1), cid))
col.db.executemany("update cards set type=2, queue=2, ivl=?, due=?, factor=2500, reps=5 where id=?", rows)
now_ms = int(time.time() * 1000)
def revs():
    for j in range(n_reviews):
        yield (now_ms - (j + 1) * 97, ids[j % len(ids)], -1, 3, 10, 5, 2500, 4000, 1)
col.db.executemany("insert or ignore into revlog (id,cid,usn,ease,ivl,lastIvl,factor,time,type) values (?,?,?,?,?,?,?,?,?)", list(revs()))
col.set_config("fsrs", True) if hasattr(col, "set_config") else None
col.decks.select(deck)
print(f"anki: built {n_questions} cards and {col.db.scalar('select count() from revlog')} log rows in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
pick, answer = [], []
for k in range(ops):
    t = time.perf_counter()
    card = col.sched.getCard()
    pick.append(time.perf_counter() - t)
    if card is None:
        break
    card.start_timer()
    t = time.perf_counter()
    col.sched.answerCard(card, 3 if k % 7 else 1)
    answer.append(time.perf_counter() - t)
col.close()
print(json.dumps({"pick next card": pick, "record an answer": answer, "version": __import__("anki").buildinfo.version}))
"""


def bench_anki(python: str, n_questions: int, n_reviews: int, ops: int) -> dict | str:
    if not Path(python).exists():
        return f"Anki not measured: {python} not found (pip install anki into a venv and pass --anki-python)"
    try:
        out = subprocess.run([python, "-c", ANKI_SCRIPT, str(n_questions), str(n_reviews), str(ops)],
                             capture_output=True, text=True, timeout=1800)
    except subprocess.TimeoutExpired:
        return "Anki not measured: timed out"
    sys.stderr.write(out.stderr[-2000:])
    if out.returncode != 0:
        return f"Anki not measured: exit {out.returncode}: {out.stderr.strip().splitlines()[-1:]}"
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--questions", type=int, default=100_000)
    ap.add_argument("--reviews", type=int, default=1_000_000)
    ap.add_argument("--ops", type=int, default=2000)
    ap.add_argument("--anki-python", default="/tmp/ankivenv/bin/python")
    ap.add_argument("--db", help="a postgresql:// URL of an empty database: measure nkstudy there, not on SQLite")
    args = ap.parse_args()
    ours = bench_nkstudy(args.questions, args.reviews, args.ops, args.db)
    anki = bench_anki(args.anki_python, args.questions, args.reviews, args.ops)
    print()
    print(f"{args.questions} questions/cards, {args.reviews} review-log rows, {args.ops} operations")
    for op, samples in ours.items():
        print(f"nkstudy  {op:18s} {_fmt(samples)}")
    if len(ours["record an answer"]) < args.ops:
        print(f"(nkstudy ran out of due cards after {len(ours['record an answer'])} answers)")
    if isinstance(anki, str):
        print(anki)
    else:
        for op in ("pick next card", "record an answer"):
            print(f"anki {anki.get('version', '?'):>4} {op:18s} {_fmt(anki[op])}")
        if len(anki["record an answer"]) < args.ops:
            print(f"(Anki ran out of due cards after {len(anki['record an answer'])} answers)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
