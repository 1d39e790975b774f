"""What Anki's package (.apkg) and its "Notes in Plain Text" export share: cloze deletions and
the identity of a note.

A cloze note ``{{c1::Kim::who}} met {{c2::Xi}}`` becomes one cloze question per deletion
(``c1`` and ``c2``), each with the others' text shown, its hint kept beside the blank,
and all of them linked with ``related:`` so a study session spaces them apart.

A note's id comes from its GUID, so importing a newer export of the same deck gives the
same ids: a note nkstudy itself exported (GUID ``nkstudy:PACK:ID``) gets its old id back.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path

from nkstudy.core.model import Question
from nkstudy.formats.common import ImportResult

CLOZE_RE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.S)
_MARKER = "\x00BLANK\x00"
GUID_PREFIX = "nkstudy:"
_ITEM_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def export_guid(pack_id: str, question_id: str) -> str:
    """The GUID an exported note carries: it names the pack and the question, so an import
    of the deck (after a trip through Anki) gives the question its id back."""
    return f"{GUID_PREFIX}{pack_id}:{question_id}"


def id_from_guid(guid: str) -> str:
    """A stable question id for the note with ``guid``."""
    if guid.startswith(GUID_PREFIX):
        own = guid.rsplit(":", 1)[-1]
        if _ITEM_ID.match(own):
            return own
    return "anki-" + hashlib.sha256(guid.encode("utf-8")).hexdigest()[:10]


def has_cloze(text: str) -> bool:
    return CLOZE_RE.search(text) is not None


def add_cloze_note(
    result: ImportResult,
    raw: str,
    *,
    to_text: Callable[[str], str],
    extra: str,
    path: Path,
    line: int | None,
    what: str,
    labels: list[str],
    base_id: str,
) -> list[Question]:
    """One cloze question per deletion of ``raw`` (``to_text`` makes a field plain text),
    linked to each other with ``related:``; returns the questions kept."""
    numbers = sorted({int(m.group(1)) for m in CLOZE_RE.finditer(raw)})
    if not numbers:
        result.skip(path, line, what, "its cloze text has no {{c1::...}} deletion")
        return []
    kept: list[Question] = []
    for n in numbers:
        hits = [m for m in CLOZE_RE.finditer(raw) if int(m.group(1)) == n]
        if len(hits) > 1:
            result.skip(path, line, f"{what} deletion c{n}",
                        "it blanks several places at once; nkstudy's cloze has one blank")
            continue
        hint = (hits[0].group(3) or "").strip()
        prompt = to_text(_blank_deletion(raw, n)).replace(_MARKER, "_____" + (f" ({hint})" if hint else ""))
        question = result.add(
            {"type": "cloze", "prompt": prompt, "answer": to_text(hits[0].group(2)), "explanation": extra},
            path,
            line,
            labels=labels,
            what=f"{what} deletion c{n}",
            name=base_id if len(numbers) == 1 else f"{base_id}-c{n}",
            exact_id=True,
        )
        if question is not None:
            kept.append(question)
    return result.link(kept)


def _blank_deletion(raw: str, n: int) -> str:
    """``raw`` with deletion ``n`` as the blank marker and every other deletion as its text."""

    def replace(m: re.Match[str]) -> str:
        return _MARKER if int(m.group(1)) == n else m.group(2)

    return CLOZE_RE.sub(replace, raw)
