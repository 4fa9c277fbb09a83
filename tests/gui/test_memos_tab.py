"""Tab «Служебные записки»: the list by state, the editor in the tab, drafts from other tabs."""

from __future__ import annotations

import pytest

from etm_desktop.memos.store import MemoStatus
from tests.gui.conftest import wait_idle
from tests.gui.memo_helpers import DAY, record_dialogs, settle, transfer

pytestmark = pytest.mark.usefixtures("no_dialogs")


@pytest.fixture
def no_dialogs(monkeypatch):
    """No modal dialogs: what the editor would ask or show is recorded (answers set per test)."""
    return record_dialogs(monkeypatch)


@pytest.fixture
def tab(gui_context, qtbot):
    from etm_desktop.gui.tabs.memos import MemosTab

    widget = MemosTab(gui_context)
    qtbot.addWidget(widget)
    widget.show()
    settle(qtbot, gui_context, widget.editor)
    return widget


def test_title_and_empty_list(tab):
    assert tab.title == "Служебные записки"
    assert tab.stack.currentWidget() is tab.list_page
    assert tab.state_combo.count() == 7 and tab.state_combo.itemText(2) == "на согласовании"


def test_draft_through_the_gui_sees_the_breach_then_fixes_and_submits(tab, gui_context, qtbot, no_dialogs):
    """The issue's scenario: a breach is highlighted before submission; fixed, the memo goes for approval."""
    tab.new_memo()
    editor = tab.editor
    assert tab.stack.currentWidget() is editor
    editor.set_date(DAY)
    editor.add_line()
    editor.add_line()
    model = editor.model
    for row, (client, giver, receiver) in enumerate((("K001333", "1004", "1006"), ("K000372", "1004", "1005"))):
        for key, value in (("client", client), ("from", giver), ("to", receiver)):
            assert model.setData(model.index(row, model.column_of(key)), value)
    editor.subject_edit.setText("О перезакреплении клиентов")
    settle(qtbot, gui_context, editor)
    assert editor.highlighted_lines() == {1: "breach"}  # 1006 would hold 44 of at most 40
    assert "Куликов" in editor.problems()[0]["message"]

    editor.submit()  # without an override reason: refused
    settle(qtbot, gui_context, editor)
    assert "нарушает нормы" in no_dialogs["warn"][-1][1]
    assert editor.state == MemoStatus.DRAFT

    editor.view.selectRow(0)
    editor.remove_selected()  # drop the offending line
    settle(qtbot, gui_context, editor)
    assert editor.line_count() == 1 and editor.highlighted_lines() == {}
    assert editor.panel.status.text() == "Нарушений нет"
    editor.lifecycle.submit_interactive()
    settle(qtbot, gui_context, editor)
    assert editor.state == MemoStatus.SUBMITTED

    editor.closed.emit()
    wait_idle(qtbot, gui_context)
    assert tab.stack.currentWidget() is tab.list_page
    assert tab.shown_numbers() == [editor.number]
    assert tab.state_of(editor.number) == "на согласовании"
    tab.state_combo.setCurrentText(MemoStatus.DRAFT)
    assert tab.shown_numbers() == []
    tab.state_combo.setCurrentText(MemoStatus.SUBMITTED)
    assert tab.shown_numbers() == [editor.number]


def test_memo_requested_opens_the_editor_prefilled(tab, gui_context, qtbot):
    draft = {"date": "2026-12-03", "subject": "О перезакреплении клиентов",
             "lines": [transfer("K001333", "1004", "1005") | {"reason": "увольнение"},
                       transfer("K000372", "1004", "1005")]}
    gui_context.state.memo_requested.emit(draft)
    editor = tab.editor
    assert tab.stack.currentWidget() is editor
    assert editor.line_count() == 2 and editor.number is None
    assert editor.model.lines[0]["basis"] == "увольнение"
    assert editor.subject_edit.text() == "О перезакреплении клиентов"
    settle(qtbot, gui_context, editor)
    assert editor.panel.status.text() == "Нарушений нет"


def test_search_and_open_a_saved_memo(tab, gui_context, qtbot):
    from etm_desktop.memos.draft import parse_memo
    from etm_desktop.memos.store import save_draft

    numbers = [save_draft(gui_context.database, parse_memo({"date": "2026-12-03", "lines": [line]}))
               for line in (transfer("K001333", "1004", "1005"), transfer("K000372", "1004", "1005"))]
    gui_context.state.data_changed.emit()
    wait_idle(qtbot, gui_context)
    assert sorted(tab.shown_numbers()) == sorted(numbers)
    tab.search.setText(numbers[1])
    assert tab.shown_numbers() == [numbers[1]]
    tab.view.setCurrentIndex(tab.proxy.index(0, 0))
    tab.open_selected()
    settle(qtbot, gui_context, tab.editor)
    assert tab.editor.number == numbers[1] and tab.editor.model.lines[0]["client"] == "K000372"
    assert tab.editor.state == MemoStatus.DRAFT and tab.editor.actions_by_name["save"].isEnabled()
