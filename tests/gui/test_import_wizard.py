"""The import wizard: errors in a table and nothing changed; a good workbook imported with progress."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.gui.conftest import wait_idle
from tests.unit.test_exchange_support import base_sheets, write_book


def counts(database) -> tuple[int, int, int]:
    from etm_desktop.db.models import Binding, Client, Employee

    with database.session() as session:
        return tuple(session.scalar(select(func.count()).select_from(t)) for t in (Client, Binding, Employee))


@pytest.fixture
def bad_book(tmp_path):
    sheets = base_sheets()
    sheets["Сотрудники"][1][2] = "Космонавт"  # no such position
    sheets["Закрепления"][2][1] = "9999"  # no such employee
    return write_book(tmp_path / "bad.xlsx", sheets)


def open_dialog(qtbot, context):
    from etm_desktop.gui.import_wizard import ImportDialog

    dialog = ImportDialog(context)
    qtbot.addWidget(dialog)
    return dialog


def test_a_workbook_with_errors_shows_them_and_changes_nothing(qtbot, gui_context, bad_book, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QApplication, QFileDialog

    before = counts(gui_context.database)
    version = gui_context.database.data_version()
    changed = []
    gui_context.state.data_changed.connect(lambda: changed.append(True))
    dialog = open_dialog(qtbot, gui_context)
    dialog.show()
    dialog.start(str(bad_book))
    wait_idle(qtbot, gui_context)

    assert not dialog.error_panel.isHidden()
    assert dialog.error_label.text().startswith("Ничего не изменено: исправьте ошибки и повторите импорт")
    rows = dialog.error_model.rows
    assert len(rows) >= 2
    assert any(r[0] == "Сотрудники" and r[1] == 2 and r[3] == "Космонавт" for r in rows)
    assert any(r[0] == "Закрепления" and r[3] == "9999" for r in rows)
    assert [c.title for c in dialog.error_model.columns][-1] == "Что не так"
    assert counts(gui_context.database) == before
    assert gui_context.database.data_version() == version
    assert not changed and not dialog.imported

    dialog.copy_errors()
    copied = QApplication.clipboard().text().splitlines()
    assert copied[0] == "Лист\tСтрока\tСтолбец\tЗначение\tЧто не так"
    assert len(copied) == len(rows) + 1 and "Космонавт" in "\n".join(copied)

    target = tmp_path / "errors.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    dialog.save_errors()
    from python_calamine import CalamineWorkbook

    saved = CalamineWorkbook.from_path(str(target)).get_sheet_by_index(0).to_python()
    assert saved[0] == ["Лист", "Строка", "Столбец", "Значение", "Что не так"]
    assert len(saved) == len(rows) + 1
    dialog.finish()
    assert dialog.result() == dialog.DialogCode.Rejected


def test_a_good_workbook_is_imported_with_progress_to_the_total(qtbot, gui_context, empty_context, tmp_path):
    from etm_desktop.exchange.exporter import export_workbook

    book = tmp_path / "demo.xlsx"
    export_workbook(gui_context.database, book)
    expected = counts(gui_context.database)
    assert counts(empty_context.database)[0] == 0

    dialog = open_dialog(qtbot, empty_context)
    dialog.today = date(2026, 12, 3)
    seen = []
    original = dialog._progressed
    dialog._progressed = lambda done, total, stage: (seen.append((done, total)), original(done, total, stage))
    changed = []
    empty_context.state.data_changed.connect(lambda: changed.append(True))
    dialog.start(str(book))
    wait_idle(qtbot, empty_context, timeout=120_000)

    assert dialog.report is not None and dialog.report.changed and dialog.imported
    assert "Сотрудники" in dialog.summary.toPlainText()
    assert not dialog.summary.isHidden() and dialog.error_panel.isHidden()
    assert seen and seen[-1][0] == seen[-1][1]
    assert dialog.progress.value() == dialog.progress.maximum() == seen[-1][1]
    assert changed == [True]
    clients, _bindings, employees = counts(empty_context.database)
    assert (clients, employees) == (expected[0], expected[2])
    dialog.finish()
    assert dialog.result() == dialog.DialogCode.Accepted


def test_choose_file_uses_the_file_dialog_and_cancel_does_nothing(qtbot, gui_context, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    dialog = open_dialog(qtbot, gui_context)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: ("", ""))
    dialog.choose_file()
    assert not gui_context.runner.busy and dialog.path_edit.text() == ""


def test_export_writes_the_workbook_and_reports_in_the_status_bar(qtbot, gui_context, tmp_path):
    from PySide6.QtWidgets import QMainWindow

    from etm_desktop.gui.import_wizard import run_export

    window = QMainWindow()
    qtbot.addWidget(window)
    target = tmp_path / "out.xlsx"
    progress = run_export(gui_context, window, str(target))
    wait_idle(qtbot, gui_context, timeout=120_000)
    assert target.stat().st_size > 0
    assert str(target) in window.statusBar().currentMessage()
    assert not progress.isVisible()
