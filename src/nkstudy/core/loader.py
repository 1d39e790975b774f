"""Load a pack folder into the model, reporting every problem found."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nkstudy.core.fields import Fields, Problem
from nkstudy.core.model import (
    COMMON_FIELDS,
    DIFFICULTIES,
    EVENT_KINDS,
    QUESTION_TYPES,
    TAGS,
    Event,
    Pack,
    PackInfo,
    PartialDate,
    Question,
    Source,
)
from nkstudy.core.safeyaml import LList, LMap, YamlError, load_yaml, read_text
from nkstudy.core.text import find_passage

PACK_FILE = "pack.yaml"
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_ITEM_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_PACK_KEYS = {
    "id", "title", "version", "description", "language", "author", "license",
    "sources", "events", "questions", "include",
}
_SOURCE_KEYS = {"id", "file", "title", "outlet", "published", "date_from_outside"}
_EVENT_KEYS = {
    "id", "kind", "who", "whom", "where", "when", "when_text", "why", "why_by",
    "source", "excerpt",
}


@dataclass
class LoadResult:
    """The pack (None when it has problems) and every problem found."""

    path: Path
    pack: Pack | None
    problems: list[Problem] = field(default_factory=list)
    pack_id: str | None = None

    @property
    def ok(self) -> bool:
        return self.pack is not None and not self.problems


def _read_yaml(path: Path, problems: list[Problem]) -> Any:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        problems.append(Problem(path, None, "file not found"))
        return None
    except IsADirectoryError:
        problems.append(Problem(path, None, "is a folder, not a file"))
        return None
    except OSError as exc:
        problems.append(Problem(path, None, f"cannot read file: {exc.strerror}"))
        return None
    try:
        return load_yaml(raw)
    except YamlError as exc:
        problems.append(Problem(path, exc.line, exc.message))
        return None


def _inside(folder: Path, relative: str) -> Path | None:
    root = folder.resolve()
    candidate = (folder / relative).resolve()
    try:
        candidate.relative_to(root)
    except ValueError:
        return None
    return candidate


class _PackReader:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.problems: list[Problem] = []
        self.sources: dict[str, Source] = {}
        self.events: list[Event] = []
        self.questions: list[Question] = []
        self.event_ids: dict[str, tuple[Path, int | None]] = {}
        self.question_ids: dict[str, tuple[Path, int | None]] = {}
        # (question, path, line) to check against events once all are read
        self.event_refs: list[tuple[str, str, Path, int | None]] = []
        self.bad_sources: set[str] = set()
        self.question_entries = 0

    # -- pack.yaml ---------------------------------------------------------
    def read(self) -> LoadResult:
        path = self.folder / PACK_FILE
        if not self.folder.is_dir():
            self.problems.append(Problem(self.folder, None, "not a folder"))
            return LoadResult(self.folder, None, self.problems)
        if not path.is_file():
            self.problems.append(
                Problem(self.folder, None, f"no {PACK_FILE} here; a pack folder needs one")
            )
            return LoadResult(self.folder, None, self.problems)
        data = _read_yaml(path, self.problems)
        if data is None:
            return LoadResult(self.folder, None, self.problems)
        if not isinstance(data, LMap):
            self.problems.append(
                Problem(path, getattr(data, "line", 1), "pack.yaml must be a mapping of fields (id:, title:, ...)")
            )
            return LoadResult(self.folder, None, self.problems)
        f = Fields(data, path, "", self.problems)
        f.unknown(_PACK_KEYS)
        pack_id = f.text("id")
        if pack_id is not None and not _ID_RE.match(pack_id):
            f.error("id", f"pack id {pack_id!r} may hold only lowercase letters, digits and '-'")
            pack_id = None
        info_fields = {
            name: f.text(name) for name in ("title", "version", "description", "language")
        }
        optional = {name: f.text(name, required=False) for name in ("author", "license")}

        self._read_sources(f)
        self._read_events(data, path)
        self._read_questions(data, path)
        for inc_path in self._includes(f):
            self._read_include(inc_path)
        self._check_event_refs()

        if self.question_entries == 0:
            self.problems.append(
                Problem(path, None, "the pack has no questions; add a 'questions:' list here or in an included file")
            )

        if self.problems or pack_id is None or None in info_fields.values():
            return LoadResult(self.folder, None, self.problems, pack_id)
        info = PackInfo(id=pack_id, **info_fields, **optional)  # type: ignore[arg-type]
        pack = Pack(
            info=info,
            path=self.folder,
            sources=dict(self.sources),
            events=tuple(self.events),
            questions=tuple(self.questions),
        )
        return LoadResult(self.folder, pack, [], pack_id)

    def _includes(self, f: Fields) -> list[Path]:
        names = f.text_list("include", required=False)
        out: list[Path] = []
        for i, name in enumerate(names or ()):
            target = _inside(self.folder, name)
            line = f.data["include"].item_lines[i]
            if target is None:
                f.error("include", f"included file {name!r} is outside the pack folder", line)
            elif not target.is_file():
                f.error("include", f"included file {name!r} not found", line)
            else:
                out.append(target)
        return out

    def _read_include(self, path: Path) -> None:
        data = _read_yaml(path, self.problems)
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
        f.unknown({"events", "questions"})
        self._read_events(data, path)
        self._read_questions(data, path)

    # -- sources -----------------------------------------------------------
    def _items(self, data: LMap, key: str, path: Path, required: bool) -> list[tuple[LMap, int]]:
        value = data.get(key)
        if value is None:
            if required:
                self.problems.append(Problem(path, data.line, f"missing field '{key}'"))
            return []
        if not isinstance(value, LList):
            self.problems.append(Problem(path, data.key_lines.get(key), f"'{key}' must be a list"))
            return []
        out = []
        for item, line in zip(value, value.item_lines, strict=True):
            if not isinstance(item, LMap):
                self.problems.append(Problem(path, line, f"each entry of '{key}' must be a mapping of fields"))
                continue
            out.append((item, line))
        return out

    def _item_id(self, f: Fields, kind: str, seen: dict[str, tuple[Path, int | None]]) -> str | None:
        item_id = f.text("id")
        if item_id is None:
            return None
        if not _ITEM_ID_RE.match(item_id):
            f.error("id", f"{kind} id {item_id!r} may hold only letters, digits, '-', '_' and '.'")
            return None
        if item_id in seen:
            other_path, other_line = seen[item_id]
            where = f"{other_path.name}:{other_line}" if other_line else other_path.name
            f.error("id", f"duplicate {kind} id {item_id!r} (first used at {where})")
            return None
        seen[item_id] = (f.path, f.line("id"))
        f.label = f"{kind} '{item_id}'"
        return item_id

    def _read_sources(self, pack_fields: Fields) -> None:
        path = pack_fields.path
        entries = self._items(pack_fields.data, "sources", path, required=True)
        listed = pack_fields.data.get("sources")
        if isinstance(listed, LList) and not entries and not listed:
            pack_fields.error("sources", "the pack lists no sources")
        seen: dict[str, tuple[Path, int | None]] = {}
        for item, _line in entries:
            f = Fields(item, path, "source", self.problems)
            f.unknown(_SOURCE_KEYS)
            source_id = self._item_id(f, "source", seen)
            file_name = f.text("file")
            title = f.text("title")
            outlet = f.text("outlet")
            published = self._date(f, "published")
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
        target = _inside(self.folder, name)
        if target is None:
            f.error("file", f"source file {name!r} is outside the pack folder")
            return None
        try:
            raw = target.read_bytes()
        except FileNotFoundError:
            f.error("file", f"source file {name!r} not found")
            return None
        except OSError as exc:
            f.error("file", f"cannot read source file {name!r}: {exc.strerror}")
            return None
        try:
            text = read_text(raw)
        except YamlError as exc:
            f.error("file", f"source file {name!r}: {exc.message}")
            return None
        if not text.strip():
            f.error("file", f"source file {name!r} is empty")
            return None
        return text

    def _date(self, f: Fields, name: str) -> PartialDate | None:
        value = f.text(name)
        if value is None:
            return None
        try:
            return PartialDate.parse(value)
        except ValueError as exc:
            f.error(name, f"field '{name}': {exc}")
            return None

    def _check_excerpt(self, f: Fields, source_id: str | None, excerpt: str | None) -> bool:
        if source_id is None or excerpt is None:
            return False
        source = self.sources.get(source_id)
        if source is None:
            if source_id not in self.bad_sources:
                f.error("source", f"unknown source id {source_id!r}")
            return False
        if find_passage(source.text, excerpt) is None:
            short = excerpt if len(excerpt) <= 60 else excerpt[:57] + "..."
            f.error("excerpt", f"excerpt {short!r} is not found verbatim in source {source_id!r}")
            return False
        return True

    # -- events ------------------------------------------------------------
    def _read_events(self, data: LMap, path: Path) -> None:
        for item, _line in self._items(data, "events", path, required=False):
            f = Fields(item, path, "event", self.problems)
            f.unknown(_EVENT_KEYS)
            event_id = self._item_id(f, "event", self.event_ids)
            kind = f.text("kind")
            if kind is not None and kind not in EVENT_KINDS:
                f.error("kind", f"unknown event kind {kind!r} (use one of: {', '.join(EVENT_KINDS)})")
                kind = None
            who = f.text("who")
            whom = f.text("whom", required=False)
            where = f.text("where", required=False)
            if whom is None and where is None and "whom" not in item and "where" not in item:
                f.error(None, "needs 'whom' or 'where' (or both)")
            when = self._date(f, "when")
            values = {name: f.text(name, required=False) for name in ("when_text", "why", "why_by")}
            source_id = f.text("source")
            excerpt = f.text("excerpt")
            excerpt_ok = self._check_excerpt(f, source_id, excerpt)
            if None in (event_id, kind, who, when) or not excerpt_ok or (whom is None and where is None):
                continue
            self.events.append(
                Event(
                    id=event_id, kind=kind, who=who, when=when, source=source_id,  # type: ignore[arg-type]
                    excerpt=excerpt, whom=whom, where=where, **values,  # type: ignore[arg-type]
                )
            )

    # -- questions ---------------------------------------------------------
    def _read_questions(self, data: LMap, path: Path) -> None:
        for item, _line in self._items(data, "questions", path, required=False):
            self.question_entries += 1
            self._read_question(Fields(item, path, "question", self.problems))

    def _read_question(self, f: Fields) -> None:
        question_id = self._item_id(f, "question", self.question_ids)
        type_name = f.text("type")
        cls = None
        if type_name is not None:
            cls = QUESTION_TYPES.get(type_name)
            if cls is None:
                f.error("type", f"unknown question type {type_name!r} (use one of: {', '.join(QUESTION_TYPES)})")
        prompt = f.text("prompt")
        source_id = f.text("source")
        excerpt = f.text("excerpt")
        explanation = f.text("explanation", required=False)
        tags = f.text_list("tags", required=False)
        if tags:
            bad = [t for t in tags if t not in TAGS]
            if bad:
                f.error("tags", f"unknown tag {bad[0]!r} (use any of: {', '.join(TAGS)})")
                tags = None
        difficulty = f.text("difficulty", required=False) or "medium"
        if difficulty not in DIFFICULTIES:
            f.error("difficulty", f"difficulty must be one of: {', '.join(DIFFICULTIES)}")
            difficulty = None
        event_id = f.text("event", required=False)
        excerpt_ok = self._check_excerpt(f, source_id, excerpt)
        own = None
        if cls is not None:
            f.unknown(COMMON_FIELDS | cls.own_fields())
            own = cls.read(f)
        if event_id is not None and question_id is not None:
            self.event_refs.append((question_id, event_id, f.path, f.line("event")))
        if None in (question_id, cls, prompt, tags, difficulty, own) or not excerpt_ok:
            return
        assert cls is not None and own is not None
        self.questions.append(
            cls(
                id=question_id, prompt=prompt, source=source_id, excerpt=excerpt,  # type: ignore[arg-type]
                explanation=explanation, tags=tags, difficulty=difficulty,  # type: ignore[arg-type]
                event=event_id, **own,
            )
        )

    def _check_event_refs(self) -> None:
        for question_id, event_id, path, line in self.event_refs:
            if event_id not in self.event_ids:
                self.problems.append(
                    Problem(path, line, f"question '{question_id}': unknown event id {event_id!r}")
                )


def load_pack(folder: Path | str) -> LoadResult:
    """Read the pack in ``folder``.  Never raises for bad content."""
    reader = _PackReader(Path(folder))
    try:
        return reader.read()
    except RecursionError:
        reader.problems.append(Problem(Path(folder), None, "pack is nested too deeply"))
        return LoadResult(Path(folder), None, reader.problems)


def is_pack_folder(folder: Path) -> bool:
    return (folder / PACK_FILE).is_file()
