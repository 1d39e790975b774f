"""Marks on a card, as Anki has them: suspended, buried until the next study day, flagged, leech.

Pure: the store keeps the marks (``card_marks``), this says what they mean.  A suspended
card, or one buried until a time still to come, enters no queue (study or practice).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from nkstudy.core.study.progress import Key, Marks

#: the leech threshold when a profile sets none (Anki's default)
LEECH_THRESHOLD = 8


def hidden_keys(marks: Mapping[Key, Marks], now_ts: float) -> set[Key]:
    """The cards that no queue may offer at ``now_ts``."""
    return {k for k, m in marks.items() if m.hidden(now_ts)}


def without(keys: Iterable[Key], hidden: set[Key]) -> list[Key]:
    return [k for k in keys if k not in hidden]


def is_leech(lapses: int, threshold: int) -> bool:
    """Whether a card that has just lapsed for the ``lapses``-th time becomes a leech.

    As Anki: at the threshold, and again every half threshold after it (so a leech that
    is unsuspended and keeps lapsing is suspended again).
    """
    if threshold <= 0 or lapses < threshold:
        return False
    return (lapses - threshold) % max(1, threshold // 2) == 0


__all__ = ["LEECH_THRESHOLD", "Marks", "hidden_keys", "is_leech", "without"]
