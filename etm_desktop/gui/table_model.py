"""Qt tables over prepared rows: one model, one filter proxy, used by every list.

``RowsModel`` holds rows already computed by the core (tuples), formats them by
column kind in ``data()`` and gives the raw value for sorting. ``FilterProxy``
filters tens of thousands of rows per keystroke: the lower-cased text of each
row is prepared once, and a filter change computes one boolean mask that
``filterAcceptsRow`` only looks up.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

RAW_ROLE = Qt.ItemDataRole.UserRole + 1  # the unformatted value (sorting, export, drill-down)
SEVERITY_COLOURS = {"breach": QColor("#FFC7CE"), "warning": QColor("#FFEB9C"), "ok": QColor("#C6EFCE")}


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
            if role == Qt.ItemDataRole.ToolTipRole and self.columns[section].tooltip:
                return self.columns[section].tooltip
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self.rows)):
            return None
        row, column = index.row(), index.column()
        value = self.rows[row][column]
        kind = self.columns[column].kind
        if role == Qt.ItemDataRole.DisplayRole:
            return format_value(kind, value)
        if role == RAW_ROLE:
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole and kind in ("int", "float", "share", "money"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and self.severity is not None:
            level = self.severity(row, column)
            return QBrush(SEVERITY_COLOURS[level]) if level in SEVERITY_COLOURS else None
        if role == Qt.ItemDataRole.ToolTipRole and self.tooltip is not None:
            return self.tooltip(row, column)
        return None


class FilterProxy(QSortFilterProxyModel):
    """Sorting on raw values; filtering by text and by named predicates, via a prepared mask."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSortRole(RAW_ROLE)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._text = ""
        self._predicates: dict[str, Callable[[int], bool]] = {}
        self._mask: list[bool] | None = None

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
        haystack = getattr(model, "search_text", [])
        predicates = list(self._predicates.values())
        if not words and not predicates:
            self._mask = None
        else:
            self._mask = [
                all(w in text for w in words) and all(p(i) for p in predicates)
                for i, text in enumerate(haystack)
            ]
        self.invalidateRowsFilter()

    def setSourceModel(self, model) -> None:  # noqa: N802 - Qt override
        super().setSourceModel(model)
        model.modelReset.connect(self._recompute)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:  # noqa: N802
        mask = self._mask
        return True if mask is None or source_row >= len(mask) else mask[source_row]

    def source_rows(self) -> list[int]:
        """Source row numbers of what is shown, in the shown order (for export and actions)."""
        return [self.mapToSource(self.index(r, 0)).row() for r in range(self.rowCount())]
