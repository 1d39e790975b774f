"""The give-away graph of a pack: which questions show another question's answer.

Question A *gives away* question B when one of B's answer phrases (its keyed answer and
accepted forms, by type: :meth:`~nkstudy.core.questions.base.Question.answer_phrases`)
appears, as whole folded words (:func:`~nkstudy.core.questions.fold.fold_tokens`), in what
A shows: its prompt, options, answer, explanation, excerpt or citation line.  Phrases that
carry no information on their own (single letters or digits, words of :data:`STOP_WORDS`)
and phrases already in B's own prompt are left out.

Built once when a pack loads (and kept in the pack cache): every answer phrase of the pack
goes, as its folded words, into one Aho–Corasick automaton, and each question's shown text,
folded the same way, runs through it once; each citation line runs through it once per
source.  So the work grows with the text, never with pairs of questions, and the graph,
which keeps per question the phrases its text shows (in compact arrays), is bounded by the
text of the pack.

Links that need no text (shared events, events of one visit through ``part_of``, and
``related:`` lists) are read from the questions by whoever asks; the graph keeps the
``part_of`` roots.  Pure: no Textual, Rich or SQLite.
"""

from __future__ import annotations

import base64
import sys
from array import array
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from operator import itemgetter
from typing import Any

import ahocorasick

from nkstudy.core.questions.base import Question
from nkstudy.core.questions.fold import BREAK, fold_lines, fold_tokens, padded_lines

#: words that carry no information as an answer on their own
STOP_WORDS = frozenset(
    "a an the of and or in on at to by for from with as into about is was were be been it its he she his her "
    "him they them their this that these those yes no not none nothing true false all both neither either "
    "other others some any one two three few many more most less".split()
)
#: an answer longer than this many words is looked for by its first this many words
MAX_PHRASE_WORDS = 16
#: what a question shows, in the order a listing names them
FIELDS = ("prompt", "options", "answer", "explanation", "excerpt", "citation")


def informative(tokens: Sequence[str]) -> bool:
    """True when an answer of these folded words tells something on its own: some word of it
    is longer than one letter and not on :data:`STOP_WORDS`."""
    if len(tokens) == 1:
        word = tokens[0]
        return len(word) > 1 and word not in STOP_WORDS
    return any(len(word) > 1 and word not in STOP_WORDS for word in tokens)


def _contains(haystack: list[str], needle: tuple[str, ...]) -> bool:
    """True when the words ``needle`` come one after another in ``haystack``."""
    n, first, at = len(needle), needle[0], 0
    while True:
        try:
            at = haystack.index(first, at)
        except ValueError:
            return False
        if tuple(haystack[at:at + n]) == needle:
            return True
        at += 1


def shown_texts(q: Question, *, prompt: bool = True) -> Iterator[tuple[str, str]]:
    """(field, text) for what ``q`` shows of its own, the citation apart (it is per source)."""
    if prompt:
        yield "prompt", q.prompt
    for option in q.choices():
        yield "options", option
    yield "answer", q.answer_text()
    if q.explanation:
        yield "explanation", q.explanation
    if q.excerpt:
        yield "excerpt", q.excerpt


_second = itemgetter(1)
_GAP = f" {BREAK} "  # between two texts of one question: no phrase is found across it


def _rest_of(q: Question) -> str:
    """What :func:`shown_texts` gives after the prompt, as one text (built for every question):
    the options as :meth:`~Question.choices` gives them, without their numbers."""
    return _GAP.join((*q.choices(), q.answer_text(), q.explanation or "", q.excerpt or ""))


def _ints(values: Sequence[int] = ()) -> array[int]:
    return array("i", values)


@dataclass(frozen=True, eq=False)
class GiveAwayGraph:
    """Which questions of one pack give which away (see the module's notes).

    Questions are numbered in pack order (``ids``).  ``answers`` lists each question's
    answer phrases and ``shown`` the phrases its own text shows, each as one flat array with
    a start index per question (``answer_start[i]:answer_start[i + 1]``).  ``cited`` gives, for a phrase
    found in citation lines, the ids of those sources; ``roots``, for each event that is
    part of another, the event its chain of ``part_of`` ends at.
    """

    ids: tuple[str, ...]
    phrases: tuple[str, ...]
    answer_start: array[int]
    answer_flat: array[int]
    shown_start: array[int]
    shown_flat: array[int]
    cited: dict[int, tuple[str, ...]] = field(default_factory=dict)
    roots: dict[str, str] = field(default_factory=dict)

    # -- reading ----------------------------------------------------------------------
    @cached_property
    def index(self) -> dict[str, int]:
        """Question id -> its number."""
        return {qid: i for i, qid in enumerate(self.ids)}

    @cached_property
    def _shown_sets(self) -> dict[int, frozenset[int]]:
        return {}

    @cached_property
    def _cited_sets(self) -> dict[int, frozenset[str]]:
        return {p: frozenset(s) for p, s in self.cited.items()}

    def answers(self, i: int) -> array[int]:
        """The phrase numbers of question ``i``."""
        return self.answer_flat[self.answer_start[i]:self.answer_start[i + 1]]

    def shows(self, i: int) -> frozenset[int]:
        """The phrases question ``i``'s own text shows (made once, when first asked)."""
        found = self._shown_sets.get(i)
        if found is None:
            found = self._shown_sets[i] = frozenset(self.shown_flat[self.shown_start[i]:self.shown_start[i + 1]])
        return found

    @cached_property
    def _by_source(self) -> dict[str, frozenset[int]]:
        out: dict[str, set[int]] = {}
        for p, sources in self.cited.items():
            for source in sources:
                out.setdefault(source, set()).add(p)
        return {source: frozenset(found) for source, found in out.items()}

    def shown_with_citation(self, i: int, source: str | None) -> frozenset[int]:
        """The phrases question ``i`` shows, its citation line (of ``source``) included."""
        own = self.shows(i)
        cited = self._by_source.get(source) if source is not None else None
        return own | cited if cited else own

    def holds(self, i: int, source: str | None, p: int) -> bool:
        """True when question ``i`` (citing ``source``) shows phrase ``p``."""
        if p in self.shows(i):
            return True
        cited = self._cited_sets.get(p)
        return cited is not None and source is not None and source in cited

    def gives_away(self, a: int, a_source: str | None, b: int) -> bool:
        """True when question ``a`` (citing ``a_source``) shows an answer of question ``b``."""
        return a != b and any(self.holds(a, a_source, p) for p in self.answers(b))

    def root(self, event: str) -> str:
        """The visit ``event`` is part of (itself when it is part of none)."""
        return self.roots.get(event, event)

    def holders(self) -> dict[int, list[int]]:
        """Phrase -> the questions whose own text shows it (worked out when asked: for listings)."""
        out: dict[int, list[int]] = {}
        for i in range(len(self.ids)):
            for p in self.shown_flat[self.shown_start[i]:self.shown_start[i + 1]]:
                out.setdefault(p, []).append(i)
        return out

    @cached_property
    def owners(self) -> dict[int, list[int]]:
        """Phrase -> the questions it is an answer of."""
        out: dict[int, list[int]] = {}
        for i in range(len(self.ids)):
            for p in self.answers(i):
                out.setdefault(p, []).append(i)
        return out

    # -- the pack cache ---------------------------------------------------------------
    def to_plain(self) -> dict[str, Any]:
        """The graph as JSON values (the arrays as base64 of 32-bit little-endian ints)."""
        return {
            "phrases": list(self.phrases),
            "arrays": [_pack_ints(a) for a in (self.answer_start, self.answer_flat,
                                               self.shown_start, self.shown_flat)],
            "cited": [[p, list(s)] for p, s in sorted(self.cited.items())],
            "roots": dict(sorted(self.roots.items())),
        }

    @classmethod
    def from_plain(cls, data: Any, ids: tuple[str, ...]) -> GiveAwayGraph:
        """The graph :meth:`to_plain` wrote for the questions ``ids``; ValueError when it does not fit."""
        if not isinstance(data, dict):
            raise ValueError("not a graph")
        phrases, arrays, cited, roots = data["phrases"], data["arrays"], data["cited"], data["roots"]
        if not (isinstance(phrases, list) and all(type(p) is str for p in phrases)):
            raise ValueError("bad phrases")
        if not (isinstance(arrays, list) and len(arrays) == 4):
            raise ValueError("bad arrays")
        answer_start, answer_flat, shown_start, shown_flat = (_unpack_ints(a) for a in arrays)
        _check_rows(answer_start, answer_flat, len(ids), len(phrases))
        _check_rows(shown_start, shown_flat, len(ids), len(phrases))
        if not isinstance(cited, list) or not isinstance(roots, dict):
            raise ValueError("bad links")
        cited_map: dict[int, tuple[str, ...]] = {}
        for item in cited:
            p, sources = item
            if type(p) is not int or not 0 <= p < len(phrases) or not all(type(s) is str for s in sources):
                raise ValueError("bad citation")
            cited_map[p] = tuple(sources)
        if not all(type(k) is str and type(v) is str for k, v in roots.items()):
            raise ValueError("bad roots")
        return cls(ids, tuple(phrases), answer_start, answer_flat, shown_start, shown_flat, cited_map,
                   dict(roots))


def _pack_ints(values: array[int]) -> str:
    out = array("i", values)
    if sys.byteorder != "little":  # pragma: no cover - the machines we run on are little-endian
        out.byteswap()
    return base64.b64encode(out.tobytes()).decode("ascii")


def _unpack_ints(text: Any) -> array[int]:
    if type(text) is not str:
        raise ValueError("not an array")
    raw = base64.b64decode(text.encode("ascii"), validate=True)
    if len(raw) % 4:
        raise ValueError("a broken array")
    out = array("i")
    out.frombytes(raw)
    if sys.byteorder != "little":  # pragma: no cover
        out.byteswap()
    return out


def _check_rows(start: array[int], flat: array[int], rows: int, limit: int) -> None:
    if len(start) != rows + 1 or start[0] != 0 or start[-1] != len(flat):
        raise ValueError("rows do not fit")
    if any(a > b for a, b in zip(start, start[1:], strict=False)):
        raise ValueError("rows out of order")
    if flat and (min(flat) < 0 or max(flat) >= limit):
        raise ValueError("a number out of range")


# -- building ------------------------------------------------------------------------------
#: questions folded at a time while the graph is built (keeps the folded words of a large pack
#: out of memory all at once)
CHUNK = 2000


def _line(tokens: Sequence[str]) -> str:
    """Folded words as one line with a space at each end, so that a phrase written the same
    way (:func:`_line` of its words) is found in it only on whole words."""
    return " " + " ".join(tokens) + " "


def build_graph(questions: Sequence[Question], citations: Mapping[str, str],
                parents: Mapping[str, str]) -> GiveAwayGraph:
    """The give-away graph of a pack's ``questions``.

    ``citations`` maps a source id to the citation line shown with its questions (title,
    outlet, date); ``parents`` maps an event id to the event it is part of (checked by the
    loader: every chain ends).

    Every informative answer phrase goes into one Aho–Corasick automaton (``pyahocorasick``,
    in C), as its folded words between spaces; each question's shown text, folded the same
    way with its prompt first, is run through it once.  A phrase found in the prompt of a
    question it answers is dropped from that question's answers.
    """
    written = [q.answer_phrases() for q in questions]
    folded = iter(fold_lines([text for texts in written for text in texts]))
    number: dict[str, int] = {}  # a phrase's folded words between spaces -> its number (-1: says nothing)
    keys: list[str] = []  # each phrase's folded words between spaces
    phrases: list[str] = []
    automaton = ahocorasick.Automaton()
    candidates: list[list[int]] = []
    for answers in written:
        own: list[int] = []
        for text in answers:
            key = f" {next(folded)} "
            p = number.get(key)
            if p is None:
                words = key.split()
                if len(words) > MAX_PHRASE_WORDS:
                    words = words[:MAX_PHRASE_WORDS]
                    key = _line(words)
                    p = number.get(key)
            if p is None:
                if not informative(words):
                    p = number[key] = -1
                else:
                    p = number[key] = len(phrases)
                    keys.append(key)
                    phrases.append(text)
                    automaton.add_word(key, p)
            if p >= 0 and p not in own:
                own.append(p)
        candidates.append(own)

    answer_start, answer_flat = _ints([0]), _ints()
    shown_start, shown_flat = _ints([0]), _ints()
    cited: dict[int, tuple[str, ...]] = {}
    if not phrases:
        answer_start.extend([0] * len(questions))
        shown_start.extend([0] * len(questions))
    else:
        automaton.make_automaton()
        find = automaton.iter
        for first in range(0, len(questions), CHUNK):
            chunk = questions[first:first + CHUNK]
            lines = padded_lines([f"{q.prompt}{_GAP}{_rest_of(q)}" for q in chunk])
            for k, line in enumerate(lines):
                shown_flat.extend(map(_second, find(line)))  # a phrase found twice is kept twice
                shown_start.append(len(shown_flat))
                own = candidates[first + k]
                if own:
                    prompt = line.partition(BREAK)[0]  # its folded words end in a space
                    answer_flat.extend(p for p in own if keys[p] not in prompt)
                answer_start.append(len(answer_flat))
        by_source: dict[int, list[str]] = {}
        for source_id, line in zip(citations, fold_lines(list(citations.values())), strict=True):
            for p in sorted({p for _end, p in find(f" {line} ")}):
                by_source.setdefault(p, []).append(source_id)
        cited = {p: tuple(ids) for p, ids in sorted(by_source.items())}

    roots: dict[str, str] = {}
    for event in parents:
        top, seen = event, {event}
        while top in parents and parents[top] not in seen:
            top = parents[top]
            seen.add(top)
        roots[event] = top
    return GiveAwayGraph(tuple(q.id for q in questions), tuple(phrases), answer_start, answer_flat,
                         shown_start, shown_flat, cited, roots)


# -- listing, for authors --------------------------------------------------------------------
@dataclass(frozen=True)
class Leak:
    """Question ``giver`` shows ``text``, an answer of question ``taker``, in its ``field``.

    ``linked`` says how the pack already links the two, so that a session keeps them apart
    even without the text: ``related``, ``event`` (the same event) or ``visit`` (events of one
    visit, through ``part_of``); None when they are not linked.
    """

    giver: str
    taker: str
    field: str
    text: str
    linked: str | None


def _link(a: Question, b: Question, graph: GiveAwayGraph) -> str | None:
    if b.id in a.related or a.id in b.related:
        return "related"
    if a.event is not None and a.event == b.event:
        return "event"
    if a.event is not None and b.event is not None and graph.root(a.event) == graph.root(b.event):
        return "visit"
    return None


def _field_of(q: Question, tokens: tuple[str, ...]) -> str | None:
    for name, text in shown_texts(q):
        if _contains(fold_tokens(text), tokens):
            return name
    return None


def leaks(graph: GiveAwayGraph, questions: Sequence[Question]) -> list[Leak]:
    """Every (giver, taker) pair of the graph with the field and the answer text that gives it
    away, in pack order of the giver, then of the taker.  ``questions`` are the graph's own."""
    citing: dict[str, list[int]] = {}
    for i, q in enumerate(questions):
        if q.source is not None:
            citing.setdefault(q.source, []).append(i)
    found: dict[tuple[int, int], tuple[str, str]] = {}
    holders = graph.holders()
    for p, owners in sorted(graph.owners.items()):
        tokens = tuple(fold_tokens(graph.phrases[p])[:MAX_PHRASE_WORDS])
        givers: dict[int, str] = {}
        for i in sorted(holders.get(p, ())):
            givers[i] = _field_of(questions[i], tokens) or "prompt"
        for source in graph.cited.get(p, ()):
            for i in citing.get(source, ()):
                givers.setdefault(i, "citation")
        for i, where in givers.items():
            for j in owners:
                if i != j:
                    found.setdefault((i, j), (where, graph.phrases[p]))
    return [Leak(questions[i].id, questions[j].id, where, text, _link(questions[i], questions[j], graph))
            for (i, j), (where, text) in sorted(found.items())]
