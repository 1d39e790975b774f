"""Reading the items of a pack: events and questions, their ids, dates and cited excerpts.

An :class:`ItemReader` is a part of the pack reader (``loader._PackReader``): the pack reader
reads files and sources, and hands each file's mapping to its item reader.
"""

from __future__ import annotations

import re
from pathlib import Path

from nkstudy.core.media import check_file
from nkstudy.core.model import (
    COMMON_FIELDS,
    DIFFICULTIES,
    EVENT_KINDS,
    QUESTION_TYPES,
    Event,
    PartialDate,
    Question,
    Source,
)
from nkstudy.core.packs.fields import Fields, Problem
from nkstudy.core.packs.safeyaml import LList, LMap
from nkstudy.core.questions.base import TAG_RULE, is_tag
from nkstudy.core.text import closest_passage, fold_passage, quoted

_ITEM_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_EVENT_KEYS = {
    "id", "kind", "who", "whom", "where", "when", "when_text", "why", "why_by",
    "source", "excerpt", "part_of",
}


class ItemReader:
    """Events and questions, read from their YAML mappings into the model, every problem kept.

    It shares the pack reader's problem list and its sources (read first, from pack.yaml);
    everything else here is its own.
    """

    def __init__(self, *, strict: bool, problems: list[Problem], sources: dict[str, Source],
                 bad_sources: set[str], root: Path | None = None) -> None:
        self.strict = strict
        self.root = root
        self.problems = problems
        self.sources = sources
        self.bad_sources = bad_sources
        self.folded: dict[str, str] = {}  # source id -> folded text, folded once
        self.events: list[Event] = []
        self.questions: list[Question] = []
        self.event_ids: dict[str, tuple[Path, int | None]] = {}
        self.question_ids: dict[str, tuple[Path, int | None]] = {}
        # (question, event, path, line) to check against events once all are read
        self.event_refs: list[tuple[str, str, Path, int | None]] = []
        # (event, the event it is part of, path, line) to check once all events are read
        self.part_refs: list[tuple[str, str, Path, int | None]] = []
        # (question, related ids, path, line) to check against question ids once all are read
        self.related_refs: list[tuple[str, tuple[str, ...], Path, int | None]] = []
        self.question_entries = 0
        self.allowed: dict[type[Question], set[str]] = {}

    def items(self, data: LMap, key: str, path: Path, required: bool) -> list[tuple[LMap, int]]:
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

    def item_id(self, f: Fields, kind: str, seen: dict[str, tuple[Path, int | None]]) -> str | None:
        item_id = f.string("id")
        if item_id is None:
            return None
        if not _ITEM_ID_RE.match(item_id):
            f.error("id", f"{kind} id {quoted(item_id)} may hold only letters, digits, '-', '_' and '.'")
            return None
        if item_id in seen:
            other_path, other_line = seen[item_id]
            where = f"{other_path.name}:{other_line}" if other_line else other_path.name
            f.error("id", f"duplicate {kind} id {quoted(item_id)} (first used at {where})")
            return None
        seen[item_id] = (f.path, f.line("id"))
        f.label = f"{kind} '{item_id}'"
        return item_id

    def date(self, f: Fields, name: str) -> PartialDate | None:
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
                f.error("source", f"unknown source id {quoted(source_id)}")
            return False
        folded = self.folded.get(source_id)
        if folded is None:
            folded = self.folded[source_id] = fold_passage(source.text)
        wanted = fold_passage(excerpt)
        if not wanted or wanted not in folded:
            short = excerpt if len(excerpt) <= 60 else excerpt[:57] + "..."
            near = closest_passage(source.text, excerpt)
            hint = ""
            if near is not None:
                line, passage = near
                passage = passage if len(passage) <= 100 else passage[:97] + "..."
                hint = f"; the closest passage is at {source.file}:{line}: {quoted(passage)}"
            f.error("excerpt", f"excerpt {quoted(short)} is not found verbatim in source {quoted(source_id)}{hint}")
            return False
        return True

    # -- events ------------------------------------------------------------
    def read_events(self, data: LMap, path: Path) -> None:
        for item, _line in self.items(data, "events", path, required=False):
            f = Fields(item, path, "event", self.problems)
            f.unknown(_EVENT_KEYS)
            event_id = self.item_id(f, "event", self.event_ids)
            kind = f.text("kind")
            if kind is not None and kind not in EVENT_KINDS:
                f.error("kind", f"unknown event kind {quoted(kind)} (use one of: {', '.join(EVENT_KINDS)})")
                kind = None
            who = f.text("who")
            whom = f.text("whom", required=False)
            where = f.text("where", required=False)
            if whom is None and where is None and "whom" not in item and "where" not in item:
                f.error(None, "needs 'whom' or 'where' (or both)")
            when = self.date(f, "when")
            values = {name: f.text(name, required=False) for name in ("when_text", "why", "why_by")}
            source_id = f.string("source")
            excerpt = f.text("excerpt")
            excerpt_ok = self._check_excerpt(f, source_id, excerpt)
            part_of = f.string("part_of", required=False)
            if part_of is not None and event_id is not None:
                self.part_refs.append((event_id, part_of, f.path, f.line("part_of")))
            if None in (event_id, kind, who, when) or not excerpt_ok or (whom is None and where is None):
                continue
            self.events.append(
                Event(
                    id=event_id, kind=kind, who=who, when=when, source=source_id,  # type: ignore[arg-type]
                    excerpt=excerpt, whom=whom, where=where, part_of=part_of, **values,  # type: ignore[arg-type]
                )
            )

    # -- questions ---------------------------------------------------------
    def read_questions(self, data: LMap, path: Path) -> None:
        for item, _line in self.items(data, "questions", path, required=False):
            self.question_entries += 1
            self._read_question(Fields(item, path, "question", self.problems))

    def _citation(self, f: Fields) -> tuple[str | None, str | None, bool]:
        """The question's source id and excerpt, and whether they are fine.

        Both or neither: a question may cite no source, unless the load is strict.
        """
        has_source = f.data.get("source") is not None
        has_excerpt = f.data.get("excerpt") is not None
        if not has_source and not has_excerpt:
            f.used.update(("source", "excerpt"))
            if self.strict:
                f.error(None, "cites no source: add 'source' and 'excerpt' (required by --strict)")
                return None, None, False
            return None, None, True
        if has_source != has_excerpt:
            given, missing = ("source", "excerpt") if has_source else ("excerpt", "source")
            f.used.update(("source", "excerpt"))
            f.error(given, f"has '{given}' but no '{missing}'; give both or neither")
            return None, None, False
        source_id = f.string("source")
        excerpt = f.text("excerpt")
        return source_id, excerpt, self._check_excerpt(f, source_id, excerpt)

    def _read_question(self, f: Fields) -> None:
        question_id = self.item_id(f, "question", self.question_ids)
        type_name = f.text("type")
        cls = None
        if type_name is not None:
            cls = QUESTION_TYPES.get(type_name)
            if cls is None:
                f.error("type", f"unknown question type {quoted(type_name)} (use one of: {', '.join(QUESTION_TYPES)})")
        prompt = f.text("prompt")
        source_id, excerpt, citation_ok = self._citation(f)
        explanation = f.text("explanation", required=False)
        tags = f.text_list("tags", required=False)
        if tags:
            bad = [t for t in tags if not is_tag(t)]
            if bad:
                f.error("tags", f"tag {quoted(bad[0])} does not fit: {TAG_RULE}")
                tags = None
        difficulty: str | None = f.text("difficulty", required=False) or "medium"
        if difficulty not in DIFFICULTIES:
            f.error("difficulty", f"difficulty must be one of: {', '.join(DIFFICULTIES)}")
            difficulty = None
        event_id = f.string("event", required=False)
        related = f.text_list("related", required=False)
        media = self._media(f)
        own = None
        if cls is not None:
            allowed = self.allowed.get(cls)
            if allowed is None:
                allowed = self.allowed[cls] = COMMON_FIELDS | cls.own_fields()
            f.unknown(allowed)
            own = cls.read(f)
        if event_id is not None and question_id is not None:
            self.event_refs.append((question_id, event_id, f.path, f.line("event")))
        if related and question_id is not None:
            self.related_refs.append((question_id, related, f.path, f.line("related")))
        if None in (question_id, cls, prompt, tags, difficulty, own, related, media) or not citation_ok:
            return
        assert cls is not None and own is not None
        self.questions.append(
            cls(
                id=question_id, prompt=prompt, source=source_id, excerpt=excerpt,  # type: ignore[arg-type]
                explanation=explanation, tags=tags, difficulty=difficulty,  # type: ignore[arg-type]
                event=event_id, related=related, media=media, **own,  # type: ignore[arg-type]
            )
        )

    def _media(self, f: Fields) -> tuple[str, ...] | None:
        """The question's ``media:`` files, each checked in the pack (a real image or sound, in media/)."""
        media = f.text_list("media", required=False)
        if not media or self.root is None:
            return media
        ok = True
        for entry in media:
            problem = check_file(self.root, entry)
            if problem is not None:
                f.error("media", problem)
                ok = False
        return media if ok else None

    def check_event_refs(self) -> None:
        self._check_parts()
        for question_id, event_id, path, line in self.event_refs:
            if event_id not in self.event_ids:
                self.problems.append(
                    Problem(path, line, f"question '{question_id}': unknown event id {quoted(event_id)}")
                )
        for question_id, related, path, line in self.related_refs:
            for other in related:
                if other == question_id:
                    self.problems.append(Problem(path, line, f"question '{question_id}': 'related' lists the "
                                                             "question itself; list other questions' ids"))
                elif other not in self.question_ids:
                    self.problems.append(Problem(path, line, f"question '{question_id}': 'related' names "
                                                             f"unknown question id {quoted(other)}"))

    def _check_parts(self) -> None:
        """Every ``part_of`` names another event of the pack, and no chain of them comes back to itself."""
        parent: dict[str, str] = {}
        where: dict[str, tuple[Path, int | None]] = {}
        for event_id, part_of, path, line in self.part_refs:
            if part_of == event_id:
                self.problems.append(Problem(path, line, f"event '{event_id}': 'part_of' names the event "
                                                         "itself; name the event it is a part of"))
            elif part_of not in self.event_ids:
                self.problems.append(Problem(path, line, f"event '{event_id}': 'part_of' names unknown event "
                                                         f"id {quoted(part_of)}"))
            else:
                parent[event_id] = part_of
                where[event_id] = (path, line)
        done: set[str] = set()
        for start in parent:  # in file order, so a cycle is reported at its first event
            chain: list[str] = []
            node: str | None = start
            while node is not None and node not in done and node not in chain:
                chain.append(node)
                node = parent.get(node)
            if node is not None and node in chain:
                loop = chain[chain.index(node):]
                path, line = where[loop[0]]
                self.problems.append(Problem(path, line, "'part_of' goes round in a cycle: "
                                             + " → ".join([*loop, loop[0]]) + "; remove one of these part_of"))
            done.update(chain)
