"""Qt tables over prepared rows: one model, one filter proxy, used by every list.

``RowsModel`` holds rows already computed by the core (tuples), formats them by
column kind in ``data()`` and gives the raw value for sorting. ``FilterProxy``
filters and sorts tens of thousands of rows per keystroke: the lower-cased text
of each row is prepared once, and the shown rows are a plain list of source rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractProxyModel, QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

RAW_ROLE = Qt.ItemDataRole.UserRole + 1  # the unformatted value (sorting, export, drill-down)
SEVERITY_COLOURS = {"breach": QColor("#FFC7CE"), "warning": QColor("#FFEB9C"), "ok": QColor("#C6EFCE")}
# roles as plain ints: Qt asks ~8 roles per cell when sizing columns, an enum comparison each costs
_DISPLAY, _RAW = int(Qt.ItemDataRole.DisplayRole), int(RAW_ROLE)
_ALIGNMENT, _BACKGROUND = int(Qt.ItemDataRole.TextAlignmentRole), int(Qt.ItemDataRole.BackgroundRole)
_CELL_ROLES = frozenset({_DISPLAY, _RAW, _ALIGNMENT, _BACKGROUND, int(Qt.ItemDataRole.ToolTipRole)})
_NUMERIC_KINDS = frozenset({"int", "float", "share", "money"})
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    kind: str = "text"  # text | int | float | share | date | money | bool
    tooltip: str = ""


def format_value(kind: str, value: Any) -> str:
    """How the analyst reads a value: Russian dates, shares in percent, thousands spaced."""
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return ""
    if kind == "date" and isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if kind == "share":
        return "{0:.1f}%".format(value * 100).replace(".", ",")
    if kind == "money":
        return "{0:,.0f}".format(value).replace(",", "\u00a0")
    if kind == "float":
        return "{0:g}".format(round(value, 2)).replace(".", ",")
    if kind == "bool":
        return "да" if value else "нет"
    return str(value)


class RowsModel(QAbstractTableModel):
    """A read-only table of prepared rows (tuples in column order)."""

    def __init__(self, columns: Sequence[Column], parent=None):
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[tuple] = []
        self.severity: Callable[[int, int], str | None] | None = None  # (row, column) → breach / warning / ok
        self.tooltip: Callable[[int, int], str | None] | None = None
        self.search_text: list[str] = []

    # -- content ----------------------------------------------------------------
    def set_rows(self, rows: Sequence[tuple], search_columns: Sequence[str] | None = None) -> None:
        """Replace every row; ``search_columns`` are the keys the text filter looks in."""
        self.beginResetModel()
        self.rows = list(rows)
        keys = search_columns or [c.key for c in self.columns]
        positions = [i for i, c in enumerate(self.columns) if c.key in keys]
        self.search_text = [" ".join(str(r[i]) for i in positions if r[i] is not None).lower() for r in self.rows]
        self.endResetModel()

    def column_index(self, key: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == key)

    def value(self, row: int, key: str) -> Any:
        return self.rows[row][self.column_index(key)]

    # -- Qt ---------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.columns[section].title
            if role == Qt.ItemDataRole.ToolTipRole:  # long titles are elided in narrow columns
                return self.columns[section].tooltip or self.columns[section].title
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        return self.cell(index.row(), index.column(), role)

    def cell(self, row: int, column: int, role=Qt.ItemDataRole.DisplayRole):
        """``data()`` of a cell by its row and column numbers (``FilterProxy`` calls it without indexes)."""
        if role not in _CELL_ROLES or not 0 <= row < len(self.rows):  # most roles Qt asks about: nothing
            return None
        value = self.rows[row][column]
        kind = self.columns[column].kind
        if role == _DISPLAY:
            return format_value(kind, value)
        if role == _RAW:
            return value
        if role == _ALIGNMENT:
            return _RIGHT if kind in _NUMERIC_KINDS else None
        if role == _BACKGROUND:
            if self.severity is None:
                return None
            level = self.severity(row, column)
            return QBrush(SEVERITY_COLOURS[level]) if level in SEVERITY_COLOURS else None
        return None if self.tooltip is None else self.tooltip(row, column)


class FilterProxy(QAbstractProxyModel):
    """Filtering and sorting of a ``RowsModel`` without a Python call per row from Qt.

    The shown rows are a list of source row numbers, computed in plain Python
    when the text, a predicate or the sort changes (one pass over prepared
    data); Qt then asks only about the rows on screen. On 30,000 rows a
    keystroke costs a few milliseconds, where ``QSortFilterProxyModel`` with a
    Python ``filterAcceptsRow`` costs one callback per row.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self._text = ""
        self._predicates: dict[str, Callable[[int], bool]] = {}
        self._rows: list[int] = []
        self._positions: dict[int, int] | None = None
        self._sort: tuple[int, Qt.SortOrder] | None = None

    # -- what is shown ------------------------------------------------------------
    def set_text(self, text: str) -> None:
        self._text = text.strip().lower()
        self._recompute()

    def set_predicate(self, name: str, predicate: Callable[[int], bool] | None) -> None:
        """Keep only source rows where ``predicate(row)`` is true (None removes it)."""
        if predicate is None:
            self._predicates.pop(name, None)
        else:
            self._predicates[name] = predicate
        self._recompute()

    def _recompute(self) -> None:
        model = self.sourceModel()
        if model is None:
            return
        words = self._text.split()
        predicates = list(self._predicates.values())
        count = model.rowCount()
        if not words and not predicates:
            rows = list(range(count))
        else:
            haystack = getattr(model, "search_text", None) or [""] * count
            rows = [i for i, text in enumerate(haystack)
                    if all(w in text for w in words) and all(p(i) for p in predicates)]
        self.beginResetModel()
        self._rows = self._sorted(rows)
        self._positions = None
        self.endResetModel()

    def _sorted(self, rows: list[int]) -> list[int]:
        if self._sort is None:
            return rows
        column, order = self._sort
        model = self.sourceModel()
        values = [row[column] for row in model.rows] if hasattr(model, "rows") else None
        if values is None:
            return rows

        def key(i: int):
            value = values[i]
            if value is None or value == "" or (isinstance(value, float) and value != value):
                return (1, "")  # empty last
            return (0, value.lower() if isinstance(value, str) else value)

        try:
            ordered = sorted(rows, key=key)
        except TypeError:  # mixed kinds in one column: compare as text
            ordered = sorted(rows, key=lambda i: (values[i] is None, str(values[i]).lower()))
        if order == Qt.SortOrder.DescendingOrder:
            ordered.reverse()
        return ordered

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = None if column < 0 else (column, order)
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        anchors = [(self._rows[i.row()], i.column()) for i in persistent]
        self._rows = self._sorted(list(self._rows)) if self._sort else sorted(self._rows)
        self._positions = None
        if persistent:
            self.changePersistentIndexList(persistent, [self.index(self._row_of(r), c) for r, c in anchors])
        self.layoutChanged.emit()

    def setSourceModel(self, model) -> None:  # noqa: N802 - Qt override
        self.beginResetModel()
        super().setSourceModel(model)
        model.modelReset.connect(self._recompute)
        self._rows = list(range(model.rowCount()))
        self._positions = None
        self.endResetModel()

    def source_rows(self) -> list[int]:
        """Source row numbers of what is shown, in the shown order (for export and actions)."""
        return list(self._rows)

    def _row_of(self, source_row: int) -> int:
        if self._positions is None:
            self._positions = {s: i for i, s in enumerate(self._rows)}
        return self._positions.get(source_row, -1)

    # -- QAbstractProxyModel ------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        model = self.sourceModel()
        return 0 if parent.isValid() or model is None else model.columnCount()

    def index(self, row: int, column: int, parent: QModelIndex = QModelIndex()) -> QModelIndex:
        if parent.isValid() or not (0 <= row < len(self._rows)) or not (0 <= column < self.columnCount()):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, index: QModelIndex = QModelIndex()) -> QModelIndex:  # noqa: A003 - Qt's name
        return QModelIndex()

    def mapToSource(self, proxy_index: QModelIndex) -> QModelIndex:  # noqa: N802
        if not proxy_index.isValid() or proxy_index.row() >= len(self._rows):
            return QModelIndex()
        return self.sourceModel().index(self._rows[proxy_index.row()], proxy_index.column())

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        """The source's cell, asked for directly: Qt's own ``data()`` would call the Python ``mapToSource``
        and the source's ``index()`` for each role (sizing columns to contents asks ~8 roles per cell)."""
        model = self.sourceModel()
        cell = getattr(model, "cell", None)
        if cell is None:
            return super().data(index, role)
        row = index.row()
        if not index.isValid() or row >= len(self._rows):
            return None
        return cell(self._rows[row], index.column(), role)

    def mapFromSource(self, source_index: QModelIndex) -> QModelIndex:  # noqa: N802
        if not source_index.isValid():
            return QModelIndex()
        row = self._row_of(source_index.row())
        return QModelIndex() if row < 0 else self.createIndex(row, source_index.column())

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Vertical:
            return section + 1 if role == Qt.ItemDataRole.DisplayRole else None
        return self.sourceModel().headerData(section, orientation, role) if self.sourceModel() else None
