"""A printable worksheet of a drill: the same questions and option order, then an answer key.

Typed and cloze questions get blanks, order questions get boxes to number,
multi questions get boxes to tick.  The answer key starts on a new page (print
CSS ``break-before: page``) and gives each answer with its excerpt and citation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from nkstudy.classroom.common import LETTERS, citation, excerpt, h, md, page
from nkstudy.core.classroom.drill import DrillItem, DrillSpec
from nkstudy.core.figures import plural
from nkstudy.core.model import (
    ChoiceQuestion,
    ClozeQuestion,
    MatchQuestion,
    MultiQuestion,
    OrderQuestion,
    Pack,
    TrueFalseQuestion,
    TypedQuestion,
)

BLANK = "_" * 12
_BLANK_RE = re.compile(r"_{3,}")
PAGE_BREAK_CSS = "break-before: page; page-break-before: always;"


@dataclass(frozen=True)
class Sheet:
    """One question laid out for paper (``kind``: choice, multi, truefalse, typed, cloze, order, match)."""

    number: int
    kind: str
    prompt: str  # for cloze, with the blank marked by BLANK
    instruction: str
    options: tuple[str, ...]  # as shown in the drill
    key: str  # the answer as written on the key
    excerpt: str
    citation: str
    lefts: tuple[str, ...] = ()  # match: the numbered left items (``options`` are the lettered right ones)


def _sheet(item: DrillItem, pack: Pack | None) -> Sheet:
    """The one place that lays out each question type for paper."""
    q = item.question
    shown = item.options
    label = {o: LETTERS[i] for i, o in enumerate(shown)}
    prompt = q.prompt
    if isinstance(q, ChoiceQuestion):
        kind, instruction = "choice", "Circle one."
        key = f"{label[q.answer]}. {q.answer}"
    elif isinstance(q, MultiQuestion):
        kind, instruction = "multi", "Tick every right option."
        right = [o for o in shown if o in q.answer]
        key = ", ".join(label[o] for o in right) + ": " + "; ".join(right)
    elif isinstance(q, TrueFalseQuestion):
        kind, instruction = "truefalse", "Circle True or False."
        key = q.answer_text()
    elif isinstance(q, OrderQuestion):
        kind, instruction = "order", f"Number the boxes 1 to {len(shown)}, earliest first."
        rank = {o: i for i, o in enumerate(q.answer, start=1)}
        key = ", ".join(f"{label[o]} {rank[o]}" for o in shown) + ": " + q.answer_text()
    elif isinstance(q, MatchQuestion):
        kind, instruction = "match", "Write the letter of its match beside each number."
        key = ", ".join(f"{n} {label[right].lower()}" for n, (_left, right) in enumerate(q.pairs, start=1))
        key += ": " + q.answer_text()
        return Sheet(item.position, kind, prompt, instruction, shown, key, excerpt(q), citation(pack, q), q.lefts())
    elif isinstance(q, ClozeQuestion):
        kind, instruction = "cloze", "Fill the blank."
        prompt = _BLANK_RE.sub(BLANK, q.prompt, count=1)
        key = q.answer
    elif isinstance(q, TypedQuestion):
        kind, instruction = "typed", "Write your answer."
        key = q.answer + (f" (also accepted: {'; '.join(q.accept)})" if q.accept else "")
    else:  # a type added later: show its options if it has any, else a blank
        kind = "choice" if shown else "typed"
        instruction = "Circle one." if shown else "Write your answer."
        key = q.answer_text()
    return Sheet(item.position, kind, prompt, instruction, shown, key, excerpt(q), citation(pack, q))


def sheets(items: Sequence[DrillItem], packs: Sequence[Pack]) -> list[Sheet]:
    by_id = {p.id: p for p in packs}
    return [_sheet(i, by_id.get(i.pack_id)) for i in items]


def _title(spec: DrillSpec, packs: Sequence[Pack]) -> str:
    head = next((p for p in packs if p.id == spec.pack), None)
    name = head.title if head else spec.pack
    return name + (f" and {len(spec.packs)} more pack{'s' if len(spec.packs) > 1 else ''}" if spec.packs else "")


# -- Markdown -------------------------------------------------------------------
def _edges(part: str, render: Callable[[str], str]) -> str:
    """``render(part)``, keeping one space where ``part`` began or ended with whitespace."""
    text = render(part)
    return (" " if part[:1].isspace() else "") + text + (" " if part[-1:].isspace() else "")


def _md_prompt(s: Sheet) -> str:
    if s.kind == "cloze":
        return BLANK.replace("_", "\\_").join(_edges(part, md) for part in s.prompt.split(BLANK, 1))
    return md(s.prompt)


def worksheet_markdown(spec: DrillSpec, items: Sequence[DrillItem], packs: Sequence[Pack]) -> str:
    out = [f"# Worksheet: {md(_title(spec, packs))}", "",
           f"Drill code: `{spec.format()}` · {plural(len(items), 'question')}", "",
           "Name: \\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_ "
           "Date: \\_\\_\\_\\_\\_\\_\\_\\_\\_\\_", ""]
    blank = "\\_" * 24
    for s in sheets(items, packs):
        out += [f"**{s.number}.** {_md_prompt(s)}", "", f"*{s.instruction}*", ""]
        if s.kind == "choice":
            out += [f"- {LETTERS[i]}. {md(o)}" for i, o in enumerate(s.options)]
        elif s.kind in ("multi", "order"):
            out += [f"- ☐ {LETTERS[i]}. {md(o)}" for i, o in enumerate(s.options)]
        elif s.kind == "match":
            out += [f"- {n}. {md(left)} \\_\\_\\_" for n, left in enumerate(s.lefts, start=1)]
            out += ["", *(f"- {LETTERS[i].lower()}) {md(o)}" for i, o in enumerate(s.options))]
        elif s.kind == "truefalse":
            out.append("- True / False")
        elif s.kind == "typed":
            out.append(f"Answer: {blank}")
        out.append("")
    out += [f'<div style="{PAGE_BREAK_CSS}"></div>', "", "## Answer key", ""]
    for s in sheets(items, packs):
        out += [f"**{s.number}.** {md(s.key)}", ""]
        if s.excerpt:
            out += [f"> {md(s.excerpt)}", ">", f"> — {md(s.citation)}", ""]
    return "\n".join(out).rstrip() + "\n"


# -- HTML -----------------------------------------------------------------------------
_SHEET_CSS = f"""
.key {{ {PAGE_BREAK_CSS} }}
.q {{ margin: 0 0 1.1em; }} .q p {{ margin: .2em 0; }} .how {{ font-style: italic; color: #444; font-size: .9em; }}
.opts {{ list-style: none; padding-left: 1.2em; margin: .2em 0; }}
.box {{ display: inline-block; width: 1.1em; height: 1.1em; border: 1px solid #000; vertical-align: -.2em;
        margin-right: .4em; }}
.blank {{ display: inline-block; min-width: 9em; border-bottom: 1px solid #000; }}
.line {{ display: inline-block; min-width: 20em; border-bottom: 1px solid #000; }}
.name {{ margin: 1em 0 1.5em; }}
"""


def _html_prompt(s: Sheet) -> str:
    if s.kind == "cloze":
        return '<span class="blank">&nbsp;</span>'.join(_edges(part, h) for part in s.prompt.split(BLANK, 1))
    return h(s.prompt)


def worksheet_html(spec: DrillSpec, items: Sequence[DrillItem], packs: Sequence[Pack]) -> str:
    title = _title(spec, packs)
    body = [f"<h1>Worksheet: {h(title)}</h1>",
            f"<p class=\"meta\">Drill code <code>{h(spec.format())}</code> · {plural(len(items), 'question')}</p>",
            "<p class=\"name\">Name: <span class=\"line\">&nbsp;</span> Date: <span class=\"blank\">&nbsp;</span></p>"]
    for s in sheets(items, packs):
        part = [f"<div class=\"q\"><p><strong>{s.number}.</strong> {_html_prompt(s)}</p>",
                f"<p class=\"how\">{h(s.instruction)}</p>"]
        if s.kind == "choice":
            part.append("<ul class=\"opts\">" + "".join(f"<li>{LETTERS[i]}. {h(o)}</li>"
                                                       for i, o in enumerate(s.options)) + "</ul>")
        elif s.kind in ("multi", "order"):
            part.append("<ul class=\"opts\">" + "".join(f"<li><span class=\"box\"></span>{LETTERS[i]}. {h(o)}</li>"
                                                       for i, o in enumerate(s.options)) + "</ul>")
        elif s.kind == "match":
            part.append("<ol class=\"opts\">" + "".join(f"<li>{n}. {h(left)} <span class=\"blank\">&nbsp;</span></li>"
                                                       for n, left in enumerate(s.lefts, start=1)) + "</ol>")
            part.append("<ul class=\"opts\">" + "".join(f"<li>{LETTERS[i].lower()}) {h(o)}</li>"
                                                       for i, o in enumerate(s.options)) + "</ul>")
        elif s.kind == "truefalse":
            part.append("<ul class=\"opts\"><li>True &nbsp; / &nbsp; False</li></ul>")
        elif s.kind == "typed":
            part.append("<p>Answer: <span class=\"line\">&nbsp;</span></p>")
        part.append("</div>")
        body.append("".join(part))
    key = ["<section class=\"key\">", "<h2>Answer key</h2>", "<ol>"]
    for s in sheets(items, packs):
        quote = f"<blockquote>{h(s.excerpt)}</blockquote><p class=\"cite\">{h(s.citation)}</p>" if s.excerpt else ""
        key.append(f"<li value=\"{s.number}\" class=\"q\"><p><strong>{h(s.key)}</strong></p>{quote}</li>")
    key += ["</ol>", "</section>"]
    return page(f"Worksheet {spec.format()}", "\n".join(body + key), _SHEET_CSS)


__all__ = ["Sheet", "sheets", "worksheet_html", "worksheet_markdown"]
