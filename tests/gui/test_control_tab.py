"""«Контроль»: the three control lists of the small demo and memos from a selection."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QDialog, QMessageBox

from etm_desktop.compliance.service import month_grid
from tests.gui.conftest import wait_idle


@pytest.fixture
def tab(qtbot, gui_context):
    from etm_desktop.gui.tabs.control import ControlTab

    widget = ControlTab(gui_context)
    qtbot.addWidget(widget)
    widget.show()
    wait_idle(qtbot, gui_context)
    return widget


def _select(page, predicate) -> list[tuple]:
    """Select the source rows matching ``predicate``; returns them."""
    chosen = []
    selection = page.view.selectionModel()
    selection.clearSelection()
    for r, values in enumerate(page.model.rows):
        if predicate(values):
            index = page.proxy.mapFromSource(page.model.index(r, 0))
            selection.select(index, QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
            chosen.append(values)
    return chosen


def test_lists_have_the_core_counts(tab, gui_context):
    grid = month_grid(gui_context.database, date(2026, 11, 1))
    assert tab.blacklist.model.rowCount() == len(grid.blacklist) > 0
    assert tab.auto_unbind.model.rowCount() == len(grid.auto_unbind) > 0
    assert tab.overdue.model.rowCount() == len(grid.overdue_rebinding) > 0
    names = {v.objectName() for v in (tab.blacklist.view, tab.auto_unbind.view, tab.overdue.view)}
    assert len(names) == 3
    overdue = {row[0]: row for row in tab.overdue.model.rows}
    assert overdue["1029"][1]  # a dismissed employee still named
    assert tab.export_view() is tab.blacklist.view


def test_overdue_memo_emits_the_distribution_draft(tab, gui_context, qtbot, monkeypatch):
    from etm_desktop.gui.tabs.control_parts import ProposalDialog

    shown = []

    def accept(dialog):
        shown.append(dialog.model.rowCount())
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ProposalDialog, "exec", accept)
    assert _select(tab.overdue, lambda row: row[0] == "1029")
    with qtbot.waitSignal(gui_context.state.memo_requested, timeout=30_000) as blocker:
        tab.memo_from_overdue()
    draft = blocker.args[0]
    assert draft["lines"] and all(line["from"] == "1029" for line in draft["lines"])
    assert shown and shown[0] == len(draft["lines"])


def test_overdue_dialog_cancel_emits_nothing(tab, gui_context, qtbot, monkeypatch):
    from etm_desktop.gui.tabs.control_parts import ProposalDialog

    monkeypatch.setattr(ProposalDialog, "exec", lambda dialog: QDialog.DialogCode.Rejected)
    emitted = []
    gui_context.state.memo_requested.connect(emitted.append)
    _select(tab.overdue, lambda row: row[0] == "1029")
    tab.memo_from_overdue()
    wait_idle(qtbot, gui_context)
    assert emitted == []


def test_auto_unbind_memo_keeps_only_the_selected_clients(tab, gui_context, qtbot):
    chosen = _select(tab.auto_unbind, lambda row: row[2] == tab.auto_unbind.model.rows[0][2])
    with qtbot.waitSignal(gui_context.state.memo_requested, timeout=30_000) as blocker:
        tab.memo_from_auto_unbind()
    draft = blocker.args[0]
    managers = {row[2] for row in chosen}
    assert draft["lines"] and {line["from"] for line in draft["lines"]} == managers
    assert all(line["action"] == "unbind" for line in draft["lines"])
    assert {row[0] for row in chosen} <= {line["client"] for line in draft["lines"]}
    assert len(draft["lines"]) < len(tab.auto_unbind.model.rows) or len(chosen) == len(tab.auto_unbind.model.rows)


def test_blacklist_memo_unbinds_the_selected_rows(tab, gui_context, qtbot):
    first = tab.blacklist.model.rows[0]
    _select(tab.blacklist, lambda row: row == first)
    with qtbot.waitSignal(gui_context.state.memo_requested, timeout=30_000) as blocker:
        tab.memo_from_blacklist()
    lines = blocker.args[0]["lines"]
    assert lines and lines[0]["client"] == first[0] and lines[0]["from"] == first[2]
    assert all(line["action"] == "unbind" and line["reason"].startswith("Чёрный список: ") for line in lines)


def test_no_selection_says_so(tab, monkeypatch):
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda *args: told.append(args[2]))
    tab.blacklist.view.selectionModel().clearSelection()
    tab.memo_from_blacklist()
    assert told and "Выделите" in told[0]


def test_month_change_reloads(tab, gui_context, qtbot):
    october = month_grid(gui_context.database, date(2026, 10, 1))
    gui_context.state.set_month(date(2026, 10, 1))
    wait_idle(qtbot, gui_context)
    assert tab.grid.month == date(2026, 10, 1)
    assert tab.blacklist.model.rowCount() == len(october.blacklist)
