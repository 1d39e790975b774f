"""What every screen that calls the engine shares: the engine, reloading, and the one place for worker errors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import ModalScreen

from nkstudy.tui.screens.workers import WorkerErrors
from nkstudy.tui.study.host import HostApp

if TYPE_CHECKING:
    from nkstudy.engine import Engine


class EngineScreen(WorkerErrors[None]):
    """A screen that calls the engine.

    Engine calls run in thread workers started on the screen; when one fails,
    :class:`~nkstudy.tui.screens.workers.WorkerErrors` reports it through the
    app's ``report_error`` (one notification, and the run's exit code becomes 1),
    then calls ``worker_failed``, which screens override to undo a busy state.
    """

    app: HostApp  # the one app these screens run in

    @property
    def engine(self) -> Engine | None:
        return self.app.engine

    def reload(self) -> None:
        """Load what the screen shows, when the engine is open (it may still be opening)."""
        if self.engine is not None:
            self.load(self.engine)
        elif self.app.engine_problem is not None:
            self.show_problem(self.app.engine_problem)

    def show_problem(self, problem: str) -> None:
        """Say, where the numbers would go, that there is no progress to show (screens override this)."""

    def load(self, engine: Engine) -> object:
        """Start the worker that loads the screen's data (screens with data override this)."""
        return None

    def report_failure(self, error: BaseException) -> None:
        self.app.report_error(error)


class EngineModal(EngineScreen, ModalScreen[None]):
    """A modal dialog over an open engine (it is only opened once the engine is)."""

    def __init__(self, engine: Engine) -> None:
        super().__init__()
        self._engine = engine

    @property
    def engine(self) -> Engine:
        return self._engine
