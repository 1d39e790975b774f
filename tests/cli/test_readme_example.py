"""The piped examples in the README and the docs, run as written against a fresh data folder,
print what they say (and the same on a second fresh run): the questions they answer are the ones
they get."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [ROOT / "README.md", ROOT / "docs" / "studying.md"]


def examples() -> list[tuple[str, str, list[str]]]:
    """(document, command, documented output) for every marked piped example."""
    out = []
    for path in DOCUMENTS:
        blocks = re.findall(r"<!-- piped-example[^>]*-->\n```\n(.*?)```", path.read_text(encoding="utf-8"), re.S)
        assert blocks, f"{path.name}'s piped example is gone"
        for block in blocks:
            lines = block.splitlines()
            assert lines[0].startswith("$ ")
            out.append((path.name, lines[0][2:], lines[1:]))
    return out


def run(command: str, data: Path) -> str:
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "NKSTUDY_HOME": str(data), "NO_COLOR": "1", "PATH": bin_dir + os.pathsep + os.environ["PATH"]}
    env.pop("NKSTUDY_PACKS", None)
    env.pop("NKSTUDY_PROFILE", None)
    done = subprocess.run(["bash", "-c", command], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize(("document", "command", "documented"), examples(), ids=lambda v: str(v)[:20])
def test_a_piped_example_gives_the_documented_output(tmp_path: Path, document: str, command: str,
                                                    documented: list[str]) -> None:
    out = run(command, tmp_path / "one")
    got = out.splitlines()
    at = 0
    for line in documented:
        if line == "…":
            continue
        if line.startswith("Answered "):  # the time taken may differ on a slow machine
            line = line.split("; time ")[0]
            found = next((i for i in range(at, len(got)) if got[i].startswith(line)), None)
        else:
            found = next((i for i in range(at, len(got)) if got[i] == line), None)
        assert found is not None, f"{document} line not printed (in order): {line!r}\n{out}"
        at = found + 1
    def timeless(text: str) -> str:
        return re.sub(r"; time \S+\.", "", text)

    assert timeless(out) == timeless(run(command, tmp_path / "two"))
    # not a terminal: no line is wrapped at 80 columns, none ends in a space
    assert any(len(line) > 80 for line in got)
    assert all(line == line.rstrip() for line in got)
