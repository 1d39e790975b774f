# ruff: noqa: E501
"""Benchmark: validating and opening large packs.

Generates packs the way an author would split them (one ``pack.yaml`` plus included
question files, each question quoting a source) and prints, in one run:

- the baseline: ``yaml.load`` with PyYAML's C loader (``yaml.CSafeLoader``) over the same
  YAML files;
- nkstudy's cold validate (``load_pack``, every check, every excerpt located, the give-away
  graph built), and the graph's part of it (``build_graph`` timed alone on the loaded pack);
- a warm open through the pack cache (``discover(..., cache_dir=...)`` with the cache built);
- the peak memory (max RSS) of each, measured in a fresh subprocess;
- sources whose questions alternate between them against the same pack grouped by source;
- 50,000 problems reported by ``nkstudy validate``;
- the app's time to its first screen, with the cache warm (skipped when the app cannot be
  started headless here).

Not part of the test suite::

    PYTHONPATH=src python benchmarks/bench_packs.py [--questions 100000] [--files 40] [--only main]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = (
    "official delegation meeting visit summit leader party capital border trade talks envoy "
    "minister premier state media reported agreement friendship cooperation economic aid "
    "railway bridge river province city week month year spring autumn train station banquet "
    "exchange relations ties sanctions nuclear program senior counterpart ceremony message "
    "letter anniversary treaty mutual assistance agency foreign ministry spokesperson"
).split()

_TYPES = ("choice", "multi", "truefalse", "typed", "order", "cloze")


def _article(rng: random.Random, n_chars: int, tag: str) -> str:
    """Generated prose: sentences of random words, with a unique marker every sentence."""
    out: list[str] = []
    size = 0
    i = 0
    while size < n_chars:
        words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
        sentence = f"{tag}s{i} " + " ".join(words).capitalize() + ", “said” the report."
        out.append(sentence)
        size += len(sentence) + 1
        i += 1
        if i % 5 == 0:
            out.append("\n")
    return " ".join(out).replace(" \n ", "\n")


def _excerpt(rng: random.Random, text: str) -> str:
    """A slice of ``text`` from a word start, with quotes straightened and line breaks folded."""
    for _ in range(50):
        at = rng.randrange(0, max(1, len(text) - 120))
        at = text.find(" ", at) + 1
        piece = text[at : at + rng.randint(30, 60)]
        piece = piece[: piece.rfind(" ")] if " " in piece else piece
        piece = " ".join(piece.split()).replace("“", '"').replace("”", '"')
        if len(piece) > 15:
            return piece
    return text[:40].split("\n")[0]


def _q(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def _question(rng: random.Random, n: int, source_id: str, text: str, bad: bool) -> str:
    kind = _TYPES[n % len(_TYPES)]
    w = [rng.choice(WORDS) for _ in range(6)]
    lines = [
        f"  - id: q{n:06d}",
        f"    type: {kind}",
    ]
    if kind == "cloze":
        lines.append(f"    prompt: {_q('Fill the blank: the ' + w[0] + ' ____ ' + w[1] + ' in ' + str(2000 + n % 24) + '.')}")
    else:
        lines.append(f"    prompt: {_q('In ' + str(2000 + n % 24) + ', which ' + ' '.join(w[:2]) + ' was named?')}")
    if kind == "choice":
        opts = [w[i] + str(i) for i in range(4)]
        lines.append(f"    options: [{', '.join(opts)}]")
        lines.append(f"    answer: {opts[1]}")
    elif kind == "multi":
        opts = [w[i] + str(i) for i in range(4)]
        lines.append(f"    options: [{', '.join(opts)}]")
        lines.append(f"    answer: [{opts[0]}, {opts[2]}]")
    elif kind == "truefalse":
        lines.append(f"    answer: {'true' if n % 2 else 'false'}")
    elif kind in ("typed", "cloze"):
        lines.append(f"    answer: {w[2]} {w[3]}")
        lines.append(f"    accept: [{w[2]}]")
    else:
        lines.append("    answer:")
        lines.extend(f"      - {w[i]} {i}" for i in range(3))
    lines.append(f"    source: {source_id}")
    lines.append(f"    excerpt: >-\n      {_excerpt(rng, text)}")
    if n % 5 == 0:
        lines.append(f"    explanation: {_q('The report says so in its ' + w[4] + ' paragraph.')}")
    lines.append(f"    tags: [{'bogus' if bad else rng.choice(['who', 'whom', 'where', 'when', 'why'])}]")
    return "\n".join(lines) + "\n"


def make_pack(
    folder: Path,
    questions: int,
    files: int,
    sources: int,
    source_chars: int,
    alternate: bool = False,
    problems: int = 0,
    seed: int = 1,
) -> Path:
    """Write a pack of ``questions`` questions split into ``files`` included files.

    Questions cite ``sources`` generated articles of about ``source_chars`` characters.  Grouped
    (the default), the questions of one source sit together; with ``alternate`` consecutive
    questions cite different sources in turn.  The first ``problems`` questions each get an unknown tag.
    """
    rng = random.Random(seed)
    (folder / "sources").mkdir(parents=True, exist_ok=True)
    (folder / "questions").mkdir(exist_ok=True)
    texts = {}
    source_lines = []
    for s in range(sources):
        sid = f"src-{s:03d}"
        texts[sid] = _article(rng, source_chars, f"a{s}")
        (folder / "sources" / f"{sid}.txt").write_text(texts[sid], encoding="utf-8")
        source_lines.append(
            f"  - id: {sid}\n    file: sources/{sid}.txt\n    title: Article {s}\n"
            f"    outlet: Bench Wire\n    published: 2024-04-{1 + s % 28:02d}\n"
        )
    per_file = -(-questions // files)
    ids = sorted(texts)
    n = 0
    includes = []
    for f in range(files):
        name = f"questions/part-{f:03d}.yaml"
        includes.append(name)
        chunk = ["# generated by benchmarks/bench_packs.py\nquestions:\n"]
        for _ in range(per_file):
            if n >= questions:
                break
            sid = ids[n % len(ids)] if alternate else ids[n * len(ids) // questions]
            chunk.append(_question(rng, n, sid, texts[sid], bad=n < problems))
            n += 1
        (folder / name).write_text("".join(chunk), encoding="utf-8")
    (folder / "pack.yaml").write_text(
        "id: bench-pack\ntitle: Benchmark pack\nversion: \"1.0\"\n"
        "description: Generated by benchmarks/bench_packs.py.\nlanguage: en\n"
        "sources:\n" + "".join(source_lines) + "include:\n" + "".join(f"  - {i}\n" for i in includes),
        encoding="utf-8",
    )
    return folder


def yaml_files(folder: Path) -> list[Path]:
    return [folder / "pack.yaml", *sorted((folder / "questions").glob("*.yaml"))]


# -- measurements, each in a fresh process --------------------------------------------------


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _measure(kind: str, folder: Path, cache_dir: Path) -> dict[str, float]:
    """Run one measurement in this process (called in a child); returns seconds and MB.

    Imports happen before the clock starts; ``seconds`` is wall time and ``cpu`` the
    process's CPU time (steadier on a busy machine)."""
    import yaml

    from nkstudy.core.packs.discovery import PackPlace, discover
    from nkstudy.core.packs.loader import load_pack

    extra: dict[str, float] = {}
    start, cpu = time.perf_counter(), _cpu()
    if kind == "baseline":
        for path in yaml_files(folder):
            yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
    elif kind == "validate":
        result = load_pack(folder)
        extra["questions"] = len(result.pack.questions) if result.pack else 0
        extra["problems"] = len(result.problems)
    elif kind in ("cache-cold", "cache-warm"):
        found = discover([PackPlace(folder, "bench")], cache_dir=cache_dir)
        extra["questions"] = len(found[0].pack.questions) if found[0].pack else 0
    elif kind == "graph":
        from nkstudy.core.packs.giveaways import build_graph

        result = load_pack(folder)
        assert result.pack is not None
        pack = result.pack
        citations = {s.id: s.citation_line() for s in pack.sources.values()}
        parents = {e.id: e.part_of for e in pack.events if e.part_of is not None}
        from nkstudy.core.packs.loader import paused_gc

        start, cpu = time.perf_counter(), _cpu()
        with paused_gc():  # as inside load_pack, where the graph is built
            graph = build_graph(pack.questions, citations, parents)
        extra["phrases"] = len(graph.phrases)
        extra["postings"] = len(graph.shown_flat)
    elif kind == "report":
        result = load_pack(folder)
        extra["load"] = time.perf_counter() - start
        start, cpu = time.perf_counter(), _cpu()
        with open(os.devnull, "w", encoding="utf-8") as out:
            out.write("\n".join(p.format() for p in result.problems) + "\n")
        extra["problems"] = len(result.problems)
    else:
        raise SystemExit(f"unknown measurement {kind}")
    seconds, cpu = time.perf_counter() - start, _cpu() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "cpu": cpu, "peak_mb": peak_mb, **extra}


def measure(kind: str, folder: Path, cache_dir: Path) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src"))
    proc = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(folder), str(cache_dir)],
        capture_output=True, text=True, env=env, check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def best_of(kind: str, folder: Path, cache_dir: Path, runs: int) -> dict[str, float]:
    results = [measure(kind, folder, cache_dir) for _ in range(runs)]
    best = min(results, key=lambda r: r["seconds"])
    best["cpu"] = min(r["cpu"] for r in results)
    best["peak_mb"] = max(r["peak_mb"] for r in results)
    return best


def cli_validate_seconds(folder: Path) -> tuple[float, int]:
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src"))
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "nkstudy", "validate", str(folder)], capture_output=True, text=True, env=env, check=False
    )
    seconds = time.perf_counter() - start
    return seconds, len(proc.stderr.splitlines())


# What `nkstudy` does (cli.common.Context.launch_app, then tui.app.run_app), but headless, and
# stopped by the pilot once the first screen is up.  perf_counter is the system's monotonic
# clock, so the parent's and the child's readings compare.
_APP_SCRIPT = r"""
import json, sys, time
t0 = time.perf_counter()
from datetime import UTC, datetime
from pathlib import Path
from nkstudy.core.packs.discovery import PackPlace, discover, good_packs
from nkstudy.core.packs.loader import paused_gc
from nkstudy.tui.study.app import NkStudyApp, settle_loaded_packs
t1 = time.perf_counter()
folder, cache_dir, data = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
with paused_gc():
    packs = good_packs(discover([PackPlace(folder, "bench")], cache_dir=cache_dir))
    settle_loaded_packs()
t2 = time.perf_counter()
app = NkStudyApp(packs, data, "bench", lambda: datetime(2025, 3, 1, tzinfo=UTC), problems=[])
shown = {}
async def pilot(p):
    await p.pause()
    shown["t"] = time.perf_counter()
    p.app.exit()
try:
    app.run(headless=True, size=(80, 24), auto_pilot=pilot)
finally:
    close = getattr(app, "close_engine", None)
    if close: close()
print(json.dumps({"started": t0, "imports": t1 - t0, "open": t2 - t1, "screen": shown["t"] - t2,
                  "shown": shown["t"]}))
"""


def app_first_screen(folder: Path, cache_dir: Path, data: Path) -> dict[str, float] | str:
    """Seconds from starting Python to the app's first screen, headless, and its phases.

    ``on_screen`` ends when the first screen is up; ``total`` also counts the app's exit
    and the interpreter's teardown (freeing 100,000 questions), which come after it.
    """
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src"))
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _APP_SCRIPT, str(folder), str(cache_dir), str(data)],
        capture_output=True, text=True, env=env, check=False, timeout=300,
    )
    total = time.perf_counter() - start
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return f"not measured ({tail})"
    phases = json.loads(proc.stdout.strip().splitlines()[-1])
    return {"total": total, "on_screen": phases.pop("shown") - start, "startup": phases.pop("started") - start,
            **phases}


def _row(r: dict[str, float]) -> str:
    return f"{r['seconds']:7.2f} s {r['cpu']:7.2f} s {r['peak_mb']:6.0f} MB"


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "-"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", type=int, default=100_000)
    parser.add_argument("--files", type=int, default=40)
    parser.add_argument("--runs", type=int, default=2, help="runs per measurement; the best time is kept")
    parser.add_argument("--only", choices=["main", "sources", "problems"], action="append")
    parser.add_argument("--keep", metavar="DIR", help="write the packs here and keep them")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, folder, cache_dir = args.child
        print(json.dumps(_measure(kind, Path(folder), Path(cache_dir))))
        return 0

    only = set(args.only or ["main", "sources", "problems"])
    with tempfile.TemporaryDirectory(prefix="nkbench-") as tmp:
        root = Path(args.keep) if args.keep else Path(tmp)
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus, best of {args.runs} runs")
        if "main" in only:
            folder = make_pack(root / "big", args.questions, args.files, sources=40, source_chars=30_000)
            size = sum(p.stat().st_size for p in yaml_files(folder)) / 1e6
            print(f"\n{args.questions:,} questions in {args.files} included files, {size:.1f} MB of YAML, 40 sources")
            cache = root / "cache"
            time.sleep(2.1)  # files this fresh would make the cache compare their contents too
            base = best_of("baseline", folder, cache, args.runs)
            cold = best_of("validate", folder, cache, args.runs)
            graph = best_of("graph", folder, cache, args.runs)
            measure("cache-cold", folder, cache)  # builds the cache
            warm = best_of("cache-warm", folder, cache, args.runs)
            print("                                    wall       cpu      peak   cpu vs baseline")
            print(f"  baseline yaml.load (CSafeLoader) {_row(base)}")
            print(f"  nkstudy cold validate            {_row(cold)}   {_ratio(cold['cpu'], base['cpu'])} (target <= 1.5x)"
                  f"  [{int(cold['questions']):,} questions loaded]")
            without = cold["cpu"] - graph["cpu"]
            print(f"  of which the give-away graph     {graph['seconds']:7.2f} s {graph['cpu']:7.2f} s"
                  f"           +{100 * graph['cpu'] / without:.0f}% on a validate without it (target <= 20%)"
                  f"  [{int(graph['phrases']):,} answer phrases, {int(graph['postings']):,} (phrase, question) hits]")
            print(f"  nkstudy warm open (cache)        {_row(warm)}   {_ratio(warm['cpu'], base['cpu'])} (target <= 0.15x)")
            shown = app_first_screen(folder, cache, root / "appdata")
            if isinstance(shown, dict):
                print(f"  app first screen (cache warm)    {shown['on_screen']:7.2f} s wall (target <= 1.5 s): python"
                      f" start-up {shown['startup']:.2f} s, imports {shown['imports']:.2f} s, opening the pack"
                      f" {shown['open']:.2f} s, app to first screen {shown['screen']:.2f} s; then exit and"
                      f" teardown {shown['total'] - shown['on_screen']:.2f} s")
            else:
                print(f"  app first screen (cache warm)    {shown}")
        if "sources" in only:
            n = max(1000, args.questions // 10)
            print(f"\nsources: {n:,} questions; grouped by source vs alternating between sources")
            for label, count, chars, qs in (
                ("70 sources of 20 kB", 70, 20_000, n),
                ("5 sources of 4.9 MB", 5, 4_900_000, n // 4),
            ):
                grouped = make_pack(root / f"g{count}", qs, 10, count, chars)
                alternating = make_pack(root / f"a{count}", qs, 10, count, chars, alternate=True)
                g = best_of("validate", grouped, root / "c", args.runs)
                a = best_of("validate", alternating, root / "c", args.runs)
                text_mb = count * chars / 1e6
                print(f"  {label} ({qs:,} questions, {text_mb:.1f} MB of text):")
                print(f"    grouped      {_row(g)}")
                print(f"    alternating  {_row(a)}   {_ratio(a['cpu'], g['cpu'])} grouped")
        if "problems" in only:
            folder = make_pack(root / "bad", 50_000, 40, 40, 30_000, problems=50_000)
            rep = measure("report", folder, root / "c")
            seconds, lines = cli_validate_seconds(folder)
            print("\n50,000 problems: a pack of 50,000 questions, each with an unknown tag")
            print(f"  formatting and writing the {int(rep['problems']):,} problem lines: {rep['seconds']:.2f} s wall,"
                  f" {rep['cpu']:.2f} s cpu (target <= 2 s); loading the pack before that: {rep['load']:.2f} s")
            print(f"  `nkstudy validate` end to end: {seconds:.2f} s wall, {lines:,} lines on stderr")
    return 0


if __name__ == "__main__":
    sys.exit(main())
