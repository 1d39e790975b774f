"""Plain-words fixes for the YAML mistakes pack authors make most.

PyYAML's messages ("mapping values are not allowed here", "did not find expected
key") name the parser's state, not the author's mistake, and differ between its C
and Python parsers.  So nothing here reads them: the mistake is recognised from the
kind of error (scanner or parser) and from the source text at the marks it gives
(a tab in the indentation, a quote that opened and never closed, a second ``: `` on
a line that already has a key, a line out of step with the one above).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

_LINE_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
# a field's key and its plain value on one line: "  - prompt: Ratio is 3: 1"
_KEY_VALUE = re.compile(r"^(?P<lead>\s*(?:-\s+)?)(?P<key>[^\s:#'\"][^:#]*?):\s+(?P<value>.*?)\s*$")


@dataclass(frozen=True)
class Hint:
    """A YAML error said in plain words: the message and its 1-based line."""

    message: str
    line: int | None


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _previous_content_line(lines: list[str], index: int) -> int | None:
    for i in range(index - 1, -1, -1):
        stripped = lines[i].strip()
        if stripped and not stripped.startswith("#"):
            return i
    return None


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def explain(text: str, exc: yaml.MarkedYAMLError) -> Hint | None:
    """The plain-words hint for ``exc`` raised on ``text``, or None when none fits."""
    lines = _LINE_BREAK.split(text)
    problem = exc.problem_mark
    context = exc.context_mark

    def line_at(mark: object) -> tuple[int, int, str] | None:
        if mark is None:
            return None
        row, col = getattr(mark, "line", None), getattr(mark, "column", None)
        if not isinstance(row, int) or not isinstance(col, int) or not 0 <= row < len(lines):
            return None
        return row, col, lines[row]

    at = line_at(problem)
    opened = line_at(context)

    # a tab in the indentation of the problem line, or of the line where the trouble began
    for spot in (at, opened):
        if spot is not None and "\t" in _indent(spot[2]):
            return Hint(
                "invalid YAML: a tab character indents this line; YAML indents with spaces only, "
                "so replace the tab with spaces",
                spot[0] + 1,
            )

    # a quoted text that is never closed: the context mark sits on its opening quote
    if isinstance(exc, yaml.scanner.ScannerError) and opened is not None:
        row, col, line = opened
        if col < len(line) and line[col] in "\"'":
            mark = line[col]
            inside = "write it twice ('')" if mark == "'" else 'write it as \\"'
            return Hint(
                f"invalid YAML: the text opened with {mark} on this line is never closed; "
                f"end it with a matching {mark} (a {mark} inside the text: {inside})",
                row + 1,
            )

    # a [list] or {mapping} written inline and never closed
    if isinstance(exc, yaml.parser.ParserError) and opened is not None:
        row, col, line = opened
        if col < len(line) and line[col] in "[{":
            close = "]" if line[col] == "[" else "}"
            return Hint(
                f"invalid YAML: the {line[col]} opened on this line is not closed with {close} where expected; "
                f"close it, and put items holding ',', ':' or {close} in quotes",
                row + 1,
            )

    if at is None:
        return None
    row, col, line = at

    # a plain value cannot start with YAML's reserved characters
    if isinstance(exc, yaml.scanner.ScannerError) and col < len(line) and line[col] in "%@`":
        return Hint(f"invalid YAML: a value cannot start with {line[col]}; put the value in quotes", row + 1)

    # a second ': ' in a value: "prompt: Which city: this one?"
    if isinstance(exc, yaml.scanner.ScannerError) and col < len(line) and line[col] == ":":
        found = _KEY_VALUE.match(line)
        if found is not None and ":" in found.group("value"):
            key, value = found.group("key"), found.group("value")
            return Hint(
                f"invalid YAML: the ': ' inside the value of '{key}' makes YAML read a second field; "
                f"put the value in quotes: {key}: {_quote(value)}",
                row + 1,
            )
        previous = _previous_content_line(lines, row)
        if previous is not None and len(_indent(line)) > len(_indent(lines[previous])):
            return Hint(
                f"invalid YAML: this line is indented deeper than line {previous + 1}, which already has "
                "a value; line it up with the fields above it (spaces only)",
                row + 1,
            )

    # a line out of step with the block it is in
    if isinstance(exc, yaml.parser.ParserError):
        previous = _previous_content_line(lines, row)
        before = line[:col].rstrip()
        if before.endswith(("'", '"')) and line[col:].strip():
            opened_at = _opening_quote_line(lines, row, len(before) - 1)
            if opened_at is not None and opened_at < row:
                mark = before[-1]
                return Hint(
                    f"invalid YAML: the text opened with {mark} on this line is not closed on it "
                    f"(YAML reads on to the {mark} on line {row + 1}); end it with a matching {mark}",
                    opened_at + 1,
                )
            return Hint(
                "invalid YAML: more text follows a quoted value; put the whole value in quotes",
                row + 1,
            )
        if previous is not None and _indent(line) != _indent(lines[previous]) and col <= len(_indent(line)) + 1:
            return Hint(
                f"invalid YAML: this line is not lined up with the lines above it (line {previous + 1}); "
                "the fields of one mapping, and the items of one list, start in the same column",
                row + 1,
            )
    return None


def _opening_quote_line(lines: list[str], row: int, closing: int) -> int | None:
    """The 0-based line of the quote that the quote at ``lines[row][closing]`` closes."""
    mark = lines[row][closing]
    end = closing
    for i in range(row, max(row - 200, -1), -1):
        text = lines[i] if i != row else lines[i][:end]
        at = len(text)
        while True:
            at = text.rfind(mark, 0, at)
            if at < 0:
                break
            if mark == '"' and at > 0 and text[at - 1] == "\\":
                continue
            return i
    return None


# -- ' #' inside a plain value -----------------------------------------------------------------

_HASH_AFTER = re.compile(r"^(?P<gap>[ \t]+)#(?P<next>.?)")


def lines_with_hash(text: str) -> set[int]:
    """The 0-based lines that hold `` #`` (where a plain value could have been cut short)."""
    if " #" not in text and "\t#" not in text:
        return set()
    return {i for i, line in enumerate(_LINE_BREAK.split(text)) if " #" in line or "\t#" in line}


def cut_by_comment(line: str, end_column: int) -> str | None:
    """The text YAML dropped as a comment after a plain value that ends at ``end_column``,
    when it looks like part of the value rather than a comment: one space before the ``#``
    (``bridge #2 cross?``) or no space after it (``#2``).  A comment set off by two or more
    spaces and a space after ``#`` (``answer: Paris   # the capital``) is left alone."""
    found = _HASH_AFTER.match(line[end_column:])
    if found is None:
        return None
    if len(found.group("gap")) >= 2 and found.group("next") in (" ", "\t", ""):
        return None
    return line[end_column:].strip()


def hash_note(key: str | None, value: str, dropped: str) -> str:
    """The problem for a plain value cut short by `` #``."""
    full = f"{value} {dropped}"
    shown = f"{key}: {_quote(full)}" if key else f"- {_quote(full)}"
    where = f"the value of '{key}'" if key else "this item"
    return (
        f"{where} stops at ' #': YAML reads {dropped!r} as a comment; "
        f"to keep it, put the value in quotes: {shown}"
    )


def split_lines(text: str) -> list[str]:
    """``text`` split at every YAML line break, as the marks count lines."""
    return _LINE_BREAK.split(text)
