"""The PostgreSQL test fixture cleans up after itself, also after a pytest that was killed (tests/pgkit.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pgkit

TESTS = Path(__file__).resolve().parents[1]


def _folder(base: Path, name: str, owner: str | None) -> Path:
    folder = base / (pgkit.PREFIX + name)
    (folder / "data").mkdir(parents=True)
    if owner is not None:
        (folder / pgkit.OWNER).write_text(owner)
    return folder


def test_a_cluster_whose_pytest_is_gone_is_stopped_and_removed_and_no_other(tmp_path: Path) -> None:
    me = pgkit.owner_mark(os.getpid())
    assert me is not None
    pid, started = me.split()
    gone = _folder(tmp_path, "gone", f"{pid} {int(started) + 1}")  # the pid of a process since gone, reused
    dead = _folder(tmp_path, "dead", "999999999 1")
    live = _folder(tmp_path, "live", me)
    older = _folder(tmp_path, "older", None)  # no owner: an older run's, or one being made: left alone
    # the stale cluster's server: a process started on its data folder, as pg_ctl starts postgres
    server = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", str(gone / "data")])
    try:
        (gone / "data" / "postmaster.pid").write_text(f"{server.pid}\n{gone / 'data'}\n")
        started_at = time.monotonic()
        removed = pgkit.clean_stale(tmp_path)
        assert server.wait(timeout=5) == -signal.SIGQUIT
        assert time.monotonic() - started_at < 5
    finally:
        server.kill()
        server.wait()
    assert sorted(removed) == sorted([gone, dead])
    assert not gone.exists() and not dead.exists()
    assert live.is_dir() and older.is_dir()


def test_a_pid_file_naming_another_process_is_not_signalled(tmp_path: Path) -> None:
    folder = _folder(tmp_path, "reused", "999999999 1")
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (folder / "data" / "postmaster.pid").write_text(f"{other.pid}\n")
        assert pgkit.clean_stale(tmp_path) == [folder]
        assert other.poll() is None  # not ours: its command line names another folder
    finally:
        other.kill()
        other.wait()
    assert not folder.exists()


def test_sigterm_stops_the_server_and_then_ends_the_run(tmp_path: Path) -> None:
    script = textwrap.dedent("""
        import os, signal, sys, time
        from pathlib import Path
        import pgkit
        server = pgkit.PgServer(Path("/nonexistent"))
        pgkit._running.append(server)
        pgkit._stop_on_signals()
        print(server.root, flush=True)
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(30)
    """)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")])}
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=30, env=env)
    root = Path(run.stdout.strip())
    assert root.name.startswith(pgkit.PREFIX), run.stderr
    assert run.returncode == -signal.SIGTERM  # the signal went on to its default: the run ended by it
    assert not root.exists()
