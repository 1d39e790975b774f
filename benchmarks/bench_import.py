"""Time and peak memory of `nkstudy import` on a large spreadsheet.

Writes a CSV of about --megabytes MB (prompt, answer, tags; quoted cells with commas,
some multi-line cells, as Excel writes them), imports it into a new pack folder in a
child process, and prints the wall time (with the load average: the machine is shared), the
child's CPU time and peak resident memory, the number of questions, the files written and
whether the pack validates.

    PYTHONPATH=src python benchmarks/bench_import.py              # 45 MB
    PYTHONPATH=src python benchmarks/bench_import.py --megabytes 5
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = (
    "river bridge capital treaty summit delegation province harbour railway minister meeting "
    "visit envoy province border garden temple market festival language mountain island"
).split()


def write_csv(path: Path, megabytes: float, seed: int = 7) -> int:
    rnd = random.Random(seed)
    target = int(megabytes * 1024 * 1024)
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(["Question", "Answer", "Tags"])
        while fh.tell() < target:
            rows += 1
            words = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(6, 14)))
            prompt = f"{rows}. Which {words}, in the year {1900 + rows % 120}?"
            answer = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(1, 4))).title()
            if rows % 50 == 0:
                answer += ",\nthen " + rnd.choice(WORDS)
            writer.writerow([prompt, answer, f"set{rows % 40} {rnd.choice(WORDS)}"])
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=45.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "big.csv"
        rows = write_csv(src, args.megabytes)
        size = src.stat().st_size
        dest = Path(tmp) / "pack"
        env = {**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", "src")}
        load_before = os.getloadavg()[0]
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "nkstudy", "import", str(src), "--to", str(dest)],
            capture_output=True,
            text=True,
            env=env,
        )
        took = time.perf_counter() - start
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak_kb, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
        load_after = os.getloadavg()[0]
        files = sorted(dest.rglob("*.yaml")) if dest.exists() else []
        biggest = max((f.stat().st_size for f in files), default=0)
        check = subprocess.run(
            [sys.executable, "-m", "nkstudy", "validate", "-q", str(dest)], capture_output=True, text=True, env=env
        )
        print(f"input        {size / 1024 / 1024:.1f} MB, {rows:,} rows")
        print(f"exit status  {done.returncode}  {done.stdout.strip()[-100:]}")
        if done.returncode:
            print("stderr      ", done.stderr.strip().splitlines()[-3:])
        print(f"wall time    {took:.1f} s (load average {load_before:.1f} before, {load_after:.1f} after)")
        print(f"CPU time     {cpu:.1f} s (user and system, the import process)")
        print(f"peak memory  {peak_kb / 1024:.0f} MB (the import process)")
        print(f"files        {len(files)} YAML files, the largest {biggest / 1024 / 1024:.2f} MB")
        print(f"validate     exit {check.returncode}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
