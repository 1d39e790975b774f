"""Classroom drills: the same questions, in the same order, for everyone.

A drill is named by its **drill code**, ``PACK@VERSION#SEED/COUNT``, then
``+marked`` when it has that flag, with any filters appended in a fixed order:
``;source=ID``, ``;tag=TAG``, ``;pack=ID`` (each repeatable, sorted within its
kind).  For example::

    nk-china-visits@1.0.0#42/10+marked;tag=where

``+marked`` keeps only the questions nkstudy marks itself: a self-graded type
(:attr:`~nkstudy.core.model.Question.self_graded`, the flashcard) is left out
of the pool.  Every drill :meth:`DrillSpec.build` makes has it unless asked
not to; a code without it (every code made before it existed) draws from
every question, as it always did, so an old code still names the same items.

``PACK@VERSION`` is the drill's pack.  ``;pack=ID@VERSION`` adds a further
pack to draw from (``;pack=ID`` without a version accepts any version).
Timers are not part of the code.

:func:`select` turns a code and the packs at hand into the drill's items.  It
uses only ``random.Random(f"{pack}@{version}#{seed}")`` over a list sorted by
ids, so the questions, their order and each question's option order are the
same on every machine, for every profile and under any hash seed.

Grading is the question class's own :meth:`~nkstudy.core.model.Question.grade`;
:func:`result_of` wraps it into a :class:`DrillResult` row for the store.

Pure: no Textual, no Rich, no SQLite, no clock.
"""

from __future__ import annotations

import random
import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from nkstudy.core.classroom.responses import encode
from nkstudy.core.model import (
    CardQuestion,
    ChoiceQuestion,
    MatchQuestion,
    MultiQuestion,
    OrderQuestion,
    Pack,
    Question,
    TrueFalseQuestion,
    TypedQuestion,
)
from nkstudy.core.questions import for_type
from nkstudy.core.study.pacing import GiveAways
from nkstudy.core.study.planning import SPACING, spread
from nkstudy.core.text import quoted

EXAMPLE_CODE = "nk-china-visits@1.0.0#42/10+marked;tag=where"
MAX_COUNT = 1000

_PACK_ID = r"[a-z0-9][a-z0-9-]*"
_VERSION = r"[A-Za-z0-9][A-Za-z0-9._+-]*"
_VALUE = r"[A-Za-z0-9][A-Za-z0-9_.-]*"
_PACK_ID_RE = re.compile(rf"^{_PACK_ID}$")
_VERSION_RE = re.compile(rf"^{_VERSION}$")
_VALUE_RE = re.compile(rf"^{_VALUE}$")
_HEAD_RE = re.compile(rf"^({_PACK_ID})@({_VERSION})#(\d{{1,18}})/(\d{{1,4}})$")
_EXTRA_PACK_RE = re.compile(rf"^({_PACK_ID})(?:@({_VERSION}))?$")
FILTER_KINDS = ("source", "tag", "pack")  # the fixed order filters are written in
# the flag, right after the count: only questions nkstudy marks (no self-graded ones).  A ``+``, not
# another ``;``: a code without filters stays one word in a shell, so a student who types it unquoted
# gets this drill, not the same drill without its flag (a ``;`` would end the command there).
MARKED = "+marked"


def _bad(code: str, what: str) -> ValueError:
    return ValueError(f"bad drill code {quoted(code)}: {what} (a drill code looks like {EXAMPLE_CODE})")


@dataclass(frozen=True)
class DrillSpec:
    """What a drill is: one pack at one version, a seed, a count and filters.

    ``sources`` and ``tags`` keep a question when it cites any of the sources
    (has any of the tags); empty means no filter.  ``packs`` are further packs
    as ``(id, version or None)``.  ``marked`` leaves self-graded questions
    (flashcards) out of the pool; False is how every code made before the flag
    existed reads, so it is the default here and in :meth:`parse`, while
    :meth:`build` (a new drill) sets it unless told not to.  Build one with
    :meth:`build` or :meth:`parse`; both keep every tuple sorted, so equal
    drills are equal specs.
    """

    pack: str
    version: str
    seed: int
    count: int
    sources: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    packs: tuple[tuple[str, str | None], ...] = ()
    marked: bool = False

    def __post_init__(self) -> None:
        if not _PACK_ID_RE.match(self.pack):
            raise ValueError(f"pack id {quoted(self.pack)} cannot go into a drill code (use a-z, 0-9 and -)")
        if not _VERSION_RE.match(self.version):
            raise ValueError(f"pack {quoted(self.pack)} has version {quoted(self.version)}, which cannot go "
                             "into a drill code; give the pack a version of letters, digits and . + - _")
        if not 0 <= self.seed < 10**18:
            raise ValueError(f"seed {self.seed} must be a whole number from 0 to 10^18 - 1")
        if not 1 <= self.count <= MAX_COUNT:
            raise ValueError(f"count {self.count} must be from 1 to {MAX_COUNT}")
        for kind, values in (("source", self.sources), ("tag", self.tags)):
            for value in values:
                if not _VALUE_RE.match(value):
                    raise ValueError(f"{kind} {quoted(value)} cannot go into a drill code (use letters, digits, _ . -)")
        for pack_id, version in self.packs:
            if not _PACK_ID_RE.match(pack_id) or (version is not None and not _VERSION_RE.match(version)):
                raise ValueError(f"pack {quoted(pack_id)} (version {quoted(version)}) cannot go into a drill code")
        object.__setattr__(self, "sources", tuple(sorted(set(self.sources))))
        object.__setattr__(self, "tags", tuple(sorted(set(self.tags))))
        extras = {p: v for p, v in self.packs if p != self.pack}
        object.__setattr__(self, "packs", tuple(sorted(extras.items())))

    # -- building ------------------------------------------------------
    @classmethod
    def build(cls, packs: Sequence[Pack], seed: int, count: int, *, sources: Iterable[str] = (),
              tags: Iterable[str] = (), with_cards: bool = False) -> DrillSpec:
        """A new drill over ``packs`` (the first names the drill; the rest are pinned at their versions).

        It draws only questions nkstudy marks (``+marked``) unless ``with_cards``.
        """
        if not packs:
            raise ValueError("a drill needs at least one pack")
        head, *rest = packs
        return cls(head.id, head.info.version, seed, count, tuple(sources), tuple(tags),
                   tuple((p.id, p.info.version) for p in rest), marked=not with_cards)

    @classmethod
    def parse(cls, code: str) -> DrillSpec:
        """The spec a drill code names; ValueError saying what is wrong, with an example."""
        if not isinstance(code, str) or not code.strip():
            raise _bad(str(code), "it is empty")
        text = code.strip()
        head, *filters = text.split(";")
        marked = head.endswith(MARKED)
        if marked:
            head = head.removesuffix(MARKED)
        match = _HEAD_RE.match(head)
        if match is None:
            raise _bad(code, _head_problem(head))
        pack, version, seed, count = match.groups()
        found: dict[str, list[str]] = {k: [] for k in FILTER_KINDS}
        for part in filters:
            kind, eq, value = part.partition("=")
            if part == MARKED.removeprefix("+"):
                raise _bad(code, f"the flag is written {MARKED}, right after the count")
            if not eq or kind not in found:
                raise _bad(code, f"{quoted(part)} is not a filter (use ;source=ID, ;tag=TAG or ;pack=ID)")
            if not value:
                raise _bad(code, f"the {kind} filter has no value")
            found[kind].append(value)
        extras: list[tuple[str, str | None]] = []
        for value in found["pack"]:
            m = _EXTRA_PACK_RE.match(value)
            if m is None:
                raise _bad(code, f"{quoted(value)} is not a pack id (or ID@VERSION)")
            extras.append((m.group(1), m.group(2)))
        if int(count) < 1:
            raise _bad(code, "the count after / must be at least 1")
        try:
            return cls(pack, version, int(seed), int(count), tuple(found["source"]), tuple(found["tag"]),
                       tuple(extras), marked)
        except ValueError as exc:
            raise _bad(code, str(exc)) from None

    # -- writing -------------------------------------------------------
    def format(self) -> str:
        """The drill code; ``DrillSpec.parse(spec.format()) == spec``."""
        out = f"{self.pack}@{self.version}#{self.seed}/{self.count}" + (MARKED if self.marked else "")
        out += "".join(f";source={s}" for s in self.sources)
        out += "".join(f";tag={t}" for t in self.tags)
        return out + "".join(f";pack={p}" + (f"@{v}" if v else "") for p, v in self.packs)

    __str__ = format

    @property
    def pack_ids(self) -> tuple[str, ...]:
        """Every pack the drill draws from, its own first."""
        return (self.pack, *(p for p, _v in self.packs))

    def rng(self) -> random.Random:
        """The drill's own generator; never the global one."""
        return random.Random(f"{self.pack}@{self.version}#{self.seed}")


def _head_problem(head: str) -> str:
    if "@" not in head:
        return "the pack and its version must be joined by @"
    if "#" not in head:
        return "the seed must follow the version after #"
    if "/" not in head.partition("#")[2]:
        return "the count must follow the seed after /"
    pack, _, rest = head.partition("@")
    version, _, rest = rest.rpartition("#")
    seed, _, count = rest.partition("/")
    if not _PACK_ID_RE.match(pack):
        return f"{quoted(pack)} is not a pack id (a-z, 0-9 and -)"
    if not _VERSION_RE.match(version):
        return f"{quoted(version)} is not a pack version"
    if not seed.isdigit():
        return f"the seed {quoted(seed)} is not a whole number"
    if not count.isdigit():
        return f"the count {quoted(count)} is not a whole number"
    return "it does not have the shape PACK@VERSION#SEED/COUNT"


@dataclass(frozen=True)
class DrillItem:
    """One question of a drill, as every student sees it."""

    position: int  # 1-based
    pack_id: str
    question: Question
    options: tuple[str, ...]  # in display order; empty for typed and cloze questions

    @property
    def question_id(self) -> str:
        return self.question.id

    @property
    def key(self) -> tuple[str, str]:
        return (self.pack_id, self.question.id)

    def parse(self, line: str) -> Any:
        """One line of plain text as a response to this item (ValueError when it is not one)."""
        return self.question.parse_response(line, self.options)


def resolve_packs(available: Sequence[Pack], pack_ids: Sequence[str] | None) -> list[Pack]:
    """The packs a drill over ``pack_ids`` uses (default: the first available pack)."""
    if not available:
        raise ValueError("no packs found")
    if not pack_ids:
        return [available[0]]
    by_id = {p.id: p for p in available}
    out: list[Pack] = []
    for pid in pack_ids:
        if pid not in by_id:
            raise ValueError(f"no pack with id {quoted(pid)} (packs: {', '.join(sorted(by_id))})")
        if by_id[pid] not in out:
            out.append(by_id[pid])
    return out


def drill_packs(spec: DrillSpec, packs: Iterable[Pack]) -> list[Pack]:
    """The packs ``spec`` draws from, checked against their versions; ValueError when one is missing."""
    by_id: dict[str, Pack] = {}
    for p in packs:
        by_id.setdefault(p.id, p)
    wanted: list[tuple[str, str | None]] = [(spec.pack, spec.version), *spec.packs]
    out: list[Pack] = []
    for pack_id, version in wanted:
        pack = by_id.get(pack_id)
        if pack is None:
            raise ValueError(f"drill {spec.format()} needs pack {quoted(pack_id)}, which is not installed here; "
                             "add it with --packs DIR")
        if version is not None and pack.info.version != version:
            raise ValueError(f"drill {spec.format()} needs pack {quoted(pack_id)} version {version}, but version "
                             f"{pack.info.version} is installed here; install that version to sit this drill")
        out.append(pack)
    return out


def candidates(spec: DrillSpec, packs: Iterable[Pack]) -> list[tuple[str, Question]]:
    """Every (pack id, question) the filters keep, sorted by ids (never by file or set order).

    With ``spec.marked``, a question of a self-graded type (its class says so) is not kept.
    """
    sources = set(spec.sources)
    tags = set(spec.tags)
    out: list[tuple[str, Question]] = []
    for pack in drill_packs(spec, packs):
        for q in pack.questions:
            if spec.marked and type(q).self_graded:
                continue
            if sources and q.source not in sources:
                continue
            if tags and not tags.intersection(q.tags):
                continue
            out.append((pack.id, q))
    out.sort(key=lambda pq: (pq[0], pq[1].id))
    return out


def select(spec: DrillSpec, packs: Iterable[Pack]) -> list[DrillItem]:
    """The drill's items: ``spec.count`` questions (all of them when fewer match), in drill order.

    ValueError when a pack is missing or at another version, or no question matches the filters.
    """
    pool = candidates(spec, packs)
    if not pool and spec.marked and candidates(replace(spec, marked=False), packs):
        raise ValueError(f"no question in drill {spec.format()} is one nkstudy marks: only flashcards match its "
                         "filters, and students grade those themselves; choose other --pack, --source or --tag "
                         "values, or make the drill with --with-cards to count their own verdicts")
    if not pool:
        raise ValueError(f"no question in drill {spec.format()} matches its filters; "
                         "choose other --source or --tag values")
    rng = spec.rng()
    chosen = _paced(rng.sample(pool, min(spec.count, len(pool))), drill_packs(spec, packs))
    return [DrillItem(i, pack_id, q, tuple(q.choices(rng))) for i, (pack_id, q) in enumerate(chosen, start=1)]


def _paced(chosen: list[tuple[str, Question]], packs: Sequence[Pack]) -> list[tuple[str, Question]]:
    """The drawn questions, kept in their drawn order unless two that give each other away
    (:class:`~nkstudy.core.study.pacing.GiveAways`) come within
    :data:`~nkstudy.core.study.planning.SPACING` of each other; then reordered to keep them
    apart where the draw allows (when that leaves fewer such pairs close).  Deterministic: no
    set or hash order decides anything."""
    by_id = {p.id: p for p in packs}
    questions = {(pack_id, q.id): (by_id[pack_id], q) for pack_id, q in chosen}
    related = GiveAways(questions)
    keys = list(questions)

    def close(order: list[tuple[str, str]]) -> int:
        return sum(related(order[i], order[j]) for j in range(len(order)) for i in range(max(0, j - SPACING), j))

    drawn = close(keys)
    if not drawn:
        return chosen
    spaced = spread(keys, related, near=related.near)
    if close(spaced) >= drawn:  # nothing gained (the draw is one cluster): the drawn order stays
        return chosen
    return [(pack_id, questions[(pack_id, qid)][1]) for pack_id, qid in spaced]


# -- results ------------------------------------------------------------
def new_attempt_id() -> str:
    """A fresh id for one sitting of a drill (random, so sittings on different machines never clash)."""
    return uuid.uuid4().hex


def _picked_several(question: MultiQuestion, response: Any) -> tuple[str, ...]:
    chosen = frozenset(response or ())
    return tuple(o for o in question.options if o in chosen)


def _picked_one(question: ChoiceQuestion, response: Any) -> tuple[str, ...]:
    return (response,) if isinstance(response, str) else ()


def _no_options(question: Question, response: Any) -> None:
    return None


#: question class → the options a response to it picked (None: its answer is not a pick among
#: options, so it has no distractors to analyse)
PICKED: dict[type[Question], Callable[[Any, Any], tuple[str, ...] | None]] = {
    ChoiceQuestion: _picked_one,
    MultiQuestion: _picked_several,
    TrueFalseQuestion: _no_options,
    TypedQuestion: _no_options,
    OrderQuestion: _no_options,
    CardQuestion: _no_options,
    MatchQuestion: _no_options,
}


def picked_options(question: Question, response: Any) -> tuple[str, ...] | None:
    """The options a response picked, for distractor analysis of choice and multi questions (else None)."""
    return for_type(PICKED, type(question))(question, response)


@dataclass(frozen=True)
class DrillResult:
    """One answer to one drill item by one student in one sitting (``attempt``)."""

    profile: str
    attempt: str
    code: str
    position: int
    pack_id: str
    question_id: str
    answer: str  # the response as text ("" when unanswered)
    picked: tuple[str, ...] | None  # options picked, for choice and multi; None for other types
    correct: bool
    seconds: float | None
    at: datetime  # aware, UTC
    answered: bool = True  # False: don't know or time ran out (counts as wrong)
    response: str | None = None  # the raw response as JSON (core.classroom.responses); None: not kept (older)
    absent: bool = False  # a live question asked while this sitting was away (made when read, never stored)

    @property
    def key(self) -> tuple[str, str]:
        return (self.pack_id, self.question_id)


def result_of(item: DrillItem, response: Any, *, code: str, profile: str, attempt: str,
              seconds: float | None, at: datetime) -> DrillResult:
    """Grade ``response`` to ``item`` (None: unanswered, e.g. time up) into a result row."""
    if at.tzinfo is None:
        raise ValueError("a drill result's time must be timezone-aware")
    q = item.question
    answered = response is not None
    return DrillResult(
        profile=profile,
        attempt=attempt,
        code=code,
        position=item.position,
        pack_id=item.pack_id,
        question_id=q.id,
        answer=q.response_text(response) if answered else "",
        picked=picked_options(q, response),
        correct=answered and bool(q.grade(response)),
        seconds=seconds,
        at=at.astimezone(UTC),
        answered=answered,
        response=encode(response),
    )


__all__ = [
    "EXAMPLE_CODE",
    "DrillItem",
    "DrillResult",
    "DrillSpec",
    "candidates",
    "drill_packs",
    "new_attempt_id",
    "picked_options",
    "resolve_packs",
    "result_of",
    "select",
]
