"""Moodle XML: multichoice (single and multiple), truefalse, shortanswer, matching,
exact numerical and one-blank cloze (multianswer); essay and description are skipped.
HTML text becomes plain text through a real HTML parser."""

from __future__ import annotations

import base64
import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from nkstudy.core.media import is_image, read_media
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
from nkstudy.core.text import quoted
from nkstudy.formats.common import (
    Entry,
    FormatError,
    ImportResult,
    citation,
    cloze_split,
    html_to_text,
    import_text_file,
    one_line,
    tidy,
)
from nkstudy.formats.media import keep_base64
from nkstudy.formats.moodlecat import claim_home, course_category, label_below

_GRADES = [
    100,
    90,
    83.33333,
    80,
    75,
    70,
    66.66667,
    60,
    50,
    40,
    33.33333,
    30,
    25,
    20,
    16.66667,
    14.28571,
    12.5,
    11.11111,
    10,
    5,
    0,
]
# an embedded answer: {1:SHORTANSWER:=right#feedback~%50%half~wrong}, with \} \~ \# escapes inside
_BLANK_RE = re.compile(r"\{(\d*):([A-Z_]+):((?:\\.|[^\\}])*)\}")
_SHORT = {"SHORTANSWER", "SA", "MW", "SHORTANSWER_C", "SAC", "MWC"}
_BLANK = "\x00BLANK\x00"


def _cloze_answers(body: str) -> list[tuple[float, str]]:
    """(weight in percent, plain text) of each answer of an embedded answer's body."""
    out: list[tuple[float, str]] = []
    for part in re.split(r"(?<!\\)~", body):
        part = part.strip()
        weight = 0.0
        if part.startswith("="):
            weight, part = 100.0, part[1:]
        else:
            m = re.match(r"%(-?\d+(?:\.\d+)?)%", part)
            if m:
                weight, part = float(m.group(1)), part[m.end() :]
        part = re.split(r"(?<!\\)#", part, maxsplit=1)[0]
        out.append((weight, html_to_text(re.sub(r"\\(.)", r"\1", part)).text))
    return out


def _valid_grade(value: float) -> bool:
    return any(abs(abs(value) - g) < 0.001 for g in _GRADES)


def _text(el: ET.Element | None, fmt: str | None = None) -> str:
    if el is None:
        return ""
    fmt = fmt or el.get("format") or "html"
    node = el.find("text")
    raw = (node.text if node is not None else el.text) or ""
    if fmt in ("html", "moodle_auto_format"):
        return html_to_text(raw).text
    return tidy(raw)


def _lines_of_questions(text: str) -> list[int]:
    no_comments = re.sub(r"<!--.*?-->", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    return [no_comments.count("\n", 0, m.start()) + 1 for m in re.finditer(r"<question\b", no_comments)]


def import_text(text: str, path: Path, result: ImportResult, whole_pack: bool = True) -> None:
    if re.search(r"<!(DOCTYPE|ENTITY)", text):
        raise FormatError(path, None, "DOCTYPE and ENTITY declarations are not allowed in Moodle XML")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        at = exc.position[0] if exc.position else None
        raise FormatError(path, at, f"not well-formed XML: {str(exc).split(':')[0]}") from None
    if root.tag != "quiz":
        raise FormatError(path, 1, f"expected a <quiz> root element (a Moodle XML export), not <{root.tag}>")
    lines = _lines_of_questions(text)
    questions = root.findall("question")
    home = _home(questions, lines, path, result) if whole_pack else None
    category: str | None = None
    for index, q in enumerate(questions):
        line = lines[index] if index < len(lines) else None
        kind = q.get("type", "")
        if kind == "category":
            # below the pack's own category, a category is a tag named by its path from there
            category = _text(q.find("category"), "plain_text") or None
            if home is not None and category is not None:
                category = label_below(home, category) or None
            continue
        _question(q, kind, path, line, result, category)


def _home(questions: list[ET.Element], lines: list[int], path: Path, result: ImportResult) -> list[str] | None:
    """The pack's own category, when the file opens with one (see :func:`moodlecat.claim_home`)."""
    if not questions or questions[0].get("type") != "category":
        return None
    paths = [_text(q.find("category"), "plain_text") for q in questions if q.get("type") == "category"]
    return claim_home(paths, path, lines[0] if lines else None, result)


def _question(
    q: ET.Element, kind: str, path: Path, line: int | None, result: ImportResult, category: str | None
) -> None:
    name = _text(q.find("name"), "plain_text")
    qt = q.find("questiontext")
    prompt = _text(qt)
    media = _files(qt, path, result)
    what = f"Moodle {kind} question {quoted(one_line(name or prompt))}"
    labels = [category] if category else []
    tags = [t.text.strip() for t in q.findall("tags/tag/text") if t.text and t.text.strip()]
    answers: list[tuple[float, str, str]] = []
    for a in q.findall("answer"):
        try:
            fraction = float(a.get("fraction", "0"))
        except ValueError:
            result.error(path, line, f"{what}: fraction {quoted(a.get('fraction'))} is not a number")
            return
        answers.append((fraction, _text(a, a.get("format")), _text(a.find("feedback"))))
    bad = [f for f, _, _ in answers if not _valid_grade(f)]
    if bad and kind in ("multichoice", "shortanswer", "numerical", "truefalse"):
        result.error(
            path, line, f"{what}: fraction {bad[0]:g} is not one of Moodle's grades (such as 100, 50, 33.33333)"
        )
        return
    notes = [_text(q.find("generalfeedback"))] + [f"{t}: {fb}" for _, t, fb in answers if fb]
    explanation = "\n".join(n for n in notes if n)

    idnumber = (q.findtext("idnumber") or "").strip()

    def add(entry: Entry) -> None:
        result.add({**entry, "explanation": explanation, "media": media}, path, line, name=idnumber or name,
                   labels=labels + tags, what=what, exact_id=bool(idnumber))

    if kind in ("essay", "description"):
        why = "an essay is graded by a teacher" if kind == "essay" else "a description has no question to answer"
        result.skip(path, line, what, why)
    elif kind == "multichoice":
        options = [t for _, t, _ in answers]
        single = (q.findtext("single") or "true").strip().lower() in ("true", "1")
        if single:
            right = [t for f, t, _ in answers if f >= 99.999]
            if len(right) != 1:
                result.skip(
                    path, line, what, f"a single-answer question needs exactly one 100% answer, not {len(right)}"
                )
                return
            add({"type": "choice", "prompt": prompt, "options": options, "answer": right[0]})
        else:
            add({"type": "multi", "prompt": prompt, "options": options, "answer": [t for f, t, _ in answers if f > 0]})
    elif kind == "truefalse":
        verdicts = [t.strip().casefold() for f, t, _ in answers if f >= 99.999]
        if len(verdicts) != 1 or verdicts[0] not in ("true", "false"):
            result.skip(path, line, what, "it has no single right answer 'true' or 'false'")
            return
        add({"type": "truefalse", "prompt": prompt, "answer": verdicts[0] == "true"})
    elif kind in ("shortanswer", "numerical"):
        full = [(t, a) for (f, t, _), a in zip(answers, q.findall("answer"), strict=True) if f >= 99.999]
        if kind == "numerical":
            exact = [t for t, a in full if float(a.findtext("tolerance") or 0) == 0 and t.strip() != "*"]
            if len(full) != 1 or len(exact) != 1:
                result.skip(path, line, what, "a numeric range or tolerance cannot be typed as one exact answer")
                return
        texts = [t for t, _ in full if t.strip() != "*"]
        if not texts:
            result.skip(path, line, what, "it has no fully right answer")
            return
        add({"type": "typed", "prompt": prompt, "answer": texts[0], "accept": texts[1:]})
    elif kind == "matching":
        pairs: list[tuple[str, str]] = []
        extra: list[str] = []
        for sub in q.findall("subquestion"):
            left = _text(sub, sub.get("format"))
            item = tidy(sub.findtext("answer/text") or "")
            if left:
                pairs.append((left, item))
            else:
                extra.append(item)
        if extra:
            result.note(f"{path}:{line}: extra right items left out of {what}: {', '.join(extra)}")
        add({"type": "match", "prompt": prompt, "pairs": pairs})
    elif kind in ("cloze", "multianswer"):  # Moodle XML calls multianswer "cloze"
        raw = qt.findtext("text") or "" if qt is not None else ""
        blanks = list(_BLANK_RE.finditer(raw))
        if len(blanks) != 1 or blanks[0].group(2) not in _SHORT:
            result.skip(path, line, what, "nkstudy's cloze holds one short-answer blank")
            return
        weighted = _cloze_answers(blanks[0].group(3))
        right = [t for w, t in weighted if w >= 99.999 and t]
        partial = [f"{t} ({w:g}%)" for w, t in weighted if 0 < w < 99.999]
        if partial:
            result.note(f"{path}:{line}: partial credit left out of {what} (nkstudy marks an answer right or "
                        f"wrong): {', '.join(partial)}")
        if not right:
            result.skip(path, line, what, "its blank has no fully right answer")
            return
        prompt = html_to_text(raw[: blanks[0].start()] + _BLANK + raw[blanks[0].end() :]).text
        add({"type": "cloze", "prompt": prompt.replace(_BLANK, "_____"), "answer": right[0], "accept": right[1:]})
    else:
        result.skip(path, line, what, f"nkstudy has no {kind or 'untyped'} question type")


def import_file(path: Path, whole_pack: bool = True) -> ImportResult:
    """``whole_pack``: the file is the whole pack, so the category it opens with is the pack's own."""
    def import_xml(text: str, path: Path, result: ImportResult) -> None:
        # the text is decoded already: its XML declaration (which may name another encoding) goes
        import_text(re.sub(r"^\s*<\?xml[^>]*\?>", "", text), path, result, whole_pack)

    return import_text_file(path, import_xml)


def _files(qt: ET.Element | None, path: Path, result: ImportResult) -> list[str]:
    """The files Moodle attached to a question's text (``<file name=... encoding="base64">``), kept."""
    out: list[str] = []
    for el in qt.findall("file") if qt is not None else []:
        name = el.get("name") or ""
        if el.get("encoding", "base64") != "base64" or not name:
            result.note(f"{path}: a <file> without a name or base64 text left out")
            continue
        entry = keep_base64(result, name, el.text or "", path)
        if entry is not None and entry not in out:
            out.append(entry)
    return out


# -- export ------------------------------------------------------------------------------------------


def _html(text: str) -> str:
    return "<br>".join(html.escape(line) for line in text.split("\n"))


def _add_text(parent: ET.Element, tag: str, text: str, fmt: str = "html") -> ET.Element:
    el = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(el, "text").text = _html(text) if fmt == "html" else text
    return el


def _grade(value: float) -> str:
    return f"{value:.7f}".rstrip("0").rstrip(".")


def _cloze_escape(text: str) -> str:
    return re.sub(r"([}#~/\"\\])", r"\\\1", text)


def _head(q: Question, pack: Pack, kind: str, questiontext: str | None = None) -> ET.Element:
    """A ``<question>``: its type, name (Moodle reads it first), text and general feedback (the citation)."""
    el = ET.Element("question", {"type": kind})
    ET.SubElement(el, "name").append(_t(q.id))
    if questiontext is None:
        _add_text(el, "questiontext", q.prompt)
    else:
        qt = ET.SubElement(el, "questiontext", {"format": "html"})
        ET.SubElement(qt, "text").text = questiontext
    _add_media(el.find("questiontext"), q, pack)
    _add_text(el, "generalfeedback", citation(q, pack))
    ET.SubElement(el, "idnumber").text = q.id
    if q.tags:
        tags = ET.SubElement(el, "tags")
        for tag in q.tags:
            ET.SubElement(ET.SubElement(tags, "tag"), "text").text = tag
    return el


def _options(q: ChoiceQuestion | MultiQuestion, pack: Pack, right: set[str], single: bool) -> ET.Element:
    el = _head(q, pack, "multichoice")
    ET.SubElement(el, "single").text = "true" if single else "false"
    ET.SubElement(el, "shuffleanswers").text = "true"
    wrong = len(q.options) - len(right)
    for o in q.options:
        if o in right:
            fraction = 100 / len(right)
        else:
            fraction = 0 if single or not wrong else -100 / wrong
        _answer(el, o, fraction)
    return el


def _choice(q: ChoiceQuestion, pack: Pack) -> ET.Element:
    return _options(q, pack, {q.answer}, True)


def _multi(q: MultiQuestion, pack: Pack) -> ET.Element:
    return _options(q, pack, set(q.answer), False)


def _truefalse(q: TrueFalseQuestion, pack: Pack) -> ET.Element:
    el = _head(q, pack, "truefalse")
    _answer(el, "true", 100 if q.answer else 0, fmt="moodle_auto_format")
    _answer(el, "false", 0 if q.answer else 100, fmt="moodle_auto_format")
    return el


def _typed(q: TypedQuestion, pack: Pack) -> ET.Element:
    el = _head(q, pack, "shortanswer")
    ET.SubElement(el, "usecase").text = "0"
    for a in (q.answer, *q.accept):
        _answer(el, a, 100, fmt="moodle_auto_format")
    return el


def _cloze(q: ClozeQuestion, pack: Pack) -> ET.Element:
    before, after = cloze_split(q.prompt)
    answers = "~".join(f"={_cloze_escape(a)}" for a in (q.answer, *q.accept))
    return _head(q, pack, "cloze", html.escape(before) + f"{{1:SHORTANSWER:{answers}}}" + html.escape(after))


def _match(q: MatchQuestion, pack: Pack) -> ET.Element:
    el = _head(q, pack, "matching")
    ET.SubElement(el, "shuffleanswers").text = "true"
    for left, right_item in q.pairs:
        sub = _add_text(el, "subquestion", left)
        ans = ET.SubElement(sub, "answer")
        ET.SubElement(ans, "text").text = right_item
    return el


#: question class → its Moodle XML writer, or why Moodle XML cannot hold it (Any: each writer takes its own class)
MOODLE_XML: dict[type[Question], Callable[[Any, Pack], ET.Element] | Unsupported] = {
    ChoiceQuestion: _choice,
    MultiQuestion: _multi,
    TrueFalseQuestion: _truefalse,
    TypedQuestion: _typed,
    ClozeQuestion: _cloze,
    MatchQuestion: _match,
    OrderQuestion: Unsupported("Moodle XML export has no {type} type here"),
    CardQuestion: Unsupported("Moodle XML export has no {type} type here"),
}


def export_question(q: Question, pack: Pack) -> ET.Element | Unsupported:
    """One question as a Moodle XML ``<question>``, or why Moodle XML cannot hold it."""
    writer = for_type(MOODLE_XML, type(q))
    return writer if isinstance(writer, Unsupported) else writer(q, pack)


def _t(text: str) -> ET.Element:
    t = ET.Element("text")
    t.text = text
    return t


def _add_media(qt: ET.Element | None, q: Question, pack: Pack) -> None:
    """The question's media as Moodle keeps them: shown in the text, the files inside as base64."""
    text = qt.find("text") if qt is not None else None
    if qt is None or text is None:
        return
    for entry in q.media:
        data = read_media(pack.path, entry)
        if data is None:
            continue
        name = entry.split("/", 1)[1]
        url = html.escape(f"@@PLUGINFILE@@/{quote(name)}")
        shown = f'<img src="{url}" alt="">' if is_image(name) else f'<a href="{url}">{html.escape(name)}</a>'
        text.text = f"{text.text or ''}<br>{shown}"
        ET.SubElement(qt, "file", {"name": name, "path": "/", "encoding": "base64"}).text = (
            base64.b64encode(data).decode("ascii"))


def _answer(parent: ET.Element, text: str, fraction: float, fmt: str = "html") -> None:
    a = ET.SubElement(parent, "answer", {"fraction": _grade(fraction), "format": fmt})
    ET.SubElement(a, "text").text = _html(text) if fmt == "html" else text
    fb = ET.SubElement(a, "feedback", {"format": "html"})
    ET.SubElement(fb, "text").text = ""


def export(pack: Pack) -> tuple[str, list[str]]:
    quiz = ET.Element("quiz")
    quiz.append(ET.Comment(f" {pack.title} ({pack.id} {pack.info.version}), exported by nkstudy "))
    home = ET.SubElement(quiz, "question", {"type": "category"})  # as Moodle exports: the category first
    ET.SubElement(home, "category").append(_t(course_category(pack.title)))
    skipped: list[str] = []
    for q in pack.questions:
        el = export_question(q, pack)
        if isinstance(el, Unsupported):
            skipped.append(el.skipped(q))
            continue
        quiz.append(el)
    ET.indent(quiz)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="unicode") + "\n", skipped
