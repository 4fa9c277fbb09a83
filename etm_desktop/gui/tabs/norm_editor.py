"""«Новый набор с даты…»: the current set's values as editable rows; saved as a new set, never in place."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from etm_desktop.gui.context import AppContext
from etm_desktop.norms.edit_rows import edit_rows, rebuild_document, value_text
from etm_desktop.memos.audit import current_user
from etm_desktop.norms.store import (
    RETROACTIVE_RULE, NormConflict, add_norm_set, earliest_new_set_date, norms_stamp,
)
from etm_desktop.queries.grid_drill import norm_documents

PATH_ROLE = Qt.ItemDataRole.UserRole + 1


def warn(parent, title: str, text: str) -> None:
    """A modal warning (tests replace it)."""
    QMessageBox.warning(parent, title, text)


class NormSetEditor(QDialog):
    """Edits a copy of ``document`` (the set in force today) and stores it as a new set from a date.

    ``stamp``: :func:`norms_stamp` of the sets the tab showed; when another analyst stored a
    set since, saving is refused, the values are reloaded and the analyst edits again.
    """

    def __init__(self, context: AppContext, document: dict, parent: QWidget | None = None,
                 today: date | None = None, stamp: str | None = None):
        super().__init__(parent)
        self.context = context
        self.base = document
        self.stamp = stamp
        today = today or date.today()
        current_from = date.fromisoformat(str(document["effective_from"]))
        self.today = today
        self.earliest = earliest_new_set_date(current_from, today)
        self.saved = None
        self.setWindowTitle("Новый набор норм с даты")
        self.resize(760, 640)
        start = max(self.earliest, date(today.year + today.month // 12, today.month % 12 + 1, 1))
        self.date_edit = QDateEdit(QDate(start.year, start.month, start.day), self)
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("dd.MM.yyyy")
        self.name_edit = QLineEdit(document.get("name", ""), self)
        self.note_edit = QLineEdit("", self)
        self.note_edit.setPlaceholderText("Что изменилось и на каком основании")
        form = QFormLayout()
        form.addRow("Действует с:", self.date_edit)
        form.addRow("Название:", self.name_edit)
        form.addRow("Примечание:", self.note_edit)
        rule = QLabel(RETROACTIVE_RULE, self)
        rule.setWordWrap(True)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("norm_editor_tree")
        self.tree.setHeaderLabels(["Норма", "Значение"])
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.itemDoubleClicked.connect(lambda item, _column: self._edit(item))
        self.leaves = self._fill(document)
        self.tree.expandToDepth(0)
        self.tree.setColumnWidth(0, 320)
        hint = QLabel("Двойной щелчок по значению — изменить. Числа — 0.35 или 0,35; списки — [\"ЭМО\", \"ПП\"] "
                      "или через запятую; флаги — true / false.", self)
        hint.setWordWrap(True)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("norm_editor_error")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #9C0006")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                   self)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("Сохранить набор")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Отмена")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(rule)
        layout.addWidget(self.tree, 1)
        layout.addWidget(hint)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    def _fill(self, document: dict) -> dict[tuple[str, ...], QTreeWidgetItem]:
        """One branch per section (common, heads, spec.<name> …), one editable leaf per value."""
        branches: dict[tuple[str, ...], QTreeWidgetItem] = {}
        leaves = {}
        for path, value in edit_rows(document):
            parent = None
            for depth in range(1, len(path)):
                key = path[:depth]
                if key not in branches:
                    branches[key] = QTreeWidgetItem([path[depth - 1]])
                    if parent is None:
                        self.tree.addTopLevelItem(branches[key])
                    else:
                        parent.addChild(branches[key])
                parent = branches[key]
            item = QTreeWidgetItem([path[-1], value_text(value)])
            item.setData(0, PATH_ROLE, path)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            item.setToolTip(0, ".".join(path))
            (parent.addChild(item) if parent is not None else self.tree.addTopLevelItem(item))
            leaves[path] = item
        return leaves

    def _edit(self, item: QTreeWidgetItem) -> None:
        if item.data(0, PATH_ROLE) is not None:
            self.tree.editItem(item, 1)

    def set_value(self, path: tuple[str, ...], text: str) -> None:
        """Put ``text`` as the value at ``path`` (tests, programmatic edits)."""
        self.leaves[path].setText(1, text)

    def chosen_date(self) -> date:
        value = self.date_edit.date()
        return date(value.year(), value.month(), value.day())

    def save(self) -> None:
        """Check the date here, then read the values back and store the set in the background."""
        start = self.chosen_date()
        originals = dict(edit_rows(self.base))
        edits = [(path, originals[path], item.text(1)) for path, item in self.leaves.items()]
        base, name, note, database = self.base, self.name_edit.text(), self.note_edit.text(), self.context.database
        who = current_user()
        today, stamp = self.today, self.stamp

        def store():
            document = rebuild_document(base, edits, effective_from=start, name=name, note=note)
            return add_norm_set(database, document, who=who, today=today, expected_stamp=stamp)

        self.error_label.setText("Сохранение…")
        self.save_button.setEnabled(False)
        self.context.runner.run(store, on_done=self._stored, on_error=self._refused)

    def _stored(self, view) -> None:
        self.saved = view
        self.error_label.setText("")
        self.context.state.data_changed.emit()
        self.accept()

    def _refused(self, error: Exception) -> None:
        self.save_button.setEnabled(True)
        self.error_label.setText("Набор не сохранён. {0}".format(error))
        if isinstance(error, NormConflict):
            warn(self, "Нормы изменены", str(error))
            self.reload()

    def reload(self) -> None:
        """The sets as stored now: the base set's fresh values replace the edits, the tab reloads."""
        database, effective_from = self.context.database, str(self.base["effective_from"])

        def load():
            return norms_stamp(database), norm_documents(database)

        self.context.runner.run(load, on_done=lambda answer: self._reloaded(*answer, effective_from))

    def _reloaded(self, stamp: str, documents: list[dict], effective_from: str) -> None:
        same = [d for d in documents if str(d["effective_from"]) == effective_from]
        if same:
            self.base = same[0]
        self.stamp = stamp
        self.tree.clear()
        self.leaves = self._fill(self.base)
        self.tree.expandToDepth(0)
        self.context.state.data_changed.emit()
