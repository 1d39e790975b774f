"""What every screen shares: the engine, the packs, and one place for worker errors."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState

if TYPE_CHECKING:
    from nkstudy.tui.app import NkStudyApp


class EngineScreen(Screen[Any]):
    """A screen that calls the engine.

    Engine calls run in thread workers started on the screen; when one fails,
    Textual posts ``Worker.StateChanged`` to the screen, and the one handler
    below turns the error into a notification.  No other code catches worker
    errors.
    """

    app: NkStudyApp

    @property
    def engine(self) -> Any:
        return self.app.engine

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.app.report_error(event.worker.error)
            self.worker_failed(event.worker)

    def worker_failed(self, worker: Worker) -> None:
        """Undo any 'busy' state after a failure (screens override this)."""


class EngineModal(EngineScreen, ModalScreen[Any]):
    """A modal dialog that calls the engine."""
