"""The pack cache: a hit gives the same pack as loading the files; any edit to any
file of the pack invalidates it; a corrupt, truncated or foreign entry is rebuilt;
two processes building it at once leave a good entry."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from nkstudy.core.packs import cache
from nkstudy.core.packs.cache import cached_load, entry_path, read_entry, write_entry
from nkstudy.core.packs.discovery import PackPlace, discover
from nkstudy.core.packs.loader import load_pack
from nkstudy.paths import builtin_pack_dir
from packfactory import ARTICLE, PACK_YAML, QUESTIONS_YAML, write_pack


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    pack_yaml = PACK_YAML.replace("include:\n  - questions.yaml\n", "include:\n  - questions.yaml\n  - more.yaml\n")
    folder = write_pack(tmp_path / "pack", pack_yaml=pack_yaml)
    (folder / "more.yaml").write_text("# by Kim\nquestions: []\ninclude:\n  - deep/last.yaml\n", encoding="utf-8")
    (folder / "deep").mkdir()
    (folder / "deep" / "last.yaml").write_text(
        "questions:\n  - id: q-last\n    type: truefalse\n    prompt: Last?\n    answer: false\n", encoding="utf-8"
    )
    return folder


def test_a_hit_is_the_same_pack_as_loading_the_files(pack: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    assert read_entry(pack, cache_dir) is None
    first = cached_load(pack, cache_dir)
    assert first.ok and first.pack is not None
    hit = read_entry(pack, cache_dir)
    assert hit is not None and hit.pack is not None
    fresh = load_pack(pack).pack
    assert hit.pack == fresh
    assert hit.pack.question("q-multi").answer == frozenset({"Kim Jong Un", "Choe Ryong Hae"})
    assert hit.pack.question("q-last").source is None
    assert hit.pack.sources["art"].published == fresh.sources["art"].published  # type: ignore[union-attr]
    names = {Path(s.path).name for s in hit.files}
    assert names == {"pack.yaml", "questions.yaml", "more.yaml", "last.yaml", "art.txt"}


def test_the_entry_is_plain_json(pack: Path, tmp_path: Path) -> None:
    cached_load(pack, tmp_path / "cache")
    data = json.loads(entry_path(pack, tmp_path / "cache").read_bytes())
    assert data["kind"] == "nkstudy-pack-cache" and data["folder"] == os.path.realpath(pack)


def test_the_builtin_pack_round_trips(tmp_path: Path) -> None:
    folder = builtin_pack_dir() / "nk-china-visits"
    cached_load(folder, tmp_path / "cache")
    hit = read_entry(folder, tmp_path / "cache")
    assert hit is not None and hit.pack == load_pack(folder).pack


@pytest.mark.parametrize("name", ["pack.yaml", "questions.yaml", "more.yaml", "deep/last.yaml", "sources/art.txt"])
def test_any_edit_to_any_file_invalidates(pack: Path, tmp_path: Path, name: str) -> None:
    cache_dir = tmp_path / "cache"
    cached_load(pack, cache_dir)
    assert read_entry(pack, cache_dir) is not None
    path = pack / name
    text = path.read_text(encoding="utf-8")
    # same size, written at once: only the content (or ctime) tells the edit apart
    edited = text.replace("Last?", "Lost?") if "Last?" in text else text.replace("Kim", "Kom", 1)
    assert edited != text and len(edited) == len(text)
    path.write_text(edited, encoding="utf-8")
    assert read_entry(pack, cache_dir) is None
    result = cached_load(pack, cache_dir)
    assert result.pack == load_pack(pack).pack
    assert read_entry(pack, cache_dir) is not None


def test_a_quick_edit_that_keeps_size_and_times_is_caught_by_content(pack: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    cached_load(pack, cache_dir)
    entry = json.loads(entry_path(pack, cache_dir).read_bytes())
    # forge the stamps to match an edited file exactly (size, mtime, ctime, inode):
    # the file is fresh, so the cache also compares its content and refuses it
    path = pack / "deep" / "last.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Last?", "Lost?"), encoding="utf-8")
    st = path.stat()
    for row in entry["files"]:
        if row[0] == str(path):
            row[1:5] = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
    entry_path(pack, cache_dir).write_text(json.dumps(entry), encoding="ascii")
    assert read_entry(pack, cache_dir) is None
    assert cached_load(pack, cache_dir).pack.question("q-last").prompt == "Lost?"  # type: ignore[union-attr]


def test_a_removed_file_invalidates(pack: Path, tmp_path: Path) -> None:
    cached_load(pack, tmp_path / "cache")
    (pack / "deep" / "last.yaml").unlink()
    assert read_entry(pack, tmp_path / "cache") is None
    result = cached_load(pack, tmp_path / "cache")
    assert not result.ok and any("not found" in p.message for p in result.problems)


def _corrupt(path: Path, how: str) -> None:
    raw = path.read_bytes()
    if how == "garbage":
        path.write_bytes(b"\x00\xff not json at all")
    elif how == "truncated":
        path.write_bytes(raw[: len(raw) // 2])
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "other-json":
        path.write_text('{"hello": "world"}', encoding="ascii")
    elif how == "wrong-version":
        data = json.loads(raw)
        data["nkstudy"] = "0.0.0-other"
        path.write_text(json.dumps(data), encoding="ascii")
    elif how == "wrong-types":
        data = json.loads(raw)
        data["pack"]["questions"][0][2] = {"x": 1}
        path.write_text(json.dumps(data), encoding="ascii")
    elif how == "unknown-type":
        data = json.loads(raw)
        data["pack"]["questions"][0][0] = "nosuchtype"
        path.write_text(json.dumps(data), encoding="ascii")
    elif how == "fifo":
        path.unlink()
        os.mkfifo(path)
    elif how == "pickle":
        import pickle

        path.write_bytes(pickle.dumps({"kind": "nkstudy-pack-cache"}))
    else:
        raise AssertionError(how)


@pytest.mark.parametrize(
    "how",
    ["garbage", "truncated", "empty", "other-json", "wrong-version", "wrong-types", "unknown-type", "fifo", "pickle"],
)
def test_a_bad_entry_is_ignored_and_rebuilt(pack: Path, tmp_path: Path, how: str) -> None:
    cache_dir = tmp_path / "cache"
    cached_load(pack, cache_dir)
    _corrupt(entry_path(pack, cache_dir), how)
    assert read_entry(pack, cache_dir) is None
    result = cached_load(pack, cache_dir)
    assert result.ok and result.pack == load_pack(pack).pack
    assert read_entry(pack, cache_dir) is not None  # rebuilt (a FIFO, never opened, is renamed over)


def test_an_entry_of_another_folder_is_foreign(pack: Path, tmp_path: Path) -> None:
    other = write_pack(tmp_path / "other")
    cache_dir = tmp_path / "cache"
    cached_load(other, cache_dir)
    entry_path(pack, cache_dir).write_bytes(entry_path(other, cache_dir).read_bytes())
    assert read_entry(pack, cache_dir) is None
    assert cached_load(pack, cache_dir).pack.question("q-last")  # type: ignore[union-attr]


def test_packs_with_problems_are_not_cached(tmp_path: Path) -> None:
    bad = write_pack(tmp_path / "bad", questions_yaml=QUESTIONS_YAML.replace("answer: Pyongyang", "answer: Mars"))
    result = cached_load(bad, tmp_path / "cache")
    assert not result.ok
    assert not entry_path(bad, tmp_path / "cache").exists()


def test_an_unwritable_cache_folder_is_not_an_error(pack: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    result = cached_load(pack, blocker / "cache")
    assert result.ok
    assert write_entry(result, blocker / "cache") is False


_BUILD = """
import sys
from pathlib import Path
from nkstudy.core.packs.cache import cached_load
for _ in range(int(sys.argv[3])):
    assert cached_load(Path(sys.argv[1]), Path(sys.argv[2])).ok
"""


def test_two_processes_building_at_once_leave_a_good_entry(tmp_path: Path) -> None:
    folder = tmp_path / "big"
    big_article = ARTICLE * 2000  # a larger entry, so that the writes overlap
    write_pack(folder, sources={"sources/art.txt": big_article})
    cache_dir = tmp_path / "cache"
    procs = [
        subprocess.Popen([sys.executable, "-c", _BUILD, str(folder), str(cache_dir), "1"]) for _ in range(2)
    ]
    assert [p.wait(timeout=30) for p in procs] == [0, 0]
    hit = read_entry(folder, cache_dir)
    assert hit is not None and hit.pack == load_pack(folder).pack
    assert [p.name for p in cache_dir.iterdir()] == [entry_path(folder, cache_dir).name]  # no temporary files left


def test_discover_with_and_without_cache_agree(pack: Path, tmp_path: Path) -> None:
    places = [PackPlace(builtin_pack_dir(), "built-in"), PackPlace(pack, "--packs")]
    plain = discover(places)
    cold = discover(places, cache_dir=tmp_path / "cache")
    warm = discover(places, cache_dir=tmp_path / "cache")
    assert [f.pack for f in plain] == [f.pack for f in cold] == [f.pack for f in warm]
    assert len(list((tmp_path / "cache").iterdir())) == 2


def test_schema_fingerprint_is_stable() -> None:
    assert cache.schema_fingerprint() == cache.schema_fingerprint()
    assert len(cache.schema_fingerprint()) == 16
