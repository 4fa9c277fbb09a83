"""Файл → Настройки…: where the database lives (a SQLite file or a PostgreSQL URL), kept in QSettings."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
)

SETTING_KEY = "database/url"

SOURCE_TITLES = {
    "option": "параметр --db командной строки",
    "environment": "переменная окружения ETM_DESKTOP_DB",
    "config": "файл настроек администратора рядом с программой",
    "user": "настройка пользователя",
    "default": "файл по умолчанию в папке данных пользователя",
}


def user_settings() -> QSettings:
    """The per-user settings of the program (the same store as the main window's)."""
    return QSettings("ETM", "ETM Desktop")


def stored_database(settings: QSettings | None = None) -> str | None:
    """The database chosen by the user in this dialog, or None."""
    value = (settings or user_settings()).value(SETTING_KEY)
    text = str(value).strip() if value else ""
    return text or None


def store_database(value: str | None, settings: QSettings | None = None) -> None:
    """Remember the user's database (None or empty: back to the default)."""
    settings = settings or user_settings()
    if value and value.strip():
        settings.setValue(SETTING_KEY, value.strip())
    else:
        settings.remove(SETTING_KEY)
    settings.sync()


def _check_target(text: str, postgres: bool) -> str | None:
    """A Russian reason why ``text`` is not a database location, or None."""
    if not text:
        return None
    if postgres and not text.startswith(("postgresql://", "postgresql+")):
        return "URL PostgreSQL должен начинаться с postgresql:// или postgresql+psycopg://"
    if not postgres and "://" in text:
        return "Укажите путь к файлу SQLite, а не URL"
    return None


class SettingsDialog(QDialog):
    """Choose the SQLite file or the PostgreSQL URL the program opens next time."""

    def __init__(self, settings: QSettings | None = None, parent=None, *, current: str = "", source: str = ""):
        super().__init__(parent)
        self.setObjectName("settings_dialog")
        self.setWindowTitle("Настройки")
        self.settings = settings or user_settings()
        stored = stored_database(self.settings) or ""
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>База данных</b> (вступит в силу при следующем запуске)"))
        grid = QGridLayout()
        self.sqlite_button = QRadioButton("Файл SQLite на этом компьютере")
        self.postgres_button = QRadioButton("Общая база PostgreSQL центра (URL)")
        group = QButtonGroup(self)
        group.addButton(self.sqlite_button)
        group.addButton(self.postgres_button)
        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("sqlite_path")
        self.path_edit.setPlaceholderText("по умолчанию — файл в папке данных пользователя")
        browse = QPushButton("Обзор…", self)
        browse.clicked.connect(self.browse)
        self.url_edit = QLineEdit(self)
        self.url_edit.setObjectName("postgres_url")
        self.url_edit.setPlaceholderText("postgresql+psycopg://пользователь@сервер/etm")
        grid.addWidget(self.sqlite_button, 0, 0, 1, 2)
        grid.addWidget(self.path_edit, 1, 0)
        grid.addWidget(browse, 1, 1)
        grid.addWidget(self.postgres_button, 2, 0, 1, 2)
        grid.addWidget(self.url_edit, 3, 0, 1, 2)
        layout.addLayout(grid)
        if stored.startswith("postgresql"):
            self.postgres_button.setChecked(True)
            self.url_edit.setText(stored)
        else:
            self.sqlite_button.setChecked(True)
            self.path_edit.setText(stored)
        if current:
            note = QLabel("Сейчас открыта: {0}\nИсточник: {1}.".format(current, SOURCE_TITLES.get(source, source)))
            note.setWordWrap(True)
            layout.addWidget(note)
            if source in ("option", "environment", "config"):
                layout.addWidget(QLabel("Этот источник важнее настройки пользователя."))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Файл базы данных", self.path_edit.text() or "etm-desktop.sqlite",
                                              "SQLite (*.sqlite *.db);;Все файлы (*)",
                                              options=QFileDialog.Option.DontConfirmOverwrite)
        if path:
            self.path_edit.setText(path)
            self.sqlite_button.setChecked(True)

    def chosen(self) -> str:
        """The location now entered in the dialog ('' for the default)."""
        edit = self.url_edit if self.postgres_button.isChecked() else self.path_edit
        return edit.text().strip()

    def accept(self) -> None:
        problem = _check_target(self.chosen(), self.postgres_button.isChecked())
        if problem:
            QMessageBox.warning(self, "Настройки", problem)
            return
        store_database(self.chosen(), self.settings)
        super().accept()
