"""The memo's lines as an editable table; every edit goes through the undo stack."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush

from etm_desktop.gui.table_model import SEVERITY_COLOURS
from etm_desktop.memos.draft import ACTION_TITLES

KEY_ROLE = Qt.ItemDataRole.UserRole + 2  # the stored value (action code, not its title)


@dataclass(frozen=True)
class LineColumn:
    key: str
    title: str
    editable: bool = True


COLUMNS = (
    LineColumn("action", "Действие"),
    LineColumn("client", "Код клиента"),
    LineColumn("client_name", "Наименование", editable=False),
    LineColumn("from", "От кого"),
    LineColumn("to", "Кому"),
    LineColumn("head", "Головная"),
    LineColumn("potential", "Потенциал"),
    LineColumn("basis", "Основание"),
)
KEYS = tuple(c.key for c in COLUMNS if c.editable)


def blank_line(action: str = "transfer") -> dict:
    """A new empty line."""
    line = {key: "" for key in KEYS}
    line["action"] = action
    return line


def normalise(raw: dict) -> dict:
    """A line from interfaces.md JSON (``reason`` or ``basis``) as the model keeps it."""
    line = blank_line(str(raw.get("action") or "transfer"))
    for key in KEYS:
        if key == "action":
            continue
        value = raw.get(key)
        if key == "basis" and not value:
            value = raw.get("reason")
        line[key] = "" if value is None else str(value).strip()
    return line


class LinesModel(QAbstractTableModel):
    """Lines as dicts; ``setData`` pushes an undo command, commands call the ``raw_*`` methods."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.lines: list[dict] = []
        self.undo_stack = None  # QUndoStack, set by the editor
        self.read_only = False
        self.client_names: dict[str, str] = {}
        self.employee_names: dict[str, str] = {}
        self.highlight: dict[int, str] = {}  # line_no (1-based) → breach / warning
        self.notes: dict[int, list[str]] = {}  # line_no → problem messages (tooltips)

    # -- helpers ----------------------------------------------------------------
    def column_of(self, key: str) -> int:
        return next(i for i, c in enumerate(COLUMNS) if c.key == key)

    def to_json_lines(self) -> list[dict]:
        """The lines in interfaces.md JSON form (empty fields left out)."""
        out = []
        for line in self.lines:
            item = {"action": line["action"], "client": line["client"] or None}
            for key, target in (("from", "from"), ("to", "to"), ("head", "head"), ("potential", "potential"),
                                ("basis", "reason")):
                if line[key]:
                    item[target] = line[key]
            out.append(item)
        return out

    def set_marks(self, highlight: dict[int, str], notes: dict[int, list[str]]) -> None:
        """Colour the offending lines (from the last check)."""
        self.highlight, self.notes = dict(highlight), dict(notes)
        if self.lines:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.lines) - 1, len(COLUMNS) - 1),
                                  [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole])

    def set_names(self, clients: dict[str, str], employees: dict[str, str]) -> None:
        self.client_names, self.employee_names = clients, employees
        if self.lines:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.lines) - 1, len(COLUMNS) - 1),
                                  [Qt.ItemDataRole.DisplayRole])

    # -- raw changes (undo commands only) ---------------------------------------
    def raw_set(self, row: int, key: str, value: str) -> None:
        self.lines[row][key] = value
        first = self.index(row, 0)
        self.dataChanged.emit(first, self.index(row, len(COLUMNS) - 1))

    def raw_insert(self, row: int, lines: list[dict]) -> None:
        self.beginInsertRows(QModelIndex(), row, row + len(lines) - 1)
        self.lines[row:row] = [dict(line) for line in lines]
        self.endInsertRows()

    def raw_remove(self, row: int, count: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row + count - 1)
        del self.lines[row:row + count]
        self.endRemoveRows()

    def raw_replace(self, lines: list[dict]) -> None:
        self.beginResetModel()
        self.lines = [dict(line) for line in lines]
        self.endResetModel()

    # -- Qt ---------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section].title if 0 <= section < len(COLUMNS) else None
        return section + 1

    def flags(self, index: QModelIndex):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if COLUMNS[index.column()].editable and not self.read_only:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def _value(self, row: int, key: str) -> str:
        line = self.lines[row]
        if key == "client_name":
            return self.client_names.get(line["client"], "")
        return line[key]

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self.lines)):
            return None
        row, key = index.row(), COLUMNS[index.column()].key
        value = self._value(row, key)
        if role == Qt.ItemDataRole.DisplayRole:
            if key == "action":
                return ACTION_TITLES.get(value, value)
            if key in ("from", "to") and value in self.employee_names:
                return "{0} — {1}".format(value, self.employee_names[value])
            return value
        if role in (Qt.ItemDataRole.EditRole, KEY_ROLE):
            return value
        if role == Qt.ItemDataRole.BackgroundRole:
            level = self.highlight.get(row + 1)
            return QBrush(SEVERITY_COLOURS[level]) if level in SEVERITY_COLOURS else None
        if role == Qt.ItemDataRole.ToolTipRole:
            notes = self.notes.get(row + 1)
            return "\n".join(notes) if notes else None
        return None

    def setData(self, index: QModelIndex, value, role=Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or self.read_only:
            return False
        key = COLUMNS[index.column()].key
        if not COLUMNS[index.column()].editable:
            return False
        text = "" if value is None else str(value).strip()
        if text == self.lines[index.row()][key]:
            return False
        if self.undo_stack is None:
            self.raw_set(index.row(), key, text)
        else:
            from etm_desktop.gui.memo_editor.commands import SetCellCommand

            self.undo_stack.push(SetCellCommand(self, index.row(), key, text))
        return True
