"""Pacing: which questions give each other away, and the order new ones are introduced in.

Pure: used by :mod:`nkstudy.core.study.session` to keep such questions apart within a session.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from nkstudy.core.model import Pack, Question
from nkstudy.core.packs.giveaways import GiveAwayGraph
from nkstudy.core.study.planning import interleave
from nkstudy.core.study.progress import Key
from nkstudy.core.text import fold_passage


def new_card_order(questions: Mapping[Key, tuple[Pack, Question]], keys: Iterable[Key],
                   rng: random.Random) -> list[Key]:
    """New questions interleaved across sources, and within a source across events (not in file order).

    One question from each source in turn (the sources in an order drawn from
    ``rng``); within a source, one from each event in turn, each event's own
    questions in file order.
    """
    by_source: dict[tuple[str, str | None], dict[str | None, list[Key]]] = {}
    for key in keys:
        pack, q = questions[key]
        by_source.setdefault((pack.id, q.source), {}).setdefault(q.event, []).append(key)
    return interleave([interleave(list(events.values()), rng) for events in by_source.values()], rng)


class GiveAways:
    """Which questions give each other away: the rule a session spaces cards by.

    Two questions of one pack are related when either shows an answer of the other (the
    pack's give-away graph, :mod:`nkstudy.core.packs.giveaways`), when they are on one
    event or on events of one visit (``part_of``), when their excerpts overlap in the same
    source, or when either lists the other under ``related``.  The relation goes both ways.
    Excerpt positions are found once per question, when first needed.
    """

    def __init__(self, questions: Mapping[Key, tuple[Pack, Question]]) -> None:
        self._questions = questions
        self._folded: dict[tuple[str, str], str] = {}
        self._spans: dict[Key, tuple[int, int] | None] = {}
        self._nodes: dict[Key, _Node] = {}

    def _node(self, key: Key) -> _Node:
        node = self._nodes.get(key)
        if node is None:
            pack, q = self._questions[key]
            graph = pack.giveaway_graph()
            i = graph.index.get(q.id, -1)
            root = graph.root(q.event) if q.event is not None else None
            node = self._nodes[key] = _Node(graph, i, q.source, root, graph.answers(i) if i >= 0 else ())
        return node

    def _span(self, key: Key) -> tuple[int, int] | None:
        if key in self._spans:
            return self._spans[key]
        pack, q = self._questions[key]
        span = None
        source = pack.source_of(q)
        if source is not None and q.excerpt:
            folded = self._folded.get((pack.id, source.id))
            if folded is None:
                folded = self._folded[(pack.id, source.id)] = fold_passage(source.text)
            excerpt = fold_passage(q.excerpt)
            start = folded.find(excerpt)
            if start >= 0 and excerpt:
                span = (start, start + len(excerpt))
        self._spans[key] = span
        return span

    def near(self, window: Sequence[Key]) -> Callable[[Key], bool]:
        """A test of whether a key and any of ``window`` (the last cards shown) give each other away.

        The same answer as ``any(r != key and self(r, key) for r in window)``, with the
        window's visits, links, answers and excerpt spans gathered once, so a long queue is
        scanned with a few set lookups per card.
        """
        members = set(window)
        roots: set[tuple[str, str]] = set()
        linked: set[Key] = set()  # keys that a window card lists under related
        spans: dict[tuple[str, str], list[tuple[int, int]]] = {}
        answers: dict[str, set[int]] = {}  # pack id -> the window's answer phrases
        shown: dict[str, set[int]] = {}  # pack id -> the phrases the window's text shows
        for key in members:
            pack, q = self._questions[key]
            node = self._node(key)
            if node.root is not None:
                roots.add((pack.id, node.root))
            linked.update((pack.id, other) for other in q.related)
            span = self._span(key) if q.source is not None else None
            if span is not None and q.source is not None:
                spans.setdefault((pack.id, q.source), []).append(span)
            if node.i >= 0:
                answers.setdefault(pack.id, set()).update(node.answers)
                shown.setdefault(pack.id, set()).update(_shown_by(node))

        def gives_away(key: Key) -> bool:
            if key in members:  # never compared with itself: the careful way
                return any(r != key and self(r, key) for r in window)
            pack, q = self._questions[key]
            node = self._node(key)
            if node.root is not None and (pack.id, node.root) in roots:
                return True
            if key in linked or any((pack.id, other) in members for other in q.related):
                return True
            if node.i >= 0 and pack.id in shown:
                if any(p in shown[pack.id] for p in node.answers):  # a window card shows its answer
                    return True
                if answers[pack.id] and not _shown_by(node).isdisjoint(answers[pack.id]):  # and back
                    return True
            near_spans = spans.get((pack.id, q.source)) if q.source is not None else None
            if not near_spans:
                return False
            span = self._span(key)
            return span is not None and any(s[0] < span[1] and span[0] < s[1] for s in near_spans)

        return gives_away

    def __call__(self, a: Key, b: Key) -> bool:
        if a[0] != b[0] or a == b:
            return False
        qa, qb = self._questions[a][1], self._questions[b][1]
        na, nb = self._node(a), self._node(b)
        if na.root is not None and na.root == nb.root:
            return True
        if qb.id in qa.related or qa.id in qb.related:
            return True
        if na.i >= 0 and nb.i >= 0 and (_shows(na, nb) or _shows(nb, na)):
            return True
        if qa.source is None or qa.source != qb.source:
            return False
        sa, sb = self._span(a), self._span(b)
        return sa is not None and sb is not None and sa[0] < sb[1] and sb[0] < sa[1]


@dataclass(frozen=True)
class _Node:
    """A question as pacing looks it up: its pack's graph, its number there, its source, its visit."""

    graph: GiveAwayGraph
    i: int
    source: str | None
    root: str | None  # the visit its event is part of (its event when part of none)
    answers: Sequence[int]


def _shown_by(node: _Node) -> frozenset[int]:
    """The phrases question ``node`` shows: in its own text, and in its citation line."""
    return node.graph.shown_with_citation(node.i, node.source)


def _shows(a: _Node, b: _Node) -> bool:
    """True when question ``a`` shows an answer of question ``b`` (both of one pack)."""
    if a.i == b.i or not b.answers:
        return False
    graph = a.graph
    return not graph.shows(a.i).isdisjoint(b.answers) or any(graph.holds(a.i, a.source, p) for p in b.answers)
