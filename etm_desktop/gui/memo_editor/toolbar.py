"""The editor's actions and shortcuts, wired in one place (git-cola's hotkeys)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QToolBar


SECOND_ROW = "approve"  # lifecycle and printing go on a second toolbar


def build_toolbar(editor) -> tuple[list[QToolBar], dict[str, QAction]]:
    """Two toolbars of the editor's actions; the actions by name (for enabling and tests)."""
    toolbars = [QToolBar(editor), QToolBar(editor)]
    undo = editor.undo_stack.createUndoAction(editor, "Отменить")
    undo.setShortcut(QKeySequence("Ctrl+Z"))
    redo = editor.undo_stack.createRedoAction(editor, "Повторить")
    redo.setShortcut(QKeySequence("Ctrl+Shift+Z"))
    lifecycle, printing = editor.lifecycle, editor.printing
    actions: dict[str, QAction] = {}
    for name, text, slot, shortcut in (
        ("add", "Добавить строку", editor.add_line, "Ctrl+Ins"),
        ("remove", "Удалить строки", editor.remove_selected, "Ctrl+Del"),
        ("undo", undo, None, None), ("redo", redo, None, None),
        ("save", "Сохранить", editor.save, "Ctrl+S"),
        ("submit", "Отправить на согласование", lifecycle.submit_interactive, None),
        ("approve", "Согласовать", lambda: lifecycle.approve(), None),
        ("reject", "Отклонить", lambda: lifecycle.reject(), None),
        ("withdraw", "Отозвать", lambda: lifecycle.withdraw(ask=True), None),
        ("apply", "Применить", lambda: lifecycle.apply(ask=True), None),
        ("preview", "Предпросмотр печати", printing.preview, None),
        ("print", "Печать", printing.print, "Ctrl+P"),
        ("pdf", "Сохранить PDF", lambda: printing.save_pdf(), None),
        ("docx", "Сохранить DOCX", lambda: printing.save_docx(), None),
    ):
        action = text if isinstance(text, QAction) else QAction(text, editor)
        if slot is not None:
            action.triggered.connect(lambda _=False, s=slot: s())
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        editor.addAction(action)
        toolbars[1 if name == SECOND_ROW or len(toolbars[1].actions()) else 0].addAction(action)
        actions[name] = action
    return toolbars, actions
