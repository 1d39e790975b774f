"""How numbers are written for people, everywhere: the app, the command line, reports and worksheets."""

from __future__ import annotations


def percent(value: float | None) -> str:
    """``42%``, or an em dash when there is nothing to divide."""
    return "—" if value is None else f"{value * 100:.0f}%"


def plural(count: int, word: str) -> str:
    """``1 review``, ``2 reviews``."""
    return f"{count} {word}" + ("" if count == 1 else "s")


def duration(seconds: float) -> str:
    """``45s``, ``3m 05s`` or ``1h 02m``."""
    whole = int(round(seconds))
    minutes, secs = divmod(whole, 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}h {minutes:02d}m"
    return f"{minutes}m {secs:02d}s" if minutes else f"{secs}s"
