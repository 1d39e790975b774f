"""Finding excerpts in their source (quote and space folding), and making untrusted text
safe to show in a terminal.  Answer folding is in ``core/questions/fold.py``.

Pure functions, no third-party imports.
"""

from __future__ import annotations

import json
import re
import unicodedata

_QUOTES = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u2032": "'",
        "`": "'",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
    }
)


def _fold_char(ch: str) -> str:
    return ch.translate(_QUOTES)


_SPACE_RUN = re.compile(r"\s+")


def fold_passage(text: str) -> str:
    """Fold quote and dash styles to one each and every whitespace run to one space.

    Leading and trailing whitespace is dropped.  Excerpts are checked against
    their source by folding both: ``fold_passage(excerpt) in fold_passage(source)``.
    """
    for ch, folded in _FOLD_PAIRS:
        if ch in text:  # a fast scan; str.translate would cost a lookup per character
            text = text.replace(ch, folded)
    return _SPACE_RUN.sub(" ", text).strip(" ")


_FOLD_PAIRS = tuple((chr(code), target) for code, target in _QUOTES.items())


def _same_after_folding() -> dict[str, str]:
    """For each folded character, a regex class of the characters that fold to it."""
    groups: dict[str, set[str]] = {}
    for code, target in _QUOTES.items():
        if not target.isspace():
            groups.setdefault(target, {target}).add(chr(code))
    return {k: "[" + "".join(re.escape(c) for c in sorted(v)) + "]" for k, v in groups.items()}


_CLASSES = _same_after_folding()


def find_passage(source: str, excerpt: str) -> tuple[int, int] | None:
    """Locate ``excerpt`` in ``source``, ignoring whitespace and quote style.

    Returns ``(start, end)`` offsets into ``source``, or ``None``.  The source
    is not folded: a pattern built from the folded excerpt is searched in it,
    so no per-character map of a large source is ever built.
    """
    folded = fold_passage(excerpt)
    if not folded:
        return None
    parts = [r"\s+" if ch == " " else _CLASSES.get(ch) or re.escape(ch) for ch in folded]
    match = re.search("".join(parts), source)
    if match is None:
        return None
    return match.start(), match.end()


_SENTENCE = re.compile(r"[^\n.!?]+[.!?]*")
_MAX_CANDIDATES = 20_000


def closest_passage(source: str, excerpt: str) -> tuple[int, str] | None:
    """The 1-based line and text of the sentence (or two) of ``source`` nearest to
    ``excerpt``, for pointing an author at a misquoted excerpt; None if nothing is close."""
    import difflib

    wanted = fold_passage(excerpt).casefold()
    if not wanted:
        return None
    spans = [(m.start(), m.end()) for m in _SENTENCE.finditer(source) if m.group().strip()][:_MAX_CANDIDATES]
    candidates = spans + [(a[0], b[1]) for a, b in zip(spans, spans[1:], strict=False)
                          if source.count("\n", a[0], b[1]) == 0]
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(wanted)
    best: tuple[float, int, int] | None = None
    for start, end in candidates:
        matcher.set_seq1(fold_passage(source[start:end]).casefold())
        floor = best[0] if best else 0.6
        if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
            continue
        ratio = matcher.ratio()
        if ratio >= floor and (best is None or ratio > best[0]):
            best = (ratio, start, end)
    if best is None:
        return None
    _, start, end = best
    return source.count("\n", 0, start) + 1, fold_passage(source[start:end])


def find_phrase(passage: str, phrase: str) -> tuple[int, int] | None:
    """Locate ``phrase`` inside ``passage`` case-insensitively (for highlighting)."""
    if not phrase.strip():
        return None
    pattern = r"\s+".join(re.escape(_fold_char(part)) for part in phrase.split())
    folded = "".join(_fold_char(c) for c in passage)
    match = re.search(pattern, folded, flags=re.IGNORECASE)
    if match is None:
        return None
    return match.start(), match.end()


# -- untrusted text on a terminal ---------------------------------------------------------

#: Characters a pack may not hold in its text: C0 controls other than tab and newline,
#: DEL, C1 controls (U+009B is a one-byte CSI), and the bidirectional embeddings,
#: overrides and isolates.  The left-to-right and right-to-left marks are fine.
CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

# What visible() escapes: all of the above plus tab, newline, the Unicode line and
# paragraph separators (which split lines for str.splitlines) and lone surrogates
# (undecodable bytes in file names), which cannot be written to a UTF-8 terminal.
_UNSAFE_RE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# What JSON output escapes beyond what json.dumps already escapes (C0, '"' and '\\').
_JSON_UNSAFE_RE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


_SHORT_ESCAPES = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _escape(ch: str) -> str:
    if ch in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, keep: str = "") -> str:
    """``text`` made safe for a terminal: control characters shown as escapes.

    Every C0 and C1 control character, DEL, bidirectional override or isolate,
    line or paragraph separator and lone surrogate becomes a visible escape such
    as ``\\x1b`` or ``\\u202e``, so nothing from a pack can move the cursor,
    change colours, write the clipboard or reorder text on screen.  Characters in
    ``keep`` (for example ``"\\n\\t"`` for multi-line text) are left as they are;
    by default the result is always a single line.
    """
    if not _UNSAFE_RE.search(text):
        return text
    return _UNSAFE_RE.sub(lambda m: m.group() if m.group() in keep else _escape(m.group()), text)


def first_control_char(text: str) -> tuple[int, str] | None:
    """The offset and character of the first character in ``text`` that a pack may
    not hold (see CONTROL_RE), or None."""
    match = CONTROL_RE.search(text)
    return None if match is None else (match.start(), match.group())


def control_chars_in(fields: list[tuple[str, object]]) -> list[tuple[str, str]]:
    """(name, first control character) for each named value (text, or lists of them) holding one."""
    found: list[tuple[str, str]] = []
    texts: list[str] = []
    for _name, value in fields:
        if isinstance(value, str):
            texts.append(value)
        else:
            texts += _texts_in(value)
    if CONTROL_RE.search("\n".join(texts)) is None:
        return found  # the common case, in one scan
    for name, value in fields:
        for text in _texts_in(value):
            match = CONTROL_RE.search(text)
            if match is not None:
                found.append((name, match.group()))
                break
    return found


def _texts_in(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [text for item in value for text in _texts_in(item)]
    return []


def describe_char(ch: str) -> str:
    """``U+001B (ESC)``: a code point and, when it has one, its short name."""
    name = _CHAR_NAMES.get(ch) or unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f" ({name})" if name else "")


_CHAR_NAMES = {
    "\x00": "NUL", "\x07": "BEL", "\x08": "BS", "\x0b": "VT", "\x0c": "FF", "\r": "CR",
    "\x1b": "ESC", "\x7f": "DEL", "\x85": "NEL", "\x9b": "CSI", "\x9d": "OSC",
}


def json_text(value: object, indent: int | None = 2) -> str:
    """``value`` as JSON that is safe to print: readable UTF-8, but every control,
    bidirectional and separator character escaped as ``\\uXXXX``.

    ``json.dumps(ensure_ascii=False)`` escapes C0 controls only; C1 controls
    (U+009B is a one-byte CSI) and bidi overrides would reach the terminal raw.
    The escaped JSON decodes to exactly the same data.
    """
    out = json.dumps(value, ensure_ascii=False, indent=indent)
    return _JSON_UNSAFE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", out)


def visible_in_place(text: str) -> str:
    """Like :func:`visible` (newlines and tabs kept), but one character for one, so offsets still hold.

    C0 controls become their Control Pictures (ESC is ``␛``), DEL ``␡``, and C1, bidi
    and separator characters U+FFFD.
    """
    if not _UNSAFE_RE.search(text):
        return text

    def one(m: re.Match[str]) -> str:
        ch = m.group()
        if ch in "\n\t":
            return ch
        code = ord(ch)
        if code < 0x20:
            return chr(0x2400 + code)
        return "\u2421" if code == 0x7F else "\ufffd"

    return _UNSAFE_RE.sub(one, text)


#: marks a quoted passage may open with (its own quotation, as the article prints it)
OPENING_QUOTES = "\"'“‘«„"


def opens_with_quote(text: str) -> bool:
    """True when ``text`` starts with a quote mark of its own, so wrapping it in “ ” would double it."""
    return text.lstrip()[:1] in OPENING_QUOTES


#: the mark that closes each opening mark whose closing one cannot also be an apostrophe
_CLOSES = {"“": "”", "«": "»", "„": "“", '"': '"'}


def unclosed_quote(text: str) -> str:
    """The mark that closes the quotation ``text`` opens and does not close, else "".

    A passage cut from inside a quotation (“China doesn’t like … without China.) opens the
    speaker's quote and ends before its closing mark; shown as it is, the mark would stay open.
    """
    body = text.strip()
    close = _CLOSES.get(body[:1])
    if close is None:
        return ""
    if close == body[0]:  # straight quotes: an odd count leaves one open
        return close if body.count(close) % 2 else ""
    return "" if close in body[1:] else close


def in_quotes(text: str) -> str:
    """``text`` in “ ”, unless it opens with a quote mark itself (then as it is, the quotation closed)."""
    return text + unclosed_quote(text) if opens_with_quote(text) else f"“{text}”"


def quoted(value: object) -> str:
    """A name or value inside a message: in single quotes (double when it holds a single quote and
    no double one, as ``repr`` does), as typed (a backslash stays one backslash, unlike ``repr``),
    control characters shown as escapes (:func:`visible`)."""
    text = visible(value if isinstance(value, str) else str(value))
    mark = '"' if "'" in text and '"' not in text else "'"
    return mark + text + mark
