"""A throwaway PostgreSQL server for the tests: Debian's binaries, a temporary folder, a unix socket.

``PgServer.start()`` runs ``initdb`` and ``pg_ctl`` on a fresh folder (as the
``postgres`` user when the tests run as root, since PostgreSQL refuses root),
listening only on a socket in that folder; :meth:`PgServer.schema_url` hands
each test a fresh schema of its own.  The server stops at the end of the
session, and at exit whatever happens.

Without the binaries or psycopg the PostgreSQL half of the tests is skipped,
saying why; under ``CI=true`` it fails instead.
"""

from __future__ import annotations

import atexit
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

BIN_DIRS = [Path(f"/usr/lib/postgresql/{v}/bin") for v in (17, 16, 15, 14, 13)]
USER = "nkstudy"
_counter = itertools.count(1)


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
        self.root = Path(tempfile.mkdtemp(prefix="nkpg-"))  # short: a socket path has a length limit
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
        self.pg_ctl_start()
        atexit.register(self.stop)

    def pg_ctl_start(self) -> None:
        opts = (f"-c listen_addresses='' -c unix_socket_directories={self.root} -c port={self.port} "
                "-c fsync=off -c full_page_writes=off -c max_connections=400 -c shared_buffers=64MB")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", opts, "-w", "-t", "60", "start")

    def pg_ctl_stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def stop(self) -> None:
        if self.data.exists():
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


def start_server() -> PgServer:
    try:
        import psycopg  # noqa: F401
    except ImportError as exc:
        unavailable(f"psycopg is not installed ({exc}); pip install 'nkstudy[postgres]'")
    bins = bin_dir()
    if bins is None:
        unavailable("PostgreSQL's initdb and pg_ctl were not found; install Debian's postgresql package")
    assert bins is not None
    server = PgServer(bins)
    try:
        server.start()
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError, LookupError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        log = server.log.read_text(errors="replace")[-500:] if server.log.exists() else ""
        server.stop()
        unavailable(f"PostgreSQL did not start: {detail.strip()[-300:]} {log}")
    return server
