"""The memo editor: live validation with highlighted lines, undo/redo, lifecycle, printing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from etm_desktop.memos.store import MemoStatus, get_memo
from tests.gui.memo_helpers import DAY, record_dialogs, settle, transfer

pytestmark = pytest.mark.usefixtures("no_dialogs")


@pytest.fixture
def no_dialogs(monkeypatch):
    """No modal dialogs: what the editor would ask or show is recorded (answers set per test)."""
    return record_dialogs(monkeypatch)


@pytest.fixture
def editor(gui_context, qtbot):
    from etm_desktop.gui.memo_editor import MemoEditor

    widget = MemoEditor(gui_context)
    qtbot.addWidget(widget)
    widget.new_memo(DAY)
    settle(qtbot, gui_context, widget)
    return widget


def holder(database, client: str) -> str | None:
    from sqlalchemy import select

    from etm_desktop.db.models import Binding, Client, Employee

    with database.session() as session:
        return session.scalar(select(Employee.tab_no).join(Binding, Binding.employee_id == Employee.id)
                              .join(Client, Client.id == Binding.client_id)
                              .where(Client.code == client, Binding.valid_to.is_(None)))


def test_empty_editor_asks_for_lines(editor):
    assert editor.line_count() == 0
    assert "Добавьте строки" in editor.panel.status.text()


def test_breach_is_highlighted_live_and_clears_when_fixed(editor, gui_context, qtbot):
    editor.set_lines([transfer("K001333", "1004", "1006")])  # 1006 is at 43 of 40 already
    settle(qtbot, gui_context, editor)
    assert editor.highlighted_lines() == {1: "breach"}
    assert [p["rule"] for p in editor.problems()] == ["kb_size_max"]
    assert editor.panel.status.text().startswith("Нарушений: 1")
    effects = {row[0]: (row[2], row[3]) for row in editor.panel.effects_model.rows}
    assert effects["1006"] == (43, 44) and effects["1004"] == (34, 33)
    assert "ДП" in editor.panel.route.text()
    background = editor.model.index(0, 1).data(Qt.ItemDataRole.BackgroundRole)
    assert background is not None and background.color().name().upper() == "#FFC7CE"

    model = editor.model
    assert model.setData(model.index(0, model.column_of("to")), "1005")
    settle(qtbot, gui_context, editor)
    assert editor.highlighted_lines() == {}
    assert editor.panel.status.text() == "Нарушений нет"


def test_stale_results_are_discarded(editor, gui_context, qtbot):
    editor.set_lines([transfer("K001333", "1004", "1006")])
    editor.checker.check_now()  # a check of the breaching draft is running …
    model = editor.model
    model.setData(model.index(0, model.column_of("to")), "1005")  # … when the draft changes
    settle(qtbot, gui_context, editor)
    assert editor.highlighted_lines() == {} and editor.problems() == []


def test_undo_and_redo_restore_lines(editor, gui_context, qtbot):
    editor.set_lines([transfer("K001333", "1004", "1006")])
    editor.add_line()
    model = editor.model
    model.setData(model.index(1, model.column_of("client")), "K000372")
    assert editor.line_count() == 2 and model.lines[1]["client"] == "K000372"
    editor.undo_stack.undo()
    assert model.lines[1]["client"] == ""
    editor.undo_stack.undo()
    assert editor.line_count() == 1
    editor.remove_lines([0])
    assert editor.line_count() == 0
    editor.undo_stack.undo()
    assert editor.line_count() == 1 and model.lines[0]["to"] == "1006"
    editor.undo_stack.redo()
    assert editor.line_count() == 0
    editor.undo_stack.undo()
    model.setData(model.index(0, model.column_of("to")), "1005")
    editor.undo_stack.undo()
    assert model.lines[0]["to"] == "1006"
    editor.undo_stack.redo()
    assert model.lines[0]["to"] == "1005"
    assert editor.actions_by_name["undo"].shortcut().toString() == "Ctrl+Z"
    assert editor.actions_by_name["redo"].shortcut().toString() == "Ctrl+Shift+Z"
    settle(qtbot, gui_context, editor)


def test_action_column_shows_russian_titles(editor):
    editor.set_lines([transfer("K001333", "1004", "1005"), {"action": "from_ook", "client": "K000372"}])
    model = editor.model
    assert model.index(0, 0).data() == "Перезакрепить"
    assert model.index(1, 0).data() == "Закрепить из ООК"
    assert model.index(1, 0).data(Qt.ItemDataRole.EditRole) == "from_ook"


def test_completion_lists_load_once(editor, gui_context, qtbot):
    settle(qtbot, gui_context, editor)
    clients = editor.client_choices.stringList()
    assert any(item.startswith("K001333 — ") for item in clients)
    assert any(item.startswith("1006 — ") for item in editor.employee_choices.stringList())
    editor.set_lines([transfer("K001333", "1004", "1005")])
    assert editor.model.index(0, editor.model.column_of("client_name")).data()


def test_submit_with_breach_is_refused_then_fixed_and_submitted(editor, gui_context, qtbot, no_dialogs):
    editor.set_lines([transfer("K001333", "1004", "1006")])
    settle(qtbot, gui_context, editor)
    editor.submit()
    settle(qtbot, gui_context, editor)
    title, text = no_dialogs["warn"][-1]
    assert "нарушает нормы" in text and "Куликов" in text
    assert editor.number and editor.state == MemoStatus.DRAFT  # saved on the way, not submitted
    assert get_memo(gui_context.database, editor.number).state == MemoStatus.DRAFT
    number = editor.number

    editor.lifecycle.submit_interactive()
    assert no_dialogs["asked"] == ["override"] and "отменена" in editor.status.text()

    model = editor.model
    model.setData(model.index(0, model.column_of("to")), "1005")
    settle(qtbot, gui_context, editor)
    assert editor.highlighted_lines() == {}
    editor.lifecycle.submit_interactive()
    settle(qtbot, gui_context, editor)
    assert editor.state == MemoStatus.SUBMITTED and "отправлена" in editor.status.text()
    assert editor.number == number  # the same memo, not a second one
    memo = get_memo(gui_context.database, editor.number)
    assert memo.state == MemoStatus.SUBMITTED and memo.draft.lines[0].to_manager == "1005"
    assert not editor.actions_by_name["save"].isEnabled() and editor.model.read_only


def test_submit_with_override_reason(editor, gui_context, qtbot, no_dialogs):
    editor.set_lines([transfer("K001333", "1004", "1006")])
    settle(qtbot, gui_context, editor)
    no_dialogs["override"] = "Временно, до приёма нового менеджера"
    editor.lifecycle.submit_interactive()
    settle(qtbot, gui_context, editor)
    assert get_memo(gui_context.database, editor.number).state == MemoStatus.SUBMITTED
    assert editor.highlighted_lines() == {1: "breach"}  # the accepted breach stays visible


def test_approve_and_apply_change_bindings(editor, gui_context, qtbot, no_dialogs):
    changes = []
    gui_context.state.data_changed.connect(lambda: changes.append(1))
    editor.set_lines([transfer("K001333", "1004", "1005")])
    editor.save()
    settle(qtbot, gui_context, editor)
    assert editor.number and editor.status.text().startswith("Черновик сохранён")
    editor.submit()
    settle(qtbot, gui_context, editor)
    assert editor.missing_steps() == ["ДП"]
    no_dialogs["approval"] = ("ДП", "Борисов М.Ю.")
    editor.actions_by_name["approve"].trigger()
    settle(qtbot, gui_context, editor)
    assert editor.state == MemoStatus.APPROVED
    editor.lifecycle.apply(on=DAY)
    settle(qtbot, gui_context, editor)
    assert editor.state == MemoStatus.APPLIED, editor.messages
    assert holder(gui_context.database, "K001333") == "1005"
    assert len(changes) == 4


def test_apply_twice_is_refused_in_russian(editor, gui_context, qtbot, no_dialogs):
    editor.set_lines([transfer("K001333", "1004", "1005")])
    editor.submit()
    settle(qtbot, gui_context, editor)
    editor.lifecycle.apply(on=DAY)
    settle(qtbot, gui_context, editor)
    assert "не согласована" in no_dialogs["warn"][-1][1] and editor.state == MemoStatus.SUBMITTED


def test_reject_and_withdraw(editor, gui_context, qtbot, no_dialogs):
    editor.set_lines([transfer("K001333", "1004", "1005")])
    editor.submit()
    settle(qtbot, gui_context, editor)
    editor.lifecycle.reject(name="Борисов М.Ю.", reason="Нет обоснования")
    settle(qtbot, gui_context, editor)
    assert editor.state == MemoStatus.REJECTED
    editor.new_memo(DAY)
    editor.set_lines([transfer("K000372", "1004", "1005")])
    editor.save()
    settle(qtbot, gui_context, editor)
    editor.lifecycle.withdraw()
    settle(qtbot, gui_context, editor)
    assert editor.state == MemoStatus.WITHDRAWN


def test_print_to_pdf_and_docx(editor, gui_context, qtbot, tmp_path, no_dialogs):
    pypdf = pytest.importorskip("pypdf")
    editor.set_lines([transfer("K001333", "1004", "1005")])
    assert not editor.actions_by_name["pdf"].isEnabled()
    editor.save()
    settle(qtbot, gui_context, editor)
    assert editor.actions_by_name["pdf"].isEnabled()
    target = tmp_path / "memo.pdf"
    no_dialogs["path"] = str(target)
    editor.actions_by_name["pdf"].trigger()
    settle(qtbot, gui_context, editor)
    text = " ".join(pypdf.PdfReader(str(target)).pages[0].extract_text().split())
    assert "СЛУЖЕБНАЯ ЗАПИСКА" in text and editor.number in text
    word = tmp_path / "memo.docx"
    editor.printing.save_docx(str(word))
    settle(qtbot, gui_context, editor)
    assert word.exists() and word.stat().st_size > 0


def test_lines_model_passes_the_model_tester(editor, qtmodeltester):
    editor.set_lines([transfer("K001333", "1004", "1006"), {"action": "unbind", "client": "K000372", "from": "1004"}])
    qtmodeltester.check(editor.model, force_py=True)


def test_code_editor_keeps_the_code_of_a_completion(editor):
    from PySide6.QtWidgets import QLineEdit

    editor.set_lines([transfer("K001333", "1004", "1006")])
    model = editor.model
    index = model.index(0, model.column_of("to"))
    delegate = editor.view.itemDelegateForColumn(index.column())
    line_edit = delegate.createEditor(editor.view.viewport(), None, index)
    assert isinstance(line_edit, QLineEdit) and line_edit.completer() is not None
    line_edit.setText("1005 — Кто-то Такой")
    delegate.setModelData(line_edit, model, index)
    assert model.lines[0]["to"] == "1005"
    combo = editor.view.itemDelegateForColumn(0).createEditor(editor.view.viewport(), None, model.index(0, 0))
    combo.setCurrentIndex(combo.findData("to_ook"))
    editor.view.itemDelegateForColumn(0).setModelData(combo, model, model.index(0, 0))
    assert model.lines[0]["action"] == "to_ook" and model.index(0, 0).data() == "Передать в ООК"


def test_withdraw_button_asks_first(editor, gui_context, qtbot, no_dialogs):
    editor.set_lines([transfer("K001333", "1004", "1005")])
    editor.save()
    settle(qtbot, gui_context, editor)
    no_dialogs["confirm"] = False
    editor.actions_by_name["withdraw"].trigger()
    settle(qtbot, gui_context, editor)
    assert editor.state == MemoStatus.DRAFT and no_dialogs["asked"] == ["confirm"]
    no_dialogs["confirm"] = True
    editor.actions_by_name["withdraw"].trigger()
    settle(qtbot, gui_context, editor)
    assert editor.state == MemoStatus.WITHDRAWN and not editor.actions_by_name["withdraw"].isEnabled()
