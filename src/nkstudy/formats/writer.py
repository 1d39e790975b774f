"""Write imported questions as a pack folder (pack.yaml and questions/, one file per imported file).

Imported questions cite no source: ``source`` and ``excerpt`` are written only when
a question has them, so the pack validates, and ``nkstudy validate --strict`` lists
every question that still needs one.  Tags are written as the questions hold them.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from nkstudy.core.media import MEDIA_FOLDER
from nkstudy.core.model import Pack, Question
from nkstudy.core.packs.loader import load_pack
from nkstudy.core.text import visible
from nkstudy.formats.common import FormatError, Imported, ImportResult, check_new_folder, slug, unique_name
from nkstudy.formats.writecheck import check_written
from nkstudy.formats.yamlout import list_item

SCHEMA_HINT = "# yaml-language-server: $schema={schema}\n"


def question_entry(q: Question) -> dict[str, Any]:
    """A question as pack YAML holds it: the common fields and its class's own fields."""
    out: dict[str, Any] = {"id": q.id, "type": q.type_name, "prompt": q.prompt}
    options = getattr(q, "options", None)
    for name in sorted(q.own_fields(), key=lambda n: (n != "options", n)):
        value = getattr(q, name)
        if isinstance(value, frozenset):
            value = [o for o in (options or sorted(value)) if o in value]
        elif isinstance(value, tuple):
            value = [list(v) if isinstance(v, tuple) else v for v in value]
            if not value:
                continue
        out[name] = value
    if q.source:
        out["source"] = q.source
    if q.excerpt:
        out["excerpt"] = q.excerpt
    if q.explanation:
        out["explanation"] = q.explanation
    if q.tags:
        out["tags"] = list(q.tags)
    if q.difficulty != "medium":
        out["difficulty"] = q.difficulty
    if q.related:
        out["related"] = list(q.related)
    if q.event:
        out["event"] = q.event
    if q.media:
        out["media"] = list(q.media)
    return out


def _dump(data: object) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)


# libyaml's emitter when PyYAML was built with it: many times faster on a large import
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

#: each written questions file stays well under the loader's limit on a pack file
MAX_FILE_BYTES = 4 * 1024 * 1024
#: a pack of up to this many imported questions is loaded back whole to check it (a few seconds at most)
FULL_CHECK_QUESTIONS = 20_000


class PackNotWritten(FormatError):
    """The imported questions did not make a valid pack; nothing was left on disk."""

    def __init__(self, dest: Path, problems: list[str]) -> None:
        super().__init__(dest, None, "the imported questions do not make a valid pack, so nothing was written "
                                     "(please report this)")
        self.problems = problems


def _blocks(items: list[Imported]) -> Iterator[str]:
    """Each question as an item of a ``questions:`` list, two spaces in."""
    for item in items:
        yield list_item(question_entry(item.question))


def questions_yaml(items: list[Imported], header: str = "") -> str:
    return "".join([header, "questions:\n", *_blocks(items)])


def _write_split(folder: Path, name: str, items: list[Imported], header: str, used: set[str]) -> dict[str, int]:
    """Write ``items`` as questions/NAME.yaml, going on in NAME-2.yaml, ... whenever a file
    would pass :data:`MAX_FILE_BYTES`; returns the files written, relative to ``folder``,
    with the number of questions in each."""
    written: dict[str, int] = {}
    out = None
    size = 0
    rel = ""
    try:
        for block in _blocks(items):
            data = block.encode("utf-8")
            if out is None or size + len(data) > MAX_FILE_BYTES:
                if out is not None:
                    out.close()
                rel = f"questions/{unique_name(name, used)}.yaml"
                written[rel] = 0
                out = (folder / rel).open("wb")
                start = f"{header}questions:\n".encode()
                out.write(start)
                size = len(start)
            out.write(data)
            size += len(data)
            written[rel] += 1
    finally:
        if out is not None:
            out.close()
    return written


def write_pack(
    result: ImportResult,
    dest: Path,
    *,
    pack_id: str,
    title: str,
    description: str | None = None,
    language: str = "en",
    version: str = "1.0.0",
    replace: bool = False,
    release: bool = False,
) -> Path:
    """Write ``result`` as a new pack folder at ``dest`` (which must not hold files, unless
    ``replace`` and it holds a pack: then the pack is rewritten from ``result``).

    The pack is written into a temporary folder beside ``dest``, checked, and only then
    moved into place: a pack that would not load is never left on disk
    (:class:`PackNotWritten` says why).  Up to :data:`FULL_CHECK_QUESTIONS` questions (and
    whatever comes with pack-level data: nkstudy's own export), the check loads the pack as
    ``nkstudy validate`` would.  A larger import is checked for what writing could break
    (:mod:`nkstudy.formats.writecheck`), not built a second time: each of its questions was
    already checked by its own class as it was imported, exactly as the loader checks it.
    With ``release``, the questions are dropped from ``result`` once written, so the check
    does not hold two copies of a large import in memory.
    """
    replacing = replace and (dest / "pack.yaml").is_file()
    if not replacing:
        check_new_folder(dest)
    if not result.items:
        raise FormatError(dest, None, "nothing to write: no question was imported")
    parent = dest.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".part", dir=parent))
    try:
        written = _write_into(work, result, pack_id, title, description, language, version)
        full = bool(result.pack_data) or sum(written.values()) <= FULL_CHECK_QUESTIONS
        if release:
            result.items.clear()
        problems = _load_problems(work) if full else check_written(work, written)
        if problems:
            raise PackNotWritten(dest, problems)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(work, 0o777 & ~mask)
        if replacing:
            old = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".old", dir=parent))
            os.replace(dest, old / "pack")
            os.replace(work, dest)
            shutil.rmtree(old, ignore_errors=True)
        else:
            if dest.is_dir():
                dest.rmdir()  # check_new_folder found it empty
            os.replace(work, dest)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return dest


@dataclass(frozen=True)
class Changes:
    """What a re-import does to the pack already in the folder, by question id."""

    added: list[str]
    changed: list[str]
    removed: list[str]
    kept: int

    def summary(self) -> str:
        return (f"{len(self.added)} added, {len(self.changed)} changed, {len(self.removed)} removed, "
                f"{self.kept} unchanged")


def changes(old: Pack, result: ImportResult) -> Changes:
    """Compare the questions of ``old`` with those ``result`` would write."""
    before = {q.id: question_entry(q) for q in old.questions}
    after = {item.question.id: question_entry(item.question) for item in result.items}
    added = [i for i in after if i not in before]
    removed = [i for i in before if i not in after]
    changed = [i for i in after if i in before and after[i] != before[i]]
    return Changes(added, changed, removed, len(after) - len(added) - len(changed))


def _load_problems(folder: Path) -> list[str]:
    loaded = load_pack(folder)
    return [] if loaded.ok else [p.format(relative_to=folder) for p in loaded.problems]


def _write_into(
    folder: Path, result: ImportResult, pack_id: str, title: str, description: str | None, language: str, version: str
) -> dict[str, int]:
    files = sorted({item.origin for item in result.items}, key=lambda p: str(p))
    pack: dict[str, Any] = {
        "id": pack_id,
        "title": title,
        "version": version,
        "description": description or f"Imported from {visible(', '.join(p.name for p in files))}.",
        "language": language,
    }
    includes: dict[str, int] = {}
    used: set[str] = set()
    (folder / "questions").mkdir(exist_ok=True)
    by_origin: dict[Path, list[Imported]] = {}
    for item in result.items:
        by_origin.setdefault(item.origin, []).append(item)
    for origin in files:
        name = slug(origin.stem) or "imported"
        includes |= _write_split(folder, name, by_origin[origin], f"# Imported from {visible(origin.name)}\n", used)
    info = result.pack_data.get("pack") or {}
    for key in ("description", "language", "version", "author", "license"):
        if info.get(key):
            pack[key] = info[key]
    sources = _write_sources(folder, result.pack_data.get("sources") or [])
    if sources:
        pack["sources"] = sources
    if result.pack_data.get("events"):
        pack["events"] = result.pack_data["events"]
    pack["include"] = list(includes)
    used_media = result.used_media()
    if used_media:
        (folder / MEDIA_FOLDER).mkdir()
        for rel in used_media:
            (folder / rel).write_bytes(result.media[rel])
    (folder / "pack.yaml").write_text(_dump(pack), encoding="utf-8")
    return includes


_SAFE_FILE = re.compile(r"^(?:[A-Za-z0-9_][A-Za-z0-9_.-]*/)*[A-Za-z0-9_][A-Za-z0-9_.-]*$")


def _write_sources(folder: Path, sources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Write each source's text into the pack (at its own file name when that is a plain
    relative path, else sources/ID.txt); returns the entries for pack.yaml."""
    out: list[dict[str, Any]] = []
    used: set[str] = set()
    for source in sources:
        text, name = source.get("text"), str(source.get("file") or "")
        if not isinstance(text, str) or not source.get("id"):
            continue
        if not _SAFE_FILE.match(name) or ".." in name.split("/") or name in used or name == "pack.yaml":
            stem = slug(str(source["id"])) or "source"
            name = f"sources/{stem}.txt" if f"sources/{stem}.txt" not in used else f"sources/{stem}-{len(used) + 1}.txt"
        used.add(name)
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8", newline="")
        out.append({**{k: v for k, v in source.items() if k != "text"}, "file": name})
    return out
