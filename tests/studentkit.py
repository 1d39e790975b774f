"""Students in processes of their own that answer a drill at once, for the store's concurrency tests.

The processes come from a fork server that has imported nkstudy once (``students``), so thirty of
them cost one import, not thirty; each still opens its own store and writes through its own
connection, as thirty machines would.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from datetime import UTC, datetime
from pathlib import Path

from nkstudy.core.classroom.drill import DrillSpec, new_attempt_id, result_of, select
from nkstudy.core.packs.loader import load_pack
from nkstudy.store.db import Store, locate
from nkstudy.store.drills import record_result


def sit(packs_dir: str, data_dir: str, code: str, profile: str, index: int, go: str, db: str | None,
        out: str) -> None:
    """Wait for ``go`` to exist, answer every question of ``code`` as ``profile``; write what was said to ``out``."""
    pack = load_pack(Path(packs_dir) / "test-pack").pack
    spec = DrillSpec.parse(code)
    items = select(spec, [pack])
    store = Store(locate(Path(data_dir), db))
    attempt = new_attempt_id()
    deadline = time.monotonic() + 60
    while not os.path.exists(go) and time.monotonic() < deadline:
        time.sleep(0.005)
    said = []
    for item in items:
        k = index + item.position
        if k % 5 == 0:
            response = None  # time up
        elif item.options:
            line = str(k % len(item.options) + 1)
            if item.question.type_name == "order":
                line = " ".join(str((k + j) % len(item.options) + 1) for j in range(len(item.options)))
            response = item.parse(line)
        else:
            response = item.parse("Kim Jong Un" if k % 2 else "exchanges")
        r = result_of(item, response, code=spec.format(), profile=profile, attempt=attempt, seconds=float(k),
                      at=datetime.now(UTC))
        record_result(store, r)
        said.append({"question": r.question_id, "correct": r.correct, "answer": r.answer, "answered": r.answered,
                     "picked": list(r.picked) if r.picked is not None else None})
    store.close()
    Path(out).write_text(json.dumps({"profile": profile, "attempt": attempt, "answers": said}), encoding="utf-8")


def students() -> multiprocessing.context.BaseContext:
    """Where the students' processes come from: a fork server with nkstudy imported."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["studentkit"])
    return context
