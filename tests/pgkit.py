"""A throwaway PostgreSQL server for the tests: Debian's binaries, a temporary folder, a unix socket.

``PgServer.start()`` runs ``initdb`` and ``pg_ctl`` on a fresh folder (as the
``postgres`` user when the tests run as root, since PostgreSQL refuses root),
listening only on a socket in that folder; :meth:`PgServer.schema_url` hands
each test a fresh schema of its own.  The server stops at the end of the
session, at exit, and on SIGTERM or SIGINT (then the signal goes on to the
handler that was there before).  A pytest killed outright (SIGKILL) cannot
stop its server: each folder names its owner (``owner``: the pid and the
process's start time), and :func:`start_server` first stops and removes the
clusters whose owner is gone (:func:`clean_stale`).

Without the binaries or psycopg the PostgreSQL half of the tests is skipped,
saying why; under ``CI=true`` it fails instead.
"""

from __future__ import annotations

import atexit
import itertools
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import FrameType

import pytest

BIN_DIRS = [Path(f"/usr/lib/postgresql/{v}/bin") for v in (17, 16, 15, 14, 13)]
USER = "nkstudy"
_counter = itertools.count(1)
PREFIX = "nkpg-"
OWNER = "owner"  # in each server's folder: "<pid> <start time>" of the pytest that started it
_running: list[PgServer] = []  # servers this process started and has not stopped
_previous: dict[int, object] = {}  # the handlers ours replaced, called after ours


def unavailable(reason: str) -> None:
    """Skip, or fail under CI=true (where PostgreSQL must be there)."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL tests cannot run under CI=true: {reason}", pytrace=False)
    pytest.skip(reason)


def bin_dir() -> Path | None:
    for folder in BIN_DIRS:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    found = shutil.which("initdb")
    return Path(found).parent if found and shutil.which("pg_ctl") else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PgServer:
    def __init__(self, bins: Path) -> None:
        self.bins = bins
        self.root = Path(tempfile.mkdtemp(prefix=PREFIX))  # short: a socket path has a length limit
        (self.root / OWNER).write_text(owner_mark(os.getpid()) or "")
        self.data = self.root / "data"
        self.port = _free_port()
        self.as_root = os.geteuid() == 0
        self.log = self.root / "server.log"

    def _run(self, *argv: str, check: bool = True, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.bins / argv[0]), *argv[1:]]
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, check=check, timeout=timeout,
                              env={**os.environ, "LC_ALL": "C.UTF-8"})

    def start(self) -> None:
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", USER, "-A", "trust", "-E", "UTF8", "--no-sync")
        _running.append(self)
        _stop_on_signals()
        atexit.register(self.stop)
        self.pg_ctl_start()

    def pg_ctl_start(self, *settings: str) -> None:
        """Start the (stopped) server; ``settings`` (``"name=value"``) come after ours, so they win."""
        opts = (f"-c listen_addresses='' -c unix_socket_directories={self.root} -c port={self.port} "
                "-c fsync=off -c full_page_writes=off -c max_connections=400 -c shared_buffers=64MB")
        opts += "".join(f" -c {setting}" for setting in settings)
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", opts, "-w", "-t", "60", "start")

    def pg_ctl_stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def stop(self) -> None:
        if self in _running:
            _running.remove(self)
        if (self.data / "postmaster.pid").exists():
            self.pg_ctl_stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://{USER}@/{dbname}?host={self.root}&port={self.port}"

    def schema_url(self) -> str:
        """A URL whose tables go to a new, empty schema of their own."""
        import psycopg

        name = f"t{os.getpid()}_{next(_counter)}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {name}")
        return self.url() + f"&options=-csearch_path%3D{name}"


# -- servers left behind ------------------------------------------------------------------------------
def owner_mark(pid: int) -> str | None:
    """``"<pid> <start time>"`` of a running process (its start time tells a reused pid apart), else None."""
    fields = _stat(pid)
    return f"{pid} {fields[19]}" if len(fields) > 19 and fields[0] not in ("Z", "X") else None


def _stat(pid: int) -> list[str]:
    """The fields of /proc/<pid>/stat after the command name (which may hold spaces); [] when gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()
    except OSError:
        return []


def _owner_gone(folder: Path) -> bool:
    """True when ``folder`` names an owner and that process is no longer there (False without a name:
    a folder of an older run, or one being made this instant, is never taken)."""
    try:
        mark = (folder / OWNER).read_text().strip()
        pid = int(mark.split()[0])
    except (OSError, ValueError, IndexError):
        return False
    return owner_mark(pid) != mark


def _kill_postmaster(data: Path, timeout: float = 10.0) -> None:
    """Immediate shutdown (SIGQUIT) of the server of ``data``, when its pid file names a live process
    started on that folder; waits until it has gone."""
    try:
        pid = int((data / "postmaster.pid").read_text().split()[0])
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except (OSError, ValueError, IndexError):
        return
    if os.fsencode(str(data)) not in cmdline:
        return  # the pid is someone else's now
    try:
        os.kill(pid, signal.SIGQUIT)
    except OSError:
        return
    deadline = time.monotonic() + timeout
    while _running_pid(pid) and time.monotonic() < deadline:
        time.sleep(0.02)


def _running_pid(pid: int) -> bool:
    """True while ``pid`` runs (a zombie, ended but not yet reaped by its parent, does not)."""
    fields = _stat(pid)
    return bool(fields) and fields[0] not in ("Z", "X")


def clean_stale(base: Path | None = None) -> list[Path]:
    """Stop and remove the test clusters in ``base`` (the temporary folder) whose owning pytest is gone."""
    removed = []
    for folder in sorted(Path(base or tempfile.gettempdir()).glob(PREFIX + "*")):
        if folder.is_dir() and _owner_gone(folder):
            _kill_postmaster(folder / "data")
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _on_signal(signum: int, frame: FrameType | None) -> None:
    """Stop our servers, then hand the signal on: to the handler that was there, or die by it."""
    for server in list(_running):
        server.stop()
    previous = _previous.pop(signum, signal.SIG_DFL)
    signal.signal(signum, previous)  # type: ignore[arg-type]
    if callable(previous):
        previous(signum, frame)
    elif previous == signal.SIG_DFL:
        os.kill(os.getpid(), signum)


def _stop_on_signals() -> None:
    """SIGTERM and SIGINT stop the servers first (only the main thread may set handlers)."""
    for signum in (signal.SIGTERM, signal.SIGINT):
        current = signal.getsignal(signum)
        if current is _on_signal or current == signal.SIG_IGN or current is None:
            continue
        try:
            signal.signal(signum, _on_signal)
        except ValueError:
            return
        _previous[signum] = current


def start_server() -> PgServer:
    try:
        import psycopg  # noqa: F401
    except ImportError as exc:
        unavailable(f"psycopg is not installed ({exc}); pip install 'nkstudy[postgres]'")
    bins = bin_dir()
    if bins is None:
        unavailable("PostgreSQL's initdb and pg_ctl were not found; install Debian's postgresql package")
    assert bins is not None
    clean_stale()
    server = PgServer(bins)
    try:
        server.start()
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError, LookupError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        log = server.log.read_text(errors="replace")[-500:] if server.log.exists() else ""
        server.stop()
        unavailable(f"PostgreSQL did not start: {detail.strip()[-300:]} {log}")
    return server
