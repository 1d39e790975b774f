"""The command palette (Ctrl+P): the global commands plus every binding of the current screen."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from nkstudy.tui.keys import GLOBAL_COMMANDS


class NkCommands(Provider):
    """Offers :data:`~nkstudy.tui.keys.GLOBAL_COMMANDS` and the screen's active bindings."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        app = self.app
        out: list[tuple[str, str, Callable[[], object]]] = [
            (c.title, c.help, partial(app.run_action, f"app.{c.action}")) for c in GLOBAL_COMMANDS if c.palette
        ]
        seen = {c.title.casefold() for c in GLOBAL_COMMANDS}
        global_actions = {c.action for c in GLOBAL_COMMANDS}
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
            out.append((name, f"key: {shown_key}", partial(app.run_action, binding.action, active.node)))
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
