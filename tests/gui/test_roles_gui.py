"""Roles in the window: what the user's role may not do is greyed out, with the reason as tooltip."""

from __future__ import annotations

import pytest

from etm_desktop.access import Role
from etm_desktop.access.sqlite_roles import grant
from etm_desktop.memos import audit
from tests.gui.conftest import wait_idle
from tests.gui.memo_helpers import DAY, record_dialogs, settle, transfer

pytestmark = pytest.mark.sqlite_only  # roles from the SQLite table; on a server they are its own roles


@pytest.fixture
def submitted(gui_context, monkeypatch):
    """As «boss»: roles for petrov (viewer) and sidorov (head), and one memo on approval."""
    from etm_desktop.memos.draft import parse_memo
    from etm_desktop.memos.lifecycle import submit
    from etm_desktop.memos.store import save_draft

    record_dialogs(monkeypatch)
    database = gui_context.database
    monkeypatch.setattr(audit, "current_user", lambda: "boss")
    grant(database, "petrov", Role.VIEWER)
    grant(database, "sidorov", Role.HEAD)
    number = save_draft(database, parse_memo({"date": DAY.isoformat(), "lines": [transfer("K000372", "1004", "1005")]}))
    submit(database, number, override="проверка ролей")
    return number


def _as(monkeypatch, user: str) -> None:
    monkeypatch.setattr(audit, "current_user", lambda: user)


def _open_window(qtbot, context):
    from etm_desktop.gui.main_window import MainWindow

    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    wait_idle(qtbot, context)
    return window


def test_a_viewer_sees_every_write_greyed_out_with_the_reason(qtbot, gui_context, submitted, monkeypatch):
    _as(monkeypatch, "petrov")
    window = _open_window(qtbot, gui_context)
    assert not window.import_action.isEnabled()
    assert window.import_action.toolTip().startswith("Роль «просмотр» не позволяет импортировать данные")
    from PySide6.QtWidgets import QLabel

    label = window.statusBar().findChild(QLabel, "role_label")
    assert "petrov: просмотр" == label.text()
    assert "насколько защищена его папка" in label.toolTip()

    norms = window.tab_pages[5]
    window.tabs.setCurrentWidget(norms)
    wait_idle(qtbot, gui_context)
    assert not norms.new_button.isEnabled()
    assert "не позволяет вводить новые наборы норм" in norms.new_button.toolTip()

    memos = window.tab_pages[2]
    window.tabs.setCurrentWidget(memos)
    memos.new_memo()
    editor = memos.editor
    settle(qtbot, gui_context, editor)
    assert editor.actions_by_name["add"].isEnabled()  # a viewer may try a draft on screen (memo check)
    for name, words in (("save", "сохранять служебные записки"), ("submit", "отправлять записки")):
        assert not editor.actions_by_name[name].isEnabled()
        assert words in editor.actions_by_name[name].toolTip()

    memos.open_memo(submitted)
    settle(qtbot, gui_context, editor)
    assert editor.number == submitted
    for name in ("approve", "reject", "withdraw"):
        assert not editor.actions_by_name[name].isEnabled()
        assert editor.actions_by_name[name].toolTip().startswith("Роль «просмотр» не позволяет")
    assert editor.actions_by_name["pdf"].isEnabled()  # printing is reading


def test_the_head_may_decide_but_not_draft(qtbot, gui_context, submitted, monkeypatch):
    from etm_desktop.gui.tabs.memos import MemosTab

    _as(monkeypatch, "sidorov")
    tab = MemosTab(gui_context)
    qtbot.addWidget(tab)
    tab.show()
    tab.open_memo(submitted)
    settle(qtbot, gui_context, tab.editor)
    actions = tab.editor.actions_by_name
    assert actions["approve"].isEnabled() and actions["reject"].isEnabled()
    assert not actions["withdraw"].isEnabled()
    tab.new_memo()
    assert not actions["save"].isEnabled()
    assert "Роль «руководитель продаж» не позволяет сохранять" in actions["save"].toolTip()


def test_a_viewer_cannot_fill_an_empty_database(qtbot, empty_context, monkeypatch):
    from etm_desktop.gui.first_run import FirstRunPanel

    _as(monkeypatch, "boss")
    grant(empty_context.database, "petrov", Role.VIEWER)
    _as(monkeypatch, "petrov")
    panel = FirstRunPanel(empty_context)
    qtbot.addWidget(panel)
    assert not panel.import_button.isEnabled() and not panel.demo_button.isEnabled()
    assert "не позволяет заполнять базу демонстрационными данными" in panel.demo_button.toolTip()
