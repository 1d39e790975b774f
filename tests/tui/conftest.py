"""Fixtures for the app: a real pack written as YAML into tmp_path, a fixed clock,
a temporary data folder, and the theme pinned."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from enginekit import Clock
from nkstudy.core.loader import load_pack
from nkstudy.core.model import Pack
from nkstudy.engine import Engine
from nkstudy.tui.app import NkStudyApp
from packfactory import ARTICLE as BASE_ARTICLE
from packfactory import write_pack as write_shared_pack

START = datetime(2024, 5, 6, 9, 30, tzinfo=UTC)

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


@pytest.fixture
def pack(tmp_path: Path) -> Pack:
    result = load_pack(write_pack(tmp_path / "tui-pack"))
    assert result.pack is not None, result.problems
    return result.pack


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def make_app(pack: Pack, data_dir: Path, clock: Clock) -> Callable[..., NkStudyApp]:
    """Build an app over the real engine; every app built is closed at the end."""
    apps: list[NkStudyApp] = []

    def engine(*args: Any, **kwargs: Any) -> Engine:
        return Engine(*args, fuzz=False, seed=7, **kwargs)

    def build(**overrides: Any) -> NkStudyApp:
        options: dict[str, Any] = {
            "packs": [pack],
            "data_dir": data_dir,
            "profile": "tester",
            "clock": clock,
            "engine_factory": engine,
            "theme": "textual-dark",
        }
        options.update(overrides)
        app = NkStudyApp(**options)
        apps.append(app)
        return app

    yield build
    for app in apps:
        app.close_engine()
