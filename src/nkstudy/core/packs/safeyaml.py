"""Safe reading of pack files: regular files only, size-capped, and YAML that
keeps line numbers and refuses hostile input.

Files are checked with ``stat`` before they are opened, and only regular files
are opened at all (a FIFO would block, a device could do anything), and never
more than the size limit plus one byte is read.

YAML is read in one pass over PyYAML's event stream (libyaml's C parser when
PyYAML was built with it).  No Python object is ever constructed from a tag and
no node graph is composed: the events are turned straight into ``LMap``/
``LList``/scalar values, keeping the line of every mapping key and list item.
Aliases, non-standard tags and deep nesting are refused the moment they are
seen, before they can cost memory or recursion.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import yaml
from yaml.resolver import Resolver

from nkstudy.core.packs.yamlhints import cut_by_comment, explain, hash_note, lines_with_hash, split_lines
from nkstudy.core.text import CONTROL_RE, describe_char, quoted

# libyaml's C parser when PyYAML was built with it; the pure-Python one otherwise.
# Both are used here only for their event streams.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 50

_STD = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_STD + n for n in ("str", "int", "float", "bool", "null"))
_ALLOWED_TAGS = {
    _STD + name
    for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
}
_RESOLVERS = Resolver.yaml_implicit_resolvers


class YamlError(Exception):
    """A file that cannot be read as pack YAML. ``line`` is 1-based or None."""

    def __init__(self, message: str, line: int | None = None) -> None:
        message = " ".join(message.split())
        super().__init__(message)
        self.message = message
        self.line = line


class FileProblem(Exception):
    """A path that cannot be read as a pack file; ``message`` says why, in a few words."""

    def __init__(self, message: str, too_large: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.too_large = too_large


@dataclass(frozen=True)
class FileStamp:
    """What a file was when it was read: the pack cache compares these."""

    path: str  # as the pack names it (symlinks not resolved), absolute
    size: int
    mtime_ns: int
    ctime_ns: int
    ino: int
    sha256: str


class LMap(dict[str, object]):
    """A mapping that remembers its own line and the line of each key."""

    line: int
    key_lines: dict[str, int]


class LList(list[object]):
    """A list that remembers its own line and the line of each item."""

    line: int
    item_lines: list[int]


class Number(str):
    """A plain scalar that YAML would read as a number, kept exactly as written.

    ``2024``, ``0x1F`` and ``1.10`` stay the text ``"2024"``, ``"0x1F"`` and
    ``"1.10"`` (YAML itself would give 2024, 31 and 1.1); fields that must be
    written as text, such as ids and versions, refuse them with a hint to quote.
    """

    __slots__ = ()

    def as_yaml_reads_it(self) -> int | float | None:
        """The number YAML would make of this text, if Python agrees on it."""
        raw = self.replace("_", "")
        try:
            return int(raw, 0)
        except ValueError:
            pass
        try:
            return float(raw)
        except ValueError:
            return None


# -- files ------------------------------------------------------------------------------------

_ERRNO_TEXT = {
    errno.ENOENT: "not found",
    errno.ELOOP: "is a symlink loop (or a chain of too many symlinks)",
    errno.ENAMETOOLONG: "has a name too long for the operating system",
    errno.ENOTDIR: "has a part of its path that is not a folder",
    errno.EACCES: "cannot be read: permission denied",
    errno.EPERM: "cannot be read: permission denied",
}


def describe_os_error(exc: BaseException) -> str:
    """A few words on why a path could not be used (for ``file: what`` problems)."""
    if isinstance(exc, ValueError):
        return "has a NUL byte in its name"
    if isinstance(exc, RecursionError):
        return "is a chain of too many symlinks"
    if isinstance(exc, OSError):
        if exc.errno in _ERRNO_TEXT:
            return _ERRNO_TEXT[exc.errno]
        return f"cannot be read: {exc.strerror or exc}"
    return f"cannot be read: {exc}"


def describe_mode(mode: int) -> str | None:
    """None for a regular file, else what the path is instead."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "is a named pipe (FIFO), not a regular file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a regular file"
    return "is not a regular file"


def safe_stat(path: str | os.PathLike[str], follow: bool = True) -> os.stat_result:
    """``os.stat`` (or ``lstat``) that raises FileProblem, never OSError or ValueError."""
    try:
        return os.stat(path, follow_symlinks=follow)
    except (OSError, ValueError, RecursionError) as exc:
        raise FileProblem(describe_os_error(exc)) from None


def _size_text(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit % (1024 * 1024) == 0 else f"{limit:,} bytes"


_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def open_regular(path: str | os.PathLike[str], limit: int) -> tuple[int, os.stat_result]:
    """An open file descriptor on the regular file at ``path`` and its ``fstat``; raises FileProblem.

    Anything that is not a regular file (a FIFO would block, a device could do anything)
    is never opened, and a file over ``limit`` bytes (even a sparse one) is refused unopened.
    The caller closes the descriptor.
    """
    st = safe_stat(path)
    kind = describe_mode(st.st_mode)
    if kind is not None:
        raise FileProblem(kind)
    if st.st_size > limit:
        raise FileProblem(f"is larger than {_size_text(limit)} ({st.st_size:,} bytes)", too_large=True)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except (OSError, ValueError) as exc:
        raise FileProblem(describe_os_error(exc)) from None
    opened = os.fstat(fd)
    if not stat.S_ISREG(opened.st_mode) or (opened.st_ino, opened.st_dev) != (st.st_ino, st.st_dev):
        os.close(fd)
        raise FileProblem("changed while it was being read; try again")
    return fd, opened


def read_file(
    path: str | os.PathLike[str], limit: int = MAX_BYTES, stamp_as: str | None = None
) -> tuple[bytes, FileStamp]:
    """The bytes of the regular file at ``path`` and its stamp; raises FileProblem.

    The file is checked as :func:`open_regular` does, and at most ``limit + 1`` bytes
    are ever read, in case it grew meanwhile.  ``stamp_as`` is the path to record in
    the stamp (default: ``path``).
    """
    fd, opened = open_regular(path, limit)
    try:
        chunks: list[bytes] = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    except OSError as exc:
        raise FileProblem(describe_os_error(exc)) from None
    finally:
        os.close(fd)
    raw = b"".join(chunks)
    if len(raw) > limit:
        raise FileProblem(f"is larger than {_size_text(limit)}", too_large=True)
    stamp = FileStamp(
        path=os.fspath(stamp_as if stamp_as is not None else path),
        size=opened.st_size,
        mtime_ns=opened.st_mtime_ns,
        ctime_ns=opened.st_ctime_ns,
        ino=opened.st_ino,
        sha256=hashlib.sha256(raw).hexdigest(),
    )
    return raw, stamp


def read_text(raw: bytes) -> str:
    """Decode pack file bytes as UTF-8 text, refusing binary content."""
    if len(raw) > MAX_BYTES:
        raise YamlError(f"file is larger than {_size_text(MAX_BYTES)}")
    if b"\x00" in raw:
        raise YamlError("file is binary, not text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise YamlError(f"file is not UTF-8 text (bad byte at offset {exc.start})") from None
    return text


# -- YAML -------------------------------------------------------------------------------------


def _mark_line(mark: yaml.Mark | yaml._yaml.Mark | None) -> int | None:
    return None if mark is None else mark.line + 1


def _plain_tag(value: str) -> str:
    """The tag YAML 1.1 (as PyYAML reads it) gives a plain, untagged scalar."""
    for tag, regexp in _RESOLVERS.get(value[:1] if value else "", ()):
        if regexp.match(value):
            return tag  # type: ignore[no-any-return]
    return _STR


def _scalar(event: yaml.ScalarEvent) -> object:
    tag = event.tag
    value: str = event.value
    if tag is None or tag == "!":
        if not event.implicit[0]:
            return value  # quoted, or a block scalar: always text
        tag = _plain_tag(value)
    elif tag not in _ALLOWED_TAGS:
        raise YamlError(f"YAML tag {quoted(tag)} is not allowed in packs", _mark_line(event.start_mark))
    if tag == _BOOL:
        return value.lower() in ("true", "yes", "on", "y")
    if tag == _NULL:
        return None
    if tag in (_INT, _FLOAT):
        return Number(value)
    # str, timestamp (dates are checked by the model, never made into datetimes)
    return value


class _Open:
    """A mapping or list being built, with the key waiting for its value."""

    __slots__ = ("box", "is_map", "key", "key_line", "name")

    def __init__(self, box: LMap | LList, name: str | None) -> None:
        self.box = box
        self.is_map = isinstance(box, LMap)
        self.key: str | None = None
        self.key_line = 0
        self.name = name  # the key this collection is the value of, for messages


def _control_note(value: str, where: str, line: int) -> tuple[int, str] | None:
    match = CONTROL_RE.search(value)
    if match is None:
        return None
    return line, f"{where} holds the control character {describe_char(match.group())}; remove it"


def _build(loader: yaml.SafeLoader | yaml.CSafeLoader, text: str) -> tuple[object, list[tuple[int, str]]]:
    """Turn the event stream into values; also returns (line, message) for each text
    holding a control character or cut short by a `` #`` that YAML reads as a comment
    (the values are still built, so later checks run)."""
    hash_lines = lines_with_hash(text)
    lines = split_lines(text) if hash_lines else []
    # PyYAML's events carry attributes by class, and this loop tells them apart with the fast
    # ``type(event) is``, which the type checker cannot follow: events are untyped here
    get: Callable[[], Any] = loader.get_event
    notes: list[tuple[int, str]] = []
    get()  # StreamStartEvent
    event = get()
    if isinstance(event, yaml.StreamEndEvent):
        raise YamlError("file is empty")
    stack: list[_Open] = []
    root: object = None
    done = False
    while not done:
        event = get()
        kind = type(event)
        line = event.start_mark.line + 1
        if kind is yaml.ScalarEvent:
            top = stack[-1] if stack else None
            if top is not None and top.is_map and top.key is None:
                key = event.value
                if CONTROL_RE.search(key):
                    note = _control_note(key, f"key {quoted(key)}", line)
                    if note:
                        notes.append(note)
                if key in top.box:
                    raise YamlError(f"key {quoted(key)} appears twice", line)
                top.key, top.key_line = key, line
                continue
            if event.tag is None and not event.implicit[0]:
                value = event.value  # quoted or block text: the common case
            else:
                value = _scalar(event)
                if hash_lines and event.end_mark.line in hash_lines and isinstance(value, str) and event.value:
                    dropped = cut_by_comment(lines[event.end_mark.line], event.end_mark.column)
                    if dropped:
                        key = top.key if top is not None and top.is_map else None
                        notes.append((event.end_mark.line + 1, hash_note(key, event.value, dropped)))
            if isinstance(value, str) and CONTROL_RE.search(value):
                if top is None:
                    where = "the text"
                elif top.is_map:
                    where = f"field {quoted(top.key)}"
                else:
                    where = f"an item of {quoted(top.name)}" if top.name else "a list item"
                note = _control_note(value, where, line)
                if note:
                    notes.append(note)
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            tag = event.tag
            if tag is not None and tag != "!" and tag not in _ALLOWED_TAGS:
                raise YamlError(f"YAML tag {quoted(tag)} is not allowed in packs", line)
            if len(stack) >= MAX_DEPTH:
                raise YamlError(f"nesting deeper than {MAX_DEPTH} levels", line)
            top = stack[-1] if stack else None
            if top is not None and top.is_map and top.key is None:
                raise YamlError("mapping keys must be plain text", line)
            if kind is yaml.MappingStartEvent:
                value = LMap()
                value.key_lines = {}
            else:
                value = LList()
                value.item_lines = []
            value.line = line
            name = top.key if top is not None and top.is_map else (top.name if top else None)
            stack.append(_Open(value, name))
            if top is None:
                root = value
                continue
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            stack.pop()
            continue
        elif kind is yaml.AliasEvent:
            raise YamlError("YAML aliases (*name) are not allowed in packs", line)
        elif kind is yaml.DocumentEndEvent:
            done = True
            continue
        else:
            raise YamlError(f"invalid YAML: unexpected {kind.__name__}", line)
        # attach ``value`` (a scalar, or a collection just opened) to its parent
        top = stack[-2] if kind is not yaml.ScalarEvent else (stack[-1] if stack else None)
        if top is None:
            root = value
        elif top.is_map:
            key = top.key
            assert key is not None
            mapping = cast(LMap, top.box)  # is_map says which it is
            mapping[key] = value
            mapping.key_lines[key] = top.key_line
            top.key = None
        else:
            items = cast(LList, top.box)
            items.append(value)
            items.item_lines.append(line)
    event = get()
    if not isinstance(event, yaml.StreamEndEvent):
        raise YamlError("invalid YAML: expected a single document in the stream", _mark_line(event.start_mark))
    return root, notes


def load_yaml_checked(raw: bytes) -> tuple[object, list[tuple[int, str]]]:
    """Parse one YAML document from ``raw`` into LMap/LList/scalars.

    Returns the data and a (line, message) note for every text holding a control
    character.  Raises YamlError for anything a pack file must not contain.
    """
    text = read_text(raw)
    if not text.strip():
        raise YamlError("file is empty")
    loader = _Loader(text)
    try:
        data, notes = _build(loader, text)
    except yaml.MarkedYAMLError as exc:
        hint = explain(text, exc)
        if hint is not None:
            raise YamlError(hint.message, hint.line) from None
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "cannot parse"
        raise YamlError(f"invalid YAML: {problem}", _mark_line(mark)) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {exc}") from None
    finally:
        loader.dispose()
    if data is None:
        raise YamlError("file holds no data (an empty or null document); expected a mapping of fields", 1)
    return data, notes


def load_yaml(raw: bytes) -> object:
    """Like :func:`load_yaml_checked`, without the control-character notes."""
    return load_yaml_checked(raw)[0]
