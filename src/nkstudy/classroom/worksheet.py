"""A printable worksheet of a drill: the same questions and option order, then an answer key.

Typed and cloze questions get blanks, order questions get boxes to number,
multi questions get boxes to tick.  The answer key starts on a new page (print
CSS ``break-before: page``) and gives each answer with its excerpt and citation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from nkstudy.classroom.common import LETTERS, citation, closed, excerpt, h, md, media_html, page
from nkstudy.core.classroom.drill import DrillItem, DrillSpec
from nkstudy.core.figures import plural
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

BLANK = "_" * 12
_BLANK_RE = re.compile(r"_{3,}")
PAGE_BREAK_CSS = "break-before: page; page-break-before: always;"


class Area(Enum):
    """Where a question is answered on paper."""

    LETTERED = "lettered"  # lettered options to circle
    BOXES = "boxes"  # lettered options with a box each, to tick or to number
    TRUE_FALSE = "truefalse"  # True / False to circle
    LINE = "line"  # an answer line
    IN_PROMPT = "in-prompt"  # the blank inside the prompt (marked by BLANK)
    PAIRS = "pairs"  # numbered left items with a blank each, then the lettered right items


@dataclass(frozen=True)
class Sheet:
    """One question laid out for paper (``kind``: choice, multi, truefalse, typed, cloze, order)."""

    number: int
    kind: str
    prompt: str  # for cloze, with the blank marked by BLANK
    instruction: str
    options: tuple[str, ...]  # as shown in the drill
    key: str  # the answer as written on the key
    excerpt: str
    citation: str
    area: Area = Area.LINE
    lefts: tuple[str, ...] = ()  # PAIRS: the numbered left items (``options`` are the lettered right ones)
    media: str = ""  # the question's pictures and sounds as HTML (``classroom.common.media_html``)
    media_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Laid:
    """What a question type puts on paper, before the sheet adds its number, excerpt and citation."""

    kind: str
    area: Area
    instruction: str
    key: str
    prompt: str | None = None  # None: the question's own prompt
    lefts: tuple[str, ...] = ()


Labels = dict[str, str]  # option → its letter as shown


def _choice(q: ChoiceQuestion, shown: tuple[str, ...], label: Labels) -> Laid:
    return Laid("choice", Area.LETTERED, "Circle one.", f"{label[q.answer]}. {q.answer}")


def _multi(q: MultiQuestion, shown: tuple[str, ...], label: Labels) -> Laid:
    right = [o for o in shown if o in q.answer]
    key = ", ".join(label[o] for o in right) + ": " + "; ".join(right)
    return Laid("multi", Area.BOXES, "Tick every right option.", key)


def _truefalse(q: TrueFalseQuestion, shown: tuple[str, ...], label: Labels) -> Laid:
    return Laid("truefalse", Area.TRUE_FALSE, "Circle True or False.", q.answer_text())


def _order(q: OrderQuestion, shown: tuple[str, ...], label: Labels) -> Laid:
    rank = {o: i for i, o in enumerate(q.answer, start=1)}
    key = ", ".join(f"{label[o]} {rank[o]}" for o in shown) + ": " + q.answer_text()
    return Laid("order", Area.BOXES, f"Number the boxes 1 to {len(shown)}, earliest first.", key)


def _cloze(q: ClozeQuestion, shown: tuple[str, ...], label: Labels) -> Laid:
    return Laid("cloze", Area.IN_PROMPT, "Fill the blank.", q.answer, _BLANK_RE.sub(BLANK, q.prompt, count=1))


def _typed(q: TypedQuestion, shown: tuple[str, ...], label: Labels) -> Laid:
    key = q.answer + (f" (also accepted: {'; '.join(q.accept)})" if q.accept else "")
    return Laid("typed", Area.LINE, "Write your answer.", key)


def _match(q: MatchQuestion, shown: tuple[str, ...], label: Labels) -> Laid:
    key = ", ".join(f"{n} {label[right].lower()}" for n, (_left, right) in enumerate(q.pairs, start=1))
    return Laid("match", Area.PAIRS, "Write the letter of its match beside each number.",
                f"{key}: {q.answer_text()}", lefts=q.lefts())


def _plain(q: Question, shown: tuple[str, ...], label: Labels) -> Laid:
    """Its options to circle if it shows any, else an answer line; the key is its answer as one line."""
    if shown:
        return Laid("choice", Area.LETTERED, "Circle one.", q.answer_text())
    return Laid("typed", Area.LINE, "Write your answer.", q.answer_text())


#: question class → how it is laid out for paper, or why a worksheet cannot hold it
#: (Any: each layout takes its own class)
PAPER: dict[type[Question], Callable[[Any, tuple[str, ...], Labels], Laid] | Unsupported] = {
    ChoiceQuestion: _choice,
    MultiQuestion: _multi,
    TrueFalseQuestion: _truefalse,
    OrderQuestion: _order,
    ClozeQuestion: _cloze,
    TypedQuestion: _typed,
    CardQuestion: _plain,
    MatchQuestion: _match,
}


def _sheet(item: DrillItem, pack: Pack | None) -> Sheet | Unsupported:
    """One question on paper, through its class's entry in :data:`PAPER`."""
    q = item.question
    layout = for_type(PAPER, type(q))
    if isinstance(layout, Unsupported):
        return layout
    shown = item.options
    laid = layout(q, shown, {o: LETTERS[i] for i, o in enumerate(shown)})
    prompt = q.prompt if laid.prompt is None else laid.prompt
    return Sheet(item.position, laid.kind, prompt, laid.instruction, shown, laid.key, closed(excerpt(q)),
                 citation(pack, q), laid.area, laid.lefts, media_html(pack, q),
                 tuple(m.split("/", 1)[-1] for m in q.media))


def sheets(items: Sequence[DrillItem], packs: Sequence[Pack]) -> list[Sheet]:
    """The items laid out for paper; those a worksheet cannot hold are left out (see :func:`left_out`)."""
    by_id = {p.id: p for p in packs}
    return [s for s in (_sheet(i, by_id.get(i.pack_id)) for i in items) if isinstance(s, Sheet)]


def left_out(items: Sequence[DrillItem]) -> list[str]:
    """One line for each item a worksheet cannot hold, saying why."""
    out = []
    for item in items:
        entry = for_type(PAPER, type(item.question))
        if isinstance(entry, Unsupported):
            out.append(f"left out question {item.position} '{item.question.id}': {entry.why(type(item.question))}")
    return out


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
    if s.area is Area.IN_PROMPT:
        return BLANK.replace("_", "\\_").join(_edges(part, md) for part in s.prompt.split(BLANK, 1))
    return md(s.prompt)


def _md_area(s: Sheet, blank: str) -> list[str]:
    """Where the question is answered, in Markdown (nothing for a blank inside the prompt)."""
    box = "☐ " if s.area is Area.BOXES else ""
    if s.area in (Area.LETTERED, Area.BOXES):
        return [f"- {box}{LETTERS[i]}. {md(o)}" for i, o in enumerate(s.options)]
    if s.area is Area.PAIRS:
        return [*(f"- {n}. {md(left)} \\_\\_\\_" for n, left in enumerate(s.lefts, start=1)), "",
                *(f"- {LETTERS[i].lower()}) {md(o)}" for i, o in enumerate(s.options))]
    if s.area is Area.TRUE_FALSE:
        return ["- True / False"]
    if s.area is Area.LINE:
        return [f"Answer: {blank}"]
    return []


def worksheet_markdown(spec: DrillSpec, items: Sequence[DrillItem], packs: Sequence[Pack]) -> str:
    laid = sheets(items, packs)
    out = [f"# Worksheet: {md(_title(spec, packs))}", "",
           f"Drill code: `{spec.format()}` · {plural(len(laid), 'question')}", "",
           "Name: \\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_ "
           "Date: \\_\\_\\_\\_\\_\\_\\_\\_\\_\\_", ""]
    blank = "\\_" * 24
    for s in laid:
        out += [f"**{s.number}.** {_md_prompt(s)}", ""]
        out += [f"*[media: {md(name)}]*\n" for name in s.media_names]
        out += [f"*{s.instruction}*", ""]
        out += _md_area(s, blank)
        out.append("")
    out += [f'<div style="{PAGE_BREAK_CSS}"></div>', "", "## Answer key", ""]
    for s in laid:
        out += [f"**{s.number}.** {md(s.key)}", ""]
        if s.excerpt:  # an uncited question has no quote to give
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
    if s.area is Area.IN_PROMPT:
        return '<span class="blank">&nbsp;</span>'.join(_edges(part, h) for part in s.prompt.split(BLANK, 1))
    return h(s.prompt)


def _html_area(s: Sheet) -> str:
    """Where the question is answered, in HTML (nothing for a blank inside the prompt)."""
    box = "<span class=\"box\"></span>" if s.area is Area.BOXES else ""
    if s.area in (Area.LETTERED, Area.BOXES):
        return "<ul class=\"opts\">" + "".join(f"<li>{box}{LETTERS[i]}. {h(o)}</li>"
                                               for i, o in enumerate(s.options)) + "</ul>"
    if s.area is Area.PAIRS:
        return ("<ol class=\"opts\">" + "".join(f"<li>{n}. {h(left)} <span class=\"blank\">&nbsp;</span></li>"
                                                 for n, left in enumerate(s.lefts, start=1)) + "</ol>"
                "<ul class=\"opts\">" + "".join(f"<li>{LETTERS[i].lower()}) {h(o)}</li>"
                                               for i, o in enumerate(s.options)) + "</ul>")
    if s.area is Area.TRUE_FALSE:
        return "<ul class=\"opts\"><li>True &nbsp; / &nbsp; False</li></ul>"
    if s.area is Area.LINE:
        return "<p>Answer: <span class=\"line\">&nbsp;</span></p>"
    return ""


def worksheet_html(spec: DrillSpec, items: Sequence[DrillItem], packs: Sequence[Pack]) -> str:
    laid = sheets(items, packs)
    title = _title(spec, packs)
    body = [f"<h1>Worksheet: {h(title)}</h1>",
            f"<p class=\"meta\">Drill code <code>{h(spec.format())}</code> · {plural(len(laid), 'question')}</p>",
            "<p class=\"name\">Name: <span class=\"line\">&nbsp;</span> Date: <span class=\"blank\">&nbsp;</span></p>"]
    for s in laid:
        part = [f"<div class=\"q\"><p><strong>{s.number}.</strong> {_html_prompt(s)}</p>{s.media}",
                f"<p class=\"how\">{h(s.instruction)}</p>"]
        part.append(_html_area(s))
        part.append("</div>")
        body.append("".join(part))
    key = ["<section class=\"key\">", "<h2>Answer key</h2>", "<ol>"]
    for s in laid:
        quote = f"<blockquote>{h(s.excerpt)}</blockquote><p class=\"cite\">{h(s.citation)}</p>" if s.excerpt else ""
        key.append(f"<li value=\"{s.number}\" class=\"q\"><p><strong>{h(s.key)}</strong></p>{quote}</li>")
    key += ["</ol>", "</section>"]
    return page(f"Worksheet {spec.format()}", "\n".join(body + key), _SHEET_CSS)


__all__ = ["PAPER", "Area", "Sheet", "left_out", "sheets", "worksheet_html", "worksheet_markdown"]
