"""Pieces of the «Соответствие нормам» tab: cell texts, the drill-down dialog, the printable HTML."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from etm_desktop.compliance.result import MINIMUM_NORMS, NORM_CODES, NORM_TITLES, Breach, Grid, ManagerRow
from etm_desktop.gui.context import AppContext
from etm_desktop.gui.table_model import Column, RowsModel
from etm_desktop.gui.tabs.base import make_table_view
from etm_desktop.queries.grid_drill import CLIENT_HEADERS, client_rows
from etm_desktop.reports.grid_xlsx import COMPLIANT_TEXT, figure_text, norm_applies

FIXED_COLUMNS = (
    Column("id", "Таб. номер"), Column("name", "ФИО"), Column("position", "Должность"),
    Column("specialization", "Специализация"), Column("status", "Статус"), Column("office", "ОП"),
    Column("kb_size", "Размер КБ", "int"), Column("paying_share", "Доля платящих", "share"),
)
NORM_COLUMNS = tuple(Column(code, NORM_TITLES[code], "text", NORM_TITLES[code]) for code in NORM_CODES)


def cell(row: ManagerRow, norm: str) -> tuple[str, str | None, list[Breach]]:
    """(text, severity, breaches) of one grid cell, exactly as the engine judged it."""
    found = [b for b in row.breaches if b.norm == norm]
    if found:
        level = "breach" if any(b.severity == "breach" for b in found) else "warning"
        text = "; ".join("{0} / {1}".format(figure_text(norm, b.actual), figure_text(norm, b.required))
                         for b in found)
        return text, level, found
    if norm_applies(row, norm):
        return COMPLIANT_TEXT, "ok", []
    return "", None, []


def row_values(row: ManagerRow) -> tuple:
    """The table row of one manager: fixed columns, then one text per norm."""
    fixed = (row.id, row.name, row.position, row.specialization, row.status, row.office, row.kb_size,
             row.paying_share)
    return fixed + tuple(cell(row, code)[0] for code in NORM_CODES)


def cell_tooltip(row: ManagerRow, norm: str, norm_set: str, readings: tuple[str, ...]) -> str:
    """What the analyst reads over a cell: the message, actual vs required, the norm set and readings."""
    text, level, found = cell(row, norm)
    if level is None:
        return "{0}: к сотруднику не применяется".format(NORM_TITLES[norm])
    parts = ["<b>{0}</b>".format(escape(NORM_TITLES[norm]))]
    if not found:
        parts.append("В норме")
    for breach in found:
        kind = "Нарушение" if breach.severity == "breach" else "Допустимое отклонение"
        sign = "≥" if norm in MINIMUM_NORMS else "≤"
        parts.append("{0}: {1}".format(kind, escape(breach.message or "")))
        parts.append("Факт: {0}; норма: {1} {2}".format(
            figure_text(norm, breach.actual), sign, figure_text(norm, breach.required)))
        if breach.clients:
            parts.append("Клиентов: {0} (двойной щелчок — список)".format(len(breach.clients)))
    parts.append("Набор норм: {0}".format(escape(norm_set or "—")))
    if readings:
        parts.append("Прочтения регламента: " + escape("; ".join(readings)))
    return "<br>".join(parts)


class DrillDialog(QDialog):
    """The clients behind one number of the grid (loaded in the background)."""

    def __init__(self, context: AppContext, title: str, codes: tuple[str, ...], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(820, 420)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("{0}. Клиентов: {1}".format(title, len(codes))))
        self.model = RowsModel([Column("code", CLIENT_HEADERS[0]), Column("name", CLIENT_HEADERS[1]),
                                Column("ckg", CLIENT_HEADERS[2]), Column("potential", CLIENT_HEADERS[3]),
                                Column("territory", CLIENT_HEADERS[4])], self)
        self.view = make_table_view(self, name="compliance_drill_table")
        self.view.setModel(self.model)
        layout.addWidget(self.view)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        database = context.database
        context.runner.run(lambda: client_rows(database, codes), on_done=self.model.set_rows)


def grid_html(grid: Grid) -> str:
    """The grid as an HTML table with the screen's colours (for printing)."""
    colours = {"breach": "#FFC7CE", "warning": "#FFEB9C", "ok": "#C6EFCE"}
    head = "".join("<th>{0}</th>".format(escape(c.title)) for c in FIXED_COLUMNS + NORM_COLUMNS)
    body = []
    for row in grid.managers:
        values = row_values(row)
        cells = []
        for i, column in enumerate(FIXED_COLUMNS):
            value = values[i]
            if column.kind == "share" and value is not None:
                value = "{0:.1f}%".format(value * 100).replace(".", ",")
            cells.append("<td>{0}</td>".format(escape("" if value is None else str(value))))
        for code in NORM_CODES:
            text, level, _ = cell(row, code)
            style = ' bgcolor="{0}"'.format(colours[level]) if level else ""
            cells.append("<td{0}>{1}</td>".format(style, escape(text)))
        body.append("<tr>{0}</tr>".format("".join(cells)))
    return ("<h3>Соответствие нормам за {0:%m.%Y}</h3><p>Набор норм: {1}</p>"
            '<table border="1" cellspacing="0" cellpadding="2" style="font-size:7pt">'
            "<tr>{2}</tr>{3}</table>").format(grid.month, escape(grid.norm_set or ""), head, "".join(body))
