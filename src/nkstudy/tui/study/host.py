"""What screens may ask of the app: its data and its navigation, as a typed base class.

Screens are typed against :class:`HostApp` instead of the concrete app, so no
screen imports the app module (which imports every screen).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App

from nkstudy.core.model import Pack
from nkstudy.core.study.session import StudyRequest

if TYPE_CHECKING:
    from nkstudy.engine import Engine


class HostApp(App[int]):
    """The app as its screens see it.  :class:`~nkstudy.tui.study.app.NkStudyApp` fills it in."""

    packs: list[Pack]
    data_dir: Path
    profile: str
    engine: Engine | None
    problems: list[str]
    user_keymap: dict[str, str]
    #: why progress cannot be kept (the database could not be opened), else None
    engine_problem: str | None

    def pack(self, pack_id: str | None) -> Pack | None:
        """The pack with this id (the first pack for None), or None."""
        for pack in self.packs:
            if pack.id == pack_id:
                return pack
        return self.packs[0] if pack_id is None and self.packs else None

    def report_error(self, error: BaseException | None) -> None:
        """Report a failed engine call (one notification) and remember it for the exit code."""
        raise NotImplementedError

    def start_study(self, request: StudyRequest, *, title: str | None = None, replace: bool = False) -> None:
        """Open a study session (``replace``: instead of the current screen)."""
        raise NotImplementedError

    def open_reader(self, pack_id: str | None = None, source_id: str | None = None,
                    excerpt: str | None = None) -> None:
        raise NotImplementedError

    def open_timeline(self) -> None:
        raise NotImplementedError
