"""Load a pack folder into the model, reporting every problem found."""

from __future__ import annotations

import gc
import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from nkstudy.core.model import (
    Pack,
    PackInfo,
    Source,
)
from nkstudy.core.packs.fields import Fields, Problem
from nkstudy.core.packs.items import ItemReader
from nkstudy.core.packs.safeyaml import (
    FileProblem,
    FileStamp,
    LList,
    LMap,
    YamlError,
    load_yaml_checked,
    read_file,
    read_text,
    safe_stat,
)
from nkstudy.core.text import describe_char, first_control_char, quoted

PACK_FILE = "pack.yaml"
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_PACK_KEYS = {
    "id", "title", "version", "description", "language", "author", "license",
    "sources", "events", "questions", "include",
}
_SOURCE_KEYS = {"id", "file", "title", "outlet", "published", "date_from_outside"}
_INCLUDE_KEYS = {"events", "questions", "include"}
MAX_INCLUDE_DEPTH = 20


@dataclass
class LoadResult:
    """The pack (None when it has problems) and every problem found.

    ``files`` stamps every file the loader read (pack.yaml, included files and
    sources), as the pack cache needs to notice any later edit.
    """

    path: Path
    pack: Pack | None
    problems: list[Problem] = field(default_factory=list)
    pack_id: str | None = None
    files: tuple[FileStamp, ...] = ()
    #: where each question starts: id -> (file, line of its id); empty when read from the cache
    places: dict[str, tuple[Path, int | None]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.pack is not None and not self.problems


class _PackReader:
    def __init__(self, folder: Path, strict: bool) -> None:
        self.folder = folder
        self.strict = strict
        self.folder_abs = os.path.abspath(folder)
        self.root_real = os.path.realpath(self.folder_abs)
        self.problems: list[Problem] = []
        self.files: list[FileStamp] = []
        self.sources: dict[str, Source] = {}
        self.bad_sources: set[str] = set()
        self.items = ItemReader(strict=strict, problems=self.problems, sources=self.sources,
                                bad_sources=self.bad_sources, root=folder)
        self.included: dict[str, str] = {}  # real path -> where it was included from
        self.unreadable = False  # a pack file could not be read: its questions are unknown

    # -- files -------------------------------------------------------------
    def _locate(self, name: str) -> tuple[str | None, str]:
        """The absolute path of ``name`` (relative to the pack folder), or None and why.

        The name must stay inside the pack folder both as written and once every
        symlink on the way is followed.  Nothing outside the folder is touched.
        """
        if "\x00" in name:
            return None, "has a NUL byte in its name"
        joined = os.path.normpath(os.path.join(self.folder_abs, name))
        if not _within(joined, self.folder_abs):
            return None, "is outside the pack folder"
        try:
            safe_stat(joined)
        except FileProblem as exc:
            return None, exc.message
        try:
            real = os.path.realpath(joined)
        except (OSError, ValueError, RuntimeError) as exc:  # pragma: no cover - stat succeeded
            return None, f"cannot be resolved: {exc}"
        if not _within(real, self.root_real):
            return None, "is outside the pack folder (through a symlink)"
        return joined, ""

    def _read(self, located: str) -> bytes:
        """The file's bytes (raises FileProblem); its stamp is kept for the cache."""
        raw, stamp = read_file(located)
        self.files.append(stamp)
        return raw

    def _load_yaml(self, located: str, shown: Path) -> Any:
        try:
            raw = self._read(located)
        except FileProblem as exc:
            self.unreadable = True
            hint = "; split its questions into several files listed under 'include:'" if exc.too_large else ""
            self.problems.append(Problem(shown, None, exc.message + hint))
            return None
        try:
            data, notes = load_yaml_checked(raw)
        except YamlError as exc:
            self.unreadable = True
            self.problems.append(Problem(shown, exc.line, exc.message))
            return None
        self.problems.extend(Problem(shown, line, message) for line, message in notes)
        return data

    # -- pack.yaml ---------------------------------------------------------
    def read(self) -> LoadResult:
        try:
            mode = safe_stat(self.folder).st_mode
        except FileProblem as exc:
            return self._fail(Problem(self.folder, None, exc.message))
        if not stat.S_ISDIR(mode):
            return self._fail(Problem(self.folder, None, "not a folder"))
        path = self.folder / PACK_FILE
        located, why = self._locate(PACK_FILE)
        if located is None:
            if why == "not found":
                return self._fail(Problem(self.folder, None, f"no {PACK_FILE} here; a pack folder needs one"))
            return self._fail(Problem(path, None, why))
        data = self._load_yaml(located, path)
        if data is None:
            return self._fail()
        if not isinstance(data, LMap):
            return self._fail(
                Problem(path, getattr(data, "line", 1), "pack.yaml must be a mapping of fields (id:, title:, ...)")
            )
        f = Fields(data, path, "", self.problems)
        f.unknown(_PACK_KEYS)
        pack_id = f.string("id")
        if pack_id is not None and not _ID_RE.match(pack_id):
            f.error("id", f"pack id {quoted(pack_id)} may hold only lowercase letters, digits and '-'")
            pack_id = None
        info_fields = {name: f.text(name) for name in ("title", "description", "language")}
        info_fields["version"] = f.string("version")
        optional = {name: f.text(name, required=False) for name in ("author", "license")}

        self._read_sources(f)
        self.items.read_events(data, path)
        self.items.read_questions(data, path)
        self.included[os.path.realpath(located)] = PACK_FILE
        self._follow_includes(f, [(os.path.realpath(located), PACK_FILE)])
        self.items.check_event_refs()

        if self.items.question_entries == 0 and not self.unreadable:
            self.problems.append(
                Problem(path, None, "the pack has no questions; add a 'questions:' list here or in an included file")
            )

        if self.problems or pack_id is None or None in info_fields.values():
            return LoadResult(self.folder, None, self.problems, pack_id, tuple(self.files))
        info = PackInfo(id=pack_id, **info_fields, **optional)  # type: ignore[arg-type]
        pack = Pack(
            info=info,
            path=self.folder,
            sources=dict(self.sources),
            events=tuple(self.items.events),
            questions=tuple(self.items.questions),
        )
        pack.giveaway_graph()  # built as the pack loads, so the pack cache keeps it
        return LoadResult(self.folder, pack, [], pack_id, tuple(self.files), dict(self.items.question_ids))

    def _fail(self, problem: Problem | None = None) -> LoadResult:
        if problem is not None:
            self.problems.append(problem)
        return LoadResult(self.folder, None, self.problems, None, tuple(self.files))

    # -- included files ----------------------------------------------------
    def _follow_includes(self, f: Fields, chain: list[tuple[str, str]]) -> None:
        """Read the files ``f`` lists under ``include:``; ``chain`` is the (real path,
        name) of every file from pack.yaml down to ``f``'s, to catch cycles."""
        names = f.text_list("include", required=False)
        for i, name in enumerate(names or ()):
            line = cast(LList, f.data["include"]).item_lines[i]  # text_list checked it is a list
            located, why = self._locate(name)
            if located is None:
                f.error("include", f"included file {quoted(name)} {why}", line)
                continue
            real = os.path.realpath(located)
            on_chain = [r for r, _ in chain]
            if real in on_chain:
                loop = [shown for _, shown in chain[on_chain.index(real):]] + [name]
                f.error("include", "include cycle: " + " → ".join(loop) + "; remove one of these includes", line)
                continue
            if real in self.included:
                f.error("include", f"included file {quoted(name)} is already included by {self.included[real]}", line)
                continue
            if len(chain) > MAX_INCLUDE_DEPTH:
                f.error("include", f"includes nested deeper than {MAX_INCLUDE_DEPTH} levels", line)
                continue
            self.included[real] = f"{_show_rel(f.path, self.folder)}:{line}"
            self._read_include(located, name, chain + [(real, name)])

    def _read_include(self, located: str, name: str, chain: list[tuple[str, str]]) -> None:
        path = Path(os.path.normpath(self.folder / name))
        data = self._load_yaml(located, path)
        if data is None:
            return
        if not isinstance(data, LMap):
            self.problems.append(
                Problem(
                    path,
                    getattr(data, "line", 1),
                    "an included file must be a mapping with 'events:' and/or 'questions:'",
                )
            )
            return
        f = Fields(data, path, "", self.problems)
        f.unknown(_INCLUDE_KEYS)
        self.items.read_events(data, path)
        self.items.read_questions(data, path)
        self._follow_includes(f, chain)

    # -- sources -----------------------------------------------------------
    def _read_sources(self, pack_fields: Fields) -> None:
        path = pack_fields.path
        entries = self.items.items(pack_fields.data, "sources", path, required=self.strict)
        listed = pack_fields.data.get("sources")
        if isinstance(listed, LList) and not entries and not listed:
            pack_fields.error("sources", "the pack lists no sources; leave 'sources' out if no question cites one")
        seen: dict[str, tuple[Path, int | None]] = {}
        for item, _line in entries:
            f = Fields(item, path, "source", self.problems)
            f.unknown(_SOURCE_KEYS)
            source_id = self.items.item_id(f, "source", seen)
            file_name = f.text("file")
            title = f.text("title")
            outlet = f.text("outlet")
            published = self.items.date(f, "published")
            outside = f.boolean("date_from_outside", required=False, default=False)
            text = self._source_text(f, file_name) if file_name else None
            if None in (source_id, file_name, title, outlet, published, outside, text):
                if source_id:
                    self.sources.pop(source_id, None)
                    self.bad_sources.add(source_id)
                continue
            self.sources[source_id] = Source(  # type: ignore[index]
                id=source_id, file=file_name, title=title, outlet=outlet,  # type: ignore[arg-type]
                published=published, date_from_outside=outside, text=text,  # type: ignore[arg-type]
            )

    def _source_text(self, f: Fields, name: str) -> str | None:
        located, why = self._locate(name)
        if located is None:
            f.error("file", f"source file {quoted(name)} {why}")
            return None
        try:
            raw = self._read(located)
        except FileProblem as exc:
            f.error("file", f"source file {quoted(name)} {exc.message}")
            return None
        try:
            text = read_text(raw)
        except YamlError as exc:
            f.error("file", f"source file {quoted(name)}: {exc.message}")
            return None
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        bad = first_control_char(text)
        if bad is not None:
            at, ch = bad
            shown = Path(os.path.normpath(self.folder / name))
            self.problems.append(
                Problem(shown, text.count("\n", 0, at) + 1,
                        f"the text holds the control character {describe_char(ch)}; remove it")
            )
            return None
        if not text.strip():
            f.error("file", f"source file {quoted(name)} is empty")
            return None
        return text

def _problem_order(problem: Problem) -> tuple[str, int]:
    """Problems in file order, then line order (a problem of a whole file first)."""
    return str(problem.path), problem.line or 0


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _show_rel(path: Path, folder: Path) -> str:
    try:
        return str(path.relative_to(folder))
    except ValueError:
        return path.name


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a pack is built.

    Loading makes hundreds of thousands of small containers and no cycles; the
    collector, triggered again and again by the allocations alone, would
    otherwise take most of the time of loading a large pack.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_pack(folder: Path | str, *, strict: bool = False) -> LoadResult:
    """Read the pack in ``folder``.  Never raises for bad content.

    With ``strict``, every question must cite a source and an excerpt (and the
    pack must list its sources), as ``nkstudy validate --strict`` asks.
    """
    with paused_gc():
        return _load(Path(folder), strict)


def _load(folder: Path, strict: bool) -> LoadResult:
    reader = _PackReader(folder, strict)
    try:
        result = reader.read()
        result.problems.sort(key=_problem_order)
        return result
    except RecursionError:
        reader.problems.append(Problem(folder, None, "pack is nested too deeply"))
    except Exception as exc:  # a bug here must not hide every other pack
        reader.problems.append(
            Problem(folder, None, f"nkstudy could not read this pack ({type(exc).__name__}: {exc}); please report it")
        )
    return LoadResult(folder, None, reader.problems, None, tuple(reader.files))


def is_pack_folder(folder: Path) -> bool:
    """True when ``folder`` holds an entry named pack.yaml, whatever it is: the
    loader then says what is wrong with it rather than the pack going unseen."""
    try:
        os.lstat(folder / PACK_FILE)
    except (OSError, ValueError):
        return False
    return True
