"""The import wizard (a file, a progress bar, a summary or the error table) and the workbook export."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from etm_desktop.gui.context import AppContext
from etm_desktop.gui.table_model import Column, RowsModel
from etm_desktop.gui.tabs.base import make_table_view

ERROR_COLUMNS = (
    Column("sheet", "Лист"),
    Column("row", "Строка", "int"),
    Column("column", "Столбец"),
    Column("value", "Значение"),
    Column("message", "Что не так"),
)
NOTHING_CHANGED = "Ничего не изменено: исправьте ошибки и повторите импорт."
WORKBOOK_FILTER = "Книга Excel (*.xlsx)"


class ImportDialog(QDialog):
    """Import an exchange workbook, all or nothing; ``exec()`` is true when something was imported."""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.today = None  # the day bindings open on (None: the real today); tests may fix it
        self.imported = False
        self.running = False
        self.report = None
        self.setWindowTitle("Импорт из NS2000")
        self.resize(820, 520)
        layout = QVBoxLayout(self)
        layout.addLayout(self._file_row())
        self.stage_label = QLabel("Выберите книгу обмена NS2000 (.xlsx).", self)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.summary = QPlainTextEdit(self)
        self.summary.setReadOnly(True)
        self.summary.hide()
        layout.addWidget(self.stage_label)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary, 1)
        layout.addWidget(self._error_panel(), 1)
        close_row = QHBoxLayout()
        close_row.addStretch(1)
        self.close_button = QPushButton("Закрыть", self)
        self.close_button.clicked.connect(self.finish)
        close_row.addWidget(self.close_button)
        layout.addLayout(close_row)

    # -- layout -----------------------------------------------------------------
    def _file_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.path_edit = QLineEdit(self)
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText("Файл не выбран")
        self.choose_button = QPushButton("Выбрать файл…", self)
        self.choose_button.clicked.connect(self.choose_file)
        row.addWidget(QLabel("Книга:", self))
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.choose_button)
        return row

    def _error_panel(self) -> QWidget:
        self.error_panel = QWidget(self)
        layout = QVBoxLayout(self.error_panel)
        layout.setContentsMargins(0, 0, 0, 0)
        self.error_label = QLabel(NOTHING_CHANGED, self.error_panel)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #9C0006; font-weight: bold;")
        self.error_model = RowsModel(ERROR_COLUMNS, self)
        self.error_view = make_table_view(self.error_panel, name="import_errors")
        self.error_view.setModel(self.error_model)
        buttons = QHBoxLayout()
        self.copy_button = QPushButton("Копировать", self.error_panel)
        self.copy_button.clicked.connect(self.copy_errors)
        self.save_button = QPushButton("Сохранить в Excel", self.error_panel)
        self.save_button.clicked.connect(self.save_errors)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.error_view, 1)
        layout.addLayout(buttons)
        self.error_panel.hide()
        return self.error_panel

    # -- the import ---------------------------------------------------------------
    def choose_file(self) -> None:
        """Ask for a workbook and import it."""
        path, _ = QFileDialog.getOpenFileName(self, "Книга обмена NS2000", "", WORKBOOK_FILTER)
        if path:
            self.start(path)

    def start(self, path: str) -> None:
        """Import ``path`` in the background."""
        from etm_desktop.exchange.importer import import_workbook

        self.path_edit.setText(str(path))
        self.summary.hide()
        self.error_panel.hide()
        self.error_model.set_rows([])
        self._set_running(True)
        self.stage_label.setText("Чтение книги…")
        self.progress.setRange(0, 0)
        database, today = self.context.database, self.today
        self.context.runner.run(
            lambda progress: import_workbook(database, path, today=today, progress=progress),
            on_done=self._imported, on_error=self._failed, on_progress=self._progressed)

    def _set_running(self, running: bool) -> None:
        self.running = running
        self.choose_button.setEnabled(not running)
        self.close_button.setEnabled(not running)

    def _progressed(self, done: int, total: int, stage: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.stage_label.setText(stage)

    def _imported(self, report) -> None:
        self._set_running(False)
        self.report = report
        self.progress.setValue(self.progress.maximum())
        self.stage_label.setText("Импорт выполнен." if report.changed else "Импорт выполнен: изменений нет.")
        self.summary.setPlainText(str(report))
        self.summary.show()
        self.imported = self.imported or report.changed
        if report.changed:
            self.context.state.data_changed.emit()

    def _failed(self, error: Exception) -> None:
        from etm_desktop.exchange.errors import ImportFailed

        self._set_running(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        if not isinstance(error, ImportFailed):
            self.stage_label.setText("Импорт не выполнен.")
            self.summary.setPlainText("{0}\n\n{1}".format(error, NOTHING_CHANGED))
            self.summary.show()
            return
        rows = [(p.sheet, p.row, p.column, p.value, p.message) for p in error.problems]
        self.error_model.set_rows(rows)
        self.error_view.resizeColumnsToContents()
        shown = "" if error.total == len(rows) else " (показаны {0})".format(len(rows))
        self.stage_label.setText("Импорт не выполнен: ошибок — {0}{1}.".format(error.total, shown))
        self.error_panel.show()

    def finish(self) -> None:
        """Close: accepted when something was imported."""
        if self.running:
            return
        if self.imported:
            self.accept()
        else:
            self.reject()

    def reject(self) -> None:
        """Escape and the window's cross close the dialog too, but never while importing."""
        if self.running:
            return
        if self.imported:
            super().accept()
        else:
            super().reject()

    # -- the error table ---------------------------------------------------------------
    def error_text(self) -> str:
        """Every error row as tab-separated text, with the header line."""
        lines = ["\t".join(c.title for c in ERROR_COLUMNS)]
        for row in self.error_model.rows:
            lines.append("\t".join("" if v is None else str(v).replace("\t", " ").replace("\n", " ") for v in row))
        return "\n".join(lines)

    def copy_errors(self) -> None:
        QApplication.clipboard().setText(self.error_text())

    def save_errors(self) -> None:
        from etm_desktop.reports.table_xlsx import write_table_xlsx

        path, _ = QFileDialog.getSaveFileName(self, "Сохранить ошибки импорта", "ошибки-импорта.xlsx",
                                              WORKBOOK_FILTER)
        if not path:
            return
        try:
            write_table_xlsx(path, [c.title for c in ERROR_COLUMNS], self.error_model.rows,
                             title="Ошибки импорта")
        except OSError as error:
            QMessageBox.warning(self, "Ошибки импорта", "Не удалось записать файл: {0}".format(error))


def run_export(context: AppContext, parent: QWidget | None, path: str) -> QProgressDialog:
    """Write the whole database to ``path`` in the background; the result goes to the status bar."""
    from etm_desktop.exchange.exporter import export_workbook

    dialog = QProgressDialog("Выгрузка книги обмена…", "", 0, 0, parent)
    dialog.setWindowTitle("Экспорт")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setCancelButton(None)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.show()

    def progressed(done: int, total: int, stage: str) -> None:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(min(done, max(total, 1)))
        dialog.setLabelText(stage)

    def done(_result) -> None:
        dialog.close()
        text = "Книга обмена записана: {0}".format(path)
        status_bar = getattr(parent, "statusBar", None)
        if callable(status_bar):
            status_bar().showMessage(text, 10_000)
        else:
            QMessageBox.information(parent, "Экспорт", text)

    def failed(error: Exception) -> None:
        from etm_desktop.gui.dialogs import show_error

        dialog.close()
        if isinstance(error, PermissionError):
            text = "Не удалось записать файл {0}: нет доступа (файл открыт в Excel?)".format(path)
        else:
            text = "Выгрузка не выполнена: {0}".format(error)
        show_error(parent, "Экспорт", text, getattr(error, "__traceback_text__", ""))

    database = context.database
    context.runner.run(lambda progress: export_workbook(database, path, progress=progress),
                       on_done=done, on_error=failed, on_progress=progressed)
    return dialog
