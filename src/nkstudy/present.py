"""Rendering shared by the command line and the app: Rich ``Text`` only, no Textual.

Answer feedback (verdict, answer, explanation, the cited passage and its
citation) and the number formats live here once.  Pack text is data: it is
appended to ``Text`` objects and never parsed as markup.
"""

from __future__ import annotations

from rich.text import Text

from nkstudy.core.figures import duration, percent, plural
from nkstudy.core.model import Question, Source
from nkstudy.core.results import AnswerOutcome
from nkstudy.core.text import find_passage, find_phrase, visible

__all__ = [
    "ANSWER_STYLE", "citation", "cited_passage", "duration", "excerpt_text", "feedback", "percent", "plural", "safe",
]

ANSWER_STYLE = "bold reverse green"
NO_SOURCE = "This question cites no source."


def safe(text: str, style: str = "") -> Text:
    """Untrusted text (from a pack, a file name, a profile) as ``Text``: never markup, controls shown."""
    return Text(visible(text, keep="\n\t"), style=style)


def cited_passage(question: Question, source: Source | None) -> str | None:
    """The passage the question cites, as the article words it (whitespace folded).

    The excerpt in the pack matches the article ignoring quote style and line
    breaks; this returns the article's own words, or the excerpt when the
    source is not at hand.
    """
    if source is not None and question.excerpt:
        span = find_passage(source.text, question.excerpt)
        if span is not None:
            return " ".join(source.text[span[0]:span[1]].split())
    return question.excerpt


def excerpt_text(question: Question, source: Source | None) -> Text:
    """The cited passage in quotes, italic, with the answer highlighted inside it (or that there is none)."""
    cited = cited_passage(question, source)
    if cited is None:
        return Text(NO_SOURCE, style="dim")
    passage = visible(cited, keep="\n\t")
    body = Text(passage, style="italic")
    for phrase in question.highlight_phrases():
        span = find_phrase(passage, visible(phrase, keep="\n\t"))
        if span is not None:
            body.stylize(ANSWER_STYLE, *span)
    return Text("“").append_text(body).append("”")


def citation(source: Source | None, *, plain: bool = False) -> Text:
    """``Title — Outlet, date`` (the app) or ``Title (Outlet, date)`` (plain lines)."""
    if source is None:
        return Text("")
    if plain:
        return Text(visible(f"{source.title} ({source.dateline()})"), style="italic")
    out = Text(visible(source.title), style="bold")
    out.append(" — ")
    out.append(visible(source.dateline()), style="dim")
    return out


def feedback(outcome: AnswerOutcome, *, dont_know: bool = False, plain: bool = False) -> Text:
    """Everything shown after an answer, in one order for every front end.

    ``plain`` lays it out as labelled lines for the line-by-line quiz (and
    screen readers); otherwise as the app's feedback panel.
    """
    q = outcome.question
    said = outcome.response_text
    out = Text()
    if plain:
        if outcome.correct:
            out.append("Right.", style="bold green")
        else:
            out.append("Don't know." if dont_know else "Wrong.", style="bold red")
        out.append("\nAnswer: ", style="bold").append(visible(q.answer_text(), keep="\n\t"))
        if not outcome.correct and said:
            out.append("\nYou said: ", style="bold").append(visible(said, keep="\n\t"))
        if q.explanation:
            out.append("\nWhy: ", style="bold").append(visible(q.explanation, keep="\n\t"))
        out.append("\nSource: ", style="bold").append_text(excerpt_text(q, outcome.source))
        if outcome.source is not None:
            out.append("\n  ").append_text(citation(outcome.source, plain=True))
        return out
    if outcome.correct:
        out.append(" ✓ Right ", style="bold reverse green")
    else:
        out.append(" ✗ Wrong ", style="bold reverse red")
        out.append("  you answered: ", style="dim")
        out.append(visible(said, keep="\n\t") or "(don't know)")
    out.append("\nAnswer: ", style="bold").append(visible(q.answer_text(), keep="\n\t"))
    if q.explanation:
        out.append("\n\n").append(visible(q.explanation, keep="\n\t"))
    out.append("\n\n").append_text(excerpt_text(q, outcome.source))
    if outcome.source is not None:
        out.append("\n").append_text(citation(outcome.source))
    return out
