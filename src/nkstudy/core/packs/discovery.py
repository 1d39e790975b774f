"""Find packs in the places nkstudy looks, loading each independently."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from nkstudy.core.model import Pack
from nkstudy.core.packs.fields import Problem
from nkstudy.core.packs.loader import LoadResult, is_pack_folder, load_pack
from nkstudy.core.packs.safeyaml import FileProblem, safe_stat
from nkstudy.core.text import quoted


@dataclass(frozen=True)
class PackPlace:
    """A folder to look in, and where it came from (builtin, user, --packs...)."""

    path: Path
    origin: str


@dataclass
class Found:
    """A pack folder found, with its origin and load result."""

    origin: str
    result: LoadResult

    @property
    def pack(self) -> Pack | None:
        return self.result.pack

    @property
    def path(self) -> Path:
        return self.result.path


def pack_folders(folder: Path) -> list[Path]:
    """``folder`` itself when it is a pack, else its sub-folders that are packs.

    Never raises: a folder that cannot be listed, or entries that cannot be
    examined (symlink loops, special files), are skipped.  Nothing is opened.
    """
    if not _is_dir(folder):
        return []
    if is_pack_folder(folder):
        return [folder]
    try:
        with os.scandir(folder) as entries:
            names = sorted(entry.name for entry in entries)
    except OSError:
        return []
    children = [folder / name for name in names]
    return [c for c in children if _is_dir(c) and is_pack_folder(c)]


def _is_dir(path: Path) -> bool:
    try:
        return stat.S_ISDIR(safe_stat(path).st_mode)
    except FileProblem:
        return False


def discover(places: list[PackPlace], cache_dir: Path | None = None) -> list[Found]:
    """Load every pack found in ``places``, in order.

    A place that does not exist is skipped silently (the user pack folder
    usually does not exist yet) unless its origin is ``--packs``, which the
    caller checks itself.  When two packs share an id the first wins; the
    later one is reported as a problem.

    With ``cache_dir`` (the app and the CLI pass ``<data dir>/cache``), packs
    are opened through the pack cache (see :mod:`nkstudy.core.packs.cache`): the
    result is the same, but a pack whose files have not changed since it was
    last loaded costs a JSON read instead of a validation.  With ``None``
    every pack is loaded from its files.
    """
    found: list[Found] = []
    seen_ids: dict[str, Path] = {}
    seen_paths: set[str] = set()
    for place in places:
        for folder in pack_folders(place.path):
            key = os.path.realpath(folder)
            if key in seen_paths:
                continue
            seen_paths.add(key)
            if cache_dir is not None:
                from nkstudy.core.packs.cache import cached_load

                result = cached_load(folder, cache_dir)
            else:
                result = load_pack(folder)
            if result.pack_id is not None and result.pack_id in seen_ids:
                first = seen_ids[result.pack_id]
                result = LoadResult(
                    folder,
                    None,
                    [Problem(folder / "pack.yaml", None,
                             f"pack id {quoted(result.pack_id)} is already used by {first}")],
                    result.pack_id,
                )
            elif result.pack_id is not None:
                seen_ids[result.pack_id] = folder
            found.append(Found(place.origin, result))
    return found


def good_packs(found: list[Found]) -> list[Pack]:
    return [f.pack for f in found if f.pack is not None]
