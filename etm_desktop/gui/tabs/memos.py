"""Tab 3, «Служебные записки»: the list of memos by state, and the memo editor."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QStackedWidget, QVBoxLayout, QWidget,
)

from etm_desktop.gui.memo_editor import MemoEditor
from etm_desktop.gui.table_model import Column, FilterProxy, RowsModel
from etm_desktop.gui.tabs.base import Tab, make_table_view
from etm_desktop.memos.store import MemoStatus, list_memos

COLUMNS = (Column("number", "Номер"), Column("date", "Дата", "date"), Column("state", "Состояние"),
           Column("author", "Автор"), Column("lines", "Строк", "int"))
STATES = ("все", MemoStatus.DRAFT, MemoStatus.SUBMITTED, MemoStatus.APPROVED, MemoStatus.APPLIED,
          MemoStatus.REJECTED, MemoStatus.WITHDRAWN)


class MemosTab(Tab):
    """The memo list on one page, the editor on the other."""

    title = "Служебные записки"

    def __init__(self, context, parent=None):
        super().__init__(context, parent)
        self.model = RowsModel(COLUMNS, self)
        self.proxy = FilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.stack = QStackedWidget(self)
        self.list_page = self._build_list()
        self.editor = MemoEditor(context, self)
        self.editor.closed.connect(self.show_list)
        self.stack.addWidget(self.list_page)
        self.stack.addWidget(self.editor)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        context.state.memo_requested.connect(self.open_draft)

    def _build_list(self) -> QWidget:
        page = QWidget(self)
        self.state_combo = QComboBox(page)
        self.state_combo.setObjectName("memo_state_filter")
        self.state_combo.addItems(STATES)
        self.state_combo.currentTextChanged.connect(self._filter_state)
        self.search = QLineEdit(page)
        self.search.setObjectName("memo_search")
        self.search.setPlaceholderText("Поиск: номер, автор…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_text)
        new_button, open_button = QPushButton("Новая", page), QPushButton("Открыть", page)
        new_button.setShortcut(QKeySequence("Ctrl+N"))
        new_button.clicked.connect(lambda: self.new_memo())
        open_button.clicked.connect(self.open_selected)
        self.count = QLabel(page)
        bar = QHBoxLayout()
        for widget in (QLabel("Состояние:", page), self.state_combo, self.search, new_button, open_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.count)
        self.view = make_table_view(page, name="memos")
        self.view.setModel(self.proxy)
        self.view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        self.view.doubleClicked.connect(lambda _index: self.open_selected())
        enter = QAction(self.view)
        enter.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])
        enter.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        enter.triggered.connect(self.open_selected)
        self.view.addAction(enter)
        layout = QVBoxLayout(page)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        return page

    # -- data -------------------------------------------------------------------
    def reload(self) -> None:
        super().reload()
        database = self.context.database
        self.context.runner.run(lambda: list_memos(database), on_done=self._show_rows)

    def _show_rows(self, rows) -> None:
        self.model.set_rows(rows, search_columns=["number", "author", "state"])
        self.count.setText("Записок: {0}".format(self.proxy.rowCount()))

    def _filter_state(self, text: str) -> None:
        column = self.model.column_index("state")
        self.proxy.set_predicate(
            "state", None if text == STATES[0] else (lambda row: self.model.rows[row][column] == text))
        self.count.setText("Записок: {0}".format(self.proxy.rowCount()))

    def shown_numbers(self) -> list[str]:
        """Numbers of the memos shown (after filters), in the shown order."""
        return [self.model.rows[row][0] for row in self.proxy.source_rows()]

    def state_of(self, number: str) -> str | None:
        return next((row[2] for row in self.model.rows if row[0] == number), None)

    def export_view(self):
        return self.view if self.stack.currentWidget() is self.list_page else None

    # -- navigation -------------------------------------------------------------
    def show_list(self) -> None:
        self.stack.setCurrentWidget(self.list_page)
        if self._stale:
            self.reload()

    def new_memo(self) -> None:
        self.editor.new_memo()
        self.stack.setCurrentWidget(self.editor)

    def open_selected(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self.open_memo(self.model.rows[self.proxy.mapToSource(index).row()][0])

    def open_memo(self, number: str) -> None:
        self.editor.open_memo(number)
        self.stack.setCurrentWidget(self.editor)

    def open_draft(self, data: dict) -> None:
        """``memo_requested``: a new draft pre-filled from another tab."""
        self.editor.open_draft(dict(data))
        self.stack.setCurrentWidget(self.editor)
