"""The header every nkstudy screen shows, in the study app and the classroom apps alike."""

from __future__ import annotations

from textual.reactive import Reactive
from textual.widgets import Header as TextualHeader

#: the icon at the left of the header.  Textual's own (⭘) is in few fonts: a browser on
#: ``nkstudy serve`` drew a missing-glyph box for it, and so do many terminals' fonts.  '•' is in
#: Roboto Mono, the font the served page gives the terminal, and in the common monospace fonts.
HEADER_ICON = "•"


class Header(TextualHeader):
    """Textual's header with nkstudy's icon (:data:`HEADER_ICON`); use it for every screen's header."""

    icon: Reactive[str] = Reactive(HEADER_ICON)


__all__ = ["HEADER_ICON", "Header"]
