"""Live validation: re-run ``check_memo`` in the background, debounced, newest result wins."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from etm_desktop.memos.draft import MemoFormatError, parse_memo
from etm_desktop.memos.validation import check_memo

DEBOUNCE_MS = 300


class LiveChecker(QObject):
    """Call ``schedule()`` on every change; ``checked`` brings the check (as JSON) of the latest draft."""

    checked = Signal(object)  # dict: MemoCheck.to_json() plus "problems" with their "lines"
    invalid = Signal(str)  # the draft is not a memo yet (form error, Russian)
    failed = Signal(str)

    def __init__(self, context, draft_source: Callable[[], dict | None], parent=None):
        super().__init__(parent)
        self.context = context
        self.draft_source = draft_source
        self.generation = 0
        self.running = 0
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.check_now)

    @property
    def pending(self) -> bool:
        """True while a check is scheduled or running."""
        return self.timer.isActive() or self.running > 0

    def schedule(self) -> None:
        self.generation += 1  # results of earlier drafts are stale from now on
        self.timer.start()

    def cancel(self) -> None:
        self.generation += 1
        self.timer.stop()

    def check_now(self) -> None:
        """Start a check of the current draft at once."""
        self.timer.stop()
        self.generation += 1
        generation = self.generation
        data = self.draft_source()
        if data is None:
            return
        try:
            draft = parse_memo(data)
        except MemoFormatError as error:
            self.invalid.emit(str(error))
            return
        database = self.context.database
        self.running += 1
        self.context.runner.run(lambda: check_memo(database, draft).to_json(),
                                on_done=lambda result: self._finished(generation, result, None),
                                on_error=lambda error: self._finished(generation, None, error))

    def _finished(self, generation: int, result: dict | None, error: Exception | None) -> None:
        self.running -= 1
        if generation != self.generation:
            return  # a newer draft is on its way: drop this answer
        if error is not None:
            self.failed.emit(str(error))
        else:
            self.checked.emit(result)
