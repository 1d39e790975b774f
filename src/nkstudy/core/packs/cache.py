"""The pack cache: a loaded pack kept as plain JSON, so that opening a large
pack again costs a JSON read instead of a full validation.

One file per pack folder, in a cache folder the caller passes in (the app and
the CLI give ``<data dir>/cache``).  An entry is used only when all of these
still hold:

- it is a well-formed entry of this format, written by this nkstudy version for
  this pack folder and for the same question types and fields;
- every file the loader read (pack.yaml, included files, sources) still has the
  same path, size, mtime (ns), ctime (ns) and inode; a file changed within two
  seconds of the entry being written is also compared by its SHA-256, since a
  quick edit can keep the same size and timestamp.

Anything else (a missing, corrupt, truncated or foreign file, a wrong type
anywhere in it) is ignored and the pack is loaded from its files, never
trusted and never a crash.  Only packs without problems are cached.  Entries
are written to a temporary file and renamed into place, so two processes
building the same entry at once leave one whole entry.  Never pickle: the data
folder may be shared, and loading a pickle runs code.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from nkstudy import __version__
from nkstudy.core.model import QUESTION_TYPES, Event, Pack, PackInfo, PartialDate, Source
from nkstudy.core.packs.giveaways import GiveAwayGraph
from nkstudy.core.packs.loader import LoadResult, load_pack, paused_gc
from nkstudy.core.packs.safeyaml import FileProblem, FileStamp, read_file, safe_stat

FORMAT = 2  # 2: the give-away graph is kept with the pack
KIND = "nkstudy-pack-cache"
#: An entry larger than this is not read (a 100,000-question pack takes about 40 MB).
MAX_CACHE_BYTES = 512 * 1024 * 1024
#: Files modified this close to the entry's own write are also compared by content.
RACY_NS = 2_000_000_000


class _Bad(Exception):
    """The entry cannot be used."""


def schema_fingerprint() -> str:
    """Changes whenever a model class gains, loses or renames a field."""
    parts = []
    for cls in (PackInfo, Source, Event, *QUESTION_TYPES.values()):
        name = getattr(cls, "type_name", "") or cls.__name__
        parts.append(name + ":" + ",".join(f.name for f in dataclasses.fields(cls)))
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def entry_path(folder: Path, cache_dir: Path) -> Path:
    """Where the entry for the pack in ``folder`` lives."""
    key = hashlib.sha256(os.fsencode(os.path.realpath(folder))).hexdigest()[:32]
    return Path(cache_dir) / f"pack-{key}.json"


def cached_load(folder: Path, cache_dir: Path) -> LoadResult:
    """The pack in ``folder``, from the cache when its entry is still good, else
    loaded from its files (and the entry written when the pack has no problems).

    Gives the same result as :func:`nkstudy.core.packs.loader.load_pack` would.
    """
    with paused_gc():
        hit, racy = _read_entry(folder, cache_dir)
        if hit is not None:
            if racy:
                write_entry(hit, cache_dir)  # a later entry: its files will no longer look racy
            return hit
        result = load_pack(folder)
        if result.ok:
            write_entry(result, cache_dir)
        return result


def read_entry(folder: Path, cache_dir: Path) -> LoadResult | None:
    """The cached load of ``folder`` when its entry is present and still good, else None."""
    with paused_gc():
        return _read_entry(folder, cache_dir)[0]


def _read_entry(folder: Path, cache_dir: Path) -> tuple[LoadResult | None, bool]:
    path = entry_path(folder, cache_dir)
    try:
        raw, stamp = read_file(path, limit=MAX_CACHE_BYTES)
    except FileProblem:
        return None, False
    racy: list[bool] = []
    try:
        data = json.loads(raw)
        return _decode_entry(data, Path(folder), stamp.mtime_ns, racy), bool(racy)
    except (_Bad, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None, False


def write_entry(result: LoadResult, cache_dir: Path) -> bool:
    """Write the cache entry for a loaded pack; False when it could not be written
    (a read-only data folder is not an error: the pack just loads from its files)."""
    if result.pack is None or not result.ok:
        return False
    entry = {
        "kind": KIND,
        "format": FORMAT,
        "nkstudy": __version__,
        "schema": schema_fingerprint(),
        "folder": os.path.realpath(result.path),
        "files": [dataclasses.astuple(s) for s in result.files],
        "pack": _encode_pack(result.pack),
    }
    target = entry_path(result.path, cache_dir)
    tmp = None
    try:
        Path(cache_dir).mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=target.name + ".", suffix=".tmp", dir=cache_dir)
        with os.fdopen(fd, "w", encoding="ascii") as out:
            json.dump(entry, out, separators=(",", ":"))
        os.replace(tmp, target)
        return True
    except (OSError, ValueError):
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        return False


# -- encoding -----------------------------------------------------------------------------
#
# Plain JSON.  A tuple of plain values is a JSON list; anything else that is not a JSON
# scalar is a one-key object ({"tuple": [...]}, {"set": [...]}, {"date": "2024-04"}).
# Questions are rows of values under their type's list of field names, which keeps the
# file small and quick to read.


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, tuple):
        items = [_encode(v) for v in value]
        if all(v is None or isinstance(v, (str, bool, int)) for v in items):
            return items
        return {"tuple": items}
    if isinstance(value, frozenset):
        return {"set": [_encode(v) for v in sorted(value, key=repr)]}
    if isinstance(value, PartialDate):
        return {"date": value.iso()}
    raise TypeError(f"cannot cache a {type(value).__name__}")


def _names(cls: type) -> list[str]:
    return [f.name for f in dataclasses.fields(cls)]


def _row(obj: Any) -> list[Any]:
    return [_encode(getattr(obj, name)) for name in _names(type(obj))]


def _encode_pack(pack: Pack) -> dict[str, Any]:
    types = {q.type_name for q in pack.questions}
    return {
        "info": _row(pack.info),
        "sources": [_row(s) for s in pack.sources.values()],
        "events": [_row(e) for e in pack.events],
        "question_fields": {name: _names(QUESTION_TYPES[name]) for name in sorted(types)},
        "questions": [[q.type_name, *_row(q)] for q in pack.questions],
        "giveaways": pack.giveaway_graph().to_plain(),
    }


_SCALARS = (str, bool, int)


def _decode(value: Any) -> Any:
    if value is None or type(value) in _SCALARS:
        return value
    if type(value) is list:
        for v in value:
            if not (v is None or type(v) in _SCALARS):
                raise _Bad("a list holds a non-scalar")
        return tuple(value)
    if type(value) is dict and len(value) == 1:
        if type(value.get("tuple")) is list:
            return tuple(_decode(v) for v in value["tuple"])
        if type(value.get("set")) is list:
            return frozenset(_decode(v) for v in value["set"])
        if type(value.get("date")) is str:
            return PartialDate.parse(value["date"])
    raise _Bad(f"unexpected value {value!r:.40}")


class _Maker:
    """Builds instances of one model class from rows, as its own __init__ would."""

    def __init__(self, cls: type, names: Any = None) -> None:
        expected = _names(cls)
        if names is not None and names != expected:
            raise _Bad(f"fields of {cls.__name__} differ")
        self.cls = cls
        self.names = expected
        # A plain dataclass __init__ only stores its fields: fill __dict__ directly,
        # which is several times faster for 100,000 questions.
        self.direct = "__post_init__" not in dir(cls) and not hasattr(cls, "__slots__")

    def __call__(self, row: Any) -> Any:
        if type(row) is not list or len(row) != len(self.names):
            raise _Bad("a row of the wrong length")
        values = [v if v is None or type(v) is str else _decode(v) for v in row]
        if not self.direct:
            return self.cls(**dict(zip(self.names, values, strict=True)))
        obj: object = object.__new__(self.cls)
        obj.__dict__.update(zip(self.names, values, strict=True))
        return obj


def _check_files(files: Any, written_ns: int, racy: list[bool]) -> tuple[FileStamp, ...]:
    if not isinstance(files, list) or not files:
        raise _Bad("no files")
    stamps = []
    for item in files:
        stamp = FileStamp(*item)
        if not (isinstance(stamp.path, str) and os.path.isabs(stamp.path)):
            raise _Bad("bad path")
        try:
            now = safe_stat(stamp.path)
        except FileProblem:
            raise _Bad("file gone") from None
        if (now.st_size, now.st_mtime_ns, now.st_ctime_ns, now.st_ino) != (
            stamp.size, stamp.mtime_ns, stamp.ctime_ns, stamp.ino
        ):
            raise _Bad("file changed")
        if written_ns - RACY_NS <= max(stamp.mtime_ns, stamp.ctime_ns):
            racy.append(True)
            try:
                _, fresh = read_file(stamp.path)
            except FileProblem:
                raise _Bad("file unreadable") from None
            if fresh.sha256 != stamp.sha256:
                raise _Bad("file changed")
        stamps.append(stamp)
    return tuple(stamps)


def _decode_entry(data: Any, folder: Path, written_ns: int, racy: list[bool]) -> LoadResult:
    if not isinstance(data, dict) or data.get("kind") != KIND or data.get("format") != FORMAT:
        raise _Bad("not a pack cache entry")
    if data.get("nkstudy") != __version__ or data.get("schema") != schema_fingerprint():
        raise _Bad("written by another version")
    if data.get("folder") != os.path.realpath(folder):
        raise _Bad("entry of another folder")
    files = _check_files(data["files"], written_ns, racy)
    body = data["pack"]
    info = _Maker(PackInfo)(body["info"])
    make_source = _Maker(Source)
    sources = {}
    for row in body["sources"]:
        source = make_source(row)
        sources[source.id] = source
    make_event = _Maker(Event)
    events = tuple(make_event(row) for row in body["events"])
    makers = {name: _Maker(QUESTION_TYPES[name], names) for name, names in body["question_fields"].items()}
    questions = tuple(makers[row[0]](row[1:]) for row in body["questions"])
    pack = Pack(info=info, path=folder, sources=sources, events=events, questions=questions)
    pack.keep_graph(GiveAwayGraph.from_plain(body["giveaways"], tuple(q.id for q in questions)))
    return LoadResult(folder, pack, [], info.id, files)
