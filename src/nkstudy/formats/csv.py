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
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

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
from nkstudy.formats.common import Entry, ImportResult, citation, html_to_text, import_text_file, tidy

_SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "space": " ", "pipe": "|", "colon": ":"}
_PROMPT_NAMES = {"front", "question", "prompt", "term", "word", "q"}
_ANSWER_NAMES = {"back", "answer", "definition", "meaning", "a"}
_EXTRA_NAMES = {"extra", "explanation", "notes", "note", "source"}
_TAG_NAMES = {"tags", "tag"}

_Default = TypeVar("_Default", int, None)


def import_text(
    text: str, path: Path, result: ImportResult, *, separator: str | None = None, as_typed: bool = False
) -> None:
    lines = text.split("\n")
    html = False
    tags_column: int | None = None
    names: list[str] | None = None
    body_start = 0
    for i, line in enumerate(lines):
        if not line.startswith("#"):
            body_start = i
            break
        body_start = i + 1
        key, _, value = line[1:].partition(":")
        key, value = key.strip().casefold(), value.strip()
        if key == "separator":
            separator = _SEPARATORS.get(value.casefold(), value[:1] or None)
        elif key == "html":
            html = value.casefold() == "true"
        elif key == "tags column" and value.isdigit():
            tags_column = int(value) - 1
        elif key == "columns":
            names = [n.strip().casefold() for n in re.split(r"[\t,;|]", value)]
    body = "\n".join(lines[body_start:])
    if separator is None:
        sample = body[:4096]
        separator = "\t" if "\t" in sample else (";" if sample.count(";") > sample.count(",") else ",")
    reader = _csv.reader(io.StringIO(body), delimiter=separator, quotechar='"' if separator != " " else "\x00")
    prompt_col, answer_col, extra_col = 0, 1, None
    first = True
    try:
        for row in reader:
            number = body_start + reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            cells = [c.strip() for c in row]
            if first:
                first = False
                lowered = [c.casefold() for c in cells]
                header = names or (lowered if set(lowered) & (_PROMPT_NAMES | _ANSWER_NAMES) else None)
                if header is not None:
                    prompt_col = _index(header, _PROMPT_NAMES, 0)
                    answer_col = _index(header, _ANSWER_NAMES, 1)
                    extra_col = _index(header, _EXTRA_NAMES, None)
                    tag = _index(header, _TAG_NAMES, None)
                    tags_column = tag if tag is not None else tags_column
                    if names is None:
                        continue
            needed = max(prompt_col, answer_col) + 1
            if len(cells) < needed or not cells[prompt_col] or not cells[answer_col]:
                result.error(path, number, "row needs a prompt and an answer (is the separator right?)")
                continue
            prompt, answer = cells[prompt_col], cells[answer_col]
            extra = cells[extra_col] if extra_col is not None and extra_col < len(cells) else ""
            if html:
                prompt, answer, extra = (html_to_text(x).text for x in (prompt, answer, extra))
            else:
                prompt, answer, extra = (tidy(x) for x in (prompt, answer, extra))
            labels: list[str] = []
            if tags_column is not None and tags_column < len(cells):
                labels = [t for t in re.split(r"[\s,]+", cells[tags_column]) if t]
            entry: Entry
            if as_typed:
                entry = {"type": "typed", "prompt": prompt, "answer": answer, "explanation": extra}
            else:
                entry = {"type": "card", "prompt": prompt, "back": answer, "explanation": extra}
            result.add(entry, path, number, labels=labels)
    except _csv.Error as exc:
        result.error(path, body_start + reader.line_num, f"cannot read the row: {exc}")


def _index(header: list[str], names: set[str], default: _Default) -> int | _Default:
    for i, name in enumerate(header):
        if name in names:
            return i
    return default


def import_file(path: Path, *, separator: str | None = None, as_typed: bool = False) -> ImportResult:
    def import_rows(text: str, path: Path, result: ImportResult) -> None:
        import_text(text, path, result, separator=separator, as_typed=as_typed)

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
    """Cards, typed and cloze questions as Front, Back, Extra rows with Anki's text headers."""
    out = io.StringIO()
    name = {v: k for k, v in _SEPARATORS.items()}.get(separator, separator)
    out.write(f"#separator:{name}\n#html:false\n#columns:Front{separator}Back{separator}Extra\n")
    writer = _csv.writer(out, delimiter=separator, lineterminator="\n")
    skipped: list[str] = []
    for q in pack.questions:
        entry = for_type(SHEET, type(q))
        if isinstance(entry, Unsupported):
            skipped.append(f"skipped question '{q.id}': {entry.why(type(q))}")
            continue
        writer.writerow(entry(q, pack))
    return out.getvalue(), skipped
