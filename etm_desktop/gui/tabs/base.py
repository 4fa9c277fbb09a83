"""What every tab shares: lazy reload when shown, a table view, Excel export of what is on screen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from etm_desktop.gui.context import AppContext


class Tab(QWidget):
    """A tab reloads its data only when shown and stale (hidden views are never refreshed)."""

    title = ""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self._stale = True
        context.state.data_changed.connect(self.mark_stale)
        context.state.month_changed.connect(lambda _month: self.mark_stale())

    def mark_stale(self) -> None:
        self._stale = True
        if self.isVisible():
            self.reload()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._stale:
            self.reload()

    def reload(self) -> None:
        """Start loading (in the background); subclasses call ``super().reload()`` first."""
        self._stale = False

    def export_view(self) -> QTableView | None:
        """The table whose visible rows "Экспорт в Excel" writes (None: nothing to export)."""
        return None


def make_table_view(parent: QWidget | None = None, *, name: str = "") -> QTableView:
    """A sortable, selectable table view configured the same way everywhere."""
    view = QTableView(parent)
    view.setObjectName(name)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setDefaultSectionSize(22)
    view.verticalHeader().setVisible(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    return view
