"""What every format shares: reading text files, HTML to text, and the import result.

Importers turn a file into :class:`ImportResult`: model questions (checked by each
question class's own ``read``, exactly as the loader checks them), one line per
skipped item, notes and one-line errors.  Nothing here prints.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, NotRequired, TypedDict

from nkstudy.core.model import QUESTION_TYPES, Pack, Question
from nkstudy.core.packs.fields import Fields, Problem
from nkstudy.core.packs.safeyaml import FileProblem, LList, LMap, read_file
from nkstudy.core.questions.base import MAX_TAG_LENGTH, is_tag
from nkstudy.core.text import control_chars_in, describe_char, quoted
from nkstudy.formats.htmltext import HtmlText as HtmlText
from nkstudy.formats.htmltext import html_to_text as html_to_text
from nkstudy.formats.htmltext import tidy as tidy

MAX_INPUT_BYTES = 50 * 1024 * 1024  # a text file to import


@dataclass(frozen=True)
class ImportOptions:
    """How to read files whose layout the file itself may not say (spreadsheets, Quizlet)."""

    as_typed: bool = False  #: rows become typed questions, not cards
    columns: list[str] | None = None  #: what each column holds (``--columns prompt,answer,tags``)
    separator: str | None = None  #: between a row's cells (``--separator``); one or more characters
    row_separator: str | None = None  #: between rows, when not a line break (Quizlet's custom one)
    header: str = "auto"  #: the first row names the columns: "yes", "no" or "auto"
    whole_pack: bool = True  #: one file is imported: the name it gives its questions titles the pack, not a tag


def content_id(*texts: str) -> str:
    """A question id made from its text, for a source with no ids of its own: a re-import of the
    same file gives the same ids, whatever order its rows come in."""
    import hashlib

    digest = hashlib.sha256("\x1f".join(texts[:1]).encode("utf-8")).hexdigest()[:6]
    return f"{slug(texts[0], 24) or 'q'}-{digest}"


class FormatError(Exception):
    """Input that cannot be read, as one line: ``file:line: what is wrong``."""

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.path = Path(path)
        self.line = line
        self.message = message
        super().__init__(self.format())

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"


class UnclearFormat(FormatError):
    """The kind of a file cannot be told from its name or its content: a usage error (exit 2)."""


@dataclass
class TextFile:
    """A decoded text file with LF line ends, and a note when it was not UTF-8."""

    path: Path
    text: str
    encoding: str
    note: str | None = None


def decode_text(raw: bytes, path: Path) -> TextFile:
    """UTF-8 (with or without BOM), else Windows-1252 with a note; LF, CRLF or CR."""
    if b"\x00" in raw[:65536]:
        raise FormatError(path, None, "file is binary, not text; give a text export of your questions")
    note = None
    if raw.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    else:
        encoding = "utf-8"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
            encoding = "cp1252"
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
            encoding = "latin-1"
        note = f"{path}: not UTF-8; read as Windows-1252 (save it as UTF-8 to be sure of accents)"
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return TextFile(path, text, encoding, note)


def read_input(path: Path, limit: int | None = None) -> bytes:
    """The bytes of a file to import, through the pack loader's safe reader: a regular
    file only (never a FIFO or a device), refused unread when over the limit."""
    try:
        raw, _ = read_file(path, MAX_INPUT_BYTES if limit is None else limit)
    except FileProblem as exc:
        hint = "; split it into smaller files" if exc.too_large else ""
        message = "file not found" if exc.message == "not found" else exc.message
        raise FormatError(path, None, message + hint) from None
    return raw


def read_text_file(path: Path) -> TextFile:
    return decode_text(read_input(path), path)


def import_text_file(path: Path, import_text: Callable[[str, Path, ImportResult], None]) -> ImportResult:
    """Read ``path`` as text (a note when it was not UTF-8) and import it with ``import_text``."""
    result = ImportResult(files=[path])
    source = read_text_file(path)
    result.note(source.note)
    import_text(source.text, path, result)
    return result


def check_new_folder(folder: Path) -> None:
    """Raise FormatError unless ``folder`` is missing or an empty folder (somewhere to write a pack)."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise FormatError(folder, None, "already exists and is not an empty folder; choose a new folder")


def unique_name(name: str, used: set[str]) -> str:
    """``name``, or ``name-2``, ``name-3``, ... when it is taken; the result is added to ``used``."""
    candidate, n = name, 2
    while candidate in used:
        candidate, n = f"{name}-{n}", n + 1
    used.add(candidate)
    return candidate


def cloze_split(prompt: str) -> tuple[str, str]:
    """A cloze prompt's text before and after its blank (three or more underscores)."""
    blank = re.search(r"_{3,}", prompt)
    assert blank is not None  # the loader accepts no cloze question without its blank
    return prompt[: blank.start()], prompt[blank.end() :]


def one_line(text: str, limit: int = 50) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


# -- results --------------------------------------------------------------------

_ID_CHARS = re.compile(r"[^a-z0-9]+")
_ITEM_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def slug(text: str, limit: int = 40) -> str:
    import unicodedata

    if _SLUG.fullmatch(text) and len(text) <= limit:
        return text  # already one (an id made by content_id, on a large import)
    ascii_text = text if text.isascii() else unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    out = _ID_CHARS.sub("-", ascii_text.casefold()).strip("-")
    return out[:limit].strip("-")


_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


_TAG_CHARS = re.compile(r"[^a-z0-9_.]+")
_MOODLE_CONTEXT = re.compile(r"^\$[a-z0-9]+\$$")


@lru_cache(maxsize=4096)
def tag_from(label: str) -> str | None:
    """An Anki tag or a Moodle category as an nkstudy tag (see ``core.question.TAG_RULE``), or None.

    Lowercase, accents dropped, other runs of characters as ``-``; the hierarchy
    separators ``::`` (Anki) and ``/`` (Moodle) become ``.``, and Moodle's context
    prefix (``$course$/top/``) is left out: ``Geo::Europe`` gives ``geo.europe``,
    ``$course$/top/Default for Maths`` gives ``default-for-maths``.
    """
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode("ascii").casefold()
    parts = [p.strip() for p in re.split(r"::|/", ascii_text)]
    if parts and _MOODLE_CONTEXT.match(parts[0]):
        parts = parts[1:]
        if parts and parts[0] == "top":
            parts = parts[1:]
    segments = [_TAG_CHARS.sub("-", p).strip("-_.") for p in parts]
    tag = ".".join(s for s in segments if s)[:MAX_TAG_LENGTH].rstrip("-_.")
    return tag if is_tag(tag) else None


PACK_ID_RULE = "use lowercase letters, digits and '-'"
_PACK_ID_RE = re.compile(r"[a-z0-9][a-z0-9-]*")


def pack_id_for(folder: Path, given: str | None, default: str) -> str:
    """The pack id for a new pack folder: ``given``, else one made from the folder's name, else ``default``.

    Raises ValueError (one line) when ``given`` does not follow the pack id rule of docs/packs.md.
    """
    pack_id = given or slug(folder.resolve().name) or default
    if _PACK_ID_RE.fullmatch(pack_id) is None:
        raise ValueError(f"--id {quoted(pack_id)}: {PACK_ID_RULE}")
    return pack_id


def _lmap(value: Mapping[str, object], line: int) -> LMap:
    """A mapping of plain Python data as the loader's line-aware YAML types."""
    out = LMap()
    out.line = line
    out.key_lines = {}
    for k, v in value.items():
        out[k] = _yaml_value(v, line)
        out.key_lines[k] = line
    return out


def _yaml_value(value: object, line: int) -> object:
    """Plain Python data as the loader's line-aware YAML types."""
    if isinstance(value, dict):
        return _lmap(value, line)
    if isinstance(value, (list, tuple)):
        seq = LList(_yaml_value(v, line) for v in value)
        seq.line = line
        seq.item_lines = [line] * len(seq)
        return seq
    return value


class Entry(TypedDict):
    """A question as an importer found it, in the shape pack YAML holds it (checked by :meth:`ImportResult.add`)."""

    type: str
    prompt: str
    explanation: NotRequired[str | None]
    #: choice, typed, cloze: the right text; multi: the right options; truefalse: the verdict
    answer: NotRequired[str | bool | list[str]]
    accept: NotRequired[list[str]]
    options: NotRequired[list[str]]
    back: NotRequired[str]
    pairs: NotRequired[list[tuple[str, str]]]
    #: an id to start from when no name is given to :meth:`ImportResult.add`
    id: NotRequired[str]
    #: tags as the other tool wrote them; each becomes an nkstudy tag through :func:`tag_from`
    tags: NotRequired[list[str]]
    #: nkstudy's own export only: the citation, difficulty, event and related questions
    source: NotRequired[str]
    excerpt: NotRequired[str]
    difficulty: NotRequired[str]
    event: NotRequired[str]
    related: NotRequired[list[str]]
    #: media entries ("media/x.png") already kept in :attr:`ImportResult.media`; others are dropped
    media: NotRequired[list[str]]


@dataclass(frozen=True, slots=True)
class Imported:
    """One imported question and where it came from."""

    question: Question
    origin: Path
    line: int | None
    #: tags from the other tool (categories, Anki tags) as they were; the question holds them as nkstudy tags
    labels: tuple[str, ...] = ()


@dataclass
class ImportResult:
    """What one or more files gave: questions, skips, notes, errors (one line each)."""

    items: list[Imported] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    #: what a pack-level source (nkstudy's own JSON export) says beside its questions: its
    #: "pack" (id, title, ...), "sources" (with their text) and "events", as the export has them
    pack_data: dict[str, Any] = field(default_factory=dict)
    #: media files to write into the pack: "media/NAME" -> bytes, each checked (formats/media.py)
    media: dict[str, bytes] = field(default_factory=dict)
    title: str | None = None  #: the name the file gives its questions' pack (GIFT's opening $CATEGORY)
    _ids: set[str] = field(default_factory=set)
    _untaggable: set[str] = field(default_factory=set)
    #: one shared tuple for each distinct set of tags or labels (a large sheet repeats a few)
    _shared: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)

    @property
    def questions(self) -> list[Question]:
        return [item.question for item in self.items]

    def skip(self, path: Path, line: int | None, what: str, why: str) -> None:
        where = f"{path}:{line}" if line else str(path)
        self.skipped.append(f"{where}: skipped {what}: {why}")

    def error(self, path: Path, line: int | None, message: str) -> None:
        self.errors.append(FormatError(path, line, message).format())

    def note(self, message: str | None) -> None:
        if message:
            self.notes.append(message)

    def new_id(self, hint: str | None, exact: bool = False) -> str:
        """A new question id from ``hint`` (kept as it is with ``exact``, when it is a valid id)."""
        base = hint if exact and hint and _ITEM_ID.match(hint) else slug(hint or "") or f"q{len(self.items) + 1}"
        if not base[0].isalnum():
            base = "q" + base
        candidate, n = base, 2
        while candidate in self._ids:
            candidate = f"{base}-{n}"
            n += 1
        self._ids.add(candidate)
        return candidate

    def add(
        self,
        entry: Entry,
        path: Path,
        line: int | None,
        *,
        name: str | None = None,
        labels: tuple[str, ...] | list[str] = (),
        what: str | None = None,
        exact_id: bool = False,
    ) -> Question | None:
        """Check ``entry`` (a question as pack YAML would hold it) with its class; keep it or skip it."""
        cls = QUESTION_TYPES[entry["type"]]
        prompt = entry.get("prompt")

        def label() -> str:  # made only for a skip: most rows of a large import need none
            return what or f"{entry['type']} question {quoted(one_line(str(prompt or '')))}"

        if not isinstance(prompt, str) or not prompt.strip():
            self.skip(path, line, label(), "it has no question text")
            return None
        controls = control_chars_in([*entry.items(), ("tags", list(labels))])
        if controls:
            for field_name, char in controls:
                self.skip(path, line, label(), f"its {field_name} holds the control character "
                                               f"{describe_char(char)}; remove it from the file")
            return None
        problems: list[Problem] = []
        own = cls.read(Fields(_lmap(entry, line or 0), path, "", problems))
        if own is None or problems:
            reason = problems[0].message if problems else "nkstudy cannot hold it"
            self.skip(path, line, label(), reason)
            return None
        raw_tags = [*(entry.get("tags") or ()), *labels]
        question = cls(
            id=self.new_id(name or entry.get("id"), exact_id),
            prompt=prompt.strip(),
            # questions from another tool cite no source (`validate --strict` says so); nkstudy's
            # own export keeps its citations, difficulty, event and related questions
            source=entry.get("source"),
            excerpt=entry.get("excerpt"),
            explanation=(entry.get("explanation") or "").strip() or None,
            tags=self._tags(raw_tags, path),
            difficulty=entry.get("difficulty") or "medium",
            event=entry.get("event"),
            related=tuple(entry.get("related") or ()),
            media=tuple(m for m in entry.get("media") or () if m in self.media),
            **own,
        )
        kept = tuple(dict.fromkeys(labels))
        self.items.append(Imported(question, path, line, self._shared.setdefault(kept, kept)))
        return question

    def link(self, questions: list[Question]) -> list[Question]:
        """Link ``questions`` (siblings from one note) to each other with ``related:``."""
        if len(questions) < 2:
            return questions
        from dataclasses import replace

        ids = [q.id for q in questions]
        linked = {q.id: replace(q, related=tuple(i for i in ids if i != q.id)) for q in questions}
        left = len(linked)
        for n in range(len(self.items) - 1, -1, -1):  # they were just added: look from the end
            item = self.items[n]
            if item.question.id in linked:
                self.items[n] = Imported(linked[item.question.id], item.origin, item.line, item.labels)
                left -= 1
                if not left:
                    break
        return list(linked.values())

    def _tags(self, labels: list[str], path: Path) -> tuple[str, ...]:
        """``labels`` as nkstudy tags, in order, once each; a note (once per label) for one that cannot be."""
        tags: list[str] = []
        for label in labels:
            tag = tag_from(label)
            if tag is None:
                if label not in self._untaggable:
                    self._untaggable.add(label)
                    self.note(f"{path}: tag {quoted(label)} left out: it has no letters a-z or digits to make a tag of")
            elif tag not in tags:
                tags.append(tag)
        shared = tuple(tags)
        return self._shared.setdefault(shared, shared)

    def extend(self, other: ImportResult) -> None:
        for item in other.items:
            q = item.question
            if q.id in self._ids:
                from dataclasses import replace

                q = replace(q, id=self.new_id(q.id))
                item = Imported(q, item.origin, item.line, item.labels)
            else:
                self._ids.add(q.id)
            self.items.append(item)
        self.skipped += other.skipped
        self.notes += other.notes
        self.errors += other.errors
        self.files += other.files
        self.media.update(other.media)
        self.title = self.title or other.title
        for key, value in other.pack_data.items():
            if key == "pack":
                self.pack_data.setdefault(key, value)
            else:
                self.pack_data.setdefault(key, []).extend(value)

    def used_media(self) -> list[str]:
        """The kept media files some imported question names (a skipped question's are dropped)."""
        return [m for m in dict.fromkeys(m for item in self.items for m in item.question.media) if m in self.media]

    def summary(self) -> str:
        n, s, e, m = len(self.items), len(self.skipped), len(self.errors), len(self.used_media())
        return f"imported {n} question{'s' if n != 1 else ''}, skipped {s}" + (
            f", {e} error{'s' if e != 1 else ''}" if e else "") + (
            f", {m} picture or sound file{'s' if m != 1 else ''} into media/" if m else "")


def citation(q: Question, pack: Pack) -> str:
    """A question's explanation, excerpt and source as plain text, for a feedback or extra field."""
    parts = []
    if q.explanation:
        parts.append(q.explanation)
    source = pack.sources.get(q.source) if q.source else None
    if q.excerpt:
        parts.append(f"“{' '.join(q.excerpt.split())}”")
    if source is not None:
        parts.append(f"Source: {source.title} ({source.dateline()})")
    return "\n".join(parts)
