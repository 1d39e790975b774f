"""Small real packs written into tmp_path, for tests at every level.

Import with ``from packfactory import write_pack`` (tests/ is on pytest's pythonpath)."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

ARTICLE = """\
Chinese official meets North Korean leader Kim in Pyongyang

A senior Chinese official reaffirmed ties with North Korea during a meeting Saturday
with the country's leader Kim Jong Un in the capital Pyongyang, Chinese state media reported.

Zhao met with his North Korean counterpart Choe Ryong Hae on Thursday and discussed
how to promote “exchanges and cooperation” in all fields.
"""

PACK_YAML = """\
id: test-pack
title: A test pack
version: "1.0"
description: Small pack used by the tests.
language: en
sources:
  - id: art
    file: sources/art.txt
    title: Chinese official meets North Korean leader Kim in Pyongyang
    outlet: Test Wire
    published: 2024-04-13
    date_from_outside: true
events:
  - id: zhao-kim
    kind: meeting
    who: Zhao Leji
    whom: Kim Jong Un
    where: Pyongyang
    when: 2024-04-13
    when_text: Saturday
    why: to reaffirm ties
    source: art
    excerpt: A senior Chinese official reaffirmed ties with North Korea
include:
  - questions.yaml
"""

QUESTIONS_YAML = """\
questions:
  - id: q-choice
    type: choice
    prompt: In April 2024, in which city did Kim Jong Un meet the senior Chinese official?
    options: [Beijing, Pyongyang, Dalian, Tokyo]
    answer: Pyongyang
    source: art
    excerpt: the country's leader Kim Jong Un in the capital Pyongyang
    explanation: The test article says the meeting was in the capital Pyongyang.
    tags: [where]
    difficulty: easy
    event: zhao-kim
  - id: q-multi
    type: multi
    prompt: Whom did the official meet in April 2024?
    options: [Kim Jong Un, Choe Ryong Hae, Wang Yi]
    answer: [Kim Jong Un, Choe Ryong Hae]
    source: art
    excerpt: Zhao met with his North Korean counterpart Choe Ryong Hae on Thursday
    tags: [whom]
  - id: q-tf
    type: truefalse
    prompt: "True or false: the April 2024 meeting with Kim Jong Un was on a Saturday."
    answer: true
    source: art
    excerpt: during a meeting Saturday
    tags: [when]
  - id: q-typed
    type: typed
    prompt: In April 2024, who was the North Korean leader the official met?
    answer: Kim Jong Un
    accept: [Kim Jong-un]
    source: art
    excerpt: the country's leader Kim Jong Un
    tags: [who]
  - id: q-order
    type: order
    prompt: Put the April 2024 meetings in order, earliest first.
    answer: [Zhao meets Choe Ryong Hae, Zhao meets Kim Jong Un]
    source: art
    excerpt: on Thursday
    tags: [when]
  - id: q-cloze
    type: cloze
    prompt: "Fill the blank: Zhao discussed how to promote ____ and cooperation."
    answer: exchanges
    source: art
    excerpt: how to promote "exchanges and cooperation"
    tags: [why]
"""


def write_pack(
    folder: Path,
    pack_yaml: str = PACK_YAML,
    questions_yaml: str | None = QUESTIONS_YAML,
    sources: dict[str, str] | None = None,
) -> Path:
    """Write a pack folder with real YAML and text files; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.yaml").write_text(textwrap.dedent(pack_yaml), encoding="utf-8")
    if questions_yaml is not None:
        (folder / "questions.yaml").write_text(textwrap.dedent(questions_yaml), encoding="utf-8")
    for name, text in (sources or {"sources/art.txt": ARTICLE}).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


# Hostile pack.yaml contents, and a phrase the one-line error must contain.
HOSTILE: dict[str, bytes] = {
    "invalid": b"id: x\ntitle: [unclosed\nversion: 1\n",
    "binary": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
    "latin1": "id: caf\xe9\n".encode("latin-1"),
    "empty": b"",
    "whitespace": b"   \n\n",
    "list": b"- just\n- a list\n",
    "scalar": b"just a string\n",
    "bomb": (
        b'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
        + b"".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n".encode()
            for i in range(12)
        )
    ),
    "deep-flow": b"x: " + b"[" * 20000 + b"]" * 20000 + b"\n",
    "deep-block": "".join(f"{'  ' * i}k{i}:\n" for i in range(1000)).encode() + b"  " * 1000 + b"v\n",
    "python-tag": b"id: !!python/object/apply:os.system ['echo pwned']\n",
    "python-name": b"id: !!python/name:os.system\n",
    "custom-tag": b"id: !secret x\n",
    "duplicate-key": b"id: a\nid: b\n",
}

# What each hostile file's one problem line says. None where the words may be the YAML library's own:
# deep flow nesting is refused by libyaml itself since PyYAML 6.0.4, before the loader's own depth check,
# so those cases are held to the behaviour only (one line, the file and a line number, exit 1).
EXPECTED: dict[str, str | None] = {
    "invalid": "invalid YAML",
    "binary": "binary",
    "latin1": "not UTF-8",
    "empty": "empty",
    "whitespace": "empty",
    "list": "must be a mapping",
    "scalar": "must be a mapping",
    "bomb": "aliases",
    "deep-flow": None,
    "deep-block": None,
    "python-tag": "not allowed",
    "python-name": "not allowed",
    "custom-tag": "not allowed",
    "duplicate-key": "appears twice",
}


# Where the words may be the library's, a problem line must still name the file and a line number.
_AT_LINE = re.compile(r"\.yaml:[0-9]+: \S")


def says_expected(name: str, line: str) -> bool:
    """Whether ``line`` is one problem line with the words expected for hostile file ``name``."""
    if "\n" in line:
        return False
    words = EXPECTED[name]
    return _AT_LINE.search(line) is not None if words is None else words in line


# A flashcard and a match question over the shared article (write with questions_yaml=CARD_MATCH_YAML).
CARD_MATCH_YAML = """\
questions:
  - id: q-card
    type: card
    prompt: In April 2024, whom did Zhao meet on Thursday?
    back: Choe Ryong Hae
    source: art
    excerpt: Zhao met with his North Korean counterpart Choe Ryong Hae on Thursday
    tags: [whom]
  - id: q-match
    type: match
    prompt: Match each April 2024 meeting with its day.
    pairs:
      - [Zhao and Choe Ryong Hae, Thursday]
      - [Zhao and Kim Jong Un, Saturday]
    source: art
    excerpt: during a meeting Saturday
    tags: [when]
"""
