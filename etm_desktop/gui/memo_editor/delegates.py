"""Cell editors of the lines table: the action combo and code fields with completion."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QLineEdit, QStyledItemDelegate

from etm_desktop.gui.memo_editor.lookups import code_of
from etm_desktop.memos.draft import ACTION_TITLES, ACTIONS

POTENTIALS = ("", "S", "A", "B", "C")


class ActionDelegate(QStyledItemDelegate):
    """A combo of the Russian action titles; the model keeps the action code."""

    def createEditor(self, parent, option, index):  # noqa: N802 - Qt override
        combo = QComboBox(parent)
        for action in ACTIONS:
            combo.addItem(ACTION_TITLES[action], action)
        return combo

    def setEditorData(self, editor, index):  # noqa: N802
        position = editor.findData(index.data(Qt.ItemDataRole.EditRole))
        editor.setCurrentIndex(max(position, 0))

    def setModelData(self, editor, model, index):  # noqa: N802
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class PotentialDelegate(QStyledItemDelegate):
    """A combo of S / A / B / C (or none)."""

    def createEditor(self, parent, option, index):  # noqa: N802
        combo = QComboBox(parent)
        combo.addItems(POTENTIALS)
        return combo

    def setEditorData(self, editor, index):  # noqa: N802
        editor.setCurrentText(index.data(Qt.ItemDataRole.EditRole) or "")

    def setModelData(self, editor, model, index):  # noqa: N802
        model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)


class CodeDelegate(QStyledItemDelegate):
    """A line edit completing «code — name» over a shared list; the model keeps the code."""

    def __init__(self, choices: QStringListModel, parent=None):
        super().__init__(parent)
        self.choices = choices

    def createEditor(self, parent, option, index):  # noqa: N802
        editor = QLineEdit(parent)
        completer = QCompleter(self.choices, editor)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setMaxVisibleItems(15)
        editor.setCompleter(completer)
        return editor

    def setEditorData(self, editor, index):  # noqa: N802
        editor.setText(index.data(Qt.ItemDataRole.EditRole) or "")

    def setModelData(self, editor, model, index):  # noqa: N802
        model.setData(index, code_of(editor.text()), Qt.ItemDataRole.EditRole)
