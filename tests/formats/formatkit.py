"""Helpers for the format tests: the interop files, real clients, and CI's no-skip rule."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from needkit import need  # noqa: F401  (the shared no-skip rule, re-exported for the format tests)

REPO = Path(__file__).resolve().parents[2]
BUILTIN = REPO / "questions" / "nk-china-visits"


def interop_dir() -> Path | None:
    """``shared/interop`` next to the checkout (a worktree under ``wt/`` looks one level up too)."""
    override = os.environ.get("NKSTUDY_INTEROP")
    candidates = [Path(override)] if override else []
    candidates += [REPO / ".." / "shared" / "interop", REPO / ".." / ".." / "shared" / "interop"]
    for candidate in candidates:
        if (candidate / "SOURCES.md").is_file():
            return candidate.resolve()
    return None


GIFT_PEGJS_VERSION = "1.0.2"


def gift_pegjs() -> Path | None:
    """gift-pegjs installed with npm into a cache folder outside the repository."""
    node = shutil.which("node")
    npm = shutil.which("npm")
    if not node or not npm:
        return None
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "nkstudy-tests" / "gift-pegjs"
    module = cache / "node_modules" / "gift-pegjs"
    if not (module / "package.json").is_file():
        cache.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--silent", f"gift-pegjs@{GIFT_PEGJS_VERSION}"],
            cwd=cache,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0 or not (module / "package.json").is_file():
            return None
    return cache
