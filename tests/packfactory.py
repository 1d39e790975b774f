"""Small real packs written into tmp_path, for tests at every level.

Import with ``from packfactory import write_pack`` (tests/ is on pytest's pythonpath)."""

from __future__ import annotations

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
