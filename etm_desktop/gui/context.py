"""The one object handed to every widget: the database, shared state, the worker.

No globals: a test builds an ``AppContext`` on its own database and hands it to
the widget under test (git-cola's way).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import QObject, QSettings, Signal

from etm_desktop.domain.calendar import last_completed_month, month_start
from etm_desktop.gui.worker import TaskRunner


class AppState(QObject):
    """What several tabs share: the judged month, and "the data changed"."""

    month_changed = Signal(object)  # date: first day of the month
    data_changed = Signal()  # after an import, a memo applied, norms added …
    memo_requested = Signal(object)  # dict: a memo draft in interfaces.md JSON form, to open in the editor

    def __init__(self, month: date | None = None):
        super().__init__()
        self._month = month_start(month or last_completed_month(date.today()))

    @property
    def month(self) -> date:
        return self._month

    def set_month(self, month: date) -> None:
        month = month_start(month)
        if month != self._month:
            self._month = month
            self.month_changed.emit(month)


@dataclass
class AppContext:
    database: object  # etm_desktop.db.database.Database
    state: AppState
    runner: TaskRunner
    settings: QSettings
    _access: object = field(default=None, repr=False)

    def access(self):
        """The current user's roles (``etm_desktop.access.Access``), read once per window."""
        if self._access is None:
            from etm_desktop.access import current_access

            self._access = current_access(self.database)
        return self._access

    @classmethod
    def create(cls, database, *, settings: QSettings | None = None, month: date | None = None) -> AppContext:
        return cls(database=database, state=AppState(month), runner=TaskRunner(),
                   settings=settings or QSettings("ETM", "ETM Desktop"))
