"""The client card: requisites, the 140 group, bindings and their history, ПДЗ, meetings, turnover."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from etm_desktop.domain.calendar import month_end
from etm_desktop.domain.people import rub, short_name
from etm_desktop.gui.context import AppContext
from etm_desktop.gui.table_model import Column, RowsModel
from etm_desktop.gui.tabs.base import make_table_view
from etm_desktop.gui.turnover_chart import TurnoverChart
from etm_desktop.norms.store import NormBook
from etm_desktop.queries.client_card import ClientCard, client_card

HISTORY_COLUMNS = (
    Column("manager", "Таб. номер"), Column("name", "МОПП"), Column("from", "С", "date"),
    Column("to", "По", "date"), Column("memo", "СЗ о закреплении"), Column("closed_by", "СЗ об откреплении"),
    Column("basis", "Основание"),
)
MEETING_COLUMNS = (Column("day", "Дата", "date"), Column("employee", "Сотрудник"),
                   Column("outside", "Вне ОП", "bool"))


def load_card(database, code: str, month) -> tuple[ClientCard, float]:
    """The card as at the month's last day, and the paying threshold of the norms in force then."""
    day = month_end(month)
    return client_card(database, code, day), NormBook.load(database).in_force(day).common.paying_threshold


class ClientCardView(QWidget):
    """Filled in the background for one client code; ``navigate`` asks to show another client."""

    navigate = Signal(str)  # client code
    loaded = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.card: ClientCard | None = None
        self.threshold: float | None = None
        self._request = 0
        self.title = QLabel("Выберите клиента в списке", self)
        self.title.setObjectName("card_title")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fields: dict[str, QLabel] = {}
        form = QFormLayout()
        for key, text in (("code", "Код"), ("inn", "ИНН"), ("ckg", "ЦКГ"), ("potential", "Потенциал"),
                          ("territory", "Территория"), ("bindings", "Закреплён за"), ("receivable", "ПДЗ")):
            label = QLabel(self)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[key] = label
            form.addRow(text + ":", label)
        self.group = QListWidget(self)
        self.group.setObjectName("card_group")
        self.group.setMaximumHeight(90)
        self.group.setToolTip("Признак 140: головная организация и связанные плательщики. "
                              "Двойной щелчок или Enter — открыть карточку.")
        self.group.itemActivated.connect(self._go)
        self.group.itemDoubleClicked.connect(self._go)
        self.history_model = RowsModel(HISTORY_COLUMNS, self)
        self.history_view = make_table_view(self, name="client_history_table")
        self.history_view.setModel(self.history_model)
        self.meetings_model = RowsModel(MEETING_COLUMNS, self)
        self.meetings_view = make_table_view(self, name="client_meetings_table")
        self.meetings_view.setModel(self.meetings_model)
        self.meetings_view.setMaximumHeight(120)
        self.chart = TurnoverChart(self)
        self._build(form)

    def _build(self, form: QFormLayout) -> None:
        inner = QWidget(self)
        layout = QVBoxLayout(inner)
        layout.addWidget(self.title)
        layout.addLayout(form)
        for caption, widget in (("Группа (признак 140)", self.group),
                                ("История закреплений", self.history_view),
                                ("Встречи с клиентом", self.meetings_view),
                                ("Оборот за 24 месяца", self.chart)):
            box = QGroupBox(caption, inner)
            QVBoxLayout(box).addWidget(widget)
            layout.addWidget(box)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    # -- loading ----------------------------------------------------------------
    def show_client(self, code: str) -> None:
        """Load the card of ``code`` in the background (a later request wins)."""
        self._request += 1
        request, database, month = self._request, self.context.database, self.context.state.month
        self.title.setText(f"{code}: загрузка…")
        self.context.runner.run(lambda: load_card(database, code, month),
                                on_done=lambda result: self._fill(request, result),
                                on_error=lambda error: self._failed(request, error))

    def _failed(self, request: int, error: Exception) -> None:
        if request == self._request:
            self.title.setText(str(error))

    def _fill(self, request: int, result: tuple[ClientCard, float]) -> None:
        if request != self._request:
            return
        card, threshold = result
        self.card, self.threshold = card, threshold
        self.title.setText(f"<b>{card.name}</b>")
        values = {
            "code": card.code, "inn": card.inn, "ckg": card.ckg, "potential": card.potential or "не указан",
            "territory": card.territory or "не указана",
            "bindings": "; ".join(f"{t} {short_name(n)} с {f.strftime('%d.%m.%Y')}" for t, n, f in card.bindings)
            or "ООК (не закреплён)",
            "receivable": (f"{rub(card.receivable[1])} на {card.receivable[0].strftime('%d.%m.%Y')}"
                           if card.receivable else "нет"),
        }
        for key, text in values.items():
            self.fields[key].setText(text)
        self._fill_group(card)
        self.history_model.set_rows([(p.manager, p.manager_name, p.valid_from, p.valid_to, p.memo or "",
                                      p.closed_by or "", p.basis or "") for p in card.history])
        self.meetings_model.set_rows([(m.day, m.employee, m.outside) for m in card.meetings])
        self.chart.set_data(card.turnover_24(self.context.state.month), threshold)
        self.loaded.emit(card.code)

    def _fill_group(self, card: ClientCard) -> None:
        self.group.clear()
        members = ([("головная", *card.head)] if card.head else []) + [("связанный", c, n) for c, n in card.related]
        if card.is_head:
            self.group.addItem(QListWidgetItem("Этот клиент — головная организация"))
        for role, code, name in members:
            item = QListWidgetItem(f"{code} — {name} ({role})")
            item.setData(Qt.ItemDataRole.UserRole, code)
            self.group.addItem(item)
        if self.group.count() == 0:
            self.group.addItem(QListWidgetItem("Не входит в группу"))

    def _go(self, item: QListWidgetItem) -> None:
        code = item.data(Qt.ItemDataRole.UserRole)
        if code:
            self.navigate.emit(code)
