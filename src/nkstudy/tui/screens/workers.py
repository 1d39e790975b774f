"""One place for worker errors, shared by every screen that runs a worker (study and classroom).

Database and file work runs in thread workers started with
``@work(thread=True, exclusive=True, exit_on_error=False)``.  When one fails,
Textual posts ``Worker.StateChanged`` (which does not bubble) to the node that
started it.  :class:`WorkerErrors` is the screen base that handles it: it
reports the error once, through :meth:`WorkerErrors.report_failure` (by default
one notification), and then calls :meth:`WorkerErrors.worker_failed`, where a
screen undoes what it set while waiting (a busy flag, a status line).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from textual import on
from textual.app import App
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from nkstudy.core.text import visible

ResultType = TypeVar("ResultType")

#: the title of the notification that reports a failed worker
FAILED = "Something went wrong"


def error_line(error: BaseException) -> str:
    """A worker's error as one line that is safe for the terminal (its type when it has no message)."""
    return visible(str(error) or type(error).__name__)


def notify_failure(app: App[Any], error: BaseException, *, timeout: float = 8) -> None:
    """Report ``error`` in one notification: one line, never markup, control characters shown."""
    app.notify(error_line(error), title=FAILED, severity="error", timeout=timeout, markup=False)


@dataclass
class DatabaseWaiting(Message):
    """The database stopped answering while a change was being sent (True: it is kept and retried), or it is
    back (False).  Posted from the worker's thread, by the store's ``on_wait`` callback."""

    waiting: bool


class WorkerErrors(Screen[ResultType]):
    """A screen whose workers' failures are reported in one place.

    Screens override :meth:`worker_failed` to undo a waiting state, and
    :meth:`report_failure` only to say it somewhere else than a notification.
    """

    #: seconds the failure notification stays
    ERROR_TIMEOUT: ClassVar[float] = 8

    @on(Worker.StateChanged)
    def _worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        if error is not None:
            self.report_failure(error)
        self.worker_failed(event.worker, error)

    def report_failure(self, error: BaseException) -> None:
        """Tell the user that a worker failed: one notification (screens may say it elsewhere instead)."""
        notify_failure(self.app, error, timeout=self.ERROR_TIMEOUT)

    def worker_failed(self, worker: Worker[Any], error: BaseException | None) -> None:
        """Called after the failure is reported: undo any 'busy' state (screens override this)."""
