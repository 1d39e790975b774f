"""Media an imported file references, checked and kept for the pack's ``media/`` folder.

An importer finds the names (``<img src>``, ``[sound:x.mp3]``) and the bytes (an .apkg's
numbered members, a Moodle ``<file encoding="base64">``, a file beside a GIFT file); this
module checks each (type by content, size) and gives it a sanitised name, once per content.
Whatever is refused gives one note line naming the file and why; nothing is written here.
"""

from __future__ import annotations

import base64
import binascii
import os
import stat
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote

from nkstudy.core.media import (
    MAX_MEDIA_BYTES,
    MEDIA_FOLDER,
    MEDIA_KINDS,
    check_bytes,
    kind_of_name,
    read_media,
    safe_name,
    sniff,
)
from nkstudy.core.model import Pack
from nkstudy.core.text import quoted
from nkstudy.formats.common import ImportResult


def keep(result: ImportResult, name: str, data: bytes, origin: Path) -> str | None:
    """Keep ``data`` (the file an import calls ``name``) as ``media/NAME``; returns that entry,
    or None (with a note line) when it is not an image or sound nkstudy takes."""
    kind = sniff(bytes(data[:16]))
    shown = name
    if kind is None:
        claimed = kind_of_name(name)
        what = f"a {claimed.upper()} file" if claimed else "a picture or sound nkstudy keeps"
        result.note(f"{origin}: media {quoted(shown)} left out: its content is not {what} "
                    f"(nkstudy keeps {', '.join(sorted(MEDIA_KINDS))})")
        return None
    problem = check_bytes(data, safe_name("x", kind))
    if problem is not None:
        result.note(f"{origin}: media {quoted(shown)} left out: {problem}")
        return None
    # the extension follows the content: Anki and Moodle files often call a PNG "x.jpg"
    base = safe_name(name, kind if kind_of_name(name) != kind else None)
    stem, ext = os.path.splitext(base)
    entry, n = f"{MEDIA_FOLDER}/{base}", 2
    while entry in result.media and result.media[entry] != data:
        entry = f"{MEDIA_FOLDER}/{stem}-{n}{ext}"
        n += 1
    result.media[entry] = bytes(data)
    return entry


def keep_base64(result: ImportResult, name: str, text: str, origin: Path) -> str | None:
    """Like :func:`keep`, for a file given as base64 text (Moodle XML's ``<file>``)."""
    if len(text) > (MAX_MEDIA_BYTES * 4) // 3 + 1024:
        result.note(f"{origin}: media {quoted(name)} left out: it is larger than "
                    f"{MAX_MEDIA_BYTES // (1024 * 1024)} MB")
        return None
    try:
        data = base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        result.note(f"{origin}: media {quoted(name)} left out: its base64 text is damaged")
        return None
    return keep(result, name, data, origin)


def keep_beside(result: ImportResult, names: Iterable[str], origin: Path) -> list[str]:
    """The files ``names`` (as a GIFT or text file references them) from the folder of ``origin``,
    kept; a name that leaves that folder, a link, or anything but a plain small file is refused."""
    folder = os.path.realpath(origin.parent)
    out: list[str] = []
    for raw in names:
        name = unquote(raw)
        shown = raw
        if "://" in name or name.startswith(("/", "\\", "data:")) or ".." in name.replace("\\", "/").split("/"):
            result.note(f"{origin}: media {quoted(shown)} left out: only files in the imported file's folder are read")
            continue
        target = os.path.join(folder, name)
        if os.path.commonpath([os.path.realpath(target), folder]) != folder:
            result.note(f"{origin}: media {quoted(shown)} left out: it lies outside the folder of the file imported")
            continue
        data = _read_plain(target)
        if data is None:
            result.note(f"{origin}: media {quoted(shown)} left out: not a plain file of at most "
                        f"{MAX_MEDIA_BYTES // (1024 * 1024)} MB beside the file imported")
            continue
        entry = keep(result, name, data, origin)
        if entry is not None and entry not in out:
            out.append(entry)
    return out


def _read_plain(path: str) -> bytes | None:
    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_MEDIA_BYTES:
            return None
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as f:
            data = f.read(MAX_MEDIA_BYTES + 1)
    except OSError:
        return None
    return data if len(data) <= MAX_MEDIA_BYTES else None


def attach(result: ImportResult, start: int, entries: list[str]) -> None:
    """Give the questions added since ``result.items[start]`` the media ``entries``."""
    if not entries:
        return
    from dataclasses import replace

    from nkstudy.formats.common import Imported

    for n in range(start, len(result.items)):
        item = result.items[n]
        media = tuple(dict.fromkeys([*item.question.media, *entries]))
        result.items[n] = Imported(replace(item.question, media=media), item.origin, item.line, item.labels)


def media_records(pack: Pack) -> list[dict[str, str]]:
    """Every media file the pack's questions name, as ``{"file": "media/x.png", "base64": ...}``
    (nkstudy's JSON export); a file that no longer passes its check is left out."""
    out: list[dict[str, str]] = []
    for entry in dict.fromkeys(m for q in pack.questions for m in q.media):
        data = read_media(pack.path, entry)
        if data is not None:
            out.append({"file": entry, "base64": base64.b64encode(data).decode("ascii")})
    return out


def read_media_records(value: object, origin: Path, result: ImportResult) -> dict[str, str]:
    """The files of a JSON export's ``media`` list, kept; returns each given name -> its entry in the pack."""
    renamed: dict[str, str] = {}
    if not isinstance(value, list):
        return renamed
    for item in value:
        if not (isinstance(item, dict) and isinstance(item.get("file"), str) and isinstance(item.get("base64"), str)):
            result.note(f"{origin}: a media record that is not a file name and base64 text left out")
            continue
        entry = keep_base64(result, item["file"], item["base64"], origin)
        if entry is not None:
            renamed[item["file"]] = entry
    return renamed
