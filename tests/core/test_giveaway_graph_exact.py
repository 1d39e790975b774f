"""The give-away graph, pinned against a simple reference built here, question by question.

The reference folds each shown text on its own with :func:`fold_tokens` and counts the
places where an answer phrase's folded words come one after another: no automaton, no
joined text, no chunks.  The graph built by :func:`build_graph` (fast, in a few passes over
the whole pack) must say exactly the same thing: the same phrases, numbered in the same
order, the same answers per question, the same number of hits per (question, phrase), and
the same citation lines.  Run on the built-in bank and on a generated pack with dates,
ordinals, accents, long and empty answers and several sources.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

import pytest

from nkstudy.core.model import Pack, Question
from nkstudy.core.packs.giveaways import MAX_PHRASE_WORDS, GiveAwayGraph, build_graph, informative
from nkstudy.core.packs.loader import load_pack
from nkstudy.core.questions.fold import fold_tokens
from nkstudy.paths import builtin_pack_dir


def occurrences(words: list[str], phrase: tuple[str, ...]) -> int:
    n = len(phrase)
    return sum(1 for at in range(len(words) - n + 1) if tuple(words[at:at + n]) == phrase)


def shown(q: Question) -> list[str]:
    return [q.prompt, *q.choices(), q.answer_text(), q.explanation or "", q.excerpt or ""]


def reference(pack: Pack) -> tuple[list[str], list[list[int]], list[Counter[int]], dict[int, tuple[str, ...]]]:
    """(phrases, answers per question, hits per question, sources per cited phrase), worked out plainly."""
    number: dict[tuple[str, ...], int] = {}
    phrases: list[str] = []
    keys: list[tuple[str, ...]] = []
    answers: list[list[int]] = []
    for q in pack.questions:
        prompt = fold_tokens(q.prompt)
        own: list[int] = []
        for text in q.answer_phrases():
            key = tuple(fold_tokens(text)[:MAX_PHRASE_WORDS])
            if key not in number:
                number[key] = len(phrases) if informative(key) else -1
                if number[key] >= 0:
                    phrases.append(text)
                    keys.append(key)
            p = number[key]
            if p >= 0 and p not in own and not occurrences(prompt, key):
                own.append(p)
        answers.append(own)
    hits: list[Counter[int]] = []
    for q in pack.questions:
        texts = [fold_tokens(t) for t in shown(q)]
        hits.append(Counter({p: c for p, key in enumerate(keys)
                             if (c := sum(occurrences(words, key) for words in texts))}))
    cited: dict[int, list[str]] = {}
    for source in pack.sources.values():
        words = fold_tokens(source.citation_line())
        for p, key in enumerate(keys):
            if occurrences(words, key):
                cited.setdefault(p, []).append(source.id)
    return phrases, answers, hits, {p: tuple(s) for p, s in sorted(cited.items())}


def assert_same(pack: Pack, graph: GiveAwayGraph) -> None:
    phrases, answers, hits, cited = reference(pack)
    assert list(graph.phrases) == phrases
    assert [list(graph.answers(i)) for i in range(len(pack.questions))] == answers
    for i, q in enumerate(pack.questions):
        got = Counter(graph.shown_flat[graph.shown_start[i]:graph.shown_start[i + 1]])
        assert got == hits[i], q.id
    assert graph.cited == cited


def built(pack: Pack) -> GiveAwayGraph:
    return build_graph(pack.questions, {s.id: s.citation_line() for s in pack.sources.values()},
                       {e.id: e.part_of for e in pack.events if e.part_of is not None})


def test_the_graph_of_the_built_in_bank_is_the_plain_one() -> None:
    result = load_pack(builtin_pack_dir() / "nk-china-visits")
    assert result.pack is not None
    graph = built(result.pack)
    assert sum(len(graph.answers(i)) for i in range(len(graph.ids))) > 100  # a real test: many answers
    assert len(graph.shown_flat) > 100
    assert_same(result.pack, graph)


WORDS = ("Kim Jong Un", "Pyongyang", "Pyŏngyang", "Café Noir", "Zhao Leji", "Choe Ryong-hae", "Beijing",
         "June", "12th", "of", "the", "April 2024", "3rd", "Sept.", "13", "2019", "Xi", "a", "it", "Moon Jae-in",
         "“exchanges”", "Dalian", "Wang Huning", "trade—and", "Hồ Chí Minh", "1st", "May", "ties", "summit")


PLAIN = tuple(w for w in WORDS if not any(c in w for c in "ŏéồí"))  # quotes and dashes only: the folder's ASCII way


def generated(folder: Path, n: int, seed: int, accents: bool) -> Pack:
    """A pack of ``n`` questions of every text-bearing type whose texts reuse one small vocabulary
    (with accented words or without: folded two ways)."""
    rng = random.Random(seed)
    vocabulary = WORDS if accents else PLAIN

    def phrase(rng: random.Random, low: int = 1, high: int = 4) -> str:
        return " ".join(rng.choice(vocabulary) for _ in range(rng.randint(low, high)))

    article = " ".join(phrase(rng, 3, 9) + "." for _ in range(200))
    sources = []
    (folder / "sources").mkdir(parents=True)
    for s in range(4):
        (folder / "sources" / f"s{s}.txt").write_text(article, encoding="utf-8")
        sources.append({"id": f"s{s}", "file": f"sources/s{s}.txt", "title": phrase(rng, 2, 6),
                        "outlet": rng.choice(["Daily NK", "Wire", "Café Press" if accents else "Press"]),
                        "published": f"2024-0{1 + s}-1{s}"})
    questions = []
    for k in range(n):
        kind = ("choice", "multi", "typed", "cloze", "order", "truefalse")[k % 6]
        q: dict[str, object] = {"id": f"q{k}", "type": kind}
        if kind == "cloze":
            q["prompt"] = f"{phrase(rng)} ____ {phrase(rng)}"
        else:
            q["prompt"] = phrase(rng, 2, 8) + "?"
        if kind in ("choice", "multi"):
            options = list(dict.fromkeys(phrase(rng, 1, 3) for _ in range(4)))
            while len(options) < 3:
                options.append(f"option {len(options)} {phrase(rng)}")
            q["options"] = options
            q["answer"] = options[1] if kind == "choice" else [options[0], options[2]]
        elif kind in ("typed", "cloze"):
            long = " ".join(phrase(rng) for _ in range(8)) if k % 7 == 0 else phrase(rng)
            q["answer"] = long
            q["accept"] = [phrase(rng, 1, 2)]
        elif kind == "order":
            q["answer"] = list(dict.fromkeys(phrase(rng, 1, 2) for _ in range(3)))
            if len(q["answer"]) < 2:  # type: ignore[arg-type]
                q["answer"] = ["first of all", "then Dalian"]
        else:
            q["answer"] = bool(k % 2)
        if k % 3:
            q["explanation"] = phrase(rng, 3, 12) + "."
        if k % 2:
            start = rng.randrange(0, len(article) - 80)
            start = article.index(" ", start) + 1
            q["source"] = f"s{k % 4}"
            q["excerpt"] = article[start:article.rindex(" ", start, start + 60)]
        questions.append(q)
    pack = {"id": "gen", "title": "Generated", "version": "1.0", "description": "Generated for a test.",
            "language": "en", "sources": sources, "questions": questions}
    (folder / "pack.yaml").write_text(json.dumps(pack, ensure_ascii=False), encoding="utf-8")
    result = load_pack(folder)
    assert result.pack is not None, [p.format() for p in result.problems]
    return result.pack


@pytest.mark.parametrize(("seed", "accents"), [(1, True), (2, True), (3, False), (4, False)])
def test_the_graph_of_a_generated_pack_is_the_plain_one(tmp_path: Path, seed: int, accents: bool) -> None:
    pack = generated(tmp_path / "p", 240, seed, accents)
    graph = built(pack)
    assert len(graph.shown_flat) > 1000 and graph.cited  # a real test: many hits, citation lines too
    assert_same(pack, graph)


@pytest.mark.parametrize("city", ["Pyŏngyang", "Pyongyang"])
def test_quotes_dashes_and_accents_fold_alike_on_either_path(city: str) -> None:
    """Quotes, dashes, ellipses and no-break spaces part words whether or not accents remain."""
    text = f"Kim\u2026Jong\u00a0Un\u2011met \u201cZhao\u201d \u2014 in {city}\u2019s 12th\u2192June"
    assert fold_tokens(text) == ["kim", "jong", "un", "met", "zhao", "in", "pyongyang", "s", "12d", "6m"]
