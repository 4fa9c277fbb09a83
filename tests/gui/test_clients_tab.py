"""«Клиенты»: the whole list, instant filters, the client card and its turnover chart."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, or_, select

from etm_desktop.db.models import Binding, Client, Employee, Memo
from etm_desktop.gui.table_model import FilterProxy, RowsModel
from etm_desktop.norms.store import NormBook
from tests.gui.conftest import wait_idle

MONTH_END = date(2026, 11, 30)


@pytest.fixture
def tab(qtbot, gui_context):
    from etm_desktop.gui.tabs.clients import ClientsTab

    widget = ClientsTab(gui_context)
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.show()
    wait_idle(qtbot, gui_context)
    return widget


def scalar(context, query):
    with context.database.session() as session:
        return session.scalar(query)


def shown_codes(tab) -> list[str]:
    return [tab.proxy.index(r, 0).data() for r in range(tab.proxy.rowCount())]


def bound_now():
    return select(Binding.client_id).where(Binding.valid_from <= MONTH_END,
                                           or_(Binding.valid_to.is_(None), Binding.valid_to > MONTH_END))


def test_loads_every_client(tab, gui_context):
    assert tab.title == "Клиенты"
    assert tab.model.rowCount() == scalar(gui_context, select(func.count(Client.id))) == 1500
    assert tab.export_view() is tab.view and tab.view.objectName() == "clients_table"
    assert tab.count_label.text() == "Клиентов: 1500 из 1500"


def test_search_by_code_inn_and_name(tab, gui_context):
    tab.search.setText("K000024")
    assert shown_codes(tab) == ["K000024"]
    inn = scalar(gui_context, select(Client.inn).where(Client.code == "K000435"))
    tab.search.setText(inn)
    assert shown_codes(tab) == ["K000435"]
    tab.search.setText("кабельмонтаж трейд")
    expected = scalar(gui_context, select(func.count(Client.id)).where(Client.name.like("%КабельМонтаж Трейд%")))
    assert tab.proxy.rowCount() == expected > 1
    tab.search.setText("")
    assert tab.proxy.rowCount() == 1500


def test_ook_and_combo_filters(tab, gui_context):
    tab.ook.setChecked(True)
    unbound = scalar(gui_context, select(func.count(Client.id)).where(Client.id.not_in(bound_now())))
    assert tab.proxy.rowCount() == unbound > 0
    tab.combos["ckg"].setCurrentText("ПП")
    both = scalar(gui_context, select(func.count(Client.id)).where(Client.id.not_in(bound_now()),
                                                                   Client.ckg == "ПП"))
    assert tab.proxy.rowCount() == both
    tab.ook.setChecked(False)
    assert tab.proxy.rowCount() == scalar(gui_context, select(func.count(Client.id)).where(Client.ckg == "ПП"))
    tab.combos["potential"].setCurrentText("S")
    assert tab.proxy.rowCount() == scalar(gui_context, select(func.count(Client.id)).where(
        Client.ckg == "ПП", Client.potential == "S"))
    tab.clear_filters()
    manager = next(t for t in (tab.combos["managers"].itemText(i) for i in range(tab.combos["managers"].count()))
                   if t.startswith("1010 "))
    tab.combos["managers"].setCurrentText(manager)
    assert all("1010 " in r for r in (tab.proxy.index(i, 6).data() for i in range(tab.proxy.rowCount())))
    assert "K000435" in shown_codes(tab)  # held by 1010 and 1032 (multiple classification)
    held = scalar(gui_context, select(func.count(Binding.id)).join(Employee, Employee.id == Binding.employee_id)
                  .where(Employee.tab_no == "1010", Binding.client_id.in_(bound_now())).where(
                      Binding.valid_from <= MONTH_END, or_(Binding.valid_to.is_(None), Binding.valid_to > MONTH_END)))
    assert tab.proxy.rowCount() == held


def test_selecting_a_client_fills_the_card_and_navigates_the_group(qtbot, tab, gui_context):
    assert tab.select_client("K000024")
    wait_idle(qtbot, gui_context)
    card = tab.card
    assert card.card.code == "K000024" and card.fields["code"].text() == "K000024"
    assert card.history_model.rowCount() == len(card.card.history)
    group = [card.group.item(i).data(0x0100) for i in range(card.group.count())]
    assert group == ["K000023", "K000025"]
    card.group.itemActivated.emit(card.group.item(0))
    wait_idle(qtbot, gui_context)
    assert tab.current_code() == "K000023" and card.card.code == "K000023"
    assert card.card.is_head and card.group.item(0).text() == "Этот клиент — головная организация"


def test_navigation_clears_filters_that_hide_the_target(qtbot, tab, gui_context):
    tab.search.setText("K000024")
    tab.select_client("K000024")
    wait_idle(qtbot, gui_context)
    tab.card.navigate.emit("K000023")
    wait_idle(qtbot, gui_context)
    assert tab.search.text() == "" and tab.current_code() == "K000023"


def test_history_with_memos_and_chart(qtbot, tab, gui_context):
    with gui_context.database.session() as session:  # the small demo has no memos: record one
        client = session.scalar(select(Client).where(Client.code == "K000028"))
        bindings = session.scalars(select(Binding).where(Binding.client_id == client.id)
                                   .order_by(Binding.valid_from)).all()
        memo = Memo(number="СЗ-2026-001", memo_date=bindings[1].valid_from, state="исполнена")
        session.add(memo)
        session.flush()
        bindings[0].closed_by_memo_id = memo.id
        bindings[1].memo_id = memo.id
        session.commit()
    tab.select_client("K000028")
    wait_idle(qtbot, gui_context)
    card = tab.card
    assert card.history_model.rowCount() == 2
    assert [card.history_model.value(r, "memo") for r in range(2)] == ["", "СЗ-2026-001"]
    assert [card.history_model.value(r, "closed_by") for r in range(2)] == ["СЗ-2026-001", ""]
    threshold = NormBook.load(gui_context.database).in_force(MONTH_END).common.paying_threshold
    assert len(card.chart.points) == 24 and card.chart.points[-1][0] == date(2026, 11, 1)
    assert card.chart.threshold == threshold
    card.chart.grab()  # paints without errors


def test_rows_model_with_proxy_passes_qtmodeltester(qtmodeltester, tab):
    model = RowsModel(tab.model.columns)
    proxy = FilterProxy()
    proxy.setSourceModel(model)
    model.set_rows(tab.model.rows[:200], ("code", "inn", "name"))
    proxy.set_text("ооо")
    proxy.set_predicate("ook", lambda i: model.rows[i][7])
    proxy.sort(2)
    qtmodeltester.check(proxy)
