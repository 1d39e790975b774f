"""Whatever a pack folder holds, `nkstudy validate` answers with one-line problems
naming the file, within seconds, and `nkstudy packs --json` still lists every
other pack.  Each case runs the real command line in a subprocess with a timeout,
on real files in tmp_path (special files included)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from packfactory import PACK_YAML, QUESTIONS_YAML, write_pack

TIMEOUT = 5


def run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, NKSTUDY_HOME=str(tmp_path / "home"), NO_COLOR="1", COLUMNS="200")
    env.pop("NKSTUDY_PACKS", None)
    return subprocess.run(
        [sys.executable, "-m", "nkstudy", *args],
        capture_output=True, text=True, timeout=TIMEOUT, env=env, check=False,
    )


def _pack(folder: Path, pack_id: str, pack_yaml: str = PACK_YAML, questions: str | None = QUESTIONS_YAML) -> Path:
    return write_pack(folder, pack_yaml=pack_yaml.replace("id: test-pack", f"id: {pack_id}"), questions_yaml=questions)


def _replace(path: Path, make: Callable[[Path], None]) -> None:
    if path.is_symlink() or path.exists():
        path.unlink()
    make(path)


def source_symlink_loop(folder: Path) -> None:
    _replace(folder / "sources" / "art.txt", lambda p: p.symlink_to("art.txt"))


def include_symlink_loop(folder: Path) -> None:
    (folder / "questions.yaml").unlink()
    (folder / "questions.yaml").symlink_to("loop-b.yaml")
    (folder / "loop-b.yaml").symlink_to("questions.yaml")


def folder_on_the_way_loops(folder: Path) -> None:
    (folder / "sources" / "art.txt").unlink()
    (folder / "sources").rmdir()
    (folder / "sources").symlink_to("sources")


def pack_yaml_symlink_loop(folder: Path) -> None:
    _replace(folder / "pack.yaml", lambda p: p.symlink_to("pack.yaml"))


def _edit_pack_yaml(folder: Path, old: str, new: str) -> None:
    path = folder / "pack.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def nul_in_source_name(folder: Path) -> None:
    _edit_pack_yaml(folder, "file: sources/art.txt", 'file: "sources/a\\0rt.txt"')


def nul_in_include_name(folder: Path) -> None:
    _edit_pack_yaml(folder, "  - questions.yaml", '  - "questions\\0.yaml"')


def source_name_too_long(folder: Path) -> None:
    _edit_pack_yaml(folder, "file: sources/art.txt", f"file: sources/{'a' * 300}.txt")


def include_path_too_long(folder: Path) -> None:
    _edit_pack_yaml(folder, "  - questions.yaml", "  - " + "/".join(["d" * 200] * 30) + "/q.yaml")


def source_is_fifo(folder: Path) -> None:
    _replace(folder / "sources" / "art.txt", os.mkfifo)


def include_is_fifo(folder: Path) -> None:
    _replace(folder / "questions.yaml", os.mkfifo)


def pack_yaml_is_fifo(folder: Path) -> None:
    _replace(folder / "pack.yaml", os.mkfifo)


def source_is_socket(folder: Path) -> None:
    _replace(folder / "sources" / "art.txt", lambda p: os.mknod(p, stat.S_IFSOCK | 0o600))


def source_is_device(folder: Path) -> None:
    try:
        _replace(folder / "sources" / "art.txt", lambda p: os.mknod(p, stat.S_IFCHR | 0o600, os.makedev(1, 3)))
    except PermissionError:
        pytest.skip("creating a device node needs privileges here")


def source_is_folder(folder: Path) -> None:
    _replace(folder / "sources" / "art.txt", lambda p: p.mkdir())


def _sparse(size: int) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        subprocess.run(["truncate", "-s", str(size), str(path)], check=True)

    return make


def source_sparse_3gb(folder: Path) -> None:
    _replace(folder / "sources" / "art.txt", _sparse(3 * 1024**3))


def include_sparse_3gb(folder: Path) -> None:
    _replace(folder / "questions.yaml", _sparse(3 * 1024**3))


def pack_yaml_sparse_3gb(folder: Path) -> None:
    _replace(folder / "pack.yaml", _sparse(3 * 1024**3))


def source_just_over_limit(folder: Path) -> None:
    (folder / "sources" / "art.txt").write_bytes(b"a" * (5 * 1024 * 1024 + 1))


def includes_itself(folder: Path) -> None:
    (folder / "questions.yaml").write_text(QUESTIONS_YAML + "include:\n  - questions.yaml\n", encoding="utf-8")


def includes_pack_yaml(folder: Path) -> None:
    (folder / "questions.yaml").write_text(QUESTIONS_YAML + "include:\n  - pack.yaml\n", encoding="utf-8")


def pack_yaml_includes_itself(folder: Path) -> None:
    _edit_pack_yaml(folder, "  - questions.yaml\n", "  - questions.yaml\n  - ./pack.yaml\n")


def include_cycle_of_two(folder: Path) -> None:
    (folder / "questions.yaml").write_text(QUESTIONS_YAML + "include:\n  - more.yaml\n", encoding="utf-8")
    (folder / "more.yaml").write_text("questions: []\ninclude:\n  - questions.yaml\n", encoding="utf-8")


# name -> (how to break the pack, the file the problem must name, a phrase it must hold)
CASES: dict[str, tuple[Callable[[Path], None], str, str]] = {
    "source-symlink-loop": (source_symlink_loop, "sources/art.txt", "symlink loop"),
    "include-symlink-loop": (include_symlink_loop, "questions.yaml", "symlink loop"),
    "folder-on-the-way-loops": (folder_on_the_way_loops, "sources/art.txt", "symlink loop"),
    "pack-yaml-symlink-loop": (pack_yaml_symlink_loop, "pack.yaml", "symlink loop"),
    "nul-in-source-name": (nul_in_source_name, "sources/a\\x00rt.txt", "NUL byte"),
    "nul-in-include-name": (nul_in_include_name, "questions\\x00.yaml", "NUL byte"),
    "source-name-too-long": (source_name_too_long, "sources/aaaa", "name too long"),
    "include-path-too-long": (include_path_too_long, "dddd/dddd", "name too long"),
    "source-is-fifo": (source_is_fifo, "sources/art.txt", "named pipe (FIFO)"),
    "include-is-fifo": (include_is_fifo, "questions.yaml", "named pipe (FIFO)"),
    "pack-yaml-is-fifo": (pack_yaml_is_fifo, "pack.yaml", "named pipe (FIFO)"),
    "source-is-socket": (source_is_socket, "sources/art.txt", "is a socket"),
    "source-is-device": (source_is_device, "sources/art.txt", "is a device"),
    "source-is-folder": (source_is_folder, "sources/art.txt", "is a folder"),
    "source-sparse-3gb": (source_sparse_3gb, "sources/art.txt", "larger than 5 MB"),
    "include-sparse-3gb": (include_sparse_3gb, "questions.yaml", "larger than 5 MB"),
    "pack-yaml-sparse-3gb": (pack_yaml_sparse_3gb, "pack.yaml", "larger than 5 MB"),
    "source-just-over-limit": (source_just_over_limit, "sources/art.txt", "larger than 5 MB"),
    "includes-itself": (includes_itself, "questions.yaml:", "include cycle: questions.yaml → questions.yaml"),
    "includes-pack-yaml": (
        includes_pack_yaml, "questions.yaml:", "include cycle: pack.yaml → questions.yaml → pack.yaml"
    ),
    "pack-yaml-includes-itself": (pack_yaml_includes_itself, "pack.yaml:", "include cycle: pack.yaml → ./pack.yaml"),
    "include-cycle-of-two": (
        include_cycle_of_two, "more.yaml:", "include cycle: questions.yaml → more.yaml → questions.yaml"
    ),
}


def _broken(folder: Path, name: str) -> Path:
    make, _, _ = CASES[name]
    _pack(folder, "p-" + name)
    make(folder)
    return folder


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_file_is_one_problem_line_naming_the_file(tmp_path: Path, name: str) -> None:
    folder = _broken(tmp_path / name, name)
    _, names_file, phrase = CASES[name]
    proc = run(["validate", str(folder)], tmp_path)  # TimeoutExpired past 5 s: nothing may block
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    hits = [line for line in lines if phrase in line]
    assert hits, lines
    assert all(line.startswith(str(folder) + "/") for line in hits), hits  # file:line: what, in this pack
    assert any(names_file in line for line in hits), hits
    assert lines[-1].endswith("problem" if len(lines) == 2 else "problems"), lines


def test_packs_json_lists_every_pack_next_to_broken_ones(tmp_path: Path) -> None:
    place = tmp_path / "place"
    for name in CASES:
        if name == "source-is-device":
            continue  # may need privileges; its own test covers it
        _broken(place / name, name)
    _pack(place / "zz-good", "zz-good")
    proc = run(["packs", "--json", "--packs", str(place)], tmp_path)
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    by_path = {Path(r["path"]).name: r for r in rows}
    builtin = [r for r in rows if r["id"] == "nk-china-visits"]
    assert builtin and builtin[0]["ok"] is True
    assert by_path["zz-good"]["ok"] is True
    for name, (_, _, phrase) in CASES.items():
        if name == "source-is-device":
            continue
        row = by_path[name]
        assert row["ok"] is False, name
        assert any(phrase in p for p in row["problems"]), (name, row["problems"])
        assert all("\n" not in p for p in row["problems"])


def test_validate_targets_that_are_not_folders(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    loop = tmp_path / "loop"
    loop.symlink_to("loop")
    proc = run(["validate", str(fifo), str(loop), "/" + "x" * 5000, str(tmp_path / "nope")], tmp_path)
    assert proc.returncode == 2  # a path that does not exist is a usage error, and wins over problems
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 4, lines
    assert "named pipe (FIFO)" in lines[0]
    assert "symlink loop" in lines[1]
    assert "name too long" in lines[2]
    assert "no such file or folder" in lines[3]


def test_a_fifo_or_loop_among_pack_folders_does_not_block_discovery(tmp_path: Path) -> None:
    place = tmp_path / "place"
    _pack(place / "good", "good-pack")
    os.mkfifo(place / "a-fifo")
    (place / "a-loop").symlink_to("a-loop")
    os.mknod(place / "a-socket", stat.S_IFSOCK | 0o600)
    proc = run(["packs", "--json", "--packs", str(place)], tmp_path)
    assert proc.returncode == 0, proc.stderr
    ids = {r["id"]: r["ok"] for r in json.loads(proc.stdout)}
    assert ids["good-pack"] is True and ids["nk-china-visits"] is True


def test_include_of_an_include_is_read(tmp_path: Path) -> None:
    folder = _pack(tmp_path / "p", "nested", questions=QUESTIONS_YAML.replace("  - id: q-cloze", "  - id: q-cloze0"))
    (folder / "questions.yaml").write_text(
        QUESTIONS_YAML.split("  - id: q-cloze")[0] + "include:\n  - more/cloze.yaml\n", encoding="utf-8"
    )
    (folder / "more").mkdir()
    (folder / "more" / "cloze.yaml").write_text(
        "questions:\n  - id: q-cloze" + QUESTIONS_YAML.split("  - id: q-cloze")[1], encoding="utf-8"
    )
    proc = run(["validate", str(folder)], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "6 questions" in proc.stdout


def test_a_file_included_twice_is_a_problem(tmp_path: Path) -> None:
    folder = _pack(tmp_path / "p", "twice")
    _edit_pack_yaml(folder, "  - questions.yaml\n", "  - questions.yaml\n  - ./questions.yaml\n")
    proc = run(["validate", str(folder)], tmp_path)
    assert proc.returncode == 1
    assert "included file './questions.yaml' is already included by pack.yaml:" in proc.stderr
