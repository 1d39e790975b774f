"""The profile settings a learner may change, as text: names, labels, parsing and showing.

One table for ``nkstudy settings`` and the app's Settings dialog.  Values are checked
by :class:`~nkstudy.core.study.schedule.Settings` itself; this module turns text into
values and back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nkstudy.core.study.schedule import Settings


@dataclass(frozen=True)
class SettingInfo:
    key: str  # the field of Settings (and the key of ``nkstudy settings``)
    label: str
    help: str
    parse: Callable[[str], Any]
    show: Callable[[Any], str]
    aliases: tuple[str, ...] = ()  # shorter names it may be given by, Anki's among them


def _number(text: str) -> float:
    try:
        return float(text.strip())
    except ValueError:
        raise ValueError(f"{text.strip()!r} is not a number") from None


def _whole(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise ValueError(f"{text.strip()!r} is not a whole number") from None


def _steps(text: str) -> tuple[int, ...]:
    """``1m 10m``, ``1 10``, ``1,10`` or ``1h`` (minutes, or hours with h); empty: no steps."""
    out = []
    for part in text.replace(",", " ").split():
        unit = 60 if part.lower().endswith("h") else 1
        digits = part.lower().removesuffix("h").removesuffix("m")
        try:
            out.append(int(digits) * unit)
        except ValueError:
            raise ValueError(f"{part!r} is not a step such as 10m or 1h") from None
    return tuple(out)


def _show_steps(steps: tuple[int, ...]) -> str:
    return " ".join(f"{m // 60}h" if m >= 60 and m % 60 == 0 else f"{m}m" for m in steps)


def _bool(text: str) -> bool:
    word = text.strip().casefold()
    if word in ("on", "true", "yes", "1"):
        return True
    if word in ("off", "false", "no", "0"):
        return False
    raise ValueError(f"{text.strip()!r} is not on or off")


SETTINGS: tuple[SettingInfo, ...] = (
    SettingInfo("desired_retention", "Desired retention", "0.70 to 0.99: how sure to be of recalling a card",
                _number, lambda v: f"{v:.2f}", ("retention",)),
    SettingInfo("new_per_day", "New cards a day", "how many new cards a day, over every pack", _whole, str,
                ("new", "new_cards", "new_cards_per_day")),
    SettingInfo("learning_steps_minutes", "Learning steps", "a new card's steps, such as 1m 10m",
                _steps, _show_steps, ("learning_steps", "steps")),
    SettingInfo("relearning_steps_minutes", "Relearning steps", "a forgotten card's steps, such as 10m",
                _steps, _show_steps, ("relearning_steps",)),
    SettingInfo("maximum_interval_days", "Maximum interval", "the longest interval, in days", _whole, str,
                ("maximum_interval", "max_interval")),
    SettingInfo("day_starts_hour", "Day starts at", "the hour (0 to 23, local time) a study day begins",
                _whole, str, ("day_starts", "next_day_starts_at")),
    SettingInfo("exact_spelling", "Exact spelling", "on: a one-letter slip in a typed answer is wrong",
                _bool, lambda v: "on" if v else "off", ("spelling",)),
    SettingInfo("leech_threshold", "Leech threshold", "lapses that make a card a leech (0: never)", _whole, str,
                ("leech",)),
)
BY_KEY = {s.key: s for s in SETTINGS}
#: every name a setting may be given by (its key and its aliases, as :func:`_name` writes them)
BY_NAME = {name: s for s in SETTINGS for name in (s.key, *s.aliases)}


def _name(text: str) -> str:
    """A setting's name as typed, in the table's form: any case, '-' or a space for '_'."""
    return "_".join(text.strip().casefold().replace("-", " ").split())


def setting(key: str) -> SettingInfo:
    """The setting named ``key``, by its key or an alias, in any case, with '-' for '_'
    (ValueError in one line: "did you mean" the closest, or the known ones)."""
    found = BY_NAME.get(_name(key))
    if found is not None:
        return found
    import difflib

    close = difflib.get_close_matches(_name(key), list(BY_NAME), n=1, cutoff=0.6)
    hint = f"; did you mean {BY_NAME[close[0]].key}?" if close else f" (settings: {', '.join(BY_KEY)})"
    raise ValueError(f"unknown setting {key!r}{hint}")


def changed(settings: Settings, key: str, text: str) -> Settings:
    """``settings`` with the setting ``key`` (or an alias) set from ``text`` (ValueError in one line
    when the value is refused)."""
    info = setting(key)
    key = info.key
    try:
        value = info.parse(text)
        return settings.with_changes(**{key: value})
    except (TypeError, ValueError) as exc:
        text = str(exc)
        raise ValueError(text if text.startswith(key) else f"{key}: {text}") from None


def shown(settings: Settings) -> dict[str, str]:
    """Every changeable setting as text, in the table's order."""
    return {s.key: s.show(getattr(settings, s.key)) for s in SETTINGS}


__all__ = ["BY_KEY", "BY_NAME", "SETTINGS", "SettingInfo", "changed", "setting", "shown"]
