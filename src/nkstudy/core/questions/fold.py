"""Folding typed answers for comparison: case, punctuation, diacritics, written dates, one-letter slips.

Pure functions, no third-party imports.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date


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


_MONTHS = {
    name: number
    for number, names in enumerate(
        (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")),
        start=1,
    )
    for name in names
}
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAYS = {
    name: number
    for number, names in enumerate(
        (("monday", "mon"), ("tuesday", "tue", "tues"), ("wednesday", "wed"), ("thursday", "thu", "thur", "thurs"),
         ("friday", "fri"), ("saturday", "sat"), ("sunday", "sun")),
    )
    for name in names
}
_UNITS = ("first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
          "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth").split()
_ORDINAL_WORDS = {word: n for n, word in enumerate(_UNITS, start=1)}
_ORDINAL_WORDS.update({"twentieth": 20, "thirtieth": 30})
_ORDINAL_WORDS.update({f"{tens}{sep}{unit}": base + n for tens, base in (("twenty", 20), ("thirty", 30))
                       for n, unit in enumerate(_UNITS[:9], start=1) for sep in (" ", "-", "")})
_ORDINAL_WORD = "(" + "|".join(sorted((re.escape(w) for w in _ORDINAL_WORDS), key=len, reverse=True)) + ")"
_ORDINAL_RE = re.compile(r"\b(\d{1,4})\s*(?:st|nd|rd|th)\b", re.IGNORECASE)
# "June twelfth", "the twelfth of June": a day written as an ordinal word, next to a month
_WORD_DAY_RE = re.compile(
    rf"\b(?:{_MONTH}\s+(?:the\s+)?{_ORDINAL_WORD}|(?:the\s+)?{_ORDINAL_WORD}\s+(?:of\s+)?{_MONTH})\b", re.IGNORECASE)
# "12 June 2024", "the 12 of June", "12june", "June 12, 2024", "june12": day and month, the year optional
_DAY_MONTH_RE = re.compile(rf"\b(?:the\s+)?(\d{{1,2}})\s*(?:of\s+)?{_MONTH}(?:,?\s+(\d{{4}}))?\b", re.IGNORECASE)
_MONTH_DAY_RE = re.compile(rf"\b{_MONTH}\s*(\d{{1,2}})(?:\s*,?\s+(\d{{4}}))?\b", re.IGNORECASE)
# "2024-4-13", "2024/04/13": year, month, day
_ISO_RE = re.compile(r"\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b")
# "13/4/2024", "4/13/2024": day and month in either order, read only when one of them cannot be a month
_NUMERIC_RE = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b")
_FOLDED_DATE_RE = re.compile(r"(\d+)d(\d+)m(?:(\d+)y)?")
_WEEKDAY_NAME = "(" + "|".join(sorted(_WEEKDAYS, key=len, reverse=True)) + r")\.?,?\s*"
_WEEKDAY_RE = re.compile(rf"\b{_WEEKDAY_NAME}(?=\d+d\d+m)", re.IGNORECASE)
_WEEKDAY_DATE_RE = re.compile(rf"\b{_WEEKDAY_NAME}(\d+)d(\d+)m(?:(\d+)y)?", re.IGNORECASE)


def _date_words(day: str | int, month: str | int, year: str | None) -> str:
    number = month if isinstance(month, int) else _MONTHS[month.casefold()]
    return f"{int(day)}d{number}m" + (f"{year}y" if year else "")


def _word_day(m: re.Match[str]) -> str:
    month = m.group(1) or m.group(4)
    word = " ".join((m.group(2) or m.group(3)).split()).casefold()
    return f"{_ORDINAL_WORDS[word]} {month}"


def _numeric(m: re.Match[str]) -> str:
    first, second, year = int(m.group(1)), int(m.group(2)), m.group(3)
    if first > 12 >= second >= 1:
        return _date_words(first, second, year)
    if second > 12 >= first >= 1:
        return _date_words(second, first, year)
    return m.group(0)  # 4/5/2024: 4 May or April 5? left as written


def fold_dates(text: str) -> str:
    """Written dates in one form: ordinals lose their suffix and day and month come in one order.

    ``"June 12th"``, ``"the 12th of June"``, ``"June twelfth"``, ``"june12"`` and ``"12 June"``
    give the same text, as do ``"April 13, 2024"``, ``"13th April 2024"``, ``"2024-4-13"`` and
    ``"13/4/2024"`` (day and month written as numbers are read only when one of them is over
    12, so cannot be the month).  Month names, whole or short, become a month number, so
    ``"Sept 3"`` and ``"3 September"`` agree too.  A weekday before a date is dropped
    (:func:`weekday_conflict` checks it).
    """
    return _WEEKDAY_RE.sub("", _date_forms(text))


def _date_forms(text: str) -> str:
    """Each written date as ``12d6m`` or ``12d6m2024y``; weekdays are left in place."""
    text = _WORD_DAY_RE.sub(_word_day, text)
    text = _ORDINAL_RE.sub(lambda m: m.group(1), text)
    text = _ISO_RE.sub(lambda m: _date_words(m.group(3), int(m.group(2)), m.group(1))
                       if 1 <= int(m.group(2)) <= 12 else m.group(0), text)
    text = _NUMERIC_RE.sub(_numeric, text)
    text = _DAY_MONTH_RE.sub(lambda m: _date_words(m.group(1), m.group(2), m.group(3)), text)
    return _MONTH_DAY_RE.sub(lambda m: _date_words(m.group(2), m.group(1), m.group(3)), text)


def weekday_conflict(given: str, accepted: Sequence[str]) -> bool:
    """True when ``given`` names a weekday before a date that falls on another day of the week.

    The year comes from the date itself, else from an accepted answer with the same day and
    month ("Tuesday, June 12" takes 2018 from "June 12, 2018"); without a year, or for a
    date that does not exist, the weekday is not checked.
    """
    years = {(m.group(1), m.group(2)): m.group(3)
             for a in accepted for m in _FOLDED_DATE_RE.finditer(fold_dates(a)) if m.group(3)}
    for m in _WEEKDAY_DATE_RE.finditer(_date_forms(given)):
        year = m.group(4) or years.get((m.group(2), m.group(3)))
        if year is None:
            continue
        try:
            actual = date(int(year), int(m.group(3)), int(m.group(2))).weekday()
        except ValueError:
            continue
        if actual != _WEEKDAYS[m.group(1).casefold()]:
            return True
    return False


def fold_typed(text: str) -> str:
    """A typed answer folded for comparison: :func:`fold_dates`, then :func:`fold_answer`."""
    return fold_answer(fold_dates(text))


#: a slip is forgiven only in answers of at least this many folded letters and digits
CLOSE_MIN_LENGTH = 6


def one_slip(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by exactly one letter: one added, dropped, changed,
    or two neighbours swapped.  Digits must agree exactly (2018 is not 2019)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if [c for c in a if c.isdigit()] != [c for c in b if c.isdigit()]:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long[i]:
        i += 1
    return short[i:] == long[i + 1:]


@dataclass(frozen=True)
class TypedMatch:
    """How a typed answer compares with the accepted ones."""

    correct: bool
    close: bool = False  # accepted, but with a one-letter slip
    nearest: str | None = None  # the accepted answer it is closest to


def match_typed(given: str, accepted: Sequence[str], *, allow_slip: bool = True) -> TypedMatch:
    """Compare ``given`` with ``accepted`` (the first is the main answer).

    Equal after folding (:func:`fold_typed`) is right.  Otherwise, with
    ``allow_slip``, one slip (:func:`one_slip`) in an answer of at least
    :data:`CLOSE_MIN_LENGTH` letters and digits is right but ``close``.
    ``nearest`` is the accepted answer to show the difference against.
    """
    folded = fold_typed(given)
    if not accepted:
        return TypedMatch(False)
    if not folded:
        return TypedMatch(False, nearest=accepted[0])
    targets = [(a, fold_typed(a)) for a in accepted]
    if weekday_conflict(given, accepted):  # "Monday 13 April 2024": right date, wrong day
        return TypedMatch(False, nearest=accepted[0])
    for answer, target in targets:
        if folded == target:
            return TypedMatch(True, nearest=answer)
    if allow_slip:
        for answer, target in targets:
            if len(target) >= CLOSE_MIN_LENGTH and one_slip(folded, target):
                return TypedMatch(True, close=True, nearest=answer)
    nearest = max(targets, key=lambda t: difflib.SequenceMatcher(None, folded, t[1]).ratio())[0]
    return TypedMatch(False, nearest=nearest)


def answers_match(given: str, accepted: list[str] | tuple[str, ...]) -> bool:
    """True when ``given`` folds to the same text as any accepted answer (dates in any written form)."""
    return match_typed(given, accepted, allow_slip=False).correct


_NAME_WORD_RE = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_POSSESSIVE_RE = re.compile(r"['’]s$")
#: words that may stand before a surname used alone ("President Trump")
_TITLES = frozenset("""mr mrs ms dr president premier chairman leader general marshal minister secretary
    ambassador envoy vice prime comrade""".split())


def _name_words(text: str) -> list[str] | None:
    """The words of a person's name ("Zhao Leji", "Kim Jong-un"): 2 to 4 words, each capitalised; else None."""
    words = text.split()
    if not 2 <= len(words) <= 4 or not all(_NAME_WORD_RE.fullmatch(w) and w[0].isupper() for w in words):
        return None
    return words


def single_names(answers: Sequence[str], excerpt: str, prompt: str) -> tuple[str, ...]:
    """The one-word forms of the person's name in ``answers`` that the cited passage itself uses.

    For a name of two to four capitalised words, its first word (the family name of "Zhao
    Leji" or "Kim Jong Un") or its last ("Trump" of "Donald Trump") counts when ``excerpt``
    uses that word on its own: not next to another capitalised word ("Zhao told Kim", not
    "Kim Song Nam" nor "writer Kim Tong-hyung"), except a title before it ("President Trump").
    Punctuation between two words parts them.  A word that ``prompt`` contains never counts:
    the question names that person.
    """
    found = list(_NAME_WORD_RE.finditer(excerpt))
    words = [_POSSESSIVE_RE.sub("", m.group()) for m in found]

    def capital_beside(i: int, j: int) -> bool:
        """Whether word ``j`` is a capitalised word next to word ``i`` (only spaces between)."""
        if not 0 <= j < len(found):
            return False
        a, b = sorted((i, j))
        if excerpt[found[a].end():found[b].start()].strip():
            return False
        return words[j][:1].isupper() and not (j < i and fold_answer(words[j]) in _TITLES)

    alone = {fold_answer(w) for i, w in enumerate(words)
             if not capital_beside(i, i - 1) and not capital_beside(i, i + 1)}
    in_prompt = {fold_answer(_POSSESSIVE_RE.sub("", t)) for t in _NAME_WORD_RE.findall(prompt)}
    out: list[str] = []
    for answer in answers:
        name = _name_words(answer)
        if name is None:
            continue
        for word in (fold_answer(name[0]), fold_answer(name[-1])):
            if word in alone and word not in in_prompt and word not in out:
                out.append(word)
    return tuple(out)


# -- folded tokens: whole words, for finding one text's answer inside another -------------

#: the word :func:`fold_tokens` gives for this character, which a caller puts between two texts
#: that are folded together: no phrase is found across it
BREAK = "\x02"
_TEXT_END = "\x03"  # between texts folded together (not whitespace to str.split)
_WORD_RE = re.compile(r"[^\W_]+|\x02")
#: in ASCII text, everything but letters, digits and BREAK ends a word
_ASCII_SPACES = str.maketrans({chr(c): " " for c in range(128)
                               if not chr(c).isalnum() and chr(c) not in (BREAK, _TEXT_END)})
#: punctuation common in English text beyond ASCII, made spaces so that such text stays ASCII
_WIDE_SPACES = "\u00a0\u00ab\u00b7\u00bb\u2010\u2011\u2012\u2013\u2014\u2015\u2018\u2019\u201c\u201d\u2026\u2192"
_COMBINING_RE = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_ANY_ORDINAL_RE = re.compile(r"(\d)(?:st|nd|rd|th)\b")
_ORDINAL_WORD_RE = re.compile(r"(?<= )([0-9]+)(?:st|nd|rd|th)(?= )")
_MAYBE_ORDINAL_RE = re.compile(r"[0-9](?:st|nd|rd|th) ")  # a quicker scan first: it starts at a digit
_MONTH_WORDS = frozenset(_MONTHS)


def _is_day(token: str) -> bool:
    return token.isdigit() and len(token) <= 2 and 1 <= int(token) <= 31


def _fold_dates_in(tokens: list[str]) -> list[str]:
    """Dates in one form, as :func:`fold_dates` does for the grader: a month becomes ``<n>m``
    and its day ``<d>d`` before it (``June 12`` and ``the 12 of June`` alike give ``12d 6m``);
    a year stays a word of its own, so ``June 2024`` is found in ``12 June 2024``.  Only the
    words around each month word are looked at; the rest is copied in slices."""
    out: list[str] = []
    done = 0
    count = len(tokens)
    for at in [i for i, t in enumerate(tokens) if t in _MONTH_WORDS]:
        if at < done:
            continue
        out.extend(tokens[done:at])
        month = _MONTHS[tokens[at]]
        day = None
        if out and _is_day(out[-1]):
            day = out.pop()
        elif len(out) >= 2 and out[-1] == "of" and _is_day(out[-2]):
            out.pop()
            day = out.pop()
        elif at + 1 < count and _is_day(tokens[at + 1]):
            day = tokens[at + 1]
            at += 1
        if day is not None:
            out.append(f"{int(day)}d")
        out.append(f"{month}m")
        done = at + 1
    out.extend(tokens[done:])
    return out


def _folded_text(texts: list[str]) -> str:
    """``texts`` joined by ``_TEXT_END``, casefolded, accents and ordinal suffixes gone.

    When the result is ASCII (the common case: English text, its quotes and dashes made
    spaces), it is its words between single spaces, with a space at each end and around
    each ``_TEXT_END``; else the caller cuts it into words with :data:`_WORD_RE`."""
    text = f" {_TEXT_END} ".join(t.replace(_TEXT_END, " ") for t in texts)
    if not text.isascii():
        text = _COMBINING_RE.sub("", unicodedata.normalize("NFKD", text))
        for mark in _WIDE_SPACES:
            if mark in text:
                text = text.replace(mark, " ")
    text = text.casefold()
    if BREAK in text:
        text = text.replace(BREAK, f" {BREAK} ")
    if not text.isascii():
        return _ANY_ORDINAL_RE.sub(r"\1", text)
    text = f" {' '.join(text.translate(_ASCII_SPACES).split())} "
    if _MAYBE_ORDINAL_RE.search(text):
        text = _ORDINAL_WORD_RE.sub(r"\1", text)
    return text


def _words(part: str) -> list[str]:
    return part.split() if part.isascii() else _WORD_RE.findall(part)


def fold_token_lists(texts: list[str]) -> list[list[str]]:
    """Each of ``texts`` as folded whole words (see :func:`fold_tokens`), folded together in
    one pass: a pack's worth of texts costs a few scans in C and a short loop per date."""
    if not texts:
        return []
    parts = [_words(part) for part in _folded_text(texts).split(_TEXT_END)]
    return [tokens if _MONTH_WORDS.isdisjoint(tokens) else _fold_dates_in(tokens) for tokens in parts]


#: a month name as a word of folded text (between spaces)
_MONTH_WORD_RE = re.compile(
    r" (?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?= )"
)


def padded_lines(texts: list[str]) -> list[str]:
    """Each of ``texts`` as its folded words (:func:`fold_token_lists`) joined by single
    spaces, with a space at each end (so that a phrase padded the same way is found in it
    on whole words only).  The same words, found faster: only a text with a month name in
    it is cut into words here; the others are folded as one string."""
    if not texts:
        return []
    text = _folded_text(texts)
    if not text.isascii():
        return [f" {' '.join(tokens)} " for tokens in fold_token_lists(texts)]
    lines = text.split(_TEXT_END)
    if not _MONTH_WORD_RE.search(text):
        return lines
    for i, line in enumerate(lines):
        if _MONTH_WORD_RE.search(line):
            lines[i] = f" {' '.join(_fold_dates_in(line.split()))} "
    return lines


def fold_lines(texts: list[str]) -> list[str]:
    """Each of ``texts`` as its folded words joined by single spaces (:func:`padded_lines`, trimmed)."""
    return [line.strip() for line in padded_lines(texts)]


def fold_tokens(text: str) -> list[str]:
    """``text`` as folded whole words, for finding an answer inside other text.

    Folded as the grader folds (:func:`fold_typed`): case and diacritics are ignored, an
    ordinal loses its suffix and dates written in any form agree; but punctuation and spaces
    end a word instead of vanishing, so a phrase is found only on whole words ('Kim' is not
    in 'Kimchi').  :data:`BREAK` in ``text`` is a word of its own, which no phrase crosses.
    """
    return fold_token_lists([text])[0]
