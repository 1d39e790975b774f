"""Fixtures for the app: a real pack written as YAML into tmp_path, a fixed clock,
a temporary data folder, and the theme pinned."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from tuipack import write_pack

from enginekit import Clock
from nkstudy.core.model import Pack
from nkstudy.core.packs.loader import load_pack
from nkstudy.engine import Engine
from nkstudy.tui.study.app import NkStudyApp

START = datetime(2024, 5, 6, 9, 30, tzinfo=UTC)


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
