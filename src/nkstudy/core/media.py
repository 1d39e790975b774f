"""Media a question shows or plays: images and sounds kept in a pack's ``media/`` folder.

A question names its files in ``media: [media/map.png]``.  Each must be a plain file (no
link) right inside the pack's ``media/`` folder, under :data:`MAX_MEDIA_BYTES`, with a
sanitised name, and really be what its name says: the type is read from the file's first
bytes, never trusted from the extension.  SVG is not taken (it can carry script).
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from pathlib import Path

from nkstudy.core.text import quoted

#: the largest media file a pack may hold (and an importer copies)
MAX_MEDIA_BYTES = 5 * 1024 * 1024
MEDIA_FOLDER = "media"

#: kind -> (extensions, MIME type)
IMAGE_KINDS: dict[str, tuple[tuple[str, ...], str]] = {
    "png": ((".png",), "image/png"),
    "jpeg": ((".jpg", ".jpeg"), "image/jpeg"),
    "gif": ((".gif",), "image/gif"),
    "webp": ((".webp",), "image/webp"),
}
SOUND_KINDS: dict[str, tuple[tuple[str, ...], str]] = {
    "mp3": ((".mp3",), "audio/mpeg"),
    "ogg": ((".ogg", ".oga"), "audio/ogg"),
    "wav": ((".wav",), "audio/wav"),
}
MEDIA_KINDS = {**IMAGE_KINDS, **SOUND_KINDS}
_EXTENSIONS = {ext: kind for kind, (exts, _mime) in MEDIA_KINDS.items() for ext in exts}
ALLOWED = ", ".join(sorted(_EXTENSIONS))

#: a media field entry: ``media/`` and one plain file name
_NAME_RE = re.compile(r"^media/[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


def sniff(head: bytes) -> str | None:
    """The kind of media ``head`` (a file's first bytes) starts like, or None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[:4] == b"OggS":
        return "ogg"
    if head[:3] == b"ID3" or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    return None


def kind_of_name(name: str) -> str | None:
    """The kind of media a file name's extension claims, or None for one nkstudy does not take."""
    return _EXTENSIONS.get(os.path.splitext(name)[1].lower())


def is_image(name: str) -> bool:
    return kind_of_name(name) in IMAGE_KINDS


def mime_type(name: str) -> str:
    kind = kind_of_name(name)
    return MEDIA_KINDS[kind][1] if kind else "application/octet-stream"


def check_bytes(data: bytes, name: str) -> str | None:
    """Why ``data`` cannot be kept as the media file ``name``, or None when it can."""
    claimed = kind_of_name(name)
    if claimed is None:
        return f"nkstudy keeps only these media files: {ALLOWED}"
    if len(data) > MAX_MEDIA_BYTES:
        return f"it is larger than {MAX_MEDIA_BYTES // (1024 * 1024)} MB; make it smaller"
    found = sniff(bytes(data[:16]))
    if found is None:
        return f"it is not a {claimed.upper()} file (its content is something else)"
    if found != claimed:
        return f"its content is {found.upper()}, not {claimed.upper()}; rename it or convert it"
    return None


def safe_name(name: str, kind: str | None = None) -> str:
    """A plain file name for ``name`` (any path or URL left out): letters, digits, '_', '.' and
    '-' only, starting with a letter or digit, with the extension of ``kind`` when given."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    stem, ext = os.path.splitext(base)
    stem = re.sub(r"\.{2,}", ".", re.sub(r"[^A-Za-z0-9_.-]+", "-", stem)).strip("-._")[:80] or "media"
    if kind is not None:
        ext = MEDIA_KINDS[kind][0][0]
    ext = re.sub(r"[^A-Za-z0-9.]", "", ext.lower())[:6]
    return f"{stem}{ext}"


def check_file(root: Path, entry: str) -> str | None:
    """Why the pack at ``root`` cannot show ``entry`` (a ``media:`` item), or None when it can.

    Reads at most the first bytes of the file; never follows a link or leaves ``media/``."""
    if not _NAME_RE.match(entry):
        return (f"media {quoted(entry)} must be media/NAME, a file right inside the pack's media/ folder "
                "(letters, digits, '_', '.' and '-')")
    folder = root / MEDIA_FOLDER
    try:
        if stat.S_ISLNK(os.lstat(folder).st_mode):
            return "the pack's media/ folder is a link; make it a real folder"
        info = os.lstat(root / entry)
    except OSError:
        return f"media {quoted(entry)} is not in the pack; put the file in its media/ folder"
    if stat.S_ISLNK(info.st_mode):
        return f"media {quoted(entry)} is a link; put the file itself in media/"
    if not stat.S_ISREG(info.st_mode):
        return f"media {quoted(entry)} is not a plain file"
    if info.st_size > MAX_MEDIA_BYTES:
        return f"media {quoted(entry)} is larger than {MAX_MEDIA_BYTES // (1024 * 1024)} MB; make it smaller"
    try:
        fd = os.open(root / entry, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        try:
            head = os.read(fd, 16)
        finally:
            os.close(fd)
    except OSError:
        return f"media {quoted(entry)} cannot be read"
    problem = check_bytes(head, entry)
    return None if problem is None else f"media {quoted(entry)}: {problem}"


def read_media(root: Path, entry: str) -> bytes | None:
    """The bytes of a checked media file of the pack at ``root``, or None when it does not pass."""
    if check_file(root, entry) is not None:
        return None
    try:
        fd = os.open(root / entry, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as f:
            data = f.read(MAX_MEDIA_BYTES + 1)
    except OSError:
        return None
    return data if check_bytes(data, entry) is None else None
