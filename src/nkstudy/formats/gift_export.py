"""Writing GIFT, Moodle's text format: one question a block, its citation in the general feedback.

Reading GIFT is in :mod:`nkstudy.formats.gift`.
"""

from __future__ import annotations

from nkstudy.core.model import (
    ChoiceQuestion,
    ClozeQuestion,
    MatchQuestion,
    MultiQuestion,
    Pack,
    Question,
    TrueFalseQuestion,
    TypedQuestion,
)
from nkstudy.formats.common import cloze_split


def escape(text: str) -> str:
    out = text.replace("\\", "\\\\")
    for ch in "~=#{}:":
        out = out.replace(ch, "\\" + ch)
    return out.replace("\n", "\\n")


def _feedback(q: Question, pack: Pack) -> str:
    from nkstudy.formats.common import citation

    return citation(q, pack)


def export_question(q: Question, pack: Pack) -> str | None:
    """One question as GIFT, or None when GIFT cannot hold its type."""
    title = f"::{escape(q.id)}::"
    general = _feedback(q, pack)
    gf = f"\n\t####{escape(general)}" if general else ""
    prompt = escape(q.prompt)
    if isinstance(q, ChoiceQuestion):
        lines = "".join(f"\n\t{'=' if o == q.answer else '~'}{escape(o)}" for o in q.options)
        return f"{title}{prompt} {{{lines}{gf}\n}}"
    if isinstance(q, MultiQuestion):
        right = q.answer
        n_right, n_wrong = len(right), len(q.options) - len(right)
        lines = ""
        for o in q.options:
            w = _weight(100 / n_right) if o in right else _weight(-100 / max(n_wrong, 1))
            lines += f"\n\t~%{w}%{escape(o)}"
        return f"{title}{prompt} {{{lines}{gf}\n}}"
    if isinstance(q, TrueFalseQuestion):
        return f"{title}{prompt} {{{'TRUE' if q.answer else 'FALSE'}{gf}\n}}"
    if isinstance(q, ClozeQuestion):  # before TypedQuestion: a cloze question is a typed one
        answers = "".join(f" ={escape(a)}" for a in (q.answer, *q.accept))
        before, after = cloze_split(q.prompt)
        if not after.strip():
            return None  # a block at the very end would read back as a short answer
        return f"{title}{escape(before)}{{{answers}{gf} }}{escape(after)}"
    if isinstance(q, TypedQuestion):
        answers = "".join(f"\n\t={escape(a)}" for a in (q.answer, *q.accept))
        return f"{title}{prompt} {{{answers}{gf}\n}}"
    if isinstance(q, MatchQuestion):
        lines = "".join(f"\n\t={escape(a)} -> {escape(b)}" for a, b in q.pairs)
        return f"{title}{prompt} {{{lines}{gf}\n}}"
    return None


def _weight(value: float) -> str:
    text = f"{value:.5f}".rstrip("0").rstrip(".")
    return text


def export(pack: Pack) -> tuple[str, list[str]]:
    out: list[str] = [f"// {pack.title} ({pack.id} {pack.info.version}), exported by nkstudy", ""]
    skipped: list[str] = []
    for q in pack.questions:
        text = export_question(q, pack)
        if text is None:
            why = "its blank ends the text" if q.type_name == "cloze" else f"GIFT has no {q.type_name} type"
            skipped.append(f"skipped question '{q.id}': {why}")
            continue
        out += [text, ""]
    return "\n".join(out), skipped
