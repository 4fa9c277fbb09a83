"""«Экспорт в Excel» of a table exactly as it is on screen (visible rows, order, colours)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from etm_desktop.gui.table_model import RAW_ROLE, SEVERITY_COLOURS
from etm_desktop.reports.table_xlsx import write_table_xlsx


def export_table_view(view: QTableView, path: str, *, title: str = "") -> int:
    """Write the view's visible rows and columns; returns the number of rows written."""
    model = view.model()
    columns = [c for c in range(model.columnCount()) if not view.isColumnHidden(c)]
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in columns]
    colour_names = {colour.name().upper(): name for name, colour in SEVERITY_COLOURS.items()}
    rows, severities = [], []
    for r in range(model.rowCount()):
        values, levels = [], []
        for c in columns:
            index = model.index(r, c)
            raw = model.data(index, RAW_ROLE)
            values.append(raw if raw is not None else model.data(index))
            brush = model.data(index, Qt.ItemDataRole.BackgroundRole)
            levels.append(colour_names.get(brush.color().name().upper()) if brush is not None else None)
        rows.append(values)
        severities.append(levels)
    write_table_xlsx(path, headers, rows, severities, title=title)
    return len(rows)
