"""«Соответствие нормам»: the managers × norms grid of the chosen month, with drill-down, Excel and print."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSizePolicy, QVBoxLayout

from etm_desktop.compliance.result import NORM_CODES, NORM_TITLES, Grid
from etm_desktop.gui.dialogs import show_error
from etm_desktop.gui.table_model import FilterProxy, RowsModel
from etm_desktop.gui.tabs.base import Tab, make_table_view
from etm_desktop.gui.tabs.compliance_parts import (
    FIXED_COLUMNS,
    NORM_COLUMNS,
    DrillDialog,
    cell,
    cell_tooltip,
    grid_html,
    row_values,
)
from etm_desktop.queries.grid_drill import grid_with_readings
from etm_desktop.reports.grid_xlsx import write_grid_xlsx

FIRST_NORM = len(FIXED_COLUMNS)


class ComplianceTab(Tab):
    """The compliance grid of the context month (the window's month picker)."""

    title = "Соответствие нормам"

    def __init__(self, context, parent=None):
        super().__init__(context, parent)
        self.grid: Grid | None = None
        self.readings: dict[str, tuple[str, ...]] = {}
        self._generation = 0
        self.caption = QLabel(self)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Поиск: таб. номер, ФИО, ОП…")
        self.export_button = QPushButton("Экспорт в Excel…", self)
        self.print_button = QPushButton("Печать…", self)
        self.model = RowsModel(FIXED_COLUMNS + NORM_COLUMNS, self)
        self.model.severity = self._severity
        self.model.tooltip = self._tooltip
        self.proxy = FilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = make_table_view(self, name="compliance_grid")
        self.view.setModel(self.proxy)
        self.summary = QLabel(self)
        self.summary.setObjectName("compliance_summary")
        for label in (self.caption, self.summary):  # long texts wrap instead of widening the window
            label.setWordWrap(True)
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        bar = QHBoxLayout()
        bar.addWidget(self.caption)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.export_button)
        bar.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.summary)

        self.search.textChanged.connect(self.proxy.set_text)
        self.view.doubleClicked.connect(self.open_drill)
        self.export_button.clicked.connect(self.ask_export)
        self.print_button.clicked.connect(self.print_grid)
        self._set_enabled(False)

    # -- loading ----------------------------------------------------------------
    def reload(self) -> None:
        super().reload()
        self._generation += 1
        generation, database, month = self._generation, self.context.database, self.context.state.month
        self.caption.setText("Месяц: {0:%m.%Y} — загрузка…".format(month))
        self.context.runner.run(lambda: grid_with_readings(database, month),
                                on_done=lambda result: self._show(generation, *result),
                                on_error=lambda error: self._failed(generation, error))

    def _show(self, generation: int, grid: Grid, readings: dict) -> None:
        if generation != self._generation:
            return  # a newer month was asked for meanwhile
        self.grid, self.readings = grid, readings
        self.model.set_rows([row_values(row) for row in grid.managers])
        self.caption.setText("Месяц: {0:%m.%Y}; набор норм: {1}".format(grid.month, grid.norm_set))
        with_breaches = sum(1 for row in grid.managers if any(b.severity == "breach" for b in row.breaches))
        with_warnings = sum(1 for row in grid.managers if row.breaches
                            and all(b.severity == "warning" for b in row.breaches))
        self.summary.setText(
            "Сотрудников: {0}; с нарушениями: {1}; только с предупреждениями: {2}; чёрный список: {3}; "
            "автооткрепление: {4}; просроченное перезакрепление: {5}".format(
                len(grid.managers), with_breaches, with_warnings, len(grid.blacklist), len(grid.auto_unbind),
                len(grid.overdue_rebinding)))
        self._set_enabled(True)

    def _failed(self, generation: int, error: Exception) -> None:
        if generation != self._generation:
            return
        self.grid = None
        self.model.set_rows([])
        self.caption.setText("Месяц: {0:%m.%Y} — сетка не построена".format(self.context.state.month))
        self.summary.setText(str(error))
        self._set_enabled(False)

    def _set_enabled(self, enabled: bool) -> None:
        self.export_button.setEnabled(enabled)
        self.print_button.setEnabled(enabled)

    # -- cells ------------------------------------------------------------------
    def _norm_at(self, row: int, column: int):
        if self.grid is None or column < FIRST_NORM or row >= len(self.grid.managers):
            return None, None
        return self.grid.managers[row], NORM_CODES[column - FIRST_NORM]

    def _severity(self, row: int, column: int) -> str | None:
        manager, norm = self._norm_at(row, column)
        return cell(manager, norm)[1] if manager is not None else None

    def _tooltip(self, row: int, column: int) -> str | None:
        manager, norm = self._norm_at(row, column)
        if manager is None:
            return None
        readings = self.readings.get(manager.specialization or "", ())
        return cell_tooltip(manager, norm, self.grid.norm_set, readings)

    def drill_codes(self, proxy_index) -> tuple[str, tuple[str, ...]] | None:
        """(title, client codes) behind a cell, or None when it has no clients."""
        source = self.proxy.mapToSource(proxy_index)
        manager, norm = self._norm_at(source.row(), source.column())
        if manager is None:
            return None
        codes = tuple(dict.fromkeys(c for b in cell(manager, norm)[2] for c in b.clients))
        if not codes:
            return None
        return "{0} — {1} ({2})".format(NORM_TITLES[norm], manager.name, manager.id), codes

    def open_drill(self, proxy_index) -> DrillDialog | None:
        """Show the clients behind the double-clicked number."""
        found = self.drill_codes(proxy_index)
        if found is None:
            return None
        dialog = DrillDialog(self.context, found[0], found[1], self)
        dialog.setModal(False)
        dialog.show()
        return dialog

    # -- output -----------------------------------------------------------------
    def ask_export(self) -> None:
        if self.grid is None:
            return
        name = "Соответствие нормам {0:%Y-%m}.xlsx".format(self.grid.month)
        path, _ = QFileDialog.getSaveFileName(self, "Экспорт сетки в Excel", name, "Excel (*.xlsx)")
        if path:
            self.export_xlsx(path)

    def export_xlsx(self, path: str) -> None:
        """Write the grid, formatted as on screen, in the background."""
        grid = self.grid
        self.context.runner.run(
            lambda: write_grid_xlsx(grid, path),
            on_done=lambda written: self.summary.setText("Сетка записана: {0}".format(written)),
            on_error=lambda error: show_error(self, "Экспорт в Excel", "Не удалось записать файл:\n{0}".format(
                error)))

    def print_grid(self) -> None:
        """The print dialog, then the grid as an HTML table."""
        if self.grid is None:
            return
        from PySide6.QtGui import QPageLayout
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageOrientation(QPageLayout.Orientation.Landscape)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Печать сетки нормативов")
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer) -> None:
        """Render the grid as an HTML table onto ``printer`` (a QPrinter)."""
        from PySide6.QtGui import QTextDocument

        document = QTextDocument(self)
        document.setHtml(grid_html(self.grid))
        document.print_(printer)

    def export_view(self):
        return self.view
