"""«Клиенты»: the whole client list with instant filters, and the client card beside it."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from etm_desktop.domain.calendar import month_end
from etm_desktop.gui.client_card import ClientCardView
from etm_desktop.gui.context import AppContext
from etm_desktop.gui.table_model import Column, FilterProxy, RowsModel
from etm_desktop.gui.tabs.base import Tab, make_table_view
from etm_desktop.queries.clients import client_list, row_tab_nos

CLIENT_COLUMNS = (
    Column("code", "Код"), Column("inn", "ИНН"), Column("name", "Наименование"), Column("ckg", "ЦКГ"),
    Column("potential", "Потенциал"), Column("territory", "Территория"), Column("managers", "Закреплён за"),
    Column("in_ook", "В ООК", "bool", "Не закреплён ни за одним МОПП на конец месяца"),
    Column("head", "Головная (140)"),
)
SEARCH_COLUMNS = ("code", "inn", "name")
ALL = "Все"


def fit_columns_once(view, settings) -> None:
    """Size the columns to their contents the first time, unless the analyst's widths are remembered."""
    if view.property("fitted") or settings.contains(f"columns/{view.objectName()}"):
        return
    view.setProperty("fitted", True)
    view.horizontalHeader().setResizeContentsPrecision(200)
    view.resizeColumnsToContents()
    for column in range(view.model().columnCount()):
        view.setColumnWidth(column, min(view.columnWidth(column), 320))


class ClientsTab(Tab):
    title = "Клиенты"

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(context, parent)
        self.model = RowsModel(CLIENT_COLUMNS, self)
        self.proxy = FilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = make_table_view(self, name="clients_table")
        self.view.setModel(self.proxy)
        self.search = QLineEdit(self)
        self.search.setObjectName("clients_search")
        self.search.setPlaceholderText("Поиск по коду, ИНН, наименованию (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_text)
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)
        self.combos = {key: self._combo(key) for key in ("ckg", "potential", "territory", "managers")}
        self.ook = QCheckBox("В ООК", self)
        self.ook.setObjectName("clients_ook")
        self.ook.toggled.connect(self._apply_ook)
        self.count_label = QLabel(self)
        self.card = ClientCardView(context, self)
        self.card.navigate.connect(self.select_client)
        self._tab_nos: list[tuple[str, ...]] = []
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.proxy.modelReset.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        self._build()

    def _combo(self, key: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(f"clients_filter_{key}")
        combo.addItem(ALL)
        combo.setMinimumContentsLength(4)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.currentTextChanged.connect(lambda _text, k=key: self._apply_combo(k))
        return combo

    def _build(self) -> None:
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        for key, caption in (("ckg", "ЦКГ"), ("potential", "Потенциал"), ("territory", "Территория"),
                             ("managers", "МОПП")):
            filters.addWidget(QLabel(caption + ":", self))
            filters.addWidget(self.combos[key], 1)
        filters.addWidget(self.ook)
        left = QWidget(self)
        layout = QVBoxLayout(left)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.view)
        layout.addWidget(self.count_label)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setObjectName("clients_splitter")
        splitter.addWidget(left)
        splitter.addWidget(self.card)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        QVBoxLayout(self).addWidget(splitter)

    # -- loading ----------------------------------------------------------------
    def reload(self) -> None:
        super().reload()
        database, day = self.context.database, month_end(self.context.state.month)
        self.count_label.setText("Загрузка списка клиентов…")
        self.context.runner.run(lambda: client_list(database, day), on_done=self._loaded)

    def _loaded(self, rows: list[tuple]) -> None:
        current = self.current_code()
        self._tab_nos = [row_tab_nos(r[6]) for r in rows]
        self.model.set_rows(rows, SEARCH_COLUMNS)
        fit_columns_once(self.view, self.context.settings)
        self._fill_combos(rows)
        if current:
            self.select_client(current)

    def _fill_combos(self, rows: list[tuple]) -> None:
        values = {key: set() for key in self.combos}
        for r in rows:
            values["ckg"].add(r[3])
            values["potential"].add(r[4] or "")
            values["territory"].add(r[5] or "")
            values["managers"].update(part for part in r[6].split(", ") if part)
        for key, combo in self.combos.items():
            chosen = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(ALL)
            combo.addItems(sorted(v if v else "(не указано)" for v in values[key]))
            index = combo.findText(chosen)
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)
            self._apply_combo(key)

    # -- filters ----------------------------------------------------------------
    def _apply_combo(self, key: str) -> None:
        text = self.combos[key].currentText()
        if text in ("", ALL):
            self.proxy.set_predicate(key, None)
            return
        rows = self.model.rows
        if key == "managers":
            tab_no = text.split(" ", 1)[0]
            self.proxy.set_predicate(key, lambda i: tab_no in self._tab_nos[i])
            return
        wanted = "" if text == "(не указано)" else text
        column = self.model.column_index(key)
        self.proxy.set_predicate(key, lambda i: rows[i][column] == wanted)

    def _apply_ook(self, checked: bool) -> None:
        in_ook = [r[7] for r in self.model.rows]
        self.proxy.set_predicate("in_ook", in_ook.__getitem__ if checked else None)

    def clear_filters(self) -> None:
        """Show every client again."""
        self.search.clear()
        self.ook.setChecked(False)
        for combo in self.combos.values():
            combo.setCurrentIndex(0)

    def _update_count(self, *_args) -> None:
        self.count_label.setText(f"Клиентов: {self.proxy.rowCount()} из {self.model.rowCount()}")

    # -- selection and the card ---------------------------------------------------
    def current_code(self) -> str | None:
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        return self.model.rows[self.proxy.mapToSource(index).row()][0]

    def _current_changed(self, current, _previous) -> None:
        if current.isValid():
            self.card.show_client(self.model.rows[self.proxy.mapToSource(current).row()][0])

    def select_client(self, code: str) -> bool:
        """Select the client ``code`` in the list (clearing filters that hide it); False if unknown."""
        source = next((i for i, r in enumerate(self.model.rows) if r[0] == code), None)
        if source is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(source, 0))
        if not index.isValid():
            self.clear_filters()
            index = self.proxy.mapFromSource(self.model.index(source, 0))
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.view.scrollTo(index)
        return True

    def export_view(self):
        return self.view
