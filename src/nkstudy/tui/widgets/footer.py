"""Textual's footer, rebuilt only when the keys it shows change.

Textual's ``Footer`` composes all its key widgets again whenever the screen's
bindings are signalled as updated, which happens on every change of focus, even when
the keys shown stay the same.  A drill mounts a new answer widget for each question
(and focuses it), so each answer rebuilt the footer twice or more: a good part of
the CPU an answer costs, which on a ``nkstudy serve`` host is paid once per visitor.
This footer compares what it would show with what it shows and keeps it when equal.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple[object, ...] | None = None

    def _keys(self) -> tuple[object, ...]:
        """Everything ``compose`` reads: the shown bindings, whether each is enabled, their labels."""
        app = self.app
        shown = tuple((b.key, b.action, b.description, b.group, enabled, tooltip, app.get_key_display(b))
                      for (_node, b, enabled, tooltip) in self.screen.active_bindings.values() if b.show)
        return (self._bindings_ready, self.show_command_palette, app.ENABLE_COMMAND_PALETTE, shown)

    async def recompose(self) -> None:
        if not self.is_attached:
            return
        keys = self._keys()
        if keys == self._shown:
            return
        self._shown = keys
        await super().recompose()
