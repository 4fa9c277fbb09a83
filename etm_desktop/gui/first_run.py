"""The first-run screen on an empty database: import from NS2000 or open the demo centre."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from etm_desktop.access import Action
from etm_desktop.gui.access import permit
from etm_desktop.gui.context import AppContext

BUTTON_STYLE = "QPushButton { font-size: 16pt; padding: 18px 36px; }"


class FirstRunPanel(QWidget):
    """Two big buttons; ``finished`` is emitted once the database holds data."""

    finished = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.setObjectName("first_run")
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        title = QLabel("База данных пуста", self)
        title.setStyleSheet("font-size: 20pt; font-weight: bold;")
        hint = QLabel("Загрузите книгу обмена из NS2000 или откройте демонстрационный региональный центр, "
                      "чтобы посмотреть программу в работе.", self)
        hint.setWordWrap(True)
        self.import_button = QPushButton("Импорт из NS2000…", self)
        self.import_button.setObjectName("first_run_import")
        self.import_button.clicked.connect(self.open_import)
        self.demo_button = QPushButton("Открыть демо-данные", self)
        self.demo_button.setObjectName("first_run_demo")
        self.demo_button.clicked.connect(self.open_demo)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)  # an indefinite "working" bar
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        for widget in (title, hint, self.import_button, self.demo_button, self.busy, self.status):
            widget.setMaximumWidth(640)
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        for button in (self.import_button, self.demo_button):
            button.setStyleSheet(BUTTON_STYLE)
            button.setMinimumWidth(420)
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(3)
        self._set_busy(False, "")

    def database_is_empty(self) -> bool:
        """True when there is neither a client nor an employee (one COUNT query)."""
        from sqlalchemy import func, select

        from etm_desktop.db.models import Client, Employee

        clients = select(func.count()).select_from(Client).scalar_subquery()
        employees = select(func.count()).select_from(Employee).scalar_subquery()
        with self.context.database.session() as session:
            return not session.scalar(select(clients + employees))

    def open_import(self) -> None:
        """The import wizard; finished when something was imported."""
        from etm_desktop.gui.import_wizard import ImportDialog

        dialog = ImportDialog(self.context, self)
        if dialog.exec():
            self.finished.emit()

    def open_demo(self) -> None:
        """Generate the small demo centre in the background, then finish."""
        from etm_desktop.demo import generate

        self._set_busy(True, "Создаётся демонстрационный центр…")
        database = self.context.database
        self.context.runner.run(lambda: generate(database, scale="small"),
                                on_done=self._demo_done, on_error=self._demo_failed)

    def _set_busy(self, busy: bool, text: str) -> None:
        """Buttons off while working; off for good (with the reason) when the role may not fill the database."""
        for button, action in ((self.import_button, Action.IMPORT), (self.demo_button, Action.DEMO)):
            button.setEnabled(not busy)
            permit(button, self.context, action)
        self.busy.setVisible(busy)
        self.status.setText(text)

    def _demo_done(self, _summary) -> None:
        self._set_busy(False, "")
        self.finished.emit()

    def _demo_failed(self, error: Exception) -> None:
        self._set_busy(False, "Демонстрационные данные не созданы: {0}".format(error))
