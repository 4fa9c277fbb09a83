"""RowsModel and FilterProxy: Qt's model tester, sorting on raw values, text and predicate filters."""

from __future__ import annotations

from datetime import date

import pytest

from etm_desktop.gui.table_model import RAW_ROLE, Column, FilterProxy, RowsModel

COLUMNS = (Column("code", "Код"), Column("name", "Наименование"), Column("kb", "КБ", "int"),
           Column("share", "Доля", "share"), Column("since", "С даты", "date"))
ROWS = [
    ("K3", "Альфа Электро", 27, 0.35, date(2026, 3, 1)),
    ("K1", "Бета Свет", 5, None, date(2025, 12, 31)),
    ("K2", "Гамма Кабель", 120, 0.5, None),
    ("K10", "Альфа Кабель", 9, 0.0, date(2026, 11, 30)),
]


@pytest.fixture
def model(qapp):
    rows = RowsModel(COLUMNS)
    rows.set_rows(ROWS, search_columns=["code", "name"])
    return rows


@pytest.fixture
def proxy(model):
    filtered = FilterProxy()
    filtered.setSourceModel(model)
    return filtered


def shown(proxy, key: str) -> list:
    column = proxy.sourceModel().column_index(key)
    return [proxy.index(r, column).data(RAW_ROLE) for r in range(proxy.rowCount())]


def test_models_pass_the_model_tester(qtmodeltester, model, proxy):
    qtmodeltester.check(model, force_py=True)
    proxy.set_text("альфа")
    proxy.sort(2)
    qtmodeltester.check(proxy, force_py=True)


def test_display_is_formatted_and_raw_role_keeps_the_value(model):
    assert model.index(0, 3).data() == "35,0%"
    assert model.index(0, 4).data() == "01.03.2026"
    assert model.index(0, 4).data(RAW_ROLE) == date(2026, 3, 1)
    assert model.index(1, 3).data() == ""
    from PySide6.QtCore import Qt

    assert model.headerData(2, Qt.Orientation.Horizontal) == "КБ"


def test_sorting_numbers_uses_raw_values_not_text(proxy):
    from PySide6.QtCore import Qt

    proxy.sort(2, Qt.SortOrder.AscendingOrder)
    assert shown(proxy, "kb") == [5, 9, 27, 120]  # text order would put 120 before 27
    proxy.sort(2, Qt.SortOrder.DescendingOrder)
    assert shown(proxy, "kb") == [120, 27, 9, 5]


def test_sorting_dates_chronologically(proxy):
    from PySide6.QtCore import Qt

    proxy.sort(4, Qt.SortOrder.AscendingOrder)
    dates = shown(proxy, "since")
    assert [d for d in dates if d is not None] == [date(2025, 12, 31), date(2026, 3, 1), date(2026, 11, 30)]
    assert dates.count(None) == 1
    proxy.sort(4, Qt.SortOrder.DescendingOrder)
    assert [d for d in shown(proxy, "since") if d is not None] == [date(2026, 11, 30), date(2026, 3, 1),
                                                                   date(2025, 12, 31)]


def test_sorting_with_empty_values_keeps_the_known_ones_ordered(proxy):
    from PySide6.QtCore import Qt

    proxy.sort(3, Qt.SortOrder.AscendingOrder)
    shares = shown(proxy, "share")
    assert [s for s in shares if s is not None] == [0.0, 0.35, 0.5]
    assert shares.count(None) == 1
    proxy.sort(1, Qt.SortOrder.AscendingOrder)
    assert shown(proxy, "name") == ["Альфа Кабель", "Альфа Электро", "Бета Свет", "Гамма Кабель"]


def test_text_filter_needs_every_word_in_the_search_columns(proxy):
    proxy.set_text("альфа")
    assert proxy.rowCount() == 2
    proxy.set_text("  Альфа   кабель ")
    assert shown(proxy, "code") == ["K10"]
    proxy.set_text("k1")
    assert sorted(shown(proxy, "code")) == ["K1", "K10"]
    proxy.set_text("120")  # КБ is not a search column
    assert proxy.rowCount() == 0
    proxy.set_text("")
    assert proxy.rowCount() == 4


def test_predicates_combine_with_text_and_can_be_removed(model, proxy):
    kb = model.column_index("kb")
    proxy.set_predicate("big", lambda row: model.rows[row][kb] >= 9)
    assert proxy.rowCount() == 3
    proxy.set_text("альфа")
    assert sorted(shown(proxy, "code")) == ["K10", "K3"]
    proxy.set_predicate("recent", lambda row: (model.rows[row][4] or date.min) >= date(2026, 6, 1))
    assert shown(proxy, "code") == ["K10"]
    proxy.set_predicate("big", None)
    proxy.set_predicate("recent", None)
    assert proxy.rowCount() == 2
    assert sorted(proxy.source_rows()) == [0, 3]


def test_filter_survives_a_model_reset(model, proxy):
    proxy.set_text("кабель")
    assert proxy.rowCount() == 2
    model.set_rows(ROWS + [("K4", "Дельта Кабель", 1, None, None)], search_columns=["code", "name"])
    assert proxy.rowCount() == 3
    model.set_rows([])
    assert proxy.rowCount() == 0
