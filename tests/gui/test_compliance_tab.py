"""«Соответствие нормам»: the grid on the small demo, colours, tooltips, drill-down, month change, Excel."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from etm_desktop.compliance.result import NORM_CODES
from etm_desktop.compliance.service import month_grid
from etm_desktop.gui.table_model import SEVERITY_COLOURS
from tests.gui.conftest import wait_idle


@pytest.fixture
def tab(qtbot, gui_context):
    from etm_desktop.gui.tabs.compliance import ComplianceTab

    widget = ComplianceTab(gui_context)
    qtbot.addWidget(widget)
    widget.show()
    wait_idle(qtbot, gui_context)
    return widget


def _cell(tab, tab_no: str, norm: str):
    model = tab.model
    row = next(i for i, values in enumerate(model.rows) if values[0] == tab_no)
    return model.index(row, 8 + NORM_CODES.index(norm))


def _colour(index):
    brush = index.data(Qt.ItemDataRole.BackgroundRole)
    return brush.color().name().upper() if brush is not None else None


def test_grid_shows_the_core_breaches_in_colour(tab, gui_context):
    grid = month_grid(gui_context.database, date(2026, 11, 1))
    assert tab.model.rowCount() == len(grid.managers)
    assert tab.objectName() != tab.view.objectName() and tab.view.objectName() == "compliance_grid"
    row = next(m for m in grid.managers if m.id == "1006")
    breach = next(b for b in row.breaches if b.norm == "kb_size_max")
    index = _cell(tab, "1006", "kb_size_max")
    assert index.data() == "{0} / {1}".format(int(breach.actual), int(breach.required))
    assert _colour(index) == SEVERITY_COLOURS["breach"].name().upper()
    met = _cell(tab, "1006", "kb_size_min")
    assert met.data() == "в норме"
    assert _colour(met) == SEVERITY_COLOURS["ok"].name().upper()
    absent = _cell(tab, "1006", "head_meetings")
    assert absent.data() == "" and _colour(absent) is None
    warning = _cell(tab, "1013", "territory")
    assert _colour(warning) == SEVERITY_COLOURS["warning"].name().upper()
    tooltip = index.data(Qt.ItemDataRole.ToolTipRole)
    assert breach.message in tooltip and grid.norm_set in tooltip
    assert "Прочтения" in tooltip  # the Универсальный readings of the set in force
    with_breaches = sum(1 for m in grid.managers if any(b.severity == "breach" for b in m.breaches))
    assert "Сотрудников: {0}; с нарушениями: {1}".format(len(grid.managers), with_breaches) in tab.summary.text()
    assert "чёрный список: {0}".format(len(grid.blacklist)) in tab.summary.text()
    assert tab.export_view() is tab.view


def test_drill_down_lists_the_clients_behind_the_number(tab, gui_context, qtbot):
    grid = month_grid(gui_context.database, date(2026, 11, 1))
    breach = next(b for b in next(m for m in grid.managers if m.id == "1028").breaches if b.norm == "forbidden_ckg")
    proxy_index = tab.proxy.mapFromSource(_cell(tab, "1028", "forbidden_ckg"))
    dialog = tab.open_drill(proxy_index)
    assert dialog is not None
    wait_idle(qtbot, gui_context)
    codes = [row[0] for row in dialog.model.rows]
    assert codes == list(dict.fromkeys(breach.clients))
    assert all(row[1] for row in dialog.model.rows)  # names from the database
    dialog.close()
    assert tab.open_drill(tab.proxy.mapFromSource(_cell(tab, "1006", "kb_size_min"))) is None


def test_month_change_reloads(tab, gui_context, qtbot):
    october = month_grid(gui_context.database, date(2026, 10, 1))
    gui_context.state.set_month(date(2026, 10, 1))
    wait_idle(qtbot, gui_context)
    assert tab.grid.month == date(2026, 10, 1)
    assert [r[0] for r in tab.model.rows] == [m.id for m in october.managers]
    assert "10.2026" in tab.caption.text()


def test_excel_export_has_every_manager(tab, gui_context, qtbot, tmp_path):
    import openpyxl

    path = tmp_path / "grid.xlsx"
    tab.export_xlsx(str(path))
    wait_idle(qtbot, gui_context)
    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert sheet.max_row - 1 == tab.model.rowCount()
    assert sheet.cell(1, 1).value == "Таб. номер"


def test_print_html_has_every_row_and_colour(tab):
    from etm_desktop.gui.tabs.compliance_parts import grid_html

    html = grid_html(tab.grid)
    assert html.count("<tr>") == len(tab.grid.managers) + 1
    assert "#FFC7CE" in html and "в норме" in html


def test_print_dialog_cancel_prints_nothing(tab, monkeypatch):
    from PySide6.QtPrintSupport import QPrintDialog

    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QPrintDialog.DialogCode.Rejected)
    tab.print_grid()


def test_print_to_a_pdf_printer(tab, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "grid.pdf"))
    tab.print_to(printer)
    assert (tmp_path / "grid.pdf").stat().st_size > 1000


def test_model_passes_the_model_tester(tab, qtmodeltester):
    qtmodeltester.check(tab.model)
