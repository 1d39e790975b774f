"""Benchmark: how many browser visitors one ``nkstudy serve`` host (or several) takes.

Starts ``nkstudy serve`` (``--hosts`` of them, on one PostgreSQL when more than one) and
drives visitors over the websocket as textual-serve's page does (``GET /``, the websocket
with the page's ``Origin``, ``resize``, ``ping``, ``focus``, each key as ``stdin``): each
types a name and the class code, then answers every ``--every`` s (+-1 s).  The count
ramps until a step's p95 key-to-screen (the key sent to the frame showing the next
question) passes ``--limit-ms``.  Memory per visitor: the PSS of every process under a
host (the host aside) over its visitors; RSS beside it.  Loopback only; not part of the
test suite.  benchmarks/README.md gives the commands (``--hosts 2``, ``--pin``) and figures.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import platform
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))  # classkit (serve), enginekit (the pack), pgkit (PostgreSQL)

WIDTH, HEIGHT = 100, 30
TYPE_DELAY = 0.03  # seconds between typed characters, as a quick typist


@dataclass
class Sample:
    sent: float  # monotonic time the key was sent
    seconds: float  # key to screen; math.inf when it never came


@dataclass
class Visitor:
    number: int
    host: int
    url: str
    code: str
    joined_at: float | None = None  # monotonic time the first question was on screen
    first_screen: float | None = None  # seconds from opening the page to the join screen drawn
    join_seconds: float | None = None  # seconds from opening the page to the first question
    failed: str = ""
    samples: list[Sample] = field(default_factory=list)


class Screen:
    """The bytes a visitor's websocket has brought, and a way to wait for a marker in the ones after a mark."""

    def __init__(self) -> None:
        self.data = bytearray()
        self.mark = 0
        self.changed = asyncio.Event()
        self.closed = False

    def add(self, chunk: bytes) -> None:
        self.data += chunk
        self.changed.set()

    def set_mark(self) -> None:
        self.mark = len(self.data)

    async def wait_for(self, marker: bytes, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while True:
            if self.data.find(marker, max(self.mark - len(marker) + 1, 0)) >= 0:  # may straddle the mark
                return True
            if self.closed:
                return False
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), left)
            except TimeoutError:
                return False

    def trim(self) -> None:
        """Forget what came before the mark (a visitor's stream would otherwise grow for the whole run)."""
        del self.data[:self.mark]
        self.mark = 0


async def visit(visitor: Visitor, session, stop: asyncio.Event, every: float, timeout: float) -> None:  # type: ignore[no-untyped-def]
    import aiohttp

    opened = time.monotonic()
    try:
        async with session.get(visitor.url + "/") as page:
            if page.status != 200:
                visitor.failed = f"page {page.status}"
                return
            await page.read()
        ws = await session.ws_connect(f"{visitor.url}/ws?width={WIDTH}&height={HEIGHT}",
                                      headers={"Origin": visitor.url}, heartbeat=None, max_msg_size=0)
    except (aiohttp.ClientError, OSError) as exc:
        visitor.failed = f"connect: {exc}"
        return
    screen = Screen()

    async def read() -> None:
        async for message in ws:
            if message.type == aiohttp.WSMsgType.BINARY:
                screen.add(message.data)
        screen.closed = True
        screen.changed.set()

    reader = asyncio.create_task(read())

    async def send(*envelope: object) -> None:
        await ws.send_str(json.dumps(list(envelope)))

    async def type_text(text: str) -> None:
        for ch in text:
            await send("stdin", ch)
            await asyncio.sleep(TYPE_DELAY)

    try:
        await send("resize", {"width": WIDTH, "height": HEIGHT})
        await send("ping", str(int(time.time() * 1000)))
        await send("focus")
        if not await screen.wait_for(b"Your name", 60):
            visitor.failed = "no join screen"
            return
        visitor.first_screen = time.monotonic() - opened
        screen.set_mark()
        name = f"Visitor {visitor.host + 1}-{visitor.number:04d}"
        await type_text(name)
        if not await screen.wait_for(name[-4:].encode(), 30):
            visitor.failed = "name not echoed"
            return
        await send("stdin", "\r")
        await asyncio.sleep(0.4)  # as a person does before typing the code
        screen.set_mark()
        await type_text(visitor.code)
        await send("stdin", "\r")
        if not await screen.wait_for(b"Question 1 of", 60):
            visitor.failed = "not let in"
            return
        visitor.joined_at = time.monotonic()
        visitor.join_seconds = visitor.joined_at - opened
        position = 1
        while not stop.is_set():
            try:
                await asyncio.wait_for(stop.wait(), random.uniform(every - 1, every + 1))
                break
            except TimeoutError:
                pass
            screen.trim()
            screen.set_mark()
            sent = time.monotonic()
            await send("stdin", "1")  # True
            marker = f"Question {position + 1} of".encode()
            if await screen.wait_for(marker, timeout):
                visitor.samples.append(Sample(sent, time.monotonic() - sent))
                position += 1
            else:  # counted as infinitely slow; a visitor whose session closed stops
                visitor.samples.append(Sample(sent, math.inf))
                if screen.closed:
                    visitor.failed = "session closed"
                    return
    except (aiohttp.ClientError, ConnectionResetError) as exc:
        visitor.failed = f"websocket: {exc}"
    finally:
        reader.cancel()
        await ws.close()


# -- figures -----------------------------------------------------------------------------
def percentile(values: list[float], p: float) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]


def ms(value: float) -> str:
    if math.isnan(value):
        return "-"
    if math.isinf(value):
        return "timeout"
    return f"{value * 1000:.0f} ms" if value < 10 else f"{value:.1f} s"


def memory_kb(pid: int) -> tuple[int, int]:
    """(PSS, RSS) of one process in kB, from /proc/PID/smaps_rollup; (0, 0) when it is gone."""
    pss = rss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1])
                elif line.startswith("Rss:"):
                    rss = int(line.split()[1])
    except OSError:
        pass
    return pss, rss


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


# -- the hosts ---------------------------------------------------------------------------
def start_hosts(args: argparse.Namespace, root: Path, db: str | None, questions: int, hosts: list[Any],
                nets: list[Any]) -> None:
    """Start the serve hosts into ``hosts`` (so that those started are stopped whatever happens).

    ``nets`` (``--netns``): host N serves on port 8000 of ``nets[N]``, and reaches ``db`` over TCP.
    """
    from classkit import free_port, nkstudy_env, start_serve
    from netkit import tcp_url

    write_drill_pack(root / "packs" / "test-pack", questions)
    code = f"test-pack@1.0#1/{questions}"
    per_host = math.ceil(args.max_visitors / args.hosts)
    for n in range(args.hosts):
        extra = {"NKSTUDY_DB": db} if db else {}
        if args.no_fork:
            extra["NKSTUDY_SERVE_FORK"] = "0"
        where, wrap = ["--port", str(free_port())], None
        if nets:
            extra["NKSTUDY_DB"] = tcp_url(extra["NKSTUDY_DB"], nets[n].outer)
            where, wrap = ["--host", nets[n].inner, "--port", "8000"], nets[n].command
        env = nkstudy_env(root / f"host-{n + 1}", root / "packs", **extra)
        host = start_serve(env, code, *where, "--max-visitors", str(per_host + 5), timeout=60, wrap=wrap)
        for stream in (host.proc.stdout, host.proc.stderr):  # read on, or a full pipe would stall the host
            threading.Thread(target=drain, args=(stream, root / f"host-{n + 1}.log"), daemon=True).start()
        if args.pin:  # each host on a CPU of its own: a machine of its own, as far as CPU goes
            from cpus import pin
            pin(host.proc.pid, n % (os.cpu_count() or 1))
        hosts.append(host)


def drain(stream, log: Path) -> None:  # type: ignore[no-untyped-def]
    with open(log, "a", encoding="utf-8") as out:
        for line in stream:
            out.write(line)
            out.flush()


def write_drill_pack(folder: Path, n: int) -> None:
    """``n`` true/false questions, each citing a sentence of its own (so none gives another's answer away).

    Questions citing one excerpt would all be related, and a drill paces related
    questions apart, which for hundreds of them takes seconds a visitor (not what a class sits).
    """
    from nkstudy.core.packs.loader import load_pack
    from packfactory import ARTICLE, write_pack

    sentences = "\n".join(f"Report {i} says that visit number {i} went to the coast." for i in range(1, n + 1))
    lines = ["questions:"]
    for i in range(1, n + 1):
        lines += [f"  - id: q{i:03d}", "    type: truefalse",
                  f'    prompt: "Statement {i}: visit {i} went to the coast."', "    answer: true",
                  "    source: art", f'    excerpt: "visit number {i} went"', "    tags: [when]"]
    write_pack(folder, questions_yaml="\n".join(lines) + "\n", sources={"sources/art.txt": ARTICLE + "\n" + sentences})
    result = load_pack(folder)
    if result.pack is None:
        raise SystemExit("the benchmark's pack does not load: " + "; ".join(p.format() for p in result.problems))


def host_memory(hosts, visitors: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """(PSS, RSS) in MB a visitor: every process under the hosts (the zygotes included), the hosts aside."""
    from cpus import children

    pss = rss = 0
    for pid in (pid for host in hosts for pid in children(host.proc.pid)):
        p, r = memory_kb(pid)
        pss, rss = pss + p, rss + r
    return pss / 1024 / max(visitors, 1), rss / 1024 / max(visitors, 1)


# -- the ramp ----------------------------------------------------------------------------
async def ramp(args: argparse.Namespace, hosts) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    import aiohttp

    stop = asyncio.Event()
    visitors: list[Visitor] = []
    tasks: list[asyncio.Task[None]] = []
    rows: list[dict[str, Any]] = []
    started = time.monotonic()
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        target = args.visitors
        while True:
            new = target - len(visitors)
            step_start = time.monotonic()
            for _ in range(new):
                number = len(visitors)
                host = number % len(hosts)
                visitor = Visitor(number + 1, host, hosts[host].url, hosts[host].class_code)
                visitors.append(visitor)
                tasks.append(asyncio.create_task(visit(visitor, session, stop, args.every, args.timeout)))
                await asyncio.sleep(args.join_over / max(new, 1))
            join_end = time.monotonic()
            # the newcomers' joins may still be under way: the hold starts once they are in (or 30 s later)
            while any(v.joined_at is None and not v.failed for v in visitors) and time.monotonic() - join_end < 30:
                await asyncio.sleep(0.2)
            hold_start = time.monotonic()
            await asyncio.sleep(args.hold)
            hold_end = time.monotonic()
            active = sum(1 for v in visitors if v.joined_at is not None and not v.failed)
            pss, rss = host_memory(hosts, active)
            in_hold = [s.seconds for v in visitors for s in v.samples if hold_start <= s.sent < hold_end]
            newcomers = visitors[-new:] if new else []
            joins = [v.join_seconds for v in newcomers if v.join_seconds is not None]
            firsts = [v.first_screen for v in newcomers if v.first_screen is not None]
            row = {
                "visitors": active, "asked": len(visitors), "failed": sum(1 for v in visitors if v.failed),
                "answers": len(in_hold), "timeouts": sum(1 for s in in_hold if math.isinf(s)),
                "p50": percentile(in_hold, 50), "p95": percentile(in_hold, 95), "max": max(in_hold, default=math.nan),
                "join_p50": percentile(joins, 50), "join_max": max(joins, default=math.nan),
                "first_p50": percentile(firsts, 50),
                "pss": pss, "rss": rss, "load": load(),
                "step_seconds": hold_end - step_start,
            }
            rows.append(row)
            print_row(row)
            elapsed = time.monotonic() - started
            next_target = target + args.step
            step_cost = max(args.join_over + args.hold + 5, row["step_seconds"])
            if row["p95"] > args.limit_ms / 1000 or math.isnan(row["p95"]):
                break
            if next_target > args.max_visitors or elapsed + step_cost > args.budget:
                break
            target = next_target
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
    failures = Counter(v.failed for v in visitors if v.failed)
    if failures:
        print("  visitors with a problem: " + ", ".join(f"{why}: {n}" for why, n in sorted(failures.items())))
    return rows


HEADER = (f"{'visitors':>8} {'answers':>7} {'p50':>8} {'p95':>8} {'max':>8} {'t/o':>4}   {'join p50':>8} "
          f"{'join max':>8} {'screen':>8}   {'PSS/visitor':>11} {'RSS/visitor':>11}   {'load 1/5/15':>14}")


def print_row(r: dict[str, Any]) -> None:
    print(f"{r['visitors']:>8} {r['answers']:>7} {ms(r['p50']):>8} {ms(r['p95']):>8} {ms(r['max']):>8} "
          f"{r['timeouts']:>4}   {ms(r['join_p50']):>8} {ms(r['join_max']):>8} {ms(r['first_p50']):>8}   "
          f"{r['pss']:>8.1f} MB {r['rss']:>8.1f} MB   {r['load']:>14}", flush=True)


def summary(args: argparse.Namespace, rows: list[dict[str, Any]], where: str) -> None:
    limit = args.limit_ms / 1000
    ok = [r for r in rows if r["p95"] <= limit]
    print()
    print(f"summary ({args.hosts} host{'s' if args.hosts > 1 else ''}, {where}, a key every {args.every:g} s, "
          f"p95 limit {args.limit_ms:g} ms):")
    if ok:
        best = ok[-1]
        print(f"  {best['visitors']} visitors with p95 <= {args.limit_ms:g} ms: p50 {ms(best['p50'])}, "
              f"p95 {ms(best['p95'])}, max {ms(best['max'])}, "
              f"PSS {best['pss']:.1f} MB a visitor (RSS {best['rss']:.1f} MB)")
    else:
        print(f"  no step kept p95 <= {args.limit_ms:g} ms")
    if rows and rows[-1]["p95"] > limit:
        print(f"  passed at {rows[-1]['visitors']} visitors: p95 {ms(rows[-1]['p95'])}")
    elif rows:
        print(f"  the ramp stopped at {rows[-1]['visitors']} visitors (--max-visitors or --budget) "
              "before p95 passed the limit")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hosts", type=int, default=1, help="serve hosts (default 1; more share one PostgreSQL)")
    parser.add_argument("--visitors", type=int, help="visitors of the first step (default 20 a host)")
    parser.add_argument("--step", type=int, help="visitors added each step (default 20 a host)")
    parser.add_argument("--max-visitors", type=int, help="last step at most (default 120 a host)")
    parser.add_argument("--join-over", type=float, default=20, help="seconds over which a step's visitors join")
    parser.add_argument("--hold", type=float, default=30, help="seconds each step is measured, all answering")
    parser.add_argument("--every", type=float, default=3, help="seconds between a visitor's answers (+-1 s)")
    parser.add_argument("--limit-ms", type=float, default=250, help="stop after the step whose p95 passes this")
    parser.add_argument("--timeout", type=float, default=15, help="seconds before an answer counts as lost")
    parser.add_argument("--budget", type=float, default=480,
                        help="no step that would end after this many seconds of ramp "
                        "(default 480: with start and stop, a run stays under 10 minutes)")
    parser.add_argument("--db", metavar="URL", help="a PostgreSQL URL for the hosts (default: SQLite with one host, "
                        "a throwaway PostgreSQL with more)")
    parser.add_argument("--pg", action="store_true", help="a throwaway PostgreSQL even with one host")
    parser.add_argument("--no-fork", action="store_true",
                        help="start each visitor as a new Python process (NKSTUDY_SERVE_FORK=0), not forked "
                        "from serve's warm one: the way serve worked before")
    parser.add_argument("--pin", action="store_true", help="pin host N and its visitors to CPU N (Linux)")
    parser.add_argument("--netns", action="store_true", help="each host in a network namespace of its own, reaching "
                        "the throwaway PostgreSQL over TCP (root, Linux: tests/netkit.py)")
    args = parser.parse_args()
    args.visitors = args.visitors or 20 * args.hosts
    args.step = args.step or 20 * args.hosts
    args.max_visitors = args.max_visitors or 120 * args.hosts
    if min(args.hosts, args.visitors, args.step, args.max_visitors) < 1 or args.every <= 1:
        parser.error("--hosts, --visitors, --step and --max-visitors must be at least 1, --every more than 1")
    if args.netns:
        from netkit import namespaces, unavailable
        if args.db or unavailable():
            parser.error(f"--netns: {unavailable() or 'its own PostgreSQL listens on the hosts; drop --db'}")

    server = None
    db = args.db
    if db is None and (args.hosts > 1 or args.pg or args.netns):
        from pgkit import start_server

        server = start_server()
        db = server.url()
    where = "PostgreSQL" if db else "SQLite"
    questions = int((args.budget + 120) / (args.every - 1)) + 20  # more than the quickest visitor answers
    how = "a new process a visitor" if args.no_fork else "visitors forked from a warm process"
    how += ", each host pinned to a CPU of its own" if args.pin else ""
    how += ", each host in a network namespace of its own" if args.netns else ""
    print(f"nkstudy serve capacity: {args.hosts} host(s), {where}, {how}, Python {platform.python_version()}, "
          f"{os.cpu_count()} CPUs, load {load()} at the start", flush=True)
    commit = subprocess.run(["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    print(f"commit {commit or '?'}; ramp {args.visitors} + {args.step} a step up to {args.max_visitors}, each step "
          f"joining over {args.join_over:g} s then {args.hold:g} s measured", flush=True)
    hosts: list[Any] = []
    try:
        with tempfile.TemporaryDirectory(prefix="nkserve-bench-") as tmp, contextlib.ExitStack() as stack:
            nets = stack.enter_context(namespaces(args.hosts, server)) if args.netns else []
            start_hosts(args, Path(tmp), db, questions, hosts, nets)
            print(HEADER, flush=True)
            rows = asyncio.run(ramp(args, hosts))
            while hosts:
                hosts.pop().stop(timeout=60)
            summary(args, rows, where)
    finally:
        for host in hosts:  # stopped by an error: no waiting
            host.proc.kill()
        if server is not None:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
