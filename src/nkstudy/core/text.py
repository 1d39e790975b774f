"""Text folding used for matching typed answers and locating excerpts.

Pure functions, no third-party imports.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

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


def fold_answer(text: str) -> str:
    """Fold an answer for comparison.

    Case, diacritics, punctuation, hyphens and spacing are ignored, so
    ``"Kim Jong-un"``, ``"kim jong un"`` and ``"KimJongUn"`` fold alike.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    kept = [
        ch
        for ch in decomposed
        if not unicodedata.combining(ch) and unicodedata.category(ch)[0] in "LN"
    ]
    return "".join(kept).casefold()


def answers_match(given: str, accepted: list[str] | tuple[str, ...]) -> bool:
    """True when ``given`` folds to the same text as any accepted answer."""
    folded = fold_answer(given)
    if not folded:
        return False
    return any(folded == fold_answer(a) for a in accepted)


def _fold_char(ch: str) -> str:
    return ch.translate(_QUOTES)


@lru_cache(maxsize=64)
def fold_passage(text: str) -> tuple[str, tuple[int, ...]]:
    """Fold quotes, dashes and whitespace runs of ``text``.

    Returns the folded text and, for each folded character, the index in
    ``text`` it came from, so a match in the folded text maps back to a span
    of the original.
    """
    out: list[str] = []
    where: list[int] = []
    in_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if not in_space and out:
                out.append(" ")
                where.append(i)
            in_space = True
            continue
        in_space = False
        out.append(_fold_char(ch))
        where.append(i)
    while out and out[-1] == " ":
        out.pop()
        where.pop()
    return "".join(out), tuple(where)


def find_passage(source: str, excerpt: str) -> tuple[int, int] | None:
    """Locate ``excerpt`` in ``source``, ignoring whitespace and quote style.

    Returns ``(start, end)`` offsets into ``source``, or ``None``.
    """
    folded_src, where = fold_passage(source)
    folded_ex, _ = fold_passage(excerpt)
    if not folded_ex:
        return None
    at = folded_src.find(folded_ex)
    if at < 0:
        return None
    end = at + len(folded_ex) - 1
    return where[at], where[end] + 1


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


_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _visible_char(ch: str) -> str:
    code = ord(ch)
    if code < 0x20 and ch not in "\n\t":
        return chr(0x2400 + code)  # C0 as its Control Picture: ESC shows as ␛
    if code == 0x7F:
        return "\u2421"  # ␡
    if 0x80 <= code <= 0x9F or ch in _BIDI_CONTROLS:
        return f"<U+{code:04X}>"
    return ch


def visible(text: str) -> str:
    """``text`` safe for a terminal: control characters shown, never obeyed.

    C0 controls (but newline and tab) and DEL become their Unicode Control
    Pictures (ESC is ``␛``); C1 controls and bidirectional overrides become
    ``<U+202E>``.  Everything else is unchanged.
    """
    if text.isprintable():
        return text
    return "".join(_visible_char(ch) for ch in text)


def visible_in_place(text: str) -> str:
    """Like :func:`visible`, but one character for one, so offsets into ``text`` still hold.

    C0 controls and DEL become their Control Pictures; C1 controls and bidi controls
    become U+FFFD.
    """
    if text.isprintable():
        return text
    return "".join(shown if len(shown := _visible_char(ch)) == 1 else "\ufffd" for ch in text)
