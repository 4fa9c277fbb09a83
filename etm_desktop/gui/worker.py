"""Running core services off the GUI thread, one at a time, with progress.

Database work is serialised on one worker thread (Anki's way). The core reports
progress through a plain callable; here it becomes a queued signal, so the
worker never touches a widget.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)  # the exception
    progress = Signal(int, int, str)


class _Task(QRunnable):
    def __init__(self, fn: Callable[..., Any], with_progress: bool):
        super().__init__()
        self.fn = fn
        self.with_progress = with_progress
        self.signals = _Signals()
        self.setAutoDelete(False)

    @Slot()
    def run(self) -> None:
        try:
            if self.with_progress:
                result = self.fn(lambda done, total, stage: self.signals.progress.emit(done, total, str(stage)))
            else:
                result = self.fn()
        except Exception as error:  # noqa: BLE001 - handed to the GUI thread as it is
            error.__traceback_text__ = traceback.format_exc()
            self.signals.failed.emit(error)
        else:
            self.signals.done.emit(result)


class TaskRunner(QObject):
    """Runs callables on one background thread; callbacks arrive on the GUI thread."""

    def __init__(self):
        super().__init__()
        self._pool = QThreadPool()
        self._pool.setMaxThreadCount(1)
        self._tasks: set[_Task] = set()

    def run(self, fn: Callable[..., Any], *, on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[Exception], None] | None = None,
            on_progress: Callable[[int, int, str], None] | None = None) -> None:
        """Run ``fn()`` (or ``fn(progress)`` when ``on_progress`` is given) in the background."""
        task = _Task(fn, with_progress=on_progress is not None)
        self._tasks.add(task)

        def finished(_=None):
            self._tasks.discard(task)

        if on_done is not None:
            task.signals.done.connect(on_done)
        if on_error is not None:
            task.signals.failed.connect(on_error)
        else:
            task.signals.failed.connect(_report_unhandled)
        if on_progress is not None:
            task.signals.progress.connect(on_progress)
        task.signals.done.connect(finished)
        task.signals.failed.connect(finished)
        self._pool.start(task)

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    def wait(self, msecs: int = 60_000) -> bool:
        """Block until the queue is empty (tests, shutdown)."""
        return self._pool.waitForDone(msecs)


def _report_unhandled(error: Exception) -> None:
    from etm_desktop.gui.dialogs import show_error
    from etm_desktop.user_errors import user_error_message

    message = user_error_message(error)
    if message is not None:  # the user's situation (a role, a colleague's lock): no traceback to show
        show_error(None, "Ошибка", message)
    else:
        show_error(None, "Ошибка", str(error), getattr(error, "__traceback_text__", ""))
