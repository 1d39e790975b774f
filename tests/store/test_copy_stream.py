"""``nkstudy db copy`` streams: a large review log copies and sums in bounded memory, on both backends."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from nkstudy.store import copy
from nkstudy.store.db import Store, locate

ROWS = 2000
BATCH = 100


def _fill(store: Store, rows: int) -> None:
    """One profile and ``rows`` answers, written in one transaction (as a long-used lab file holds them)."""
    pid = store.profile_id("ann", datetime(2024, 5, 6, tzinfo=UTC))
    answers = [(pid, "pack", f"q{i % 300}", "art", "where when", 1_700_000_000.0 + i, f"2023-11-14T22:{i:06d}Z",
                3, i % 3 != 0, f"an answer of some length, number {i}", 1200 + i, False, 2,
                '{"state": 2, "stability": 3.5}', f"uid-{i:08d}") for i in range(rows)]
    store.write(lambda c: c.executemany(
        "INSERT INTO reviews(profile_id, pack_id, question_id, source_id, tags, ts, at, rating, correct, answer, "
        "response_ms, practice, prev_state, prev_card, uid) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", answers))


def _peak(fn: Callable[[], Any]) -> int:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_copy_and_sums_stream_the_rows_in_bounded_memory(tmp_path: Path, progress_db: str | None,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(copy, "BATCH", BATCH)
    source = Store(locate(tmp_path / "lab", progress_db))
    target = Store(tmp_path / "home" / "progress.sqlite3")
    try:
        _fill(source, ROWS)
        columns = sorted(source.backend.columns("reviews"))
        whole = _peak(lambda: source.read(copy._select(source, "reviews", columns)))  # the table held at once
        copied = _peak(lambda: copy.copy_all(source, target))
        summed = _peak(lambda: copy.table_sums(source, ["reviews"]))
        assert copied < whole / 4 and summed < whole / 4, (copied, summed, whole)
        sums = copy.table_sums(source)
        assert ("reviews", ROWS) in [(s.table, s.rows) for s in sums]
        assert copy.table_sums(target) == sums
    finally:
        source.close()
        target.close()


def test_a_stream_comes_in_lists_of_the_size_asked_and_on_postgresql_from_a_server_side_cursor(
        tmp_path: Path, progress_db: str | None) -> None:
    store = Store(locate(tmp_path / "lab", progress_db))
    try:
        _fill(store, 250)
        stream = store.backend.stream("SELECT uid FROM reviews ORDER BY uid", size=BATCH)
        first = next(stream)
        assert [len(first)] == [BATCH] and first[0] == ("uid-00000000",)
        if progress_db is not None:  # the rest waits on the server, in the cursor the stream opened
            assert store.read("SELECT count(*) FROM pg_cursors WHERE NOT is_holdable") == [(1,)]
        rest = list(stream)
        assert [len(r) for r in rest] == [BATCH, 50] and rest[-1][-1] == ("uid-00000249",)
        assert store.read("SELECT count(*) FROM reviews") == [(250,)]  # the connection is free again
    finally:
        store.close()
