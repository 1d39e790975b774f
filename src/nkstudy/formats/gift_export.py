"""Writing GIFT, Moodle's text format: one question a block, its citation in the general feedback.

Reading GIFT is in :mod:`nkstudy.formats.gift`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nkstudy.core.model import (
    CardQuestion,
    ChoiceQuestion,
    ClozeQuestion,
    MatchQuestion,
    MultiQuestion,
    OrderQuestion,
    Pack,
    Question,
    TrueFalseQuestion,
    TypedQuestion,
)
from nkstudy.core.questions import Unsupported, for_type
from nkstudy.formats.common import cloze_split
from nkstudy.formats.moodlecat import course_category


def escape(text: str) -> str:
    out = text.replace("\\", "\\\\")
    for ch in "~=#{}:":
        out = out.replace(ch, "\\" + ch)
    return out.replace("\n", "\\n")


def _feedback(q: Question, pack: Pack) -> str:
    from nkstudy.formats.common import citation

    return citation(q, pack)


def _choice(q: ChoiceQuestion, title: str, gf: str) -> str:
    lines = "".join(f"\n\t{'=' if o == q.answer else '~'}{escape(o)}" for o in q.options)
    return f"{title}{escape(q.prompt)} {{{lines}{gf}\n}}"


def _multi(q: MultiQuestion, title: str, gf: str) -> str:
    right = q.answer
    n_right, n_wrong = len(right), len(q.options) - len(right)
    lines = ""
    for o in q.options:
        w = _weight(100 / n_right) if o in right else _weight(-100 / max(n_wrong, 1))
        lines += f"\n\t~%{w}%{escape(o)}"
    return f"{title}{escape(q.prompt)} {{{lines}{gf}\n}}"


def _truefalse(q: TrueFalseQuestion, title: str, gf: str) -> str:
    return f"{title}{escape(q.prompt)} {{{'TRUE' if q.answer else 'FALSE'}{gf}\n}}"


def _typed(q: TypedQuestion, title: str, gf: str) -> str:
    answers = "".join(f"\n\t={escape(a)}" for a in (q.answer, *q.accept))
    return f"{title}{escape(q.prompt)} {{{answers}{gf}\n}}"


def _cloze(q: ClozeQuestion, title: str, gf: str) -> str | Unsupported:
    answers = "".join(f" ={escape(a)}" for a in (q.answer, *q.accept))
    before, after = cloze_split(q.prompt)
    if not after.strip():
        return Unsupported("its blank ends the text")  # a block at the very end would read back as a short answer
    return f"{title}{escape(before)}{{{answers}{gf} }}{escape(after)}"


_ARROW_LEFT = Unsupported("a left item holds '->', and GIFT splits each pair of a {type} question at its first '->'")


def _match(q: MatchQuestion, title: str, gf: str) -> str | Unsupported:
    if any("->" in left for left, _ in q.pairs):
        return _ARROW_LEFT  # a right item may hold '->': the pair is split at the first one
    lines = "".join(f"\n\t={escape(a)} -> {escape(b)}" for a, b in q.pairs)
    return f"{title}{escape(q.prompt)} {{{lines}{gf}\n}}"


#: question class → its GIFT writer ``(question, title, general feedback) -> text``, or why GIFT cannot hold it
#: (Any: each writer takes its own question class)
GIFT: dict[type[Question], Callable[[Any, str, str], str | Unsupported] | Unsupported] = {
    ChoiceQuestion: _choice,
    MultiQuestion: _multi,
    TrueFalseQuestion: _truefalse,
    TypedQuestion: _typed,
    ClozeQuestion: _cloze,
    MatchQuestion: _match,
    OrderQuestion: Unsupported("GIFT has no {type} type"),
    CardQuestion: Unsupported("GIFT has no {type} type"),
}


def export_question(q: Question, pack: Pack) -> str | Unsupported:
    """One question as GIFT, or why GIFT cannot hold it."""
    writer = for_type(GIFT, type(q))
    if isinstance(writer, Unsupported):
        return writer
    general = _feedback(q, pack)
    return writer(q, f"::{escape(q.id)}::", f"\n\t####{escape(general)}" if general else "")


def _weight(value: float) -> str:
    text = f"{value:.5f}".rstrip("0").rstrip(".")
    return text


def export(pack: Pack) -> tuple[str, list[str]]:
    # the pack is one category at the top of the course, as Moodle writes the category it exports;
    # its tags stay tags (// [tag:...] above each question), so an import of this file gives them back
    # as they were, and the category as the pack's title, not as one more tag
    category = course_category(pack.title.strip() or pack.id)
    out: list[str] = [
        f"// {' '.join(pack.title.split())} ({pack.id} {pack.info.version}), exported by nkstudy",
        "",
        f"// question: 0  name: Switch category to {category}",
        f"$CATEGORY: {category}",
        "",
    ]
    skipped: list[str] = []
    for q in pack.questions:
        text = export_question(q, pack)
        if isinstance(text, Unsupported):
            skipped.append(text.skipped(q))
            continue
        tags = " ".join(f"[tag:{tag}]" for tag in q.tags)  # Moodle reads tags from a comment above
        out += ([f"// {tags}"] if tags else []) + [text, ""]
    return "\n".join(out), skipped
