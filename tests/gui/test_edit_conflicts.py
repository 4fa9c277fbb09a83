"""Two analysts at once, on screen: the second sees a Russian message and the fresh data.

The other analyst works through another Database on the same target (another program).
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialog

from etm_desktop.memos.lifecycle import approve, submit
from etm_desktop.memos.store import MemoStatus, get_memo, save_draft
from etm_desktop.norms.store import NormBook, add_norm_set, norms_stamp
from tests.conflict_support import OTHER, open_second
from tests.gui.conftest import wait_idle
from tests.gui.memo_helpers import DAY, record_dialogs, settle, transfer
from tests.memo_support import draft


@pytest.fixture
def dialogs(monkeypatch):
    return record_dialogs(monkeypatch)


@pytest.fixture
def other(gui_context):
    second = open_second(gui_context.database)
    yield second
    second.dispose()


@pytest.fixture
def editor(gui_context, qtbot, dialogs):
    from etm_desktop.gui.memo_editor import MemoEditor

    widget = MemoEditor(gui_context)
    qtbot.addWidget(widget)
    widget.new_memo(DAY)
    settle(qtbot, gui_context, widget)
    return widget


def test_saving_a_draft_another_analyst_changed_shows_who_and_the_fresh_draft(editor, gui_context, qtbot,
                                                                               dialogs, other):
    editor.set_lines([transfer("K001333", "1004", "1005")])
    editor.save()
    settle(qtbot, gui_context, editor)
    number, seen = editor.number, editor.stored.version
    save_draft(other, draft(transfer("K000372", "1004", "1005"), day=DAY.isoformat(), number=number,
                            subject="Правка коллеги"), who=OTHER, expected_version=seen)

    editor.set_lines([transfer("K001333", "1004", "1006")])  # my edit of what I saw
    editor.save()
    settle(qtbot, gui_context, editor)

    assert len(dialogs["warn"]) == 1
    title, text = dialogs["warn"][0]
    assert title == "Сохранение"
    assert text.startswith(f"Записку {number} изменил другой пользователь ({OTHER}, правка) в ")
    assert text.endswith("данные обновлены, повторите действие")
    assert editor.model.to_json_lines()[0]["client"] == "K000372"  # the fresh draft is on screen
    assert editor.subject_edit.text() == "Правка коллеги"
    assert editor.stored.version == get_memo(gui_context.database, number).version == seen + 1
    assert get_memo(gui_context.database, number).draft.lines[0].client == "K000372"  # nothing overwritten

    editor.set_lines([transfer("K001333", "1004", "1005")])  # now on the fresh version: saved
    editor.save()
    settle(qtbot, gui_context, editor)
    assert len(dialogs["warn"]) == 1
    assert get_memo(gui_context.database, number).draft.lines[0].client == "K001333"


def test_approving_a_memo_another_analyst_approved_shows_the_fresh_route(editor, gui_context, qtbot, dialogs,
                                                                         other):
    database = gui_context.database
    number = save_draft(database, draft(transfer("K001333", "1004", "1005"), day=DAY.isoformat()))
    submit(database, number, today=DAY)
    editor.open_memo(number)
    settle(qtbot, gui_context, editor)
    step = editor.missing_steps()[0]
    approve(other, number, step=step, name="Петров П.П.", who=OTHER)

    editor.lifecycle.approve(step=step, name="Борисов М.Ю.")
    settle(qtbot, gui_context, editor)

    assert len(dialogs["warn"]) == 1 and dialogs["warn"][0][0] == "Согласование"
    assert dialogs["warn"][0][1].startswith(f"Записку {number} изменил другой пользователь ({OTHER}, согласование)")
    memo = get_memo(database, number)
    assert [(s, n) for s, n, *_ in memo.approvals] == [(step, "Петров П.П.")]  # mine was not added
    assert editor.stored.approvals == memo.approvals and editor.stored.version == memo.version
    assert step + " ✓" in editor.title.text()
    assert editor.state in (MemoStatus.SUBMITTED, MemoStatus.APPROVED)


def test_a_norm_set_built_on_norms_another_analyst_changed_is_refused_and_reloaded(gui_context, qtbot,
                                                                                   monkeypatch, other):
    from etm_desktop.gui.tabs import norm_editor
    from etm_desktop.gui.tabs.norms import NormsTab

    warned = []
    monkeypatch.setattr(norm_editor, "warn", lambda _parent, title, text: warned.append((title, text)))
    tab = NormsTab(gui_context)
    qtbot.addWidget(tab)
    tab.show()
    wait_idle(qtbot, gui_context)
    dialog = norm_editor.NormSetEditor(gui_context, tab.documents[tab.current], tab, stamp=tab.stamp)
    qtbot.addWidget(dialog)
    mine = dialog.chosen_date()
    theirs = date(mine.year + 1, 1, 1)
    document = dict(tab.documents[tab.current], effective_from=theirs.isoformat(), name="Их набор")
    add_norm_set(other, document, who=OTHER)

    dialog.name_edit.setText("Мой набор")
    dialog.save()
    wait_idle(qtbot, gui_context)
    wait_idle(qtbot, gui_context)
    assert dialog.saved is None and dialog.result() != QDialog.DialogCode.Accepted
    assert len(warned) == 1
    assert warned[0][1].startswith("Нормы изменил другой пользователь ({0}, новый набор с {1})".format(
        OTHER, theirs.strftime("%d.%m.%Y")))
    assert "Набор не сохранён. Нормы изменил другой пользователь" in dialog.error_label.text()
    assert dialog.stamp == norms_stamp(gui_context.database)  # the fresh sets are what it now builds on
    assert len(tab.documents) == 5  # the tab reloaded and shows the other's set

    dialog.date_edit.setDate(QDate(mine.year, mine.month, mine.day))
    dialog.save()
    wait_idle(qtbot, gui_context)
    assert dialog.saved is not None
    assert [s.name for s in NormBook.load(gui_context.database).sets][-2:] == ["Мой набор", "Их набор"]
