"""GIFT records (from :mod:`nkstudy.formats.gift`) to model questions, skipping what nkstudy cannot hold."""

from __future__ import annotations

from pathlib import Path

from nkstudy.core.text import quoted
from nkstudy.formats.common import Entry, ImportResult, html_to_text, import_text_file
from nkstudy.formats.gift import Choice, GiftItem, Text, parse_records
from nkstudy.formats.media import keep_beside
from nkstudy.formats.moodlecat import claim_home, label_below


def _full(choice: Choice) -> bool:
    return choice.correct and (choice.weight is None or choice.weight >= 100)


def _exact(number: tuple[str, ...] | None) -> str | None:
    if number is None:
        return None
    if number[0] == "simple":
        return number[1]
    if number[0] == "range" and float(number[2]) == 0:
        return number[1]
    return None


def _shown(choice: Choice) -> str:
    """A choice as a note names it: its text, or a numeric answer as GIFT writes it."""
    if choice.text:
        return choice.text.plain()
    if choice.number is None:
        return ""
    kind, *values = choice.number
    return {"range": ":", "high-low": ".."}.get(kind, "").join(values)


def _explanation(item: GiftItem, choices: list[tuple[str, Text | None]]) -> str | None:
    lines = []
    if item.general_feedback and item.general_feedback.text:
        lines.append(item.general_feedback.plain())
    for label, fb in choices:
        if fb is not None and fb.text:
            lines.append(f"{label}: {fb.plain()}" if label else fb.plain())
    return "\n".join(lines) or None


def import_text(text: str, path: Path, result: ImportResult, whole_pack: bool = True) -> None:
    """GIFT ``text`` into ``result``; ``whole_pack``: the file is the whole pack, so the category it
    opens with is the pack's own (see :func:`_home`), else every category is a tag."""
    items, errors = parse_records(text)
    for exc in errors:
        result.error(path, exc.line, str(exc))
    home = _home(items, path, result) if whole_pack else None
    category: str | None = None
    for item in items:
        if item.type == "Category":
            # below the pack's own category, a category is a tag named by its path from there
            category = item.category if home is None or item.category is None else label_below(home, item.category)
            continue
        _convert(item, path, result, category)


def _home(items: list[GiftItem], path: Path, result: ImportResult) -> list[str] | None:
    """The pack's own category, when the file opens with one (see :func:`moodlecat.claim_home`)."""
    if not items or items[0].type != "Category":
        return None
    return claim_home([item.category or "" for item in items if item.type == "Category"], path, items[0].line,
                      result)


def _convert(item: GiftItem, path: Path, result: ImportResult, category: str | None) -> None:
    label = item.title or (item.stem.plain() if item.stem else "")
    what = f"GIFT {item.type.lower()} question {quoted(' '.join(label.split())[:50])}"
    labels = [*item.tags] + ([category] if category else [])
    stem = item.exact_stem.plain() if item.exact_stem else ""
    media: list[str] = []
    if item.stem and (item.stem.format == "html" or "<" in item.stem.text):
        names = [n.removeprefix("@@PLUGINFILE@@/") for n in html_to_text(item.stem.text).media]
        media = keep_beside(result, names, path)

    def add(entry: Entry) -> None:
        result.add({**entry, "media": media}, path, item.line, name=item.id or item.title, labels=labels,
                   what=what)

    # weights beside a fully right answer are partial credit (weights that add up to 100 over
    # several answers are a select-all question, which nkstudy holds)
    full_answers = any(_full(c) for c in item.choices)
    partial = [f"{_shown(c)} ({c.weight:g}%)" for c in item.choices
               if full_answers and c.weight is not None and 0 < c.weight < 100]
    if partial:
        result.note(f"{path}:{item.line}: partial credit left out of {what} (nkstudy marks an answer right or "
                    f"wrong, whatever its feedback says): {', '.join(partial)}")

    if item.type == "Description":
        result.skip(path, item.line, what, "a description has no question to answer")
    elif item.type == "Essay":
        result.skip(path, item.line, what, "an essay is graded by a teacher; nkstudy has no essay type")
    elif item.type == "TF":
        fbs = [("If you answered wrongly", item.true_feedback), ("If you answered rightly", item.false_feedback)]
        explanation = _explanation(item, fbs)
        assert item.is_true is not None  # the parser sets it with type TF
        add({"type": "truefalse", "prompt": stem, "answer": item.is_true, "explanation": explanation})
    elif item.type == "Matching":
        pairs = [(left.plain(), right) for left, right in item.pairs if left.text]
        extra = [right for left, right in item.pairs if not left.text]
        if extra:
            result.note(f"{path}:{item.line}: extra right items left out of {what}: {', '.join(extra)}")
        add({"type": "match", "prompt": stem, "pairs": pairs, "explanation": _explanation(item, [])})
    elif item.type == "Numerical":
        full = [c for c in item.choices if _full(c)]
        exact = _exact(full[0].number) if len(full) == 1 else None
        if exact is None:
            result.skip(path, item.line, what, "a numeric range or tolerance cannot be typed as one exact answer")
            return
        explanation = _explanation(item, [(c.number[1] if c.number else "", c.feedback) for c in item.choices])
        kind = "cloze" if item.embedded else "typed"
        add({"type": kind, "prompt": stem, "answer": exact, "explanation": explanation})
    elif item.type == "Short":
        right = [c.text.plain() for c in item.choices if _full(c) and c.text]
        fbs = [(c.text.plain() if c.text else "", c.feedback) for c in item.choices]
        explanation = _explanation(item, fbs)
        if not right:
            result.skip(path, item.line, what, "it has no fully right answer")
            return
        kind = "cloze" if item.embedded else "typed"
        add({"type": kind, "prompt": stem, "answer": right[0], "accept": right[1:], "explanation": explanation})
    elif item.type == "MC":
        options = [c.text.plain() if c.text else "" for c in item.choices]
        fbs = [(o, c.feedback) for o, c in zip(options, item.choices, strict=True)]
        explanation = _explanation(item, fbs)
        singles = [o for o, c in zip(options, item.choices, strict=True) if c.correct]
        entry: Entry
        if len(singles) > 1:
            result.note(f"{path}:{item.line}: {what} marks {len(singles)} answers right; imported as select-all")
            entry = {"type": "multi", "prompt": stem, "options": options, "answer": singles}
        elif singles:
            entry = {"type": "choice", "prompt": stem, "options": options, "answer": singles[0]}
        else:
            right = [o for o, c in zip(options, item.choices, strict=True) if (c.weight or 0) > 0]
            entry = {"type": "multi", "prompt": stem, "options": options, "answer": right}
        add({**entry, "explanation": explanation})


def import_file(path: Path, whole_pack: bool = True) -> ImportResult:
    return import_text_file(path, lambda text, where, result: import_text(text, where, result, whole_pack))


# -- export ----------------------------------------------------------------------------
