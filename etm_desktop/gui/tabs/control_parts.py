"""Pieces of the «Контроль» tab: one control list with its memo button, the distribution dialog."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from etm_desktop.gui.table_model import Column, FilterProxy, RowsModel
from etm_desktop.gui.tabs.base import make_table_view
from etm_desktop.memos.draft import ACTION_TITLES
from etm_desktop.memos.proposals import Proposal

MEMO_BUTTON = "Создать служебную записку по выделенным"


class ControlList(QWidget):
    """A searchable control list with «create memo from the selection»."""

    def __init__(self, columns: Sequence[Column], name: str, hint: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = RowsModel(columns, self)
        self.proxy = FilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = make_table_view(self, name=name)
        self.view.setModel(self.proxy)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Поиск…")
        self.search.textChanged.connect(self.proxy.set_text)
        self.memo_button = QPushButton(MEMO_BUTTON, self)
        self.count = QLabel(self)
        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.memo_button)
        layout = QVBoxLayout(self)
        hint_label = QLabel(hint, self)
        hint_label.setWordWrap(True)
        layout.addWidget(hint_label)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count)

    def set_rows(self, rows: list[tuple]) -> None:
        self.model.set_rows(rows)
        self.count.setText("Строк: {0}".format(len(rows)))

    def selected_rows(self) -> list[int]:
        """Source row numbers of the selected rows, in the shown order."""
        rows = {self.proxy.mapToSource(index).row() for index in self.view.selectionModel().selectedRows()}
        return sorted(rows, key=lambda r: self.proxy.mapFromSource(self.model.index(r, 0)).row())


class ProposalDialog(QDialog):
    """The distribution proposal of a departing manager: who takes each client, and why not for the rest."""

    def __init__(self, proposal: Proposal, manager: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.proposal = proposal
        self.setWindowTitle("Перезакрепление клиентов: {0}".format(manager))
        self.resize(900, 480)
        placed = [p for p in proposal.placements if p.to_manager is not None]
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Предложено: передать МОПП — {0}, в ООК — {1}.".format(
            len(placed), len(proposal.unplaced)), self))
        model = RowsModel([Column("client", "Код клиента"), Column("name", "Клиент"),
                           Column("to", "Кому"), Column("why", "Обоснование / почему не передан")], self)
        model.set_rows([(p.client, p.client_name,
                         "{0} {1}".format(p.to_manager, p.to_name) if p.to_manager else ACTION_TITLES["to_ook"],
                         p.why) for p in proposal.placements])
        model.severity = lambda row, column: "warning" if proposal.placements[row].to_manager is None else None
        self.view = make_table_view(self, name="control_proposal_table")
        self.view.setModel(model)
        self.model = model
        layout.addWidget(self.view, 1)
        check = proposal.check
        if check is not None:
            layout.addWidget(QLabel("Проверка записки: нарушений — {0}, предупреждений — {1}; согласование: {2}."
                                    .format(len(check.breaches), len(check.problems) - len(check.breaches),
                                            ", ".join(check.approval) or "—"), self))
        buttons = QDialogButtonBox(self)
        self.open_button = buttons.addButton("Открыть в редакторе", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Отмена", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
