"""«Контроль»: blacklist, auto-unbind candidates and overdue rebinding of the month, each with a memo button."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDialog, QLabel, QMessageBox, QTabWidget, QVBoxLayout

from etm_desktop.compliance.result import Grid
from etm_desktop.compliance.service import month_grid
from etm_desktop.gui.table_model import Column
from etm_desktop.gui.tabs.base import Tab
from etm_desktop.gui.tabs.control_parts import ControlList, ProposalDialog
from etm_desktop.memos.control_drafts import blacklist_draft, selected_auto_unbind_draft
from etm_desktop.memos.proposals import departure_proposal
from etm_desktop.memos.store import draft_to_json
from etm_desktop.queries.grid_drill import client_names, employee_names


def load_control(database, month: date) -> tuple[Grid, dict[str, str], dict[str, str]]:
    """The month's grid with the names of the listed clients and managers (background)."""
    grid = month_grid(database, month)
    clients = client_names(database, [e.client for e in grid.blacklist] + [e.client for e in grid.auto_unbind])
    managers = employee_names(database, [e.manager for e in grid.blacklist + grid.auto_unbind
                                         + grid.overdue_rebinding])
    return grid, clients, managers


class ControlTab(Tab):
    """The month's control lists (the regulation's limits that run by themselves)."""

    title = "Контроль"

    def __init__(self, context, parent=None):
        super().__init__(context, parent)
        self.grid: Grid | None = None
        self._generation = 0
        client, manager = Column("client", "Код клиента"), Column("manager", "Таб. номер")
        self.blacklist = ControlList(
            [client, Column("client_name", "Клиент"), manager, Column("manager_name", "МОПП"),
             Column("reason", "Причина")], "control_blacklist",
            "Клиенты, чьи закупки ниже порога регламента. Записка — открепление выделенных.", self)
        self.auto_unbind = ControlList(
            [client, Column("client_name", "Клиент"), manager, Column("manager_name", "МОПП")],
            "control_auto_unbind",
            "Нет товарооборота за период автооткрепления и нет ПДЗ. Записка — открепление выделенных.", self)
        self.overdue = ControlList(
            [manager, Column("manager_name", "Сотрудник"), Column("clients", "Клиентов", "int"),
             Column("since", "С даты", "date"), Column("deadline", "Срок", "date"), Column("reason", "Причина")],
            "control_overdue",
            "КБ не перезакреплена в срок. Записка — предложение распределения клиентов выделенного сотрудника.",
            self)
        self.pages = QTabWidget(self)
        self.pages.setObjectName("control_pages")
        for page, name in ((self.blacklist, "Чёрный список"), (self.auto_unbind, "Автооткрепление"),
                           (self.overdue, "Просроченное перезакрепление")):
            self.pages.addTab(page, name)
        self.caption = QLabel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addWidget(self.pages, 1)
        self.blacklist.memo_button.clicked.connect(self.memo_from_blacklist)
        self.auto_unbind.memo_button.clicked.connect(self.memo_from_auto_unbind)
        self.overdue.memo_button.clicked.connect(self.memo_from_overdue)

    # -- loading ----------------------------------------------------------------
    def reload(self) -> None:
        super().reload()
        self._generation += 1
        generation, database, month = self._generation, self.context.database, self.context.state.month
        self.caption.setText("Месяц: {0:%m.%Y} — загрузка…".format(month))
        self.context.runner.run(lambda: load_control(database, month),
                                on_done=lambda result: self._show(generation, *result),
                                on_error=lambda error: self._failed(generation, error))

    def _show(self, generation: int, grid: Grid, clients: dict, managers: dict) -> None:
        if generation != self._generation:
            return
        self.grid = grid
        self.blacklist.set_rows([(e.client, clients.get(e.client), e.manager, managers.get(e.manager), e.reason)
                                 for e in grid.blacklist])
        self.auto_unbind.set_rows([(e.client, clients.get(e.client), e.manager, managers.get(e.manager))
                                   for e in grid.auto_unbind])
        self.overdue.set_rows([(e.manager, managers.get(e.manager), e.clients, e.since, e.deadline, e.reason)
                               for e in grid.overdue_rebinding])
        for index, count in enumerate((len(grid.blacklist), len(grid.auto_unbind), len(grid.overdue_rebinding))):
            self.pages.setTabText(index, "{0} ({1})".format(self.pages.tabText(index).split(" (")[0], count))
        self.caption.setText("Месяц: {0:%m.%Y}; набор норм: {1}".format(grid.month, grid.norm_set))

    def _failed(self, generation: int, error: Exception) -> None:
        if generation == self._generation:
            self.grid = None
            for page in (self.blacklist, self.auto_unbind, self.overdue):
                page.set_rows([])
            self.caption.setText("Списки не построены: {0}".format(error))

    # -- memos ------------------------------------------------------------------
    def _selection(self, page: ControlList) -> list[tuple] | None:
        rows = page.selected_rows()
        if not rows or self.grid is None:
            QMessageBox.information(self, "Служебная записка", "Выделите строки списка.")
            return None
        return [page.model.rows[r] for r in rows]

    def _memo_failed(self, error: Exception) -> None:
        QMessageBox.warning(self, "Служебная записка", str(error))

    def _emit(self, draft) -> None:
        self.context.state.memo_requested.emit(draft_to_json(draft))

    def memo_from_blacklist(self) -> None:
        rows = self._selection(self.blacklist)
        if rows:
            entries = [(r[0], r[2], r[4]) for r in rows]
            database, month = self.context.database, self.grid.month
            self.context.runner.run(lambda: blacklist_draft(database, month, entries),
                                    on_done=self._emit, on_error=self._memo_failed)

    def memo_from_auto_unbind(self) -> None:
        rows = self._selection(self.auto_unbind)
        if rows:
            entries = [(r[0], r[2]) for r in rows]
            database, month = self.context.database, self.grid.month
            self.context.runner.run(lambda: selected_auto_unbind_draft(database, month, entries),
                                    on_done=self._emit, on_error=self._memo_failed)

    def memo_from_overdue(self) -> None:
        rows = self._selection(self.overdue)
        if not rows:
            return
        if len(rows) > 1:
            QMessageBox.information(self, "Служебная записка",
                                    "Предложение распределения строится для одного сотрудника: выделите одну строку.")
            return
        tab_no, name = rows[0][0], rows[0][1]
        database = self.context.database
        self.context.runner.run(lambda: departure_proposal(database, tab_no),
                                on_done=lambda proposal: self.show_proposal(proposal, "{0} {1}".format(
                                    tab_no, name or "")),
                                on_error=self._memo_failed)

    def show_proposal(self, proposal, manager: str) -> None:
        """The distribution dialog; «Открыть в редакторе» hands the draft to the memo editor."""
        dialog = ProposalDialog(proposal, manager, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._emit(proposal.draft)

    def export_view(self):
        return self.pages.currentWidget().view
