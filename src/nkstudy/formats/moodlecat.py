"""Moodle's question category paths, as GIFT's ``$CATEGORY:`` line writes them.

A path is category names joined by ``/``, starting with the context (``$course$``,
``$system$``, ``$module$``, ``$cat$``) and, since Moodle 3.5, ``top``:
``$course$/top/Default for Maths/Week 1``.  A ``/`` inside a name is written ``//`` (a name
that starts or ends with one gets a space beside it), as Moodle's own import and export do.
"""

from __future__ import annotations

import re
from pathlib import Path

from nkstudy.core.text import control_chars_in, describe_char
from nkstudy.formats.common import ImportResult

_CONTEXT_RE = re.compile(r"^\$[a-z0-9]+\$$")
_SEPARATOR_RE = re.compile(r"(?<!/)/(?!/)")
_LINE_BREAKS_RE = re.compile(r"\s")


def split(path: str) -> list[str]:
    """The names in ``path``, each trimmed: ``$course$/top/A//B`` gives ``$course$``, ``top``, ``A/B``."""
    return [part.strip().replace("//", "/") for part in _SEPARATOR_RE.split(path.strip())]


def join(names: list[str]) -> str:
    """``names`` as one path (the reverse of :func:`split`)."""
    out = []
    for name in names:
        escaped = name.replace("/", "//")
        escaped = (" " if escaped.startswith("/") else "") + escaped + (" " if escaped.endswith("/") else "")
        out.append(escaped)
    return "/".join(out)


def _context_length(names: list[str]) -> int:
    """How many of the first ``names`` are the context and ``top`` rather than categories."""
    if not names or not _CONTEXT_RE.match(names[0].lower()):
        return 0
    return 2 if len(names) > 1 and names[1].lower() == "top" else 1


def common_category(paths: list[str]) -> list[str] | None:
    """The names of the deepest category every path in ``paths`` lies in (or is), when that is a
    category of its own rather than only a context or ``top``; else None."""
    if not paths:
        return None
    common = split(paths[0])
    for path in paths[1:]:
        names = split(path)
        n = 0
        while n < min(len(common), len(names)) and common[n] == names[n]:
            n += 1
        common = common[:n]
    if len(common) <= _context_length(common) or not common[-1]:
        return None
    return common


def label_below(home: list[str], path: str) -> str:
    """``path`` relative to the category ``home`` (names as from :func:`common_category`, which
    ``path`` lies in), as a tag label: the names below ``home`` joined by ``/`` (a ``/`` inside a
    name is a space there, not one more level); empty when ``path`` is ``home`` itself."""
    return "/".join(name.replace("/", " ") for name in split(path)[len(home) :])


def course_category(name: str) -> str:
    """The path of a category ``name`` at the top of a course, as Moodle exports one: line breaks
    and tabs become spaces, since the path must stay on its ``$CATEGORY:`` line."""
    return join(["$course$", "top", _LINE_BREAKS_RE.sub(" ", name).strip()])


MAX_TITLE = 200  #: a longer category name suggests no title (give one with --title)


def claim_home(paths: list[str], path: Path, line: int | None, result: ImportResult) -> list[str] | None:
    """The pack's own category among the category ``paths`` of a file that opens with one (Moodle's
    GIFT and XML exports start with the category exported): the deepest one holding them all.
    Its name becomes the title the import suggests (unless it holds a control character or is
    over :data:`MAX_TITLE` characters: then one note line), and it is no tag.  None when the
    paths share no category of their own."""
    home = common_category(paths)
    if home is None:
        return None
    name = home[-1]
    controls = control_chars_in([("category", name)])
    why = f"it holds the control character {describe_char(controls[0][1])}" if controls else (
        f"it is over {MAX_TITLE} characters long" if len(name) > MAX_TITLE else None)
    if why:
        result.note(f"{path}:{line}: the category name is not used as the pack's title: {why}")
    elif result.title is None:
        result.title = name
    return home
