"""Network namespaces for the tests: a "machine" of its own (addresses and ports), joined to ours by a veth pair.

``hosts(n)`` makes ``n`` namespaces.  Each is held by a process of ours
(``unshare --net``, reading a pipe only we write to) and reached over a veth
pair: its end in the namespace is ``eth0`` with ``inner`` (198.18.x.2/30); ours
is ``nkv<pid>x<n>`` (``n`` counts this process's pairs) with ``outer``
(198.18.x.1/30).  198.18.0.0/15 is the range set aside for network benchmarks
(RFC 2544): no real network uses it, and a block with an address already on one
of this machine's interfaces is skipped (under a lock, so parallel test workers
never take the same block).  Nothing is routed between the namespaces or beyond:
a host reaches only our end of its own pair.  ``Host.command`` runs a program in
the namespace, killed when the *thread* that started it ends (``setpriv
--pdeathsig``): start hosts from the test's own thread.  :func:`namespaces` also
has the test's PostgreSQL listen on our ends (:func:`listening_on`), for URLs
from :func:`tcp_url`.

Nothing outlives the test.  ``hosts`` deletes the pairs when it ends (also on
an error or Ctrl+C), and checks that they are gone.  If the test's process dies
outright, the holder's pipe closes, and the holder deletes its ``eth0`` (which
takes our end with it) before it ends, even while other processes hold the
namespace.  Each pair's end here names its owner in its alias (``ifalias``: the
pid and start time, as the PostgreSQL folders do), and :func:`clean_stale`
deletes the pairs whose owner is gone, first thing.

Needs root, ``unshare``, ``nsenter``, ``setpriv`` (util-linux) and ``ip``
(iproute2); :func:`unavailable` says what is missing.
"""

from __future__ import annotations

import contextlib
import fcntl
import ipaddress
import itertools
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

from pgkit import USER, PgServer, owner_mark

PREFIX = "nkv"  # our end of each pair: nkv<pid>x<n> (at most 15 characters: a Linux interface name)
ALIAS = "nkstudy-test"  # ifalias of our end: "nkstudy-test <pid> <start time>"
RANGE = ipaddress.ip_network("198.18.0.0/15")  # RFC 2544, for benchmarks: on no real network
SYS_NET = Path("/sys/class/net")
_counter = itertools.count()  # the blocks' start moves on with each call
_links = itertools.count()  # our ends' names
#: the holder: waits for its input to end (we closed it, or we died), then deletes the pair from inside
HOLDER = "cat >/dev/null; ip link del eth0 2>/dev/null; exit 0"


@dataclass
class Host:
    """One namespace: its holder, our end of its pair (``outer``, an address) and its end's address (``inner``)."""

    holder: subprocess.Popen[bytes]
    link: str
    outer: str
    inner: str

    @property
    def netns(self) -> str:
        return f"/proc/{self.holder.pid}/ns/net"

    def command(self, *argv: str) -> list[str]:
        """``argv`` run in this namespace, killed if the process that started it dies."""
        return ["nsenter", f"--net={self.netns}", "--", "setpriv", "--pdeathsig", "KILL", "--", *argv]

    def close(self) -> None:
        if self.holder.stdin is not None and not self.holder.stdin.closed:
            self.holder.stdin.close()  # the holder deletes eth0 (and with it our end), then ends
        try:
            self.holder.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.holder.kill()
            self.holder.wait()
        if (SYS_NET / self.link).exists():  # a process left in the namespace holds it: delete from here
            _ip("link", "del", self.link, check=False)


def _ip(*argv: str, netns: str | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
    cmd = ["ip", *argv] if netns is None else ["nsenter", f"--net={netns}", "--", "ip", *argv]
    return subprocess.run(cmd, capture_output=True, text=True, check=check, timeout=10)


def unavailable() -> str | None:
    """Why namespaces with veth pairs cannot be made here, or None (tried in a namespace that ends at once)."""
    if os.geteuid() != 0:
        return "network namespaces need root (run as root, as CI does)"
    missing = [tool for tool in ("unshare", "nsenter", "setpriv", "ip") if shutil.which(tool) is None]
    if missing:
        return f"network namespaces need {', '.join(missing)} (util-linux, iproute2)"
    probe = ["ip", "link", "add", "nkprobe0", "type", "veth", "peer", "name", "nkprobe1"]
    tried = subprocess.run(["unshare", "--net", "--", *probe], capture_output=True, text=True, timeout=10)
    if tried.returncode != 0:
        return f"cannot make a network namespace with a veth pair here: {tried.stderr.strip()[-200:]}"
    return None


def clean_stale() -> list[str]:
    """Delete the pairs whose owning process is gone (its test died before it could); returns their names."""
    removed = []
    for link in sorted(SYS_NET.glob(PREFIX + "*")):
        try:
            words = (link / "ifalias").read_text().split()
        except OSError:
            continue
        if len(words) == 3 and words[0] == ALIAS and words[1].isdigit() and owner_mark(int(words[1])) != " ".join(
                words[1:]):
            _ip("link", "del", link.name, check=False)
            removed.append(link.name)
    return removed


def _used() -> set[ipaddress.IPv4Address]:
    out = _ip("-o", "-4", "addr", "show").stdout
    return {ipaddress.ip_interface(line.split()[3]).ip for line in out.splitlines() if len(line.split()) > 3}


def _blocks(count: int) -> list[ipaddress.IPv4Network]:
    """``count`` /30 blocks of RANGE, none with an address this machine has; where to start depends on our pid."""
    used = _used()
    blocks = list(RANGE.subnets(new_prefix=30))
    start = (os.getpid() * 8 + next(_counter) * 2) % len(blocks)
    found: list[ipaddress.IPv4Network] = []
    for block in itertools.chain(blocks[start:], blocks[:start]):
        if not any(address in block for address in used):
            found.append(block)
            if len(found) == count:
                return found
    raise RuntimeError("no free /30 block in 198.18.0.0/15")


@contextlib.contextmanager
def _lock() -> Iterator[None]:
    with open(Path(tempfile.gettempdir()) / "nkstudy-netkit.lock", "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        yield


def _holder() -> subprocess.Popen[bytes]:
    """A process in a new network namespace, for as long as we keep its input open."""
    ours = os.readlink("/proc/self/ns/net")
    holder = subprocess.Popen(["unshare", "--net", "--", "sh", "-c", HOLDER], stdin=subprocess.PIPE,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              start_new_session=True)  # Ctrl+C in the terminal is for us: we clean up
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if holder.poll() is not None:
            err = holder.stderr.read().decode(errors="replace").strip() if holder.stderr else ""
            raise OSError(f"unshare --net failed: {err or holder.returncode}")
        with contextlib.suppress(OSError):
            if os.readlink(f"/proc/{holder.pid}/ns/net") != ours:
                return holder
        time.sleep(0.005)
    holder.kill()
    raise OSError("unshare --net did not make a namespace within 10 s")


def _make(block: ipaddress.IPv4Network) -> Host:
    outer, inner = (str(block[1]), str(block[2]))
    holder = _holder()
    host = Host(holder, f"{PREFIX}{os.getpid()}x{next(_links)}", outer, inner)
    try:
        mark = owner_mark(os.getpid())
        _ip("link", "add", host.link, "type", "veth", "peer", "name", "eth0", "netns", str(holder.pid))
        _ip("link", "set", "dev", host.link, "alias", f"{ALIAS} {mark}")
        _ip("addr", "add", f"{outer}/30", "dev", host.link)
        _ip("link", "set", host.link, "up")
        _ip("addr", "add", f"{inner}/30", "dev", "eth0", netns=host.netns)
        _ip("link", "set", "eth0", "up", netns=host.netns)
        _ip("link", "set", "lo", "up", netns=host.netns)
    except BaseException:
        host.close()
        raise
    return host


@contextlib.contextmanager
def hosts(count: int) -> Iterator[list[Host]]:
    """``count`` namespaces, each reached at its ``inner`` address; all deleted when the block ends."""
    made: list[Host] = []
    try:
        with _lock():  # no other test picks a block between our look at the addresses and our taking them
            clean_stale()
            for block in _blocks(count):
                made.append(_make(block))
        yield made
    finally:
        for host in made:
            host.close()
        left = [host.link for host in made if (SYS_NET / host.link).exists()]
        if left:
            raise AssertionError(f"network namespace pairs left behind: {left}")


# -- the test's PostgreSQL, over TCP -----------------------------------------------------------------
def tcp_url(socket_url: str, address: str) -> str:
    """The cluster's socket URL (``PgServer.url``, ``schema_url``) as a TCP URL to ``address``, same port."""
    parts = urlsplit(socket_url)
    query = dict(parse_qsl(parts.query))
    port = query.pop("port")
    query.pop("host", None)
    return f"postgresql://{USER}@{address}:{port}{parts.path}" + (f"?{urlencode(query)}" if query else "")


@contextlib.contextmanager
def listening_on(server: PgServer, nets: list[Host]) -> Iterator[None]:
    """The cluster listens on our end of each pair too and takes the hosts' addresses; its own settings after."""
    hba = server.root / f"hba-{os.getpid()}.conf"
    rules = "".join(f"host all {USER} {net.inner}/32 trust\n" for net in nets)
    hba.write_text((server.data / "pg_hba.conf").read_text() + rules)
    if server.as_root:
        shutil.chown(hba, "postgres", "postgres")
    addresses = ",".join(net.outer for net in nets)
    server.pg_ctl_stop("fast")
    try:
        server.pg_ctl_start(f"listen_addresses='{addresses}'", f"hba_file='{hba}'", "log_connections=on")
        yield
    finally:
        server.pg_ctl_stop("fast")
        server.pg_ctl_start()  # the fixture's own settings: its socket only
        hba.unlink(missing_ok=True)


@contextlib.contextmanager
def namespaces(count: int, server: PgServer) -> Iterator[list[Host]]:
    """``count`` namespaces (:func:`hosts`) from which ``server`` is reached over TCP (:func:`listening_on`)."""
    with hosts(count) as made, listening_on(server, made):
        yield made
