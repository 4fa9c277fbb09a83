"""«Сотрудники»: the month's managers with their figures, client base and breaches."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from etm_desktop.compliance.result import NORM_TITLES, ManagerRow
from etm_desktop.compliance.service import month_grid
from etm_desktop.domain.calendar import month_end
from etm_desktop.gui.context import AppContext
from etm_desktop.gui.table_model import SEVERITY_COLOURS, Column, FilterProxy, RowsModel
from etm_desktop.gui.tabs.base import Tab, make_table_view
from etm_desktop.gui.tabs.clients import CLIENT_COLUMNS, fit_columns_once
from etm_desktop.queries.clients import client_list

EMPLOYEE_COLUMNS = (
    Column("id", "Таб. номер"), Column("name", "ФИО"), Column("position", "Должность"),
    Column("specialization", "Специализация"), Column("status", "Статус"), Column("office", "ОП"),
    Column("kb_size", "Размер КБ", "int", "Головная организация и связанные (признак 140) — один клиент"),
    Column("paying", "Платящих", "int", "Клиенты КБ с оборотом за месяц выше порога"),
    Column("paying_share", "Доля платящих", "share"),
    Column("meetings", "Встречи", "int", "Встречи вне ОП за месяц"),
    Column("cold_calls", "Холодные звонки", "int"),
    Column("breaches", "Нарушений", "int", "Число нарушений нормативов за месяц (без допустимых отклонений)"),
)
ALL = "Все"


def employee_row(manager: ManagerRow) -> tuple:
    """A grid row as the table shows it."""
    breaches = sum(1 for b in manager.breaches if b.severity == "breach")
    return (manager.id, manager.name, manager.position, manager.specialization or "", manager.status or "",
            manager.office or "", manager.kb_size, manager.paying, manager.paying_share, manager.meetings,
            manager.cold_calls, breaches)


def memo_draft(tab_no: str, client_codes: list[str], today: date) -> dict:
    """A memo draft transferring ``client_codes`` from ``tab_no`` (the receiver is chosen in the editor)."""
    return {"date": today.isoformat(),
            "lines": [{"action": "transfer", "client": code, "from": tab_no} for code in client_codes]}


class EmployeesTab(Tab):
    title = "Сотрудники"

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(context, parent)
        self.managers: list[ManagerRow] = []
        self.model = RowsModel(EMPLOYEE_COLUMNS, self)
        self.model.severity = self._severity
        self.model.tooltip = self._tooltip
        self.proxy = FilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = make_table_view(self, name="employees_table")
        self.view.setModel(self.proxy)
        self.view.setSelectionMode(self.view.SelectionMode.SingleSelection)
        self.search = self._search_box()
        self.position = self._combo("employees_filter_position", "position")
        self.specialization = self._combo("employees_filter_specialization", "specialization")
        self.clients_model = RowsModel(CLIENT_COLUMNS, self)
        self.clients_proxy = FilterProxy(self)
        self.clients_proxy.setSourceModel(self.clients_model)
        self.clients_view = make_table_view(self, name="employee_clients_table")
        self.clients_view.setModel(self.clients_proxy)
        self.breaches = QListWidget(self)
        self.breaches.setObjectName("employee_breaches")
        self.breaches.setWordWrap(True)
        self.memo_button = QPushButton("Новая служебная записка", self)
        self.memo_button.setObjectName("employee_new_memo")
        self.memo_button.setToolTip("Черновик записки о передаче выбранных клиентов его КБ другому МОПП")
        self.memo_button.setEnabled(False)
        self.memo_button.clicked.connect(self.request_memo)
        self.base_label = QLabel("Выберите сотрудника", self)
        self.selected_tab_no: str | None = None
        self._request = 0
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.clients_view.selectionModel().selectionChanged.connect(self._clients_selection_changed)
        self._build()

    def _search_box(self) -> QLineEdit:
        box = QLineEdit(self)
        box.setObjectName("employees_search")
        box.setPlaceholderText("Поиск по любому тексту (Ctrl+F)")
        box.setClearButtonEnabled(True)
        box.textChanged.connect(self.proxy.set_text)
        QShortcut(QKeySequence.StandardKey.Find, self, box.setFocus)
        return box

    def _combo(self, name: str, key: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.addItem(ALL)
        combo.currentTextChanged.connect(lambda _t, k=key, c=combo: self._apply_combo(k, c))
        return combo

    def _build(self) -> None:
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        filters.addWidget(QLabel("Должность:", self))
        filters.addWidget(self.position, 1)
        filters.addWidget(QLabel("Специализация:", self))
        filters.addWidget(self.specialization, 1)
        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(filters)
        top_layout.addWidget(self.view)
        base = QGroupBox("Клиентская база", self)
        base_layout = QVBoxLayout(base)
        head = QHBoxLayout()
        head.addWidget(self.base_label, 1)
        head.addWidget(self.memo_button)
        base_layout.addLayout(head)
        base_layout.addWidget(self.clients_view)
        breaches = QGroupBox("Нарушения и отклонения за месяц", self)
        QVBoxLayout(breaches).addWidget(self.breaches)
        bottom = QSplitter(Qt.Orientation.Horizontal, self)
        bottom.addWidget(base)
        bottom.addWidget(breaches)
        bottom.setStretchFactor(0, 3)
        bottom.setStretchFactor(1, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setObjectName("employees_splitter")
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        QVBoxLayout(self).addWidget(splitter)

    # -- loading ----------------------------------------------------------------
    def reload(self) -> None:
        super().reload()
        database, month = self.context.database, self.context.state.month
        self.context.runner.run(lambda: month_grid(database, month), on_done=self._loaded)

    def _loaded(self, grid) -> None:
        selected = self.selected_tab_no
        self.managers = list(grid.managers)
        self.model.set_rows([employee_row(m) for m in self.managers])
        fit_columns_once(self.view, self.context.settings)
        for key, combo in (("position", self.position), ("specialization", self.specialization)):
            chosen = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(ALL)
            combo.addItems(sorted({self.model.value(i, key) for i in range(len(self.managers))} - {""}))
            combo.setCurrentIndex(max(combo.findText(chosen), 0))
            combo.blockSignals(False)
            self._apply_combo(key, combo)
        self._show_manager(None)
        if selected:
            self.select_manager(selected)

    def _apply_combo(self, key: str, combo: QComboBox) -> None:
        text = combo.currentText()
        column = self.model.column_index(key)
        rows = self.model.rows
        self.proxy.set_predicate(key, None if text in ("", ALL) else (lambda i: rows[i][column] == text))

    def _severity(self, row: int, column: int) -> str | None:
        if self.model.columns[column].key != "breaches":
            return None
        if self.model.rows[row][column]:
            return "breach"
        return "warning" if self.managers[row].breaches else None

    def _tooltip(self, row: int, column: int) -> str | None:
        if self.model.columns[column].key != "breaches" or not self.managers[row].breaches:
            return None
        return "\n".join(b.message or NORM_TITLES.get(b.norm, b.norm) for b in self.managers[row].breaches)

    # -- selection ----------------------------------------------------------------
    def select_manager(self, tab_no: str) -> bool:
        """Make ``tab_no`` the current row (if shown)."""
        for r in range(self.proxy.rowCount()):
            index = self.proxy.index(r, 0)
            if index.data() == tab_no:
                self.view.setCurrentIndex(index)
                return True
        return False

    def _current_changed(self, current, _previous) -> None:
        self._show_manager(self.managers[self.proxy.mapToSource(current).row()] if current.isValid() else None)

    def _show_manager(self, manager: ManagerRow | None) -> None:
        self.breaches.clear()
        self.clients_model.set_rows([])
        self.memo_button.setEnabled(False)
        self._request += 1
        self.selected_tab_no = manager.id if manager else None
        if manager is None:
            self.base_label.setText("Выберите сотрудника")
            return
        for breach in manager.breaches:
            text = breach.message or NORM_TITLES.get(breach.norm, breach.norm)
            item = QListWidgetItem(f"{NORM_TITLES.get(breach.norm, breach.norm)}: {text}")
            item.setData(Qt.ItemDataRole.UserRole, breach.norm)
            item.setBackground(SEVERITY_COLOURS[breach.severity])
            self.breaches.addItem(item)
        if not manager.breaches:
            self.breaches.addItem("Нарушений нет")
        self.base_label.setText(f"{manager.id} {manager.name}: загрузка…")
        request, database, day = self._request, self.context.database, month_end(self.context.state.month)
        self.context.runner.run(lambda: client_list(database, day, tab_no=manager.id),
                                on_done=lambda rows: self._base_loaded(request, manager, rows))

    def _base_loaded(self, request: int, manager: ManagerRow, rows: list[tuple]) -> None:
        if request != self._request:
            return
        self.clients_model.set_rows(rows)
        fit_columns_once(self.clients_view, self.context.settings)
        self.base_label.setText(f"{manager.id} {manager.name}: карточек клиентов — {len(rows)}")

    def _clients_selection_changed(self, *_args) -> None:
        self.memo_button.setEnabled(bool(self.selected_client_codes()))

    def selected_client_codes(self) -> list[str]:
        """Codes of the clients selected in the shown client base, in the shown order."""
        selected = self.clients_view.selectionModel().selectedRows()
        rows = sorted({self.clients_proxy.mapToSource(i).row() for i in selected})
        return [self.clients_model.rows[r][0] for r in rows]

    def request_memo(self) -> None:
        """Ask the memo editor to open a draft transferring the selected clients from this manager."""
        codes = self.selected_client_codes()
        if self.selected_tab_no and codes:
            self.context.state.memo_requested.emit(memo_draft(self.selected_tab_no, codes, date.today()))

    def export_view(self):
        return self.view
