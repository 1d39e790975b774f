"""Aiken: one-line multiple-choice questions, options ``A)`` or ``A.``, then ``ANSWER: X``."""

from __future__ import annotations

import re
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
from nkstudy.formats.common import ImportResult, import_text_file

_OPTION_RE = re.compile(r"^([A-Z])[.)]\s*(.*)$")
_ANSWER_RE = re.compile(r"^ANSWER\s*:\s*(.*)$", re.IGNORECASE)
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def import_text(text: str, path: Path, result: ImportResult) -> None:
    stem: list[str] = []
    stem_line = 0
    options: list[tuple[str, str]] = []
    last = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line:
            continue
        last = number
        answer = _ANSWER_RE.match(line)
        option = _OPTION_RE.match(line)
        if answer:
            letter = answer.group(1).strip().upper()
            if not stem:
                result.error(path, number, "ANSWER: with no question before it")
            elif len(options) < 2:
                result.error(path, number, f"question from line {stem_line} needs at least 2 options (A) ... B) ...)")
            elif letter not in [o[0] for o in options]:
                result.error(path, number, f"ANSWER: {quoted(letter)} is not one of the option letters")
            else:
                texts = [o[1] for o in options]
                right = texts[[o[0] for o in options].index(letter)]
                result.add(
                    {"type": "choice", "prompt": " ".join(stem), "options": texts, "answer": right},
                    path,
                    stem_line,
                )
            stem, options = [], []
        elif option and (stem or not options):
            if not stem:
                result.error(path, number, "an option with no question text before it")
                continue
            options.append((option.group(1), option.group(2).strip()))
        else:
            if options:
                result.error(path, number, f"question from line {stem_line} never ends with 'ANSWER: X'")
                stem, options = [], []
            if not stem:
                stem_line = number
            stem.append(line)
    if stem:
        result.error(path, last, f"question from line {stem_line} never ends with 'ANSWER: X'")


def import_file(path: Path) -> ImportResult:
    return import_text_file(path, import_text)


def _choice(q: ChoiceQuestion) -> list[str]:
    out = [" ".join(q.prompt.split())]
    for letter, option in zip(LETTERS, q.options, strict=False):
        out.append(f"{letter}) {' '.join(option.split())}")
    return [*out, f"ANSWER: {LETTERS[q.options.index(q.answer)]}", ""]


_ONLY_CHOICE = Unsupported("Aiken holds only single-answer multiple choice, not {type}")

#: question class → its Aiken lines, or why Aiken cannot hold it (Any: each writer takes its own class)
AIKEN: dict[type[Question], Callable[[Any], list[str]] | Unsupported] = {
    ChoiceQuestion: _choice,
    MultiQuestion: _ONLY_CHOICE,
    TrueFalseQuestion: _ONLY_CHOICE,
    TypedQuestion: _ONLY_CHOICE,
    ClozeQuestion: _ONLY_CHOICE,
    OrderQuestion: _ONLY_CHOICE,
    CardQuestion: _ONLY_CHOICE,
    MatchQuestion: _ONLY_CHOICE,
}


def export(pack: Pack) -> tuple[str, list[str]]:
    """Aiken holds only one-right-option questions and has no feedback field."""
    out: list[str] = []
    skipped: list[str] = []
    for q in pack.questions:
        writer = for_type(AIKEN, type(q))
        if isinstance(writer, Unsupported):
            skipped.append(writer.skipped(q))
            continue
        out += writer(q)
    return "\n".join(out), skipped
