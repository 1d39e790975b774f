"""The app tests' pack: two articles, two events and three questions, one of them full of markup.

Import with ``from tuipack import ...`` (a module of its own: ``conftest`` names clash across test folders).
"""

from __future__ import annotations

from pathlib import Path

from packfactory import ARTICLE as BASE_ARTICLE
from packfactory import write_pack as write_shared_pack

# The shared test article, plus a line of markup-looking text that must show literally.
ARTICLE = BASE_ARTICLE + "\nThe visit marks the [bold]highest-level[/bold] Chinese contact in years.\n"

TRAIN = """\
Kim Jong Il arrives in China by train

Reports of Kim's unannounced visit to China began last Friday when he crossed into the
country in his private train.
"""

PACK_YAML = """\
id: tui-pack
title: TUI test pack
version: "1.0"
description: Small pack for the app tests.
language: en
sources:
  - id: art
    file: sources/art.txt
    title: Chinese official meets North Korean leader Kim in Pyongyang
    outlet: Test Wire
    published: 2024-04-13
    date_from_outside: false
  - id: train
    file: sources/train.txt
    title: Kim Jong Il arrives in China by train
    outlet: Test Radio
    published: 2011-05
    date_from_outside: true
events:
  - id: kim-train-2011
    kind: visit
    who: Kim Jong Il, leader of North Korea
    where: China
    when: 2011-05-20
    when_text: last Friday
    why: to learn from China's economy
    why_by: Wen Jiabao
    source: train
    excerpt: he crossed into the country in his private train
  - id: zhao-kim
    kind: meeting
    who: Zhao Leji, third-ranking member of the Chinese Communist Party
    whom: Kim Jong Un
    where: Pyongyang
    when: 2024-04-13
    when_text: Saturday
    why: to reaffirm ties
    source: art
    excerpt: A senior Chinese official reaffirmed ties with North Korea
questions:
  - id: q-city
    type: choice
    prompt: In April 2024, in which city did Kim Jong Un meet the senior Chinese official?
    options: [Beijing, Pyongyang, Dalian, Tokyo]
    answer: Pyongyang
    source: art
    excerpt: the country's leader Kim Jong Un in the capital Pyongyang
    explanation: The article says the meeting was in the capital Pyongyang.
    tags: [where]
    event: zhao-kim
  - id: q-markup
    type: truefalse
    prompt: "[bold]True or false[/bold] [@click=app.quit]: the visit was the highest-level contact in years."
    answer: true
    source: art
    excerpt: The visit marks the [bold]highest-level[/bold] Chinese contact in years.
    explanation: "[red]Literally[/red] what the article says."
    tags: [context]
    event: zhao-kim
  - id: q-typed
    type: typed
    prompt: In May 2011, how did Kim Jong Il cross into China?
    answer: private train
    accept: [by train, train]
    source: train
    excerpt: he crossed into the country in his private train
    tags: [who]
    event: kim-train-2011
"""


def write_pack(folder: Path) -> Path:
    """The app tests' pack: two articles, two events, three questions (one full of markup)."""
    return write_shared_pack(folder, PACK_YAML, questions_yaml=None,
                             sources={"sources/art.txt": ARTICLE, "sources/train.txt": TRAIN})
