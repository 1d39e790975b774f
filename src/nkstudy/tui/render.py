"""Rich ``Text`` for the reader and the timeline.  Pack text is data: it never passes through markup.

What the command line shares with the app (feedback, numbers) is in :mod:`nkstudy.present`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.text import Text

from nkstudy.core.model import Event, Pack, Question, Source
from nkstudy.core.text import find_passage, find_phrase, in_quotes, visible_in_place
from nkstudy.present import ANSWER_STYLE, citation, safe

PASSAGE_STYLE = "underline yellow"
CURRENT_STYLE = "bold reverse yellow"
#: an answer inside a cited passage that is not the current one
PASSAGE_ANSWER_STYLE = "bold underline green"


def event_date(event: Event) -> str:
    return event.when.iso()


def event_detail(event: Event, source: Source | None) -> Text:
    """Everything the timeline shows about one event."""
    out = Text()
    out.append(event.when.iso(), style="bold")
    if event.when_text:
        out.append_text(safe(f" ({event.when_text})", style="dim"))
    out.append("  ")
    out.append_text(safe(event.kind, style="italic"))
    out.append("\n")
    out.append("Who: ", style="bold")
    out.append_text(safe(event.who))
    for label, value in (("Whom", event.whom), ("Where", event.where), ("Why", event.why)):
        if value:
            out.append(f"\n{label}: ", style="bold")
            out.append_text(safe(value))
    if event.why and event.why_by:
        out.append_text(safe(f" (according to {event.why_by})", style="dim"))
    out.append("\n\n")
    out.append_text(safe(in_quotes(event.excerpt), style="italic"))
    out.append("\n")
    out.append_text(citation(source))
    return out


@dataclass(frozen=True)
class Passage:
    """A span of an article that questions cite."""

    start: int
    end: int
    question_ids: tuple[str, ...]
    #: (start, end) of each question's answer inside the passage, as in the excerpt after an answer
    answers: tuple[tuple[int, int], ...] = ()


def answer_spans(text: str, span: tuple[int, int], question: Question) -> list[tuple[int, int]]:
    """Where ``question``'s answer phrases occur inside ``text[span]`` (offsets into ``text``)."""
    start, end = span
    out = []
    for phrase in question.highlight_phrases():
        found = find_phrase(text[start:end], phrase)
        if found is not None:
            out.append((start + found[0], start + found[1]))
    return out


def passages(pack: Pack, source_id: str) -> list[Passage]:
    """The cited passages of one article, in reading order; overlapping excerpts merge."""
    source = pack.sources[source_id]
    spans: list[tuple[int, int, str, list[tuple[int, int]]]] = []
    for q in pack.questions_citing(source_id):
        span = find_passage(source.text, q.excerpt) if q.excerpt else None
        if span is not None:
            spans.append((span[0], span[1], q.id, answer_spans(source.text, span, q)))
    spans.sort(key=lambda t: (t[0], t[1], t[2]))
    merged: list[_Span] = []
    for start, end, qid, answers in spans:
        if merged and start < merged[-1].end:
            last = merged[-1]
            last.end = max(last.end, end)
            last.ids.append(qid)
            last.answers.extend(answers)
        else:
            merged.append(_Span(start, end, [qid], list(answers)))
    return [Passage(m.start, m.end, tuple(dict.fromkeys(m.ids)), tuple(sorted(set(m.answers)))) for m in merged]


@dataclass
class _Span:
    """A passage being merged: its extent, the questions citing it and their answers' spans."""

    start: int
    end: int
    ids: list[str]
    answers: list[tuple[int, int]]


_PARA_RE = re.compile(r"\S(?:.|\n(?![ \t]*\n))*", re.MULTILINE)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of the article's paragraphs (separated by blank lines)."""
    return [(m.start(), m.end()) for m in _PARA_RE.finditer(text)]


def paragraph_text(
    text: str, para: tuple[int, int], cited: list[Passage], current: Passage | None
) -> Text:
    start, end = para
    out = Text(visible_in_place(text[start:end].replace("\n", " ")))  # same length, so offsets hold
    for p in cited:
        a, b = max(p.start, start), min(p.end, end)
        if a < b:
            out.stylize(CURRENT_STYLE if p is current else PASSAGE_STYLE, a - start, b - start)
            for x, y in p.answers:
                x, y = max(x, start), min(y, end)
                if x < y:
                    out.stylize(ANSWER_STYLE if p is current else PASSAGE_ANSWER_STYLE, x - start, y - start)
    return out
