"""Find packs in the places nkstudy looks, loading each independently."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nkstudy.core.fields import Problem
from nkstudy.core.loader import LoadResult, is_pack_folder, load_pack
from nkstudy.core.model import Pack


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
    """``folder`` itself when it is a pack, else its sub-folders that are packs."""
    if not folder.is_dir():
        return []
    if is_pack_folder(folder):
        return [folder]
    try:
        children = sorted(p for p in folder.iterdir() if p.is_dir())
    except OSError:
        return []
    return [c for c in children if is_pack_folder(c)]


def discover(places: list[PackPlace]) -> list[Found]:
    """Load every pack found in ``places``, in order.

    A place that does not exist is skipped silently (the user pack folder
    usually does not exist yet) unless its origin is ``--packs``, which the
    caller checks itself.  When two packs share an id the first wins; the
    later one is reported as a problem.
    """
    found: list[Found] = []
    seen_ids: dict[str, Path] = {}
    seen_paths: set[Path] = set()
    for place in places:
        for folder in pack_folders(place.path):
            key = folder.resolve()
            if key in seen_paths:
                continue
            seen_paths.add(key)
            result = load_pack(folder)
            if result.pack_id is not None and result.pack_id in seen_ids:
                first = seen_ids[result.pack_id]
                result = LoadResult(
                    folder,
                    None,
                    [Problem(folder / "pack.yaml", None, f"pack id {result.pack_id!r} is already used by {first}")],
                    result.pack_id,
                )
            elif result.pack_id is not None:
                seen_ids[result.pack_id] = folder
            found.append(Found(place.origin, result))
    return found


def good_packs(found: list[Found]) -> list[Pack]:
    return [f.pack for f in found if f.pack is not None]
