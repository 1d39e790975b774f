"""Spreadsheets: CSV and TSV with prompt and answer columns, Anki's text export, Quizlet.

Anki's header lines are understood: ``#separator:tab``, ``#html:true``,
``#tags column:N`` and ``#columns:...``; other ``#`` lines at the top are comments.
An optional first row naming the columns (front/back, question/answer,
term/definition, prompt, tags, extra) is recognised.
"""

from __future__ import annotations

import csv as _csv
import io
import re
from collections.abc import Callable, Iterator
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
from nkstudy.formats.ankinotes import add_cloze_note, export_guid, has_cloze, id_from_guid
from nkstudy.formats.common import (
    Entry,
    ImportOptions,
    ImportResult,
    citation,
    content_id,
    html_to_text,
    import_text_file,
    tidy,
)

_SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "space": " ", "pipe": "|", "colon": ":"}
# column names in a header row, in the languages pack authors most often write them
_PROMPT_NAMES = {"front", "question", "prompt", "term", "word", "q", "frage", "begriff", "vorderseite",
                 "recto", "pregunta", "término", "termine", "domanda", "vraag", "pergunta", "termo", "questão"}
_ANSWER_NAMES = {"back", "answer", "definition", "meaning", "a", "antwort", "rückseite", "bedeutung", "réponse",
                 "verso", "respuesta", "definición", "risposta", "antwoord", "resposta", "significado"}
_EXTRA_NAMES = {"extra", "explanation", "notes", "note", "source", "erklärung", "explication", "explicación"}
_TAG_NAMES = {"tags", "tag", "schlagwörter", "étiquettes", "etiquetas"}
#: what --columns takes: a name per column, "-" (or "skip") for one to leave out
COLUMN_NAMES = ("prompt", "answer", "extra", "tags", "id", "skip")
_LABEL = re.compile(r"^[^\W\d_][\w '’()/-]{0,29}$")
_ANKI_META = {"guid column": "id", "notetype column": "notetype", "deck column": "deck", "tags column": "tags"}


def _anki_headers(lines: list[str], options: ImportOptions) -> tuple[int, dict[str, Any]]:
    """Anki's ``#key:value`` header lines at the top: the line the rows start on, and what they say."""
    said: dict[str, Any] = {"separator": None, "html": False, "columns": None, "meta": {}, "fixed": {}}
    start = 0
    for i, line in enumerate(lines):
        if not line.startswith("#"):
            break
        start = i + 1
        key, _, value = line[1:].partition(":")
        key, value = key.strip().casefold(), value.strip()
        if key == "separator":
            said["separator"] = _SEPARATORS.get(value.casefold(), value[:1] or None)
        elif key == "html":
            said["html"] = value.casefold() == "true"
        elif key in _ANKI_META and value.isdigit() and int(value) > 0:
            said["meta"][int(value) - 1] = _ANKI_META[key]
        elif key in ("notetype", "deck", "tags"):
            said["fixed"][key] = value
        elif key == "columns":
            said["columns"] = [n.strip().casefold() for n in re.split(r"[\t,;|]", value)]
    return start, said


def _is_label(cell: str) -> bool:
    return bool(_LABEL.match(cell)) and not any(c in cell for c in "?!.:;")


def _looks_like_header(first: list[str], rest: list[list[str]]) -> bool:
    """A first row naming its columns: known names in any of several languages, or short
    labels above rows whose cells are not (``Frage;Antwort`` above questions)."""
    lowered = {c.casefold() for c in first}
    if lowered & (_PROMPT_NAMES | _ANSWER_NAMES):
        return True
    cells = [c for c in first if c]
    if len(cells) < 2 or not all(_is_label(c) for c in cells) or len(set(lowered)) != len(lowered) or not rest:
        return False
    unlike = sum(1 for row in rest if any(not _is_label(c) for c in row[: len(first)] if c))
    return unlike * 2 > len(rest)  # most rows below are not labels: questions, sentences, numbers


def _columns(names: list[str]) -> dict[str, int]:
    """Column index of each role in a header row or a ``--columns`` list."""
    roles: dict[str, int] = {}
    for i, name in enumerate(n.casefold() for n in names):
        for role, known in (("prompt", _PROMPT_NAMES), ("answer", _ANSWER_NAMES), ("extra", _EXTRA_NAMES),
                            ("tags", _TAG_NAMES), ("id", {"id", "guid"})):
            if (name == role or name in known) and role not in roles:
                roles[role] = i
    roles.setdefault("prompt", 0)
    roles.setdefault("answer", 1)
    return roles


def _rows(body: str, separator: str, options: ImportOptions) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) of each row: through the csv module, or split on a separator of several characters."""
    if options.row_separator is not None or len(separator) > 1:
        line = 1
        for chunk in body.split(options.row_separator or "\n"):
            yield line, chunk.split(separator, 1) if len(separator) > 1 else chunk.split(separator)
            line += chunk.count("\n") + (1 if options.row_separator in (None, "\n") else 0)
        return
    reader = _csv.reader(_lines(body), delimiter=separator, quotechar='"' if separator != " " else "\x00")
    for cells in reader:
        yield reader.line_num, cells


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text``, each with its line break, one at a time: an ``io.StringIO`` of a
    large file holds four bytes a character, several times the text itself."""
    start, end = 0, len(text)
    while start < end:
        stop = text.find("\n", start)
        stop = end if stop < 0 else stop + 1
        yield text[start:stop]
        start = stop


def import_text(
    text: str, path: Path, result: ImportResult, options: ImportOptions, default_separator: str | None = None
) -> None:
    head: list[str] = []  # the '#' header lines at the top, found without splitting the whole text
    offset = 0
    while text.startswith("#", offset):
        end = text.find("\n", offset)
        end = len(text) if end < 0 else end
        head.append(text[offset:end])
        offset = end + 1
    start, said = _anki_headers(head, options)
    body = text[offset:] if offset else text
    separator = options.separator or said["separator"] or default_separator
    if separator is None:
        sample = body[:4096]
        separator = "\t" if "\t" in sample else (";" if sample.count(";") > sample.count(",") else ",")
    meta: dict[int, str] = said["meta"]
    anki = bool(meta.keys() - {i for i, role in meta.items() if role == "tags"}) or bool(said["fixed"])
    names = options.columns or said["columns"]
    roles = _columns(names) if names else {}
    header = options.header
    pending: list[tuple[int, list[str]]] = []
    try:
        for number, row in _rows(body, separator, options):
            if not any(cell.strip() for cell in row):
                continue
            cells = [c.strip() for c in row]
            if header == "auto" and not anki:
                pending.append((start + number, cells))
                if len(pending) < 20:
                    continue
                skip = 1 if _decide_header(pending, roles, bool(names)) == "yes" else 0
                for n, waiting in pending[skip:]:
                    _row_in(waiting, n, path, result, options, said, roles or _columns([]), anki)
                pending, header = [], "done"
                continue
            if header == "yes":
                header = "done"
                if not names:
                    roles.update(_columns(cells))
                continue
            _row_in(cells, start + number, path, result, options, said, roles or _columns([]), anki)
    except _csv.Error as exc:
        result.error(path, None, f"cannot read a row: {exc}")
    if pending:
        header = _decide_header(pending, roles, bool(names))
        for n, waiting in pending[1 if header == "yes" else 0:]:
            _row_in(waiting, n, path, result, options, said, roles or _columns([]), anki)


def _decide_header(pending: list[tuple[int, list[str]]], roles: dict[str, int], named: bool) -> str:
    """Whether the first of the rows read so far names the columns (then its names give the
    roles, unless --columns or #columns: named them already)."""
    first = pending[0][1]
    if _looks_like_header(first, [cells for _, cells in pending[1:]]):
        if not named:
            roles.update(_columns(first))
        return "yes"
    return "no"


def _row_in(cells: list[str], number: int, path: Path, result: ImportResult, options: ImportOptions,
            said: dict[str, Any], roles: dict[str, int], anki: bool) -> None:
    meta: dict[int, str] = said["meta"]
    if anki:
        # Anki's own export: its GUID, note type, deck and tags columns, then the note's fields in order
        fields = [c for i, c in enumerate(cells) if i not in meta]
        got = {role: cells[i] for i, role in meta.items() if i < len(cells)}
        prompt, answer = (fields + ["", ""])[:2]
        extra = "\n".join(f for f in fields[2:] if f)
        tags_cell = got.get("tags", said["fixed"].get("tags", ""))
        guid, notetype = got.get("id"), got.get("notetype", said["fixed"].get("notetype", ""))
    else:
        def cell(role: str) -> str:
            i = roles.get(role)
            return cells[i] if i is not None and i < len(cells) else ""

        prompt, answer, extra = cell("prompt"), cell("answer"), cell("extra")
        tag_col = roles.get("tags", next((i for i, role in meta.items() if role == "tags"), None))
        tags_cell = cells[tag_col] if tag_col is not None and tag_col < len(cells) else ""
        guid, notetype = cell("id") or None, ""
    to_text: Callable[[str], str] = (lambda x: html_to_text(x).text) if said["html"] else tidy
    labels = [t for t in re.split(r"[\s,]+", tags_cell) if t]
    deck = (said["meta"] and got.get("deck")) if anki else None
    if deck and deck.casefold() != "default":
        labels.append(deck)
    base = id_from_guid(guid) if guid else None
    if anki and (has_cloze(prompt) or "cloze" in notetype.casefold()):
        add_cloze_note(result, prompt, to_text=to_text, extra=to_text(answer), path=path, line=number,
                       what=f"Anki {notetype or 'Cloze'!r} note", labels=labels, base_id=base or f"q{number}")
        return
    prompt, answer, extra = to_text(prompt), to_text(answer), to_text(extra)
    if not prompt or not answer:
        result.error(path, number, "row needs a prompt and an answer (is the separator right? "
                                   "--separator and --columns say how the file is laid out)")
        return
    entry: Entry
    if options.as_typed:
        entry = {"type": "typed", "prompt": prompt, "answer": answer, "explanation": extra}
    else:
        entry = {"type": "card", "prompt": prompt, "back": answer, "explanation": extra}
    result.add(entry, path, number, labels=labels, name=base or content_id(prompt, answer), exact_id=base is not None)


def import_file(path: Path, options: ImportOptions, default_separator: str | None = None) -> ImportResult:
    def import_rows(text: str, path: Path, result: ImportResult) -> None:
        import_text(text, path, result, options, default_separator)

    return import_text_file(path, import_rows)


def _row(q: Question, pack: Pack) -> list[str]:
    """Front, Back, Extra: the prompt, the answer as one line, the citation."""
    return [q.prompt, q.answer_text(), citation(q, pack)]


_TWO_COLUMNS = Unsupported("a two-column sheet holds prompt and answer, not {type}")

#: question class → its row in a CSV/TSV sheet, or why a sheet cannot hold it
SHEET: dict[type[Question], Callable[[Question, Pack], list[str]] | Unsupported] = {
    CardQuestion: _row,
    TypedQuestion: _row,
    ClozeQuestion: _row,
    ChoiceQuestion: _TWO_COLUMNS,
    MultiQuestion: _TWO_COLUMNS,
    TrueFalseQuestion: _TWO_COLUMNS,
    OrderQuestion: _TWO_COLUMNS,
    MatchQuestion: _TWO_COLUMNS,
}


def export(pack: Pack, separator: str = ",") -> tuple[str, list[str]]:
    """Cards, typed and cloze questions as Front, Back, Extra, Tags, GUID rows with Anki's text
    headers: Anki's text import (and nkstudy's) takes the tags, and the GUID keeps each
    question's id (and updates the same Anki note on a second import)."""
    out = io.StringIO()
    name = {v: k for k, v in _SEPARATORS.items()}.get(separator, separator)
    columns = separator.join(("Front", "Back", "Extra", "Tags", "GUID"))
    out.write(f"#separator:{name}\n#html:false\n#tags column:4\n#guid column:5\n#columns:{columns}\n")
    writer = _csv.writer(out, delimiter=separator, lineterminator="\n")
    skipped: list[str] = []
    for q in pack.questions:
        entry = for_type(SHEET, type(q))
        if isinstance(entry, Unsupported):
            skipped.append(entry.skipped(q))
            continue
        writer.writerow([*entry(q, pack), " ".join(q.tags), export_guid(pack.id, q.id)])
    return out.getvalue(), skipped


def export_quizlet(pack: Pack) -> tuple[str, list[str]]:
    """Term and definition a line, tab-separated, no header and no quoting, as Quizlet imports
    them: a line break or tab inside a card becomes a space."""
    lines: list[str] = []
    skipped: list[str] = []
    for q in pack.questions:
        entry = for_type(SHEET, type(q))
        if isinstance(entry, Unsupported):
            skipped.append(entry.skipped(q))
            continue
        lines.append("\t".join(" ".join(cell.split()) for cell in (q.prompt, q.answer_text())))
    return "".join(line + "\n" for line in lines), skipped
