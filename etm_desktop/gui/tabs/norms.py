"""«Нормы»: the norm sets with their effective dates, the values of one, and a new set from a date."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from etm_desktop.access import Action
from etm_desktop.gui.access import permit
from etm_desktop.gui.table_model import Column, RowsModel
from etm_desktop.gui.tabs.base import Tab, make_table_view
from etm_desktop.gui.tabs.norm_editor import NormSetEditor
from etm_desktop.norms.edit_rows import HEADER_KEYS, value_text
from etm_desktop.norms.store import norms_stamp
from etm_desktop.queries.grid_drill import norm_documents

SECTION_TITLES = {"common": "Общие нормы", "heads": "Руководители", "spec": "Специализации"}


def in_force_index(documents: list[dict], day: date) -> int | None:
    """Index of the set in force on ``day`` (documents are oldest first)."""
    found = None
    for index, document in enumerate(documents):
        if date.fromisoformat(str(document["effective_from"])) <= day:
            found = index
    return found


class NormsTab(Tab):
    """The norm sets; a change is always a new complete set from a date."""

    title = "Нормы"

    def __init__(self, context, parent=None):
        super().__init__(context, parent)
        self.documents: list[dict] = []
        self.stamp: str | None = None  # the sets as loaded: a new set is refused if they changed since
        self.current: int | None = None
        self.model = RowsModel([Column("effective_from", "Действует с", "date"), Column("name", "Название"),
                                Column("state", "Состояние"), Column("note", "Примечание")], self)
        self.view = make_table_view(self, name="norm_sets_table")
        self.view.setSortingEnabled(False)
        self.view.setSelectionMode(self.view.SelectionMode.SingleSelection)
        self.view.setModel(self.model)
        self.view.selectionModel().currentRowChanged.connect(lambda current, _previous: self.show_set(current.row()))
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("norm_values_tree")
        self.tree.setHeaderLabels(["Норма", "Значение"])
        self.tree.setColumnWidth(0, 320)
        self.new_button = QPushButton("Новый набор с даты…", self)
        self.new_button.clicked.connect(self.new_set)
        self.new_button.setEnabled(False)
        explanation = QLabel("Месяц оценивается по набору норм, действующему в его последний день. Нормы прошедших "
                             "месяцев не правятся: изменение вводится новым полным набором с даты.", self)
        explanation.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(explanation, 1)
        bar.addWidget(self.new_button)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.view)
        splitter.addWidget(self.tree)
        splitter.setSizes([200, 500])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)

    def reload(self) -> None:
        super().reload()
        database = self.context.database
        # the stamp first: a set stored in between makes it older than the documents (a false alarm
        # at worst), never newer (a silent overwrite)
        self.context.runner.run(lambda: (norms_stamp(database), norm_documents(database)), on_done=self._loaded)

    def _loaded(self, answer: tuple[str, list[dict]]) -> None:
        self.stamp, documents = answer
        self._show(documents)

    def _show(self, documents: list[dict]) -> None:
        self.documents = documents
        self.current = in_force_index(documents, date.today())
        rows = []
        for index, document in enumerate(documents):
            state = "действует" if index == self.current else ("будущий" if self.current is None
                                                               or index > self.current else "прежний")
            rows.append((date.fromisoformat(str(document["effective_from"])), document.get("name", ""), state,
                         document.get("note", "")))
        self.model.set_rows(rows)
        self.new_button.setEnabled(self.current is not None)
        permit(self.new_button, self.context, Action.NORMS_EDIT)
        if documents:
            self.view.selectRow(self.current if self.current is not None else len(documents) - 1)

    def show_set(self, row: int) -> None:
        """The values of one set as a read-only tree: sections, specializations, keys."""
        self.tree.clear()
        if not 0 <= row < len(self.documents):
            return
        document = self.documents[row]
        for key, value in document.items():
            if key in HEADER_KEYS:
                continue
            self.tree.addTopLevelItem(self._branch(SECTION_TITLES.get(key, key), value))
        self.tree.expandToDepth(1)

    def _branch(self, title: str, value) -> QTreeWidgetItem:
        if not isinstance(value, dict):
            return QTreeWidgetItem([title, value_text(value)])
        item = QTreeWidgetItem([title])
        for key, child in value.items():
            item.addChild(self._branch(key, child))
        return item

    def new_set(self) -> NormSetEditor | None:
        """Open the editor on the set in force today."""
        if self.current is None:
            return None
        dialog = NormSetEditor(self.context, self.documents[self.current], self, stamp=self.stamp)
        dialog.exec()  # a saved set emits data_changed, and this tab reloads
        return dialog

    def export_view(self):
        return self.view
