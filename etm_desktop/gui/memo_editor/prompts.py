"""The editor's questions and messages (modal; tests replace these functions)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QInputDialog,
    QLineEdit,
    QMessageBox,
)


def inform(parent, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def warn(parent, title: str, text: str) -> None:
    QMessageBox.warning(parent, title, text)


def confirm(parent, title: str, text: str) -> bool:
    return QMessageBox.question(parent, title, text) == QMessageBox.StandardButton.Yes


def ask_override(parent, breaches: list[str]) -> str | None:
    """The reason to send a memo that breaks norms, or None (cancelled / empty)."""
    text = "Записка нарушает нормы:\n• {0}\n\nОтправить можно только с обоснованием:".format("\n• ".join(breaches))
    reason, accepted = QInputDialog.getMultiLineText(parent, "Обоснование отступления от норм", text)
    return reason.strip() or None if accepted else None


def _form(parent, title: str, rows: list[tuple[str, object]]) -> bool:
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    layout = QFormLayout(dialog)
    for label, widget in rows:
        layout.addRow(label, widget)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout.addRow(buttons)
    return dialog.exec() == QDialog.DialogCode.Accepted


def ask_approval(parent, steps: list[str]) -> tuple[str, str] | None:
    """(step, name) of one approval of the route."""
    combo, name = QComboBox(), QLineEdit()
    combo.addItems(steps)
    if not _form(parent, "Согласование", [("Шаг маршрута:", combo), ("Фамилия И.О.:", name)]):
        return None
    return (combo.currentText(), name.text().strip()) if name.text().strip() else None


def ask_reject(parent) -> tuple[str, str] | None:
    """(name, reason) of a rejection."""
    name, reason = QLineEdit(), QLineEdit()
    if not _form(parent, "Отклонение", [("Фамилия И.О.:", name), ("Причина:", reason)]):
        return None
    return (name.text().strip(), reason.text().strip()) if name.text().strip() and reason.text().strip() else None


def ask_date(parent, title: str, default: date) -> date | None:
    """A date (the day a memo is applied)."""
    edit = QDateEdit(QDate(default.year, default.month, default.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd.MM.yyyy")
    if not _form(parent, title, [("Дата:", edit)]):
        return None
    picked = edit.date()
    return date(picked.year(), picked.month(), picked.day())


def ask_save_path(parent, title: str, suggested: str, pattern: str) -> str | None:
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, pattern)
    return path or None
