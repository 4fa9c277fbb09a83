"""«Нормы»: the default sets, a new set from a future date, a bad value refused in Russian."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialog

from etm_desktop.norms.store import NormBook
from tests.gui.conftest import wait_idle

KB_VETERAN = ("spec", "Универсальный", "kb", "ветеран")


@pytest.fixture
def tab(qtbot, gui_context):
    from etm_desktop.gui.tabs.norms import NormsTab

    widget = NormsTab(gui_context)
    qtbot.addWidget(widget)
    widget.show()
    wait_idle(qtbot, gui_context)
    return widget


def _future_start() -> date:
    today = date.today()
    month = today.month + 2
    return date(today.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def _editor(tab, qtbot):
    from etm_desktop.gui.tabs.norm_editor import NormSetEditor

    dialog = NormSetEditor(tab.context, tab.documents[tab.current], tab)
    qtbot.addWidget(dialog)
    start = _future_start()
    dialog.date_edit.setDate(QDate(start.year, start.month, start.day))
    dialog.name_edit.setText("Регламент: максимум КБ универсала 45")
    dialog.note_edit.setText("Проверка")
    return dialog


def test_lists_the_default_sets_and_shows_values(tab, gui_context):
    stored = NormBook.load(gui_context.database).sets
    assert tab.model.rowCount() == len(stored) == 4
    assert [r[0] for r in tab.model.rows] == [s.effective_from for s in stored]
    assert [r[2] for r in tab.model.rows].count("действует") == 1
    assert tab.tree.topLevelItemCount() > 0  # the set in force is shown
    titles = [tab.tree.topLevelItem(i).text(0) for i in range(tab.tree.topLevelItemCount())]
    assert "Специализации" in titles
    assert tab.export_view() is tab.view


def test_new_set_from_a_future_date_is_stored(tab, gui_context, qtbot):
    dialog = _editor(tab, qtbot)
    assert dialog.leaves[KB_VETERAN].text(1) == "[20, 40]"
    dialog.set_value(KB_VETERAN, "[20, 45]")
    dialog.set_value(("heads", "group_lead_own_share_min"), "0,5")  # a decimal comma is read
    dialog.save()
    wait_idle(qtbot, gui_context)
    assert dialog.saved is not None and dialog.result() == QDialog.DialogCode.Accepted
    book = NormBook.load(gui_context.database)
    assert len(book.sets) == 5
    new = book.in_force(_future_start())
    assert new.effective_from == _future_start()
    assert new.spec("Универсальный").kb["ветеран"].maximum == 45
    assert new.heads.group_lead_own_share_min == 0.5
    wait_idle(qtbot, gui_context)
    assert tab.model.rowCount() == 5  # data_changed reloaded the list


def test_bad_value_is_refused_in_russian(tab, gui_context, qtbot):
    dialog = _editor(tab, qtbot)
    dialog.set_value(("spec", "Универсальный", "kb_novice", "max"), "много")
    dialog.save()
    wait_idle(qtbot, gui_context)
    assert dialog.saved is None
    text = dialog.error_label.text()
    assert "не сохранён" in text and "kb_novice.max" in text and "ожидалось число" in text
    assert len(NormBook.load(gui_context.database).sets) == 4


def test_past_date_is_refused_with_the_reason(tab, gui_context, qtbot):
    dialog = _editor(tab, qtbot)
    dialog.date_edit.setDate(QDate(2026, 1, 1))
    dialog.save()
    wait_idle(qtbot, gui_context)
    from PySide6.QtWidgets import QLabel

    assert any("задним числом" in label.text() for label in dialog.findChildren(QLabel))
    assert "задним числом" in dialog.error_label.text()  # refused by the core, with its reason
    assert len(NormBook.load(gui_context.database).sets) == 4


def test_button_opens_the_editor_on_the_set_in_force(tab, monkeypatch):
    from etm_desktop.gui.tabs.norm_editor import NormSetEditor

    monkeypatch.setattr(NormSetEditor, "exec", lambda dialog: QDialog.DialogCode.Rejected)
    dialog = tab.new_set()
    assert dialog is not None and dialog.base is tab.documents[tab.current]
    assert dialog.chosen_date() > date.today()
