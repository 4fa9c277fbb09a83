"""«Сотрудники»: the month's managers, filters, client base, breaches, a memo draft."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from sqlalchemy import func, or_, select

from etm_desktop.compliance.service import month_grid
from etm_desktop.db.models import Binding, Employee
from etm_desktop.gui.table_model import SEVERITY_COLOURS
from tests.gui.conftest import wait_idle

MONTH_END = date(2026, 11, 30)


@pytest.fixture
def tab(qtbot, gui_context):
    from etm_desktop.gui.tabs.employees import EmployeesTab

    widget = EmployeesTab(gui_context)
    qtbot.addWidget(widget)
    widget.show()
    wait_idle(qtbot, gui_context)
    return widget


def shown_ids(tab) -> list[str]:
    return [tab.proxy.index(r, 0).data() for r in range(tab.proxy.rowCount())]


def source_row(tab, tab_no: str) -> int:
    return next(i for i, r in enumerate(tab.model.rows) if r[0] == tab_no)


def test_loads_the_months_managers(tab, gui_context):
    grid = month_grid(gui_context.database, date(2026, 11, 1))
    assert tab.title == "Сотрудники"
    assert sorted(shown_ids(tab)) == sorted(m.id for m in grid.managers)
    assert "1029" not in shown_ids(tab)  # dismissed
    row = source_row(tab, "1006")
    column = tab.model.column_index("breaches")
    assert tab.model.rows[row][column] == 1
    brush = tab.model.data(tab.model.index(row, column), Qt.ItemDataRole.BackgroundRole)
    assert brush.color() == SEVERITY_COLOURS["breach"]
    message = next(m for m in grid.managers if m.id == "1006").breaches[0].message
    assert tab.model.data(tab.model.index(row, column), Qt.ItemDataRole.ToolTipRole) == message
    clean = source_row(tab, "1004")
    assert tab.model.data(tab.model.index(clean, column), Qt.ItemDataRole.BackgroundRole) is None
    assert tab.export_view() is tab.view and tab.view.objectName() == "employees_table"


def test_search_and_combo_filters(tab, gui_context):
    grid = month_grid(gui_context.database, date(2026, 11, 1))
    tab.search.setText("Куликов")
    assert sorted(shown_ids(tab)) == sorted(m.id for m in grid.managers if "Куликов" in m.name)
    tab.search.setText("")
    tab.position.setCurrentText("НОП")
    assert sorted(shown_ids(tab)) == sorted(m.id for m in grid.managers if m.position == "НОП")
    tab.position.setCurrentText("Все")
    tab.specialization.setCurrentText("МРПП")
    expected = [m.id for m in grid.managers if m.specialization == "МРПП"]
    assert len(expected) > 1 and sorted(shown_ids(tab)) == sorted(expected)
    tab.position.setCurrentText("Старший группы")
    assert shown_ids(tab) == []
    tab.specialization.setCurrentText("Все")
    tab.position.setCurrentText("Все")
    assert tab.proxy.rowCount() == len(grid.managers)


def test_selecting_a_manager_shows_his_base_and_breaches(qtbot, tab, gui_context):
    with gui_context.database.session() as session:
        bound = session.scalar(select(func.count(Binding.id)).join(Employee, Employee.id == Binding.employee_id)
                               .where(Employee.tab_no == "1006", Binding.valid_from <= MONTH_END,
                                      or_(Binding.valid_to.is_(None), Binding.valid_to > MONTH_END)))
    assert tab.select_manager("1006")
    wait_idle(qtbot, gui_context)
    assert tab.selected_tab_no == "1006"
    assert tab.clients_model.rowCount() == bound > 40
    assert all("1006" in r[6] for r in tab.clients_model.rows)
    assert tab.breaches.count() == 1
    assert tab.breaches.item(0).data(Qt.ItemDataRole.UserRole) == "kb_size_max"
    assert tab.select_manager("1004")
    wait_idle(qtbot, gui_context)
    assert tab.breaches.item(0).text() == "Нарушений нет"


def test_new_memo_from_selected_clients(qtbot, tab, gui_context):
    tab.select_manager("1006")
    wait_idle(qtbot, gui_context)
    assert not tab.memo_button.isEnabled()
    selection = tab.clients_view.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for r in (0, 2):
        selection.select(tab.clients_proxy.index(r, 0), flags)
    codes = [tab.clients_proxy.index(r, 0).data() for r in (0, 2)]
    assert tab.memo_button.isEnabled()
    with qtbot.waitSignal(gui_context.state.memo_requested, timeout=2000) as blocker:
        tab.memo_button.click()
    draft = blocker.args[0]
    assert draft["date"] == date.today().isoformat()
    assert draft["lines"] == [{"action": "transfer", "client": c, "from": "1006"} for c in codes]


def test_month_change_reloads(qtbot, tab, gui_context):
    gui_context.state.set_month(date(2026, 10, 1))
    wait_idle(qtbot, gui_context)
    grid = month_grid(gui_context.database, date(2026, 10, 1))
    assert sorted(shown_ids(tab)) == sorted(m.id for m in grid.managers)


def test_models_pass_qtmodeltester(qtmodeltester, tab):
    tab.search.setText("ветеран")
    qtmodeltester.check(tab.proxy)
    qtmodeltester.check(tab.model)


def test_ctrl_f_focuses_the_search(qtbot, tab):
    tab.activateWindow()
    tab.view.setFocus()
    qtbot.keyClick(tab.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(tab.search.hasFocus, timeout=2000)
