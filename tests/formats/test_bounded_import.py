"""Import is bounded and safe: regular files only, decompression within a budget, damaged
archives and control characters as one line each, never a traceback or a broken pack on disk."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from formatkit import BUILTIN, REPO

from nkstudy.cli import main
from nkstudy.core.packs.loader import load_pack

ENV = {**os.environ, "PYTHONPATH": str(REPO / "src")}


def _run(*args: str, timeout: float = 30) -> tuple[int, str, float]:
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "nkstudy", *args], capture_output=True, text=True, timeout=timeout, env=ENV
    )
    return done.returncode, done.stderr, time.monotonic() - start


def _one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_device_is_refused_at_once(tmp_path: Path) -> None:
    code, err, took = _run("import", "/dev/zero", "--format", "csv", "--to", str(tmp_path / "p"))
    assert code == 1 and took < 10
    assert _one_line(err).startswith("nkstudy: /dev/zero: ") and "device" in err
    assert not (tmp_path / "p").exists()


@pytest.mark.parametrize("fmt", ["csv", "auto"])
def test_a_fifo_named_csv_is_refused_without_blocking(tmp_path: Path, fmt: str) -> None:
    fifo = tmp_path / ("x.csv" if fmt == "csv" else "x")
    os.mkfifo(fifo)
    code, err, took = _run("import", str(fifo), "--format", fmt, "--to", str(tmp_path / "p"), timeout=20)
    assert code == 1 and took < 10
    assert str(fifo) in _one_line(err) and "FIFO" in err


def _zip(path: Path, members: dict[str, bytes], method: int = zipfile.ZIP_STORED) -> Path:
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_an_anki21b_zstd_bomb_stops_with_one_line_quickly(tmp_path: Path) -> None:
    zstandard = pytest.importorskip("zstandard")
    squeezer = zstandard.ZstdCompressor(level=1).compressobj()
    bomb = bytearray()
    zeros = bytes(1 << 24)
    for _ in range(128):  # 2 GB of zeros
        bomb += squeezer.compress(zeros)
    bomb += squeezer.flush()
    assert len(bomb) < 200_000
    apkg = _zip(tmp_path / "bomb.apkg", {"collection.anki21b": bytes(bomb), "media": b"{}"})
    assert apkg.stat().st_size < 300_000
    code, err, took = _run("import", str(apkg), "--to", str(tmp_path / "p"), timeout=60)
    assert code == 1 and took < 15, (took, err)
    assert "collection.anki21b" in _one_line(err)
    assert not (tmp_path / "p").exists()


def test_a_zip_member_claiming_too_much_is_not_unpacked(tmp_path: Path) -> None:
    apkg = _zip(tmp_path / "big.apkg", {"collection.anki21": bytes(64 * 1024 * 1024)}, zipfile.ZIP_DEFLATED)
    assert apkg.stat().st_size < 1_000_000  # 64 MB of zeros deflate to ~64 KB: a ratio of ~1000
    code, err, _ = _run("import", str(apkg), "--to", str(tmp_path / "p"))
    assert code == 1 and "collection.anki21" in _one_line(err)


def _real_apkg(tmp_path: Path) -> Path:
    out = tmp_path / "real.apkg"
    assert main(["export", str(BUILTIN), "--format", "apkg", "-o", str(out)]) == 0
    return out


def test_damaged_archives_give_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stored = _real_apkg(tmp_path)
    capsys.readouterr()
    with zipfile.ZipFile(stored) as archive:  # as Anki itself writes it: deflated
        members = {name: archive.read(name) for name in archive.namelist()}
    real = _zip(tmp_path / "deflated.apkg", members, zipfile.ZIP_DEFLATED)
    assert main(["import", str(real), "--to", str(tmp_path / "fine")]) == 0
    capsys.readouterr()
    raw = real.read_bytes()
    with zipfile.ZipFile(real) as archive:
        info = archive.getinfo("collection.anki2")
        assert info.compress_type == zipfile.ZIP_DEFLATED
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    damaged: dict[str, bytes] = {
        # the deflate stream garbled in its middle: zlib fails (or the CRC does)
        "bad-zlib.apkg": raw[: start + 40] + bytes(b ^ 0x5A for b in raw[start + 40 : start + 4000])
        + raw[start + 4000 :],
        "truncated.apkg": raw[: len(raw) // 2],
        "not-a-zip.apkg": b"PK\x03\x04" + b"\x00" * 100,
    }
    zstd_bad = _zip(tmp_path / "bad-zstd.apkg", {"collection.anki21b": b"\x28\xb5\x2f\xfd" + b"garbage" * 50})
    damaged["bad-zstd.apkg"] = zstd_bad.read_bytes()
    sqlite_bad = _zip(tmp_path / "bad-sqlite.apkg", {"collection.anki21": b"SQLite format 3\x00" + b"\x01" * 500})
    damaged["bad-sqlite.apkg"] = sqlite_bad.read_bytes()
    for name, data in damaged.items():
        path = tmp_path / name
        path.write_bytes(data)
        dest = tmp_path / ("out-" + name)
        assert main(["import", str(path), "--to", str(dest)]) == 1, name
        err = capsys.readouterr().err
        assert str(path) in _one_line(err), name
        assert not dest.exists(), name


def test_control_characters_are_refused_one_line_per_field_and_the_rest_imports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gift = tmp_path / "colours.gift"
    gift.write_text(
        "::red:: Which colour is \x1b[31mred\x1b[0m? {=red ~blue #\x1b]8;;x\x07}\n\n"
        "::fine:: Which colour is the sky? {=blue ~red}\n",
        encoding="utf-8",
    )
    dest = tmp_path / "p"
    assert main(["import", str(gift), "--to", str(dest)]) == 0
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err
    refused = [line for line in err.splitlines() if "control character" in line]
    assert len(refused) == 2 and all(f"{gift}:1:" in line for line in refused), err
    assert any("prompt" in line for line in refused)
    loaded = load_pack(dest)
    assert loaded.ok and loaded.pack is not None
    assert [q.id for q in loaded.pack.questions] == ["fine"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_large_import_is_split_into_included_files_under_the_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from nkstudy.core.packs.safeyaml import MAX_BYTES

    sheet = tmp_path / "big.csv"
    with sheet.open("w", encoding="utf-8", newline="") as fh:
        fh.write("Front,Back\r\n")
        for n in range(40_000):
            fh.write(f'"{n}. What is the word for the thing number {n} in the long list, and why?",Answer {n}\r\n')
    dest = tmp_path / "p"
    assert main(["import", str(sheet), "--to", str(dest)]) == 0
    files = sorted((dest / "questions").glob("*.yaml"))
    assert len(files) >= 2
    assert all(f.stat().st_size < MAX_BYTES for f in files)
    loaded = load_pack(dest)
    assert loaded.ok and loaded.pack is not None and len(loaded.pack.questions) == 40_000
    assert "imported 40000 questions" in capsys.readouterr().out
