"""Undoable edits of the memo's lines (QUndoCommand; git-cola's do/undo objects)."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from etm_desktop.gui.memo_editor.lines_model import COLUMNS, LinesModel


class SetCellCommand(QUndoCommand):
    """One field of one line changed."""

    def __init__(self, model: LinesModel, row: int, key: str, value: str):
        title = next(c.title for c in COLUMNS if c.key == key)
        super().__init__("Строка {0}: {1}".format(row + 1, title))
        self.model, self.row, self.key = model, row, key
        self.old, self.new = model.lines[row][key], value

    def redo(self) -> None:
        self.model.raw_set(self.row, self.key, self.new)

    def undo(self) -> None:
        self.model.raw_set(self.row, self.key, self.old)


class InsertLinesCommand(QUndoCommand):
    """Lines added at ``row``."""

    def __init__(self, model: LinesModel, row: int, lines: list[dict]):
        super().__init__("Добавить строку" if len(lines) == 1 else "Добавить строки")
        self.model, self.row, self.lines = model, row, [dict(line) for line in lines]

    def redo(self) -> None:
        self.model.raw_insert(self.row, self.lines)

    def undo(self) -> None:
        self.model.raw_remove(self.row, len(self.lines))


class RemoveLinesCommand(QUndoCommand):
    """Lines removed (any rows, restored in place on undo)."""

    def __init__(self, model: LinesModel, rows: list[int]):
        super().__init__("Удалить строки")
        self.model = model
        self.removed = [(row, dict(model.lines[row])) for row in sorted(set(rows))]

    def redo(self) -> None:
        for row, _ in reversed(self.removed):
            self.model.raw_remove(row, 1)

    def undo(self) -> None:
        for row, line in self.removed:
            self.model.raw_insert(row, [line])


class ReplaceLinesCommand(QUndoCommand):
    """All lines replaced at once (pasted or set from outside)."""

    def __init__(self, model: LinesModel, lines: list[dict]):
        super().__init__("Заменить строки")
        self.model = model
        self.old, self.new = [dict(line) for line in model.lines], [dict(line) for line in lines]

    def redo(self) -> None:
        self.model.raw_replace(self.new)

    def undo(self) -> None:
        self.model.raw_replace(self.old)
