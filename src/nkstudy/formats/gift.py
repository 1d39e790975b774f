"""GIFT, Moodle's text format for questions: the parser.

Turning parsed records into model questions is :mod:`nkstudy.formats.gift_import`;
writing GIFT is :mod:`nkstudy.formats.gift_export`.

:func:`parse` turns GIFT text into :class:`GiftItem` records that follow the shape
of the reference parser (GIFT-grammar-PEG.js: type, title, stem, choices with
right/wrong, weight and feedback, general feedback); :func:`import_file` turns
those into model questions, skipping what nkstudy cannot hold with one line each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nkstudy.core.text import quoted
from nkstudy.formats.common import html_to_text, tidy

BLANK = "_____"
_SPECIAL = "~=#{}:"
_FORMAT_RE = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
_WEIGHT_RE = re.compile(r"^\s*%(-?\d+(?:\.\d+)?)%")
_NUM = r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?"


@dataclass
class Text:
    format: str
    text: str

    def plain(self) -> str:
        if self.format == "html":
            return html_to_text(self.text).text
        return tidy(self.text)


@dataclass
class Choice:
    correct: bool
    weight: float | None
    text: Text | None
    feedback: Text | None = None
    #: numeric answers: ("simple", n) | ("range", n, tolerance) | ("high-low", low, high)
    number: tuple[str, ...] | None = None


@dataclass
class GiftItem:
    type: str  # MC, Short, TF, Matching, Numerical, Essay, Description, Category
    line: int
    title: str | None = None
    stem: Text | None = None
    embedded: bool = False
    choices: list[Choice] = field(default_factory=list)
    general_feedback: Text | None = None
    is_true: bool | None = None
    true_feedback: Text | None = None
    false_feedback: Text | None = None
    pairs: list[tuple[Text, str]] = field(default_factory=list)
    id: str | None = None
    tags: list[str] = field(default_factory=list)
    category: str | None = None
    #: the stem with the blank where the author put it (no spaces added)
    exact_stem: Text | None = None


class GiftError(ValueError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


# -- low level: escapes and splitting ----------------------------------------------


def unescape(text: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt in _SPECIAL or nxt == "\\":
                out.append(nxt)
                i += 2
                continue
            if nxt == "n":
                out.append("\n")
                i += 2
                continue
        out.append(ch)
        i += 1
    return "".join(out)


def _find(text: str, targets: str, start: int = 0) -> int:
    """Index of the first unescaped character of ``targets`` at or after ``start``, or -1."""
    return _find_first(text, tuple(targets), start)


def _find_str(text: str, target: str, start: int = 0) -> int:
    """Index of the first unescaped ``target`` at or after ``start``, or -1."""
    return _find_first(text, (target,), start)


def _find_first(text: str, needles: tuple[str, ...], start: int) -> int:
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text.startswith(needles, i):
            return i
        i += 1
    return -1


def _split(text: str, seps: str) -> list[str]:
    """Split at unescaped separators, keeping each separator at the start of its part."""
    parts: list[str] = []
    start = 0
    i = _find(text, seps)
    while i >= 0:
        parts.append(text[start:i])
        start = i
        i = _find(text, seps, i + 1)
    parts.append(text[start:])
    return parts


def _formatted(raw: str, inherit: str) -> Text:
    m = _FORMAT_RE.match(raw)
    fmt = inherit
    if m:
        fmt = m.group(1).lower()
        raw = raw[m.end() :]
    if fmt not in ("html", "markdown"):
        # the file's own line breaks and runs of spaces are one space; an escaped \n is a line break
        # (as in Moodle and the reference parser), so collapse before unescaping
        raw = " ".join(raw.split())
    return Text(fmt, unescape(raw).strip())


# -- records -------------------------------------------------------------------------


def _records(text: str) -> list[tuple[int, str, list[str]]]:
    """Split GIFT text into (first line, text, comments) records."""
    records: list[tuple[int, str, list[str]]] = []
    buf: list[str] = []
    comments: list[str] = []
    start = 0
    depth = 0
    blank_inside = False  # a blank line inside an answer block that is still open
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if depth and blank_inside and (stripped.startswith(("::", "$CATEGORY:")) or _find(line, "{") >= 0):
            # a new question after a blank line while a '{' is still open: that brace was never
            # closed, and only its own question is lost (as in Moodle), not every later one
            records.append((start, "\n".join(buf), comments))
            buf, comments, depth = [], [], 0
        if stripped.startswith("//"):
            if depth == 0 and not buf:
                comments.append(stripped[2:])
            continue
        blank_inside = not stripped and depth > 0
        if not stripped and depth == 0:
            if buf:
                records.append((start, "\n".join(buf), comments))
                buf, comments = [], []
            continue
        if not buf and stripped.startswith("$CATEGORY:"):
            # a category is its line, whatever it holds: Moodle writes the path as it is, braces and all
            records.append((number, stripped, comments))
            comments = []
            continue
        if not buf:
            start = number
        buf.append(line)
        depth = _depth_after(line, depth)
    if buf:
        records.append((start, "\n".join(buf), comments))
    return records


def _depth_after(line: str, depth: int) -> int:
    i = 0
    while i < len(line):
        if line[i] == "\\":
            i += 2
            continue
        if line[i] == "{":
            depth += 1
        elif line[i] == "}":
            depth = max(0, depth - 1)
        i += 1
    return depth


_ID_TAG_RE = re.compile(r"\[(id|tag):([^\]]+)\]")


def parse(text: str) -> list[GiftItem]:
    """Parse GIFT text.  Raises :class:`GiftError` (with its line) on a record it cannot read;
    use :func:`parse_records` to go on past bad records."""
    items, errors = parse_records(text)
    if errors:
        raise errors[0]
    return items


def parse_records(text: str) -> tuple[list[GiftItem], list[GiftError]]:
    items: list[GiftItem] = []
    errors: list[GiftError] = []
    for line, record, comments in _records(text):
        try:
            item = _parse_record(line, record)
        except GiftError as exc:
            errors.append(exc)
            continue
        for comment in comments:
            for kind, value in _ID_TAG_RE.findall(comment):
                if kind == "id":
                    item.id = value.strip()
                else:
                    item.tags.append(value.strip())
        items.append(item)
    return items, errors


def _parse_record(line: int, record: str) -> GiftItem:
    body = record.strip()
    if body.startswith("$CATEGORY:"):
        return GiftItem("Category", line, title=body[len("$CATEGORY:") :].strip(), category=body[10:].strip())
    title = None
    if body.startswith("::"):
        end = _find_str(body, "::", 2)
        if end < 0:
            raise GiftError(line, "the title opened with '::' is never closed")
        title = unescape(body[2:end]).strip()
        body = re.sub(r"^[ \t]*//[^\n]*", "", body[end + 2 :])
    fmt_match = _FORMAT_RE.match(body)
    stem_format = fmt_match.group(1).lower() if fmt_match else "moodle"
    if fmt_match:
        body = body[fmt_match.end() :]
    open_at = _find(body, "{")
    if open_at < 0:
        if _find(body, "}") >= 0:
            raise GiftError(line, "'}' without a matching '{' (write \\} for a literal brace)")
        return GiftItem("Description", line, title=title, stem=_formatted(body, stem_format))
    close_at = _find(body, "}", open_at + 1)
    if close_at < 0:
        raise GiftError(line, "the answer block opened with '{' is never closed")
    if _find(body, "{", open_at + 1) not in (-1,) and _find(body, "{", open_at + 1) < close_at:
        raise GiftError(line, "an answer block cannot hold another '{' (write \\{ for a literal brace)")
    before, block, after = body[:open_at], body[open_at + 1 : close_at], body[close_at + 1 :]
    if _find(after, "{") >= 0:
        raise GiftError(line, "a question may have only one answer block")
    after_text = after.strip()
    if re.fullmatch(r"[\"';]*", after_text):
        after_text = ""  # a stray quote or semicolon after the block, as some exports leave
    embedded = bool(after_text)
    if embedded:
        stem_raw = " ".join(p for p in (before.strip(), BLANK, after_text) if p)
        stem_raw = stem_raw.replace(BLANK, "\x00")
        stem = _formatted(stem_raw, stem_format)
        stem.text = stem.text.replace("\x00", BLANK)
        # the reference parser puts spaces around the blank; the model keeps the author's spacing
        exact = _formatted(before.lstrip() + "\x00" + after.rstrip(), stem_format)
        exact.text = exact.text.replace("\x00", BLANK)
    else:
        stem = exact = _formatted(before, stem_format)
    item = GiftItem("", line, title=title, stem=stem, embedded=embedded, exact_stem=exact)
    _parse_block(item, block, stem_format, line)
    return item


def _parse_block(item: GiftItem, block: str, fmt: str, line: int) -> None:
    block = re.sub(r"(^|(?<=\s))//[^\n]*", "", block)
    general_at = _find_str(block, "####")
    if general_at >= 0:
        item.general_feedback = _formatted(block[general_at + 4 :], fmt)
        block = block[:general_at]
    content = block.strip()
    if not content:
        item.type = "Essay"
        return
    if content.startswith("#"):
        item.type = "Numerical"
        _numeric(item, content[1:], fmt, line)
        return
    head = _split(content, "#")
    word = head[0].strip().upper()
    if word in ("T", "TRUE", "F", "FALSE"):
        item.type = "TF"
        item.is_true = word in ("T", "TRUE")
        fb: list[Text | None] = [f if f.text else None for f in (_formatted(h[1:], fmt) for h in head[1:])]
        item.true_feedback = fb[0] if len(fb) > 0 else None
        item.false_feedback = fb[1] if len(fb) > 1 else None
        return
    parts = [p for p in _split(content, "~=") if p.strip()]
    if len(parts) == 1 and parts[0][0] not in "~=":
        parts = ["=" + parts[0]]  # one right short answer may omit its '='
    if not parts or parts[0][0] not in "~=":
        raise GiftError(line, "each answer must start with '=' (right) or '~' (wrong)")
    if all(p[0] == "=" and _find_str(p, "->") >= 0 for p in parts) or (
        all(p[0] == "=" for p in parts) and any(_find_str(p, "->") >= 0 for p in parts)
    ):
        item.type = "Matching"
        for p in parts:
            arrow = _find_str(p, "->")
            if arrow < 0:
                raise GiftError(line, "a matching answer needs 'left -> right'")
            left = _formatted(p[1:arrow], fmt)
            right = unescape(p[arrow + 2 :]).strip()
            item.pairs.append((left, " ".join(right.split())))
        return
    item.type = "MC" if any(p[0] == "~" for p in parts) else "Short"
    for p in parts:
        item.choices.append(_choice(p, fmt))


def _answer_parts(part: str) -> tuple[bool, float | None, list[str]]:
    """An answer ``=...`` or ``~...``: right or not, its ``%weight%`` if any, and its text split at '#'."""
    correct = part[0] == "="
    rest = part[1:]
    weight = None
    m = _WEIGHT_RE.match(rest)
    if m:
        weight, rest = float(m.group(1)), rest[m.end() :]
    return correct, weight, _split(rest, "#")


def _answer_feedback(pieces: list[str], fmt: str) -> Text | None:
    """The feedback after an answer's first '#' (``pieces`` as from :func:`_split`), or None when empty."""
    if len(pieces) < 2:
        return None
    feedback = _formatted("".join(pieces[1:])[1:], fmt)
    return feedback if feedback.text else None


def _choice(part: str, fmt: str) -> Choice:
    correct, weight, pieces = _answer_parts(part)
    return Choice(correct, weight, _formatted(pieces[0], fmt), _answer_feedback(pieces, fmt))


def _number(text: str, line: int) -> tuple[str, ...]:
    t = text.strip()
    if re.fullmatch(_NUM, t):
        return ("simple", t)
    m = re.fullmatch(rf"({_NUM})\s*:\s*({_NUM})", t)
    if m:
        return ("range", m.group(1), m.group(2))
    m = re.fullmatch(rf"({_NUM})\s*\.\.\s*({_NUM})", t)
    if m:
        return ("high-low", m.group(1), m.group(2))
    raise GiftError(line, f"{quoted(t)} is not a number, a number:tolerance or a low..high range")


def _numeric(item: GiftItem, content: str, fmt: str, line: int) -> None:
    """A numeric block (after its '#'); each answer's feedback is in the question's text format."""
    content = content.strip()
    if _find(content, "=~") < 0:
        pieces = _split(content, "#")
        single = _number(unescape(pieces[0]), line)
        item.choices.append(Choice(True, None, None, _answer_feedback(pieces, fmt), single))
        return
    for n, p in enumerate(_split(content, "=~")):
        if not p.strip():
            continue
        if n == 0:
            p = "=" + p  # the first answer may omit its '='
        elif p[0] not in "=~":
            raise GiftError(line, "each numeric answer must start with '=' or '~'")
        correct, weight, pieces = _answer_parts(p)
        number = _number(unescape(pieces[0]), line) if pieces[0].strip() else None
        item.choices.append(Choice(correct, weight, None, _answer_feedback(pieces, fmt), number))


# -- to the model ----------------------------------------------------------------------
