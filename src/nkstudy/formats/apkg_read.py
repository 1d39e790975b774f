"""Reading Anki packages (.apkg): collection.anki2 / .anki21 / .anki21b (zstd).

Reading an .apkg means reading the SQLite collection inside it; that is reading a file
format, so it uses the standard library's sqlite3 on an in-memory copy, unpacked within
a budget (``formats/safeio.py``).

Notes are read through their note type's card templates, not by their (translated)
names or the order of their fields: ``{{cloze:...}}`` gives one cloze question per
deletion (linked with ``related:``); ``{{type:...}}`` a typed question whose answer is
the typed field; image occlusion is skipped; any other note gives one card per
template, the fields its front template shows making the prompt and the other fields
its back shows the answer (the first) and the explanation (the rest).  The cards of
one note are linked with ``related:``.  A note's id comes from its GUID.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nkstudy.formats.ankinotes import add_cloze_note, id_from_guid
from nkstudy.formats.apkg_media import PackageMedia, varint
from nkstudy.formats.common import FormatError, Imported, ImportResult, html_to_text, one_line
from nkstudy.formats.media import attach
from nkstudy.formats.safeio import open_zip, read_member, unzstd

_SOUND_RE = re.compile(r"\[sound:([^\]]+)\]")
_TYPE_RE = re.compile(r"\{\{type:(?:[a-z]+:)*([^}]+)\}\}")
_FIELD_RE = re.compile(r"\{\{[#^]?((?:[A-Za-z-]+:)*)([^}#^/][^}]*)\}\}")
_DAMAGED = "the collection inside is not a readable Anki collection (damaged?); export the deck again"


@dataclass(frozen=True)
class _Template:
    front: str
    back: str


class _Notetype:
    def __init__(self, name: str, fields: list[str], templates: list[_Template], kind: int | None = None) -> None:
        self.name = name
        self.fields = fields
        self.templates = templates
        joined = "\n".join(t.front + "\n" + t.back for t in templates)
        if "{{cloze:" in joined or kind == 1:
            self.kind = "cloze"
        elif "image-occlusion" in joined or "image occlusion" in name.casefold():
            self.kind = "occlusion"
        elif "{{type:" in joined:
            self.kind = "typed"
        else:
            self.kind = "card"

    def shown(self, template: str) -> list[str]:
        """The note's fields a template shows, in order, each once (``{{FrontSide}}`` and the like left out)."""
        out: list[str] = []
        for match in _FIELD_RE.finditer(template):
            name = match.group(2).strip()
            if name in self.fields and name not in out:
                out.append(name)
        return out

    def typed_field(self) -> str | None:
        for template in self.templates:
            m = _TYPE_RE.search(template.front)
            if m and m.group(1).strip() in self.fields:
                return m.group(1).strip()
        return None


def _open_collection(path: Path) -> sqlite3.Connection:
    with open_zip(path, "Anki package (.apkg)") as archive:
        names = set(archive.namelist())
        for member in ("collection.anki21b", "collection.anki21", "collection.anki2"):
            if member in names:
                break
        else:
            raise FormatError(path, None, "no collection.anki2, .anki21 or .anki21b inside; is it an Anki package?")
        data = read_member(archive, member, path)
    if member.endswith("b"):
        data = unzstd(data, member, path)
    if data[:16] == b"SQLite format 3\x00" and data[18:20] == b"\x02\x02":
        data[18:20] = b"\x01\x01"  # a WAL-mode file: read it as a plain one in memory
    db = sqlite3.connect(":memory:")
    try:
        db.deserialize(data)
        db.execute("select count(*) from notes").fetchone()
    except sqlite3.DatabaseError:
        db.close()
        raise FormatError(path, None, f"{member} inside is not a readable Anki collection (damaged?); "
                                      "export the deck again") from None
    return db


def _proto_strings(data: bytes) -> dict[int, str]:
    """The length-delimited fields at the top level of a protobuf message, as text (Anki's template config)."""
    out: dict[int, str] = {}
    at = 0
    while at < len(data):
        key, at = varint(data, at)
        number, wire = key >> 3, key & 7
        if wire == 0:
            _value, at = varint(data, at)
        elif wire == 2:
            size, at = varint(data, at)
            out.setdefault(number, data[at : at + size].decode("utf-8", "replace"))
            at += size
        elif wire == 1:
            at += 8
        elif wire == 5:
            at += 4
        else:
            break
    return out


def _notetypes(db: sqlite3.Connection) -> dict[int, _Notetype]:
    tables = {r[0] for r in db.execute("select name from sqlite_master where type='table'")}
    out: dict[int, _Notetype] = {}
    if "notetypes" in tables:
        for ntid, name, config in db.execute("select id, name, config from notetypes"):
            fields = [r[0] for r in db.execute("select name from fields where ntid=? order by ord", (ntid,))]
            templates = []
            for (raw,) in db.execute("select config from templates where ntid=? order by ord", (ntid,)):
                parts = _proto_strings(bytes(raw))  # CardTemplate.Config: 1 q_format, 2 a_format
                templates.append(_Template(parts.get(1, ""), parts.get(2, "")))
            # config's first varint field is the kind: 0 normal, 1 cloze (protobuf field 1)
            kind = 1 if config and bytes(config)[:2] == b"\x08\x01" else None
            out[int(ntid)] = _Notetype(name, fields, templates, kind)
        return out
    row = db.execute("select models from col").fetchone()
    # JSON from the collection, read with .get and defaults: Any is what json.loads gives
    models: dict[str, Any] = json.loads(row[0]) if row and row[0] else {}
    for mid, m in models.items():
        templates = [_Template(t.get("qfmt", ""), t.get("afmt", "")) for t in m.get("tmpls", [])]
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
        rows = db.execute("select id, guid, mid, tags, flds from notes order by id").fetchall()
    except (sqlite3.DatabaseError, ValueError, KeyError, TypeError, AttributeError):
        raise FormatError(path, None, _DAMAGED) from None
    finally:
        db.close()
    if not rows:
        result.note(f"{path}: the package holds no notes")
    media = PackageMedia(path, result) if rows else None
    for note_id, guid, mid, tags, flds in rows:
        start = len(result.items)
        try:
            names = _note(result, path, types.get(int(mid)), str(guid or note_id), str(tags or ""), str(flds), note_id)
        except (ValueError, TypeError, IndexError):
            result.skip(path, None, f"Anki note {note_id}", "its fields cannot be read")
            continue
        if names and media is not None and len(result.items) > start:
            attach(result, start, media.entries(names))
    return result


def _note(result: ImportResult, path: Path, nt: _Notetype | None, guid: str, tags: str, flds: str,
          note_id: int) -> list[str]:
    """Add the note's questions; returns the media files its fields name."""
    fields = flds.split("\x1f")
    labels = [t for t in tags.split() if t]
    base = id_from_guid(guid)
    if nt is None:
        result.skip(path, None, f"Anki note {note_id}", "its note type is missing from the collection")
        return []
    what = f"Anki {nt.name!r} note {one_line(html_to_text(fields[0]).text, 40)!r}"
    if nt.kind == "occlusion":
        result.skip(path, None, what, "image occlusion needs the picture; nkstudy questions are text")
        return []
    plain: list[str] = []
    media: list[str] = []
    for f in fields:
        text, found = _plain(f)
        plain.append(text)
        media += found
    named = dict(zip(nt.fields, plain, strict=False))
    accept = [a for a in named.get("Accept", "").split("\n") if a.strip()] if nt.name.startswith("nkstudy") else []
    extra = next((named[k] for k in ("Extra", "Back Extra") if named.get(k)), "")
    if nt.kind == "cloze":
        raw = dict(zip(nt.fields, fields, strict=False)).get("Text", fields[0])
        kept = add_cloze_note(result, raw, to_text=lambda f: _plain(f)[0], extra=extra, path=path, line=None,
                              what=what, labels=labels, base_id=base)
        if accept and len(kept) == 1:
            _set_accept(result, kept[0].id, accept)
        return media
    if nt.kind == "typed":
        answer_field = nt.typed_field()
        front = [f for t in nt.templates for f in nt.shown(t.front) if f != answer_field]
        prompt = "\n".join(dict.fromkeys(named[f] for f in front if named.get(f)))
        result.add(
            {"type": "typed", "prompt": prompt, "answer": named.get(answer_field or "", ""),
             "accept": accept, "explanation": extra},
            path, None, labels=labels, what=what, name=base, exact_id=True,
        )
        return media
    _cards(result, path, nt, named, extra, what, labels, base)
    return media


def _cards(result: ImportResult, path: Path, nt: _Notetype, named: dict[str, str], extra: str, what: str,
           labels: list[str], base: str) -> None:
    """One card per template: the fields its front shows, then the answer and explanation from its back."""
    kept = []
    several = len(nt.templates) > 1
    for n, template in enumerate(nt.templates or [_Template("", "")], start=1):
        front = nt.shown(_sections(template.front, named)) or nt.fields[:1]
        back = [f for f in (nt.shown(_sections(template.back, named)) or nt.fields[1:2]) if f not in front]
        prompt = "\n".join(named[f] for f in front if named.get(f))
        if not prompt:
            if n == 1:  # a later template with an empty front: Anki makes no card of it either
                result.skip(path, None, what, "its front shows no text (media alone cannot be shown)")
            continue
        answers = [named[f] for f in back if named.get(f) and named[f] != extra]
        label = f"{what} card {n}" if several else what
        if not answers:
            result.skip(path, None, label, "its back shows no text (media alone cannot be shown)")
            continue
        explanation = "\n\n".join([*answers[1:], *([extra] if extra else [])])
        question = result.add(
            {"type": "card", "prompt": prompt, "back": answers[0], "explanation": explanation},
            path, None, labels=labels, what=label, name=f"{base}-{n}" if several else base, exact_id=True,
        )
        if question is not None:
            kept.append(question)
    result.link(kept)


_SECTION = re.compile(r"\{\{([#^])\s*([^}]+?)\s*\}\}(.*?)\{\{/\s*\2\s*\}\}", re.S)


def _sections(template: str, named: dict[str, str]) -> str:
    """``template`` with its ``{{#Field}}...{{/Field}}`` sections kept only when the field has text
    (``{{^Field}}`` only when it has none), as Anki renders a card."""

    def keep(m: re.Match[str]) -> str:
        filled = bool(named.get(m.group(2)))
        return m.group(3) if filled == (m.group(1) == "#") else ""

    for _ in range(10):  # nested sections, outermost first
        rendered = _SECTION.sub(keep, template)
        if rendered == template:
            break
        template = rendered
    return template


def _set_accept(result: ImportResult, question_id: str, accept: list[str]) -> None:
    from dataclasses import replace

    for n in range(len(result.items) - 1, -1, -1):
        item = result.items[n]
        if item.question.id == question_id:
            kept = tuple(a for a in accept if a != item.question.answer_text())
            question = replace(item.question, accept=kept)  # type: ignore[call-arg]  # a cloze question's own field
            result.items[n] = Imported(question, item.origin, item.line, item.labels)
            return
