"""Visitors' app processes forked from one warm process (a *zygote*), not a new Python each.

``nkstudy serve`` starts one zygote (``python -m nkstudy.cli.zygote join ...``, the
socket's descriptor in ``NKSTUDY_ZYGOTE_FD``) before it listens.  The zygote imports
Textual, its web driver and the drill app once (:data:`PRELOAD`), freezes those
objects out of the cyclic collector's sight, and waits on a private socket pair.
For each visitor the server makes three pipes and sends the zygote the child's ends
(``SCM_RIGHTS``), the visitor's environment and the ``nkstudy`` arguments; the
zygote forks, and the child puts the pipes on its stdin, stdout and stderr, takes
that environment and runs the command line (the same ``join`` a fresh process would
run); the zygote answers with the child's pid.  A visitor so joins without Python's
start-up and imports (about 0.6 s of CPU each), and the pages of the imported modules
that a child does not write to stay shared with the zygote (copy on write).  CPython
3.11 writes to an object's page whenever it counts a reference to it, so only part
of them stays shared.

What does not change: the server speaks textual-serve's pipe protocol to each app
process, and the environment (class code, database URL, client address) reaches
each visitor as before, never through a command line.  When the zygote cannot be
started, or stops, the server starts each visitor as a process of its own again.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence

#: imported once by the zygote: Textual, its web driver, and the apps ``nkstudy join`` runs
PRELOAD = (
    "textual.app", "textual.drivers.web_driver", "textual.widgets", "textual.widgets._input",
    "textual.widgets._button", "textual.widgets._header", "textual.widgets._footer", "textual.widgets._static",
    "textual.widgets._label", "textual.containers", "textual.css.stylesheet",
    "nkstudy.tui.classroom.drill_app", "nkstudy.tui.classroom.screens.join", "nkstudy.tui.classroom.screens.drill",
    "nkstudy.tui.classroom.screens.live_seat", "nkstudy.tui.widgets.answers",
)
ENV_FD = "NKSTUDY_ZYGOTE_FD"  # the zygote's end of the socket pair
MAX_REQUEST = 1 << 20  # bytes: an environment and an argument list
FORK_WAIT = 10.0  # seconds for the zygote to answer a request before the server starts visitors itself
Run = Callable[[list[str]], int]  # the command line's main


# -- the zygote ----------------------------------------------------------------------------
def preload(names: Sequence[str]) -> None:
    import importlib

    for name in names:
        try:
            importlib.import_module(name)
        except ImportError:
            pass


def run_child(fds: list[int], env: dict[str, str], argv: list[str], control: socket.socket, run: Run) -> int:
    """In the forked child: the visitor's pipes and environment, then the command line."""
    control.close()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    os.environ.clear()
    os.environ.update(env)
    import random

    random.seed()  # not the zygote's sequence, which every child would share
    return run(argv)


def fork_server(fd: int, run: Run, modules: Sequence[str] = PRELOAD) -> int:
    """The zygote: import ``modules``, then fork a child running ``run(argv)`` for each request on the socket ``fd``.

    Returns when the socket closes (the server stopped).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is for the server, which then closes the socket
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the children
    control = socket.socket(fileno=fd)
    preload(modules)
    gc.collect()
    gc.freeze()  # a child's collector never scans the imported objects, so never writes to their pages
    control.sendall(b"ready\n")
    while True:
        try:
            message, fds, _flags, _addr = socket.recv_fds(control, MAX_REQUEST, 3)
        except OSError:
            return 0
        if not message:
            return 0
        try:
            request = json.loads(message)
            env, argv = dict(request["env"]), list(request["argv"])
        except (ValueError, KeyError, TypeError):
            request = None
        if request is None or len(fds) != 3:
            for fd_ in fds:
                os.close(fd_)
            control.sendall(b"-1\n")
            continue
        try:
            pid = os.fork()
        except OSError:  # no memory or too many processes: this visitor is refused, the next may fit
            pid = -1
        if pid == 0:
            code = 1
            try:
                code = run_child(fds, env, argv, control, run)
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
            except BaseException:
                import traceback

                traceback.print_exc()
            finally:
                for stream in (sys.stdout, sys.stderr):
                    try:
                        stream.flush()
                    except (OSError, ValueError):
                        pass
                os._exit(code)
        for fd_ in fds:
            os.close(fd_)
        control.sendall(f"{pid}\n".encode())


# -- the server's side -----------------------------------------------------------------------
class ForkedProcess:
    """A visitor's app process forked by the zygote: what textual-serve's ``AppService`` uses of a process."""

    def __init__(self, pid: int, stdin: asyncio.StreamWriter, stdout: asyncio.StreamReader,
                 stderr: asyncio.StreamReader) -> None:
        self.pid = pid
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr

    def close(self) -> None:
        """Close the server's end of the child's input (its output ends when it exits)."""
        self.stdin.close()


def _protocol_for(reader: asyncio.StreamReader) -> Callable[[], asyncio.StreamReaderProtocol]:
    return lambda: asyncio.StreamReaderProtocol(reader)


class Zygote:
    """The server's handle on the zygote process."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.command = command  # the zygote's command line (its children show it too, in ps)
        self.env = env
        self.sock: socket.socket | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self.lock = threading.Lock()

    def start(self, timeout: float = 60) -> bool:
        """Start the zygote and wait until it has imported everything; False when it could not."""
        ours, theirs = socket.socketpair()
        try:
            self.process = subprocess.Popen(
                self.command, pass_fds=(theirs.fileno(),), env={**self.env, ENV_FD: str(theirs.fileno())},
                stdin=subprocess.DEVNULL)
        except OSError:
            ours.close()
            return False
        finally:
            theirs.close()
        ours.settimeout(timeout)
        try:
            ready = ours.recv(16) == b"ready\n"
        except OSError:
            ready = False
        if not ready:
            ours.close()
            self.stop()
            return False
        ours.settimeout(FORK_WAIT)  # a zygote that stops answering is given up, as one that stopped
        self.sock = ours
        return True

    @property
    def alive(self) -> bool:
        return self.sock is not None and self.process is not None and self.process.poll() is None

    def fork(self, argv: list[str], env: dict[str, str]) -> tuple[int, list[int]]:
        """Ask for a child running ``nkstudy ARGV``: (its pid, the server's ends: stdin, stdout, stderr)."""
        pipes = [os.pipe() for _ in range(3)]
        theirs = [pipes[0][0], pipes[1][1], pipes[2][1]]
        ours = [pipes[0][1], pipes[1][0], pipes[2][0]]
        try:
            with self.lock:
                if self.sock is None:
                    raise OSError("the zygote is not running")
                socket.send_fds(self.sock, [json.dumps({"env": env, "argv": argv}).encode()], theirs)
                answer = b""
                while not answer.endswith(b"\n"):
                    chunk = self.sock.recv(32)
                    if not chunk:
                        raise OSError("the zygote has stopped")
                    answer += chunk
            pid = int(answer)
            if pid <= 0:
                raise OSError("the zygote could not fork")
        except (OSError, ValueError):
            for fd in ours:
                os.close(fd)
            if self.sock is not None:  # given up: closing it also tells the zygote to stop
                self.sock.close()
                self.sock = None
            raise
        finally:
            for fd in theirs:
                os.close(fd)
        return pid, ours

    async def spawn(self, argv: list[str], env: dict[str, str]) -> ForkedProcess:
        loop = asyncio.get_running_loop()
        pid, (stdin_fd, stdout_fd, stderr_fd) = await loop.run_in_executor(None, self.fork, argv, env)
        transport, protocol = await loop.connect_write_pipe(
            lambda: asyncio.streams.FlowControlMixin(loop=loop), os.fdopen(stdin_fd, "wb", 0))
        stdin = asyncio.StreamWriter(transport, protocol, None, loop)
        readers = []
        for fd in (stdout_fd, stderr_fd):
            reader = asyncio.StreamReader(loop=loop)
            await loop.connect_read_pipe(_protocol_for(reader), os.fdopen(fd, "rb", 0))
            readers.append(reader)
        return ForkedProcess(pid, stdin, readers[0], readers[1])

    def stop(self, timeout: float = 5) -> None:
        """Close the socket: the zygote exits (its children end with their visitors' sessions)."""
        if self.sock is not None:
            self.sock.close()
            self.sock = None
        if self.process is not None:
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
