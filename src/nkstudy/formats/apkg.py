"""Anki packages (.apkg), written with genanki; reading one is ``formats/apkg_read.py``.

Every note carries the GUID ``nkstudy:PACK:ID`` (so an import of the deck, after a trip
through Anki, gives each question its id back), the question's tags, and for typed and
cloze questions the accepted spellings in an ``Accept`` field, shown on the answer side.
"""

from __future__ import annotations

import hashlib
import html
import io
import random
from collections.abc import Callable
from typing import Any

from nkstudy.core.media import check_file, is_image
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
from nkstudy.formats.ankinotes import export_guid
from nkstudy.formats.common import citation, cloze_split

# -- export with genanki ---------------------------------------------------------------------

_CSS = ".card { font-family: sans-serif; font-size: 20px; text-align: left; } .extra { font-size: 15px; color: #555; }"


def _models() -> dict[str, Any]:
    """genanki's note types by question type (Any: genanki ships no type information)."""
    import genanki

    fields = [{"name": "Front"}, {"name": "Back"}, {"name": "Extra"}]
    extra = '<hr id=answer>{{Back}}<div class="extra">{{Extra}}</div>'
    accept = '{{#Accept}}<div class="extra">Also accepted:<br>{{Accept}}</div>{{/Accept}}'
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
            fields=[*fields, {"name": "Accept"}],
            css=_CSS,
            templates=[
                {
                    "name": "Card 1",
                    "qfmt": "{{Front}}<br>{{type:Back}}",
                    "afmt": '{{Front}}<hr id=answer>{{type:Back}}' + accept + '<div class="extra">{{Extra}}</div>',
                }
            ],
        ),
        "cloze": genanki.Model(
            1607392319003,
            "nkstudy Cloze",
            fields=[{"name": "Text"}, {"name": "Extra"}, {"name": "Accept"}],
            css=_CSS,
            model_type=genanki.Model.CLOZE,
            templates=[
                {"name": "Cloze", "qfmt": "{{cloze:Text}}",
                 "afmt": "{{cloze:Text}}" + accept + '<div class="extra">{{Extra}}</div>'}
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
    return "cloze", [text, extra, _field("\n".join(q.accept))]


def _typed_note(q: TypedQuestion, extra: str) -> tuple[str, list[str]]:
    return "typed", [_field(q.prompt), _field(q.answer_text()), extra, _field("\n".join(q.accept))]


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


def _media_html(pack: Pack, q: Question, files: dict[str, str]) -> str:
    """The question's media as Anki shows them in a field (each checked; the file kept in ``files``)."""
    out = ""
    for entry in q.media:
        if check_file(pack.path, entry) is not None:
            continue
        name = entry.split("/", 1)[1]
        files[name] = str(pack.path / entry)
        out += f'<br><img src="{html.escape(name)}">' if is_image(name) else f"[sound:{name}]"
    return out


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
    media_files: dict[str, str] = {}
    for q in pack.questions:
        extra = _field(citation(q, pack))
        guid = export_guid(pack.id, q.id)
        note = for_type(ANKI_NOTES, type(q))
        if isinstance(note, Unsupported):
            skipped.append(note.skipped(q))
            continue
        kind, fields = note(q, extra)
        fields[0] += _media_html(pack, q, media_files)
        model = models[kind]
        deck.add_note(genanki.Note(model=model, fields=fields, tags=list(q.tags), guid=guid))
    out = io.BytesIO()
    genanki.Package(deck, media_files=sorted(media_files.values())).write_to_file(out, timestamp=timestamp)
    return out.getvalue(), skipped
