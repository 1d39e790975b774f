"""Rendering shared by the command line and the app: Rich ``Text`` only, no Textual.

Answer feedback (verdict, answer, explanation, the cited passage and its
citation), the end-of-drill summary and the number formats live here once.  Pack text is data: it is
appended to ``Text`` objects and never parsed as markup.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Protocol

from rich.text import Text

from nkstudy.core.figures import duration, percent, plural
from nkstudy.core.model import Question, Source
from nkstudy.core.study.results import AnswerOutcome
from nkstudy.core.text import find_passage, find_phrase, opens_with_quote, unclosed_quote, visible

if TYPE_CHECKING:
    from nkstudy.core.classroom.drill import DrillItem, DrillResult

__all__ = [
    "ANSWER_STYLE", "answer_diff", "citation", "cited_passage", "drill_summary", "duration", "excerpt_text",
    "feedback", "live_verdict", "percent", "plural", "safe",
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
    """The cited passage in quotes (not twice when it opens with its own), italic, with the answer
    highlighted inside it (or that there is none)."""
    cited = cited_passage(question, source)
    if cited is None:
        return Text(NO_SOURCE, style="dim")
    passage = visible(cited, keep="\n\t")
    body = Text(passage, style="italic")
    for phrase in question.highlight_phrases():
        span = find_phrase(passage, visible(phrase, keep="\n\t"))
        if span is not None:
            body.stylize(ANSWER_STYLE, *span)
    if opens_with_quote(passage):  # a quotation in the article: its own marks are enough
        return body.append(unclosed_quote(passage), style="italic")
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


MISSING_STYLE = "bold green underline"
EXTRA_STYLE = "bold red strike"
CLOSE_NOTE = "close spelling"


_ORDINAL_SUFFIX_RE = re.compile(r"(?<=\d)(?:st|nd|rd|th)\b", re.IGNORECASE)


def _without_ordinals(text: str) -> tuple[str, list[int]]:
    """``text`` without ordinal suffixes ("13th" -> "13"), and where each kept character was."""
    cut = {i for m in _ORDINAL_SUFFIX_RE.finditer(text) for i in range(m.start(), m.end())}
    kept = [i for i in range(len(text)) if i not in cut]
    return "".join(text[i] for i in kept), kept


def answer_diff(expected: str, given: str) -> Text | None:
    """What differs between a typed answer and the expected one, character by character (as Anki shows).

    The given answer is shown with what it lacks inserted as ``[+abc]`` and what it has too
    many as ``[-abc]`` (also styled, but readable without colour); case is not a difference,
    nor an ordinal suffix ("13th" against "13"), which grading ignores too.
    None when the two have too little in common for a diff to help.
    """
    given, expected = visible(given.strip()), visible(expected.strip())
    if not given or not expected:
        return None
    core, kept = _without_ordinals(given)
    wanted, _ = _without_ordinals(expected)
    matcher = difflib.SequenceMatcher(None, core.lower(), wanted.lower(), autojunk=False)
    if matcher.ratio() < 0.5:
        return None
    # each character of ``given`` is plain or extra; insertions go after the kept character before them
    extra = [False] * len(given)
    inserts: dict[int, str] = {}
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        for i in range(i1, i2):
            extra[kept[i]] = op != "equal"
        if op != "equal" and j2 > j1:
            at = kept[i2 - 1] + 1 if i2 > i1 else (kept[i1 - 1] + 1 if i1 > 0 else 0)
            inserts[at] = inserts.get(at, "") + wanted[j1:j2]
    out = Text()
    run = ""
    for i, ch in enumerate(given):
        if i in inserts:
            if run:
                out.append(f"[-{run}]", style=EXTRA_STYLE)
                run = ""
            out.append(f"[+{inserts[i]}]", style=MISSING_STYLE)
        if extra[i]:
            run += ch
            continue
        if run:
            out.append(f"[-{run}]", style=EXTRA_STYLE)
            run = ""
        out.append(ch)
    if run:
        out.append(f"[-{run}]", style=EXTRA_STYLE)
    if len(given) in inserts:
        out.append(f"[+{inserts[len(given)]}]", style=MISSING_STYLE)
    return out


def _difference(outcome: AnswerOutcome) -> Text | None:
    """The diff feedback shows: for a typed answer that was wrong, or right with a slip."""
    if outcome.expected is None or not outcome.response_text or (outcome.correct and not outcome.close):
        return None
    return answer_diff(outcome.expected, outcome.response_text)


def feedback(outcome: AnswerOutcome, *, dont_know: bool = False, plain: bool = False) -> Text:
    """Everything shown after an answer, in one order for every front end.

    ``plain`` lays it out as labelled lines for the line-by-line quiz (and
    screen readers); otherwise as the app's feedback panel.
    """
    out = _feedback(outcome, dont_know=dont_know, plain=plain)
    notes = marks_note(outcome)
    if notes:
        out.append("\n" if plain else "\n\n").append(notes, style="bold yellow")
    return out


def marks_note(outcome: AnswerOutcome) -> str:
    """One line on what happened to the card beyond its rating: override, leech, suspended, buried, flag."""
    notes = []
    if outcome.overridden:
        notes.append("Counted right: you overrode the grade (logged as an override).")
    if outcome.leech:
        notes.append("Leech: you have forgotten this card too often, so it is tagged leech and suspended; "
                     "unsuspend it in the card browser once you have rewritten or relearned it.")
    elif outcome.suspended:
        notes.append("Suspended: it will not be asked until you unsuspend it in the card browser.")
    if outcome.buried:
        notes.append("Buried until tomorrow.")
    if outcome.flagged:
        notes.append("Flagged.")
    return " ".join(notes)


def next_due_text(next_due: datetime | None, tomorrow: int, now: datetime, tz: tzinfo | None = None) -> str:
    """When nothing is due: when the next card is, and how many tomorrow ("" when nothing is scheduled)."""
    if next_due is None:
        return ""
    from nkstudy.core.study.schedule import format_interval

    at = next_due.astimezone(tz) if tz is not None else next_due.astimezone()
    when = at.strftime("%H:%M") if next_due - now < timedelta(hours=20) else at.strftime("%a %d %b")
    return f"Next card due in {format_interval(next_due - now)} ({when}); {tomorrow} due tomorrow."


def _feedback(outcome: AnswerOutcome, *, dont_know: bool, plain: bool) -> Text:
    q = outcome.question
    said = outcome.response_text
    out = Text()
    if plain:
        if outcome.correct:
            out.append(f"Right ({CLOSE_NOTE})." if outcome.close else "Right.", style="bold green")
        else:
            out.append("Don't know." if dont_know else "Wrong.", style="bold red")
        out.append("\nAnswer: ", style="bold").append(visible(q.answer_text(), keep="\n\t"))
        if (not outcome.correct or outcome.close) and said:
            out.append("\nYou said: ", style="bold").append(visible(said, keep="\n\t"))
        diff = _difference(outcome)
        if diff is not None:
            out.append("\nDifference: ", style="bold").append_text(diff)
        if q.explanation:
            out.append("\nWhy: ", style="bold").append(visible(q.explanation, keep="\n\t"))
        out.append("\nSource: ", style="bold").append_text(excerpt_text(q, outcome.source))
        if outcome.source is not None:
            out.append("\n  ").append_text(citation(outcome.source, plain=True))
        return out
    if outcome.correct:
        out.append(" ✓ Right ", style="bold reverse green")
        if outcome.close:
            out.append(f"  {CLOSE_NOTE}: ", style="bold yellow").append(visible(said, keep="\n\t"))
    elif dont_know or not said:  # as plain mode says it: not a wrong answer given, but none
        out.append(" ✗ Don't know ", style="bold reverse red")
    else:
        out.append(" ✗ Wrong ", style="bold reverse red")
        out.append("  you answered: ", style="dim")
        out.append(visible(said, keep="\n\t"))
    out.append("\nAnswer: ", style="bold").append(visible(q.answer_text(), keep="\n\t"))
    diff = _difference(outcome)
    if diff is not None:
        out.append("\nDifference: ", style="bold").append_text(diff)
    if q.explanation:
        out.append("\n\n").append(visible(q.explanation, keep="\n\t"))
    out.append("\n\n").append_text(excerpt_text(q, outcome.source))
    if outcome.source is not None:
        out.append("\n").append_text(citation(outcome.source))
    return out


class _Sources(Protocol):
    def source(self, item: DrillItem) -> Source | None: ...


class FinishedSitting(Protocol):
    """What the end-of-drill summary reads from a sitting (:class:`nkstudy.drillroom.Sitting`)."""

    @property
    def drill(self) -> _Sources: ...
    @property
    def results(self) -> Sequence[DrillResult]: ...
    @property
    def right(self) -> int: ...
    @property
    def total(self) -> int: ...
    @property
    def seconds(self) -> float: ...
    def missed(self) -> list[tuple[DrillItem, DrillResult]]: ...


def _shown(text: Text) -> Text:
    """``text`` with any control character shown (styles kept when there is none)."""
    plain = visible(text.plain)
    return text if plain == text.plain else Text(plain, style=text.style)


def live_verdict(result: DrillResult, points: int) -> Text:
    """A live student's line at a reveal, after "You: ": right or wrong, what they said when wrong, the points."""
    if result.correct:
        out = Text("right", style="bold green")
    else:
        out = Text("wrong", style="bold red")
        if result.answer:
            out.append(" · you said: ").append(visible(result.answer))
        elif result.answered is False:
            out.append(" · no answer")
    return out.append(f" (+{points} points)" if points else "")


def drill_summary(sitting: FinishedSitting, *, timed_out: Collection[int] = (), plain: bool = False) -> Text:
    """The score of a drill and each question missed: what was said, the answer, its passage and source.

    ``timed_out``: the positions whose time ran out.  ``plain`` lays it out as
    indented lines for the line-by-line drill; otherwise as the drill app's end panel.
    """
    s = sitting
    share = percent(s.right / s.total if s.total else None)
    not_reached = s.total - len(s.results)
    out = Text()
    if plain:
        out.append(f"Score: {s.right} of {s.total} right ({share}); time {duration(s.seconds)}")
        out.append(f"; {not_reached} not reached." if not_reached else ".")
    else:
        out.append(f"Score: {s.right} of {s.total} right", style="bold")
        out.append(f" ({share}) · time {duration(s.seconds)}")
        if not_reached:
            out.append(f" · {not_reached} not reached")
    missed = s.missed()
    if missed:
        out.append("\nMissed:" if plain else "\n\nMissed", style="bold" if plain else "bold underline")
    indent = "   " if plain else ""
    for item, result in missed:
        q = item.question
        source = s.drill.source(item)
        if plain:
            out.append(f"\n{item.position}. ", style="bold").append(visible(q.prompt))
        else:
            out.append(f"\n\n{item.position}. ", style="bold").append(visible(q.prompt), style="bold")
        if result.absent:
            out.append(f"\n{indent}Not answered: you were away when it was asked.", style="yellow")
        elif item.position in timed_out:
            out.append(f"\n{indent}Time ran out.", style="yellow")
        elif not result.answer:
            out.append(f"\n{indent}You did not know.", style="yellow")
        else:
            out.append(f"\n{indent}You said: ", style="bold" if plain else "dim").append(visible(result.answer))
        out.append(f"\n{indent}Answer: ", style="bold").append(visible(q.answer_text()))
        out.append(f"\n{indent}").append_text(_shown(excerpt_text(q, source)))
        out.append(f"\n{indent}").append_text(_shown(citation(source, plain=plain)))
    return out
