"""The rule for profile names, in one place: the CLI, the app, serve and the store all use it."""

from __future__ import annotations

from nkstudy.core.text import quoted, visible

MAX_PROFILE_NAME = 64


def shown_name(name: str, limit: int = 40) -> str:
    """``name`` quoted for a one-line message: control characters shown, cut to about ``limit``."""
    cut = name if len(name) <= limit else name[: limit - 1] + "…"
    return quoted(cut)


def profile_name(raw: str) -> str:
    """``raw`` trimmed, or ValueError: 1 to 64 characters, none of them a control character."""
    name = raw.strip()
    if not name:
        raise ValueError("a profile name cannot be empty")
    if len(name) > MAX_PROFILE_NAME:
        raise ValueError(f"profile name {shown_name(name)} is {len(name)} characters; "
                         f"use at most {MAX_PROFILE_NAME}")
    if visible(name) != name:
        raise ValueError(f"profile name {shown_name(name)} holds a control character; use printable text")
    return name
