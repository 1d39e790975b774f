"""Anki packages (.apkg): read collection.anki2 / .anki21 / .anki21b (zstd), write with genanki.

Reading an .apkg means reading the SQLite collection inside it; that is reading a
file format, so it uses the standard library's sqlite3 on an in-memory copy.
Notes are classified by their templates, not by their (translated) names:
``{{cloze:...}}`` gives one cloze question per deletion, ``{{type:...}}`` a typed
question, image occlusion is skipped, anything else a card (first field front,
second field back; a "reversed" card type adds nothing new).
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import random
import re
import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nkstudy.core.model import (
    CardQuestion,
    ChoiceQuestion,
    ClozeQuestion,
    MatchQuestion,
    MultiQuestion,
    OrderQuestion,
    Pack,
    Question,
    TrueFalseQuestion,
    TypedQuestion,
)
from nkstudy.core.questions import Unsupported, for_type
from nkstudy.core.text import quoted
from nkstudy.formats.common import FormatError, ImportResult, citation, cloze_split, html_to_text, one_line

_SOUND_RE = re.compile(r"\[sound:([^\]]+)\]")
_CLOZE_RE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.S)
_TYPE_RE = re.compile(r"\{\{type:(?:[a-z]+:)*([^}]+)\}\}")
_FIELD_RE = re.compile(r"\{\{(?:[#^/]?)(?:[a-z-]+:)*([^}#^/][^}]*)\}\}")
MAX_COLLECTION = 512 * 1024 * 1024
_MARKER = "\x00BLANK\x00"


class _Notetype:
    def __init__(self, name: str, fields: list[str], templates: list[str], kind: int | None = None) -> None:
        self.name = name
        self.fields = fields
        self.templates = templates
        joined = "\n".join(templates)
        if "{{cloze:" in joined or kind == 1:
            self.kind = "cloze"
        elif "image-occlusion" in joined or "image occlusion" in name.casefold():
            self.kind = "occlusion"
        elif "{{type:" in joined:
            self.kind = "typed"
        else:
            self.kind = "card"

    def typed_field(self) -> str | None:
        m = _TYPE_RE.search("\n".join(self.templates))
        return m.group(1).strip() if m else None


def _open_collection(path: Path) -> sqlite3.Connection:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise FormatError(path, None, f"not an Anki package (.apkg is a zip file): {exc}") from None
    with archive:
        names = set(archive.namelist())
        for member in ("collection.anki21b", "collection.anki21", "collection.anki2"):
            if member in names:
                break
        else:
            raise FormatError(path, None, "no collection.anki2, .anki21 or .anki21b inside; is it an Anki package?")
        info = archive.getinfo(member)
        if info.file_size > MAX_COLLECTION:
            raise FormatError(path, None, "the collection inside is larger than 512 MB")
        data = archive.read(member)
    if member.endswith("b"):
        try:
            import zstandard
        except ImportError:
            raise FormatError(path, None, "reading a .anki21b collection needs the 'zstandard' package") from None
        try:
            data = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data)).read()
        except zstandard.ZstdError as exc:
            raise FormatError(path, None, f"{member} is not valid zstd data: {exc}") from None
    if data[:16] == b"SQLite format 3\x00" and data[18:20] == b"\x02\x02":
        data = data[:18] + b"\x01\x01" + data[20:]  # a WAL-mode file: read it as a plain one in memory
    db = sqlite3.connect(":memory:")
    try:
        db.deserialize(data)
        db.execute("select count(*) from notes").fetchone()
    except sqlite3.DatabaseError as exc:
        db.close()
        raise FormatError(path, None, f"{member} is not a readable Anki collection: {exc}") from None
    return db


def _notetypes(db: sqlite3.Connection) -> dict[int, _Notetype]:
    tables = {r[0] for r in db.execute("select name from sqlite_master where type='table'")}
    out: dict[int, _Notetype] = {}
    if "notetypes" in tables:
        for ntid, name, config in db.execute("select id, name, config from notetypes"):
            fields = [r[0] for r in db.execute("select name from fields where ntid=? order by ord", (ntid,))]
            templates = [
                bytes(r[0]).decode("utf-8", "replace")
                for r in db.execute("select config from templates where ntid=? order by ord", (ntid,))
            ]
            # config's first varint field is the kind: 0 normal, 1 cloze (protobuf field 1)
            kind = 1 if config and bytes(config)[:2] == b"\x08\x01" else None
            out[int(ntid)] = _Notetype(name, fields, templates, kind)
        return out
    row = db.execute("select models from col").fetchone()
    # JSON from the collection, read with .get and defaults: Any is what json.loads gives
    models: dict[str, Any] = json.loads(row[0]) if row and row[0] else {}
    for mid, m in models.items():
        templates = [t.get("qfmt", "") + "\n" + t.get("afmt", "") for t in m.get("tmpls", [])]
        out[int(mid)] = _Notetype(m.get("name", ""), [f["name"] for f in m.get("flds", [])], templates, m.get("type"))
    return out


def _plain(field: str) -> tuple[str, list[str]]:
    media = _SOUND_RE.findall(field)
    converted = html_to_text(_SOUND_RE.sub("", field))
    return converted.text, media + list(converted.media)


def import_file(path: Path) -> ImportResult:
    result = ImportResult(files=[path])
    db = _open_collection(path)
    try:
        types = _notetypes(db)
        rows = db.execute("select id, mid, tags, flds from notes order by id").fetchall()
    except sqlite3.DatabaseError as exc:
        raise FormatError(path, None, f"not a readable Anki collection: {exc}") from None
    finally:
        db.close()
    if not rows:
        result.note(f"{path}: the package holds no notes")
    for note_id, mid, tags, flds in rows:
        nt = types.get(int(mid))
        fields = flds.split("\x1f")
        labels = [t for t in (tags or "").split() if t]
        what = f"Anki note {note_id}"
        if nt is None:
            result.skip(path, None, what, "its note type is missing from the collection")
            continue
        what = f"Anki {quoted(nt.name)} note {quoted(one_line(html_to_text(fields[0]).text, 40))}"
        if nt.kind == "occlusion":
            result.skip(path, None, what, "image occlusion needs the picture; nkstudy questions are text")
            continue
        plain = []
        media: list[str] = []
        for f in fields:
            text, found = _plain(f)
            plain.append(text)
            media += found
        if media:
            result.note(f"{path}: media left out of {what}: {', '.join(media)}")
        extra = ""
        named = dict(zip(nt.fields, plain, strict=False))
        for key in ("Extra", "Back Extra"):
            if named.get(key):
                extra = named[key]
        if nt.kind == "cloze":
            _cloze(fields[0], extra, path, what, labels, note_id, result)
        elif nt.kind == "typed":
            answer_field = nt.typed_field()
            answer = named.get(answer_field or "", "") if answer_field else ""
            result.add(
                {"type": "typed", "prompt": plain[0], "answer": answer, "explanation": extra},
                path,
                None,
                labels=labels,
                what=what,
                name=f"anki-{note_id}",
            )
        else:
            if len(plain) < 2 or not plain[0] or not plain[1]:
                result.skip(
                    path, None, what, "it needs text on both the front and the back (media alone cannot be shown)"
                )
                continue
            result.add(
                {"type": "card", "prompt": plain[0], "back": plain[1], "explanation": extra},
                path,
                None,
                labels=labels,
                what=what,
                name=f"anki-{note_id}",
            )
    return result


def _cloze(raw: str, extra: str, path: Path, what: str, labels: list[str], note_id: int, result: ImportResult) -> None:
    numbers = sorted({int(m.group(1)) for m in _CLOZE_RE.finditer(raw)})
    if not numbers:
        result.skip(path, None, what, "its cloze text has no {{c1::...}} deletion")
        return
    for n in numbers:
        hits = [m for m in _CLOZE_RE.finditer(raw) if int(m.group(1)) == n]
        if len(hits) > 1:
            result.skip(
                path, None, f"{what} deletion c{n}", "it blanks several places at once; nkstudy's cloze has one blank"
            )
            continue
        prompt, _ = _plain(_blank_deletion(raw, n))
        prompt = prompt.replace(_MARKER, "_____")
        answer, _ = _plain(hits[0].group(2))
        result.add(
            {"type": "cloze", "prompt": prompt, "answer": answer, "explanation": extra},
            path,
            None,
            labels=labels,
            what=f"{what} deletion c{n}",
            name=f"anki-{note_id}-c{n}",
        )


def _blank_deletion(raw: str, n: int) -> str:
    """``raw`` with deletion ``n`` as the blank marker and every other deletion as its text."""

    def replace(m: re.Match[str]) -> str:
        return _MARKER if int(m.group(1)) == n else m.group(2)

    return _CLOZE_RE.sub(replace, raw)


# -- export with genanki ---------------------------------------------------------------------

_CSS = ".card { font-family: sans-serif; font-size: 20px; text-align: left; } .extra { font-size: 15px; color: #555; }"


def _models() -> dict[str, Any]:
    """genanki's note types by question type (Any: genanki ships no type information)."""
    import genanki

    fields = [{"name": "Front"}, {"name": "Back"}, {"name": "Extra"}]
    extra = '<hr id=answer>{{Back}}<div class="extra">{{Extra}}</div>'
    return {
        "card": genanki.Model(
            1607392319001,
            "nkstudy Basic",
            fields=fields,
            css=_CSS,
            templates=[{"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{FrontSide}}" + extra}],
        ),
        "typed": genanki.Model(
            1607392319002,
            "nkstudy Basic (type in the answer)",
            fields=fields,
            css=_CSS,
            templates=[
                {
                    "name": "Card 1",
                    "qfmt": "{{Front}}<br>{{type:Back}}",
                    "afmt": '{{Front}}<hr id=answer>{{type:Back}}<div class="extra">{{Extra}}</div>',
                }
            ],
        ),
        "cloze": genanki.Model(
            1607392319003,
            "nkstudy Cloze",
            fields=[{"name": "Text"}, {"name": "Extra"}],
            css=_CSS,
            model_type=genanki.Model.CLOZE,
            templates=[
                {"name": "Cloze", "qfmt": "{{cloze:Text}}", "afmt": '{{cloze:Text}}<div class="extra">{{Extra}}</div>'}
            ],
        ),
    }


def _field(text: str) -> str:
    return "<br>".join(html.escape(line, quote=False) for line in text.split("\n"))


def deck_id(pack_id: str) -> int:
    """A stable Anki deck id for a pack: from a hash of the whole id, in genanki's range [2**30, 2**31)."""
    digest = hashlib.sha256(pack_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % (1 << 30) + (1 << 30)


def basic_front(q: Question) -> str:
    """The front of a Basic note for a question Anki has no type for: the prompt, then its options.

    The options are listed as the plain quiz lists them (numbered; a match's right items
    lettered), shuffled by a generator seeded with the question's id, so an order question's
    front does not give its answer away and every export of a pack writes the same front.
    """
    lines = q.option_lines(q.choices(random.Random(f"nkstudy-apkg/{q.id}")))
    return "\n".join([q.prompt, "", *lines]) if lines else q.prompt


def _cloze_note(q: ClozeQuestion, extra: str) -> tuple[str, list[str]]:
    before, after = cloze_split(q.prompt)
    text = _field(before) + "{{c1::" + _field(q.answer_text()).replace("}}", "} }") + "}}" + _field(after)
    return "cloze", [text, extra]


def _typed_note(q: TypedQuestion, extra: str) -> tuple[str, list[str]]:
    return "typed", [_field(q.prompt), _field(q.answer_text()), extra]


def _basic_note(q: Question, extra: str) -> tuple[str, list[str]]:
    return "card", [_field(basic_front(q)), _field(q.answer_text()), extra]


#: question class → its Anki note ``(question, extra) -> (note type, fields)``, or why Anki cannot hold it;
#: a type Anki has no note type for becomes a Basic note (Any: each writer takes its own class)
ANKI_NOTES: dict[type[Question], Callable[[Any, str], tuple[str, list[str]]] | Unsupported] = {
    ClozeQuestion: _cloze_note,
    TypedQuestion: _typed_note,
    ChoiceQuestion: _basic_note,
    MultiQuestion: _basic_note,
    TrueFalseQuestion: _basic_note,
    OrderQuestion: _basic_note,
    CardQuestion: _basic_note,
    MatchQuestion: _basic_note,
}


def export(pack: Pack, timestamp: float) -> tuple[bytes, list[str]]:
    """The pack as an .apkg, one note per question; ``timestamp`` stamps the notes.

    Typed questions become "type in the answer" notes, cloze questions Cloze notes, and
    every other type a Basic note: front :func:`basic_front`, back the answer; the Extra
    field holds the explanation, the excerpt and its citation.
    """
    import genanki

    models = _models()
    deck = genanki.Deck(deck_id(pack.id), pack.title)
    skipped: list[str] = []
    for q in pack.questions:
        extra = _field(citation(q, pack))
        guid = genanki.guid_for(pack.id, q.id)
        note = for_type(ANKI_NOTES, type(q))
        if isinstance(note, Unsupported):
            skipped.append(f"skipped question '{q.id}': {note.why(type(q))}")
            continue
        kind, fields = note(q, extra)
        model = models[kind]
        deck.add_note(genanki.Note(model=model, fields=fields, tags=list(q.tags), guid=guid))
    out = io.BytesIO()
    genanki.Package(deck).write_to_file(out, timestamp=timestamp)
    return out.getvalue(), skipped
