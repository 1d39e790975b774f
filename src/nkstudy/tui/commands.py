"""The command palette (Ctrl+P): every action of the app and of the current screen."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

#: actions that work from anywhere: (name, help, app action)
GLOBAL_COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("Home", "Back to the list of packs", "home"),
    ("Study all packs", "Study what is due in every pack", "study_all"),
    ("Practise all packs", "Every question of every pack, without scheduling", "practice_all"),
    ("Stats", "Accuracy, calendar, forecast, retention and mastery", "stats"),
    ("Reader", "Read the articles behind the questions", "reader"),
    ("Timeline", "The visits in date order, 2011 → 2024", "timeline"),
    ("Settings", "Desired retention and new cards per day", "settings"),
    ("Switch profile", "Study as someone else, or create a profile", "profile"),
    ("Toggle dark/light theme", "Switch between the dark and the light theme", "toggle_theme"),
    ("Help", "Every key on every screen", "help"),
    ("Quit", "Leave nkstudy (your progress is already saved)", "quit"),
)


class NkCommands(Provider):
    """Offers the global actions plus every binding active on the current screen."""

    def _commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        app = self.app
        out: list[tuple[str, str, Callable[[], Any]]] = [
            (name, help_text, partial(app.run_action, f"app.{action}"))
            for name, help_text, action in GLOBAL_COMMANDS
        ]
        seen = {name.casefold() for name, _, _ in out}
        global_actions = {action for _, _, action in GLOBAL_COMMANDS}
        screen = self.screen
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.description or not active.enabled or binding.system:
                continue
            if binding.action.removeprefix("app.") in global_actions:
                continue  # already offered above, under its longer name
            name = f"{binding.description} ({screen.__class__.__name__.removesuffix('Screen')})"
            if binding.description.casefold() in seen or name.casefold() in seen:
                continue
            seen.add(name.casefold())
            shown_key = app.get_key_display(binding)
            out.append((name, f"key: {shown_key}", partial(active.node.run_action, binding.action)))
        return out

    async def discover(self) -> Hits:
        for name, help_text, run in self._commands():
            yield DiscoveryHit(name, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, run in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), run, help=help_text)
