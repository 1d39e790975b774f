"""A fast check of a large written pack: what writing could break, without loading it.

The questions of an import are each checked by their own class as they are read
(``ImportResult.add``), exactly as the loader checks them, and ids are made unique as
they are given.  What is left to go wrong is the writing: a file over the loader's size
limit, a value written so that it reads back as something else or breaks the lines
after it, a question lost, an include missing.  :func:`check_written` looks at exactly
that, at the speed of a regular expression: every line of a questions file must be one
of the few shapes :func:`nkstudy.formats.yamlout.list_item` writes (a key and a value,
a list item, a flow list of quoted pairs), each quoted value closed on its own line,
and each file must hold the number of questions written into it.  That every plain or
quoted value loads back as exactly the text written is held by the writer's own tests.
"""

from __future__ import annotations

import re
from pathlib import Path

from nkstudy.core.packs.safeyaml import MAX_BYTES, FileProblem, load_yaml, read_file

_QUOTED = rb'"(?:[^"\\\n]|\\[^\n])*"'
# a plain value never starts with an indicator or a space, and never holds a line break
_PLAIN = rb"[^\s\"'\-?:,\[\]{}#&*!|>%@`][^\n]*(?<![ \t:])"
_VALUE = rb"(?:" + _QUOTED + rb"|" + _PLAIN + rb")"
_KEY = rb"[a-z][a-z_]*"
_LINE = (
    rb"(?:  - id: " + _VALUE
    + rb"|    " + _KEY + rb"(?:: " + _VALUE + rb"|: \[\]|:)"
    + rb"|    - " + _VALUE
    + rb"|    - \[" + _QUOTED + rb"(?:, " + _QUOTED + rb")*\])"
)
_HEADER = re.compile(rb"(?:# [^\n]*\n)*questions:\n")
_BAD_LINE = re.compile(rb"^(?!" + _LINE + rb"$).*$", re.MULTILINE)
_ITEM = b"\n  - id: "


def check_written(folder: Path, written: dict[str, int]) -> list[str]:
    """Problems (one line each, ``file:line: what``) with the questions files ``written``
    (path relative to ``folder`` → number of questions) and the pack.yaml that includes them."""
    problems: list[str] = []
    try:
        raw, _ = read_file(folder / "pack.yaml", MAX_BYTES)
        pack = load_yaml(raw)
    except Exception as exc:  # noqa: BLE001 - any failure to read it back is a problem to report
        return [f"pack.yaml: cannot be read back ({type(exc).__name__})"]
    if not isinstance(pack, dict) or list(pack.get("include") or ()) != list(written):
        problems.append("pack.yaml: its include: list is not the files written")
    for rel, count in written.items():
        try:
            data, _ = read_file(folder / rel, MAX_BYTES)
        except FileProblem as exc:
            problems.append(f"{rel}: {exc.message}")
            continue
        problems += _check_file(rel, data, count)
    return problems


def _check_file(rel: str, data: bytes, count: int) -> list[str]:
    head = _HEADER.match(data)
    if head is None:
        return [f"{rel}:1: does not start with a 'questions:' list"]
    body = data[head.end():]
    if body and not body.endswith(b"\n"):
        return [f"{rel}: does not end with a line break"]
    bad = _BAD_LINE.search(body, 0, len(body) - 1 if body else 0)
    if bad is not None:
        line = data.count(b"\n", 0, head.end() + bad.start()) + 1
        return [f"{rel}:{line}: a line the writer should not have written"]
    found = body.count(_ITEM) + (1 if body.startswith(_ITEM[1:]) else 0)
    if found != count:
        return [f"{rel}: holds {found} questions, {count} were written"]
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return [f"{rel}: is not UTF-8"]
    return []
