"""The main window: six tabs, a month picker, menus, shortcuts, remembered layout."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QLocale
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDateEdit,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QToolBar,
)

from etm_desktop import __version__
from etm_desktop.access import Action
from etm_desktop.gui.access import permit, role_label
from etm_desktop.gui.context import AppContext
from etm_desktop.gui.tabs.clients import ClientsTab
from etm_desktop.gui.tabs.compliance import ComplianceTab
from etm_desktop.gui.tabs.control import ControlTab
from etm_desktop.gui.tabs.employees import EmployeesTab
from etm_desktop.gui.tabs.memos import MemosTab
from etm_desktop.gui.tabs.norms import NormsTab

TAB_CLASSES = (EmployeesTab, ClientsTab, MemosTab, ComplianceTab, ControlTab, NormsTab)


class MainWindow(QMainWindow):
    def __init__(self, context: AppContext, *, where: str = ""):
        super().__init__()
        self.context = context
        self.setObjectName("main_window")
        self.setWindowTitle(f"ETM Desktop {__version__}" + (f" — {where}" if where else ""))
        from PySide6.QtGui import QIcon

        from etm_desktop.paths import resources_dir

        self.setWindowIcon(QIcon(str(resources_dir() / "icons" / "etm-desktop.png")))
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("tabs")
        self.tab_pages = [cls(context, self.tabs) for cls in TAB_CLASSES]
        for page in self.tab_pages:
            self.tabs.addTab(page, page.title)
        from etm_desktop.gui.first_run import FirstRunPanel

        self.first_run = FirstRunPanel(context, self)
        self.first_run.finished.connect(self.show_tabs)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.tabs)
        self.stack.addWidget(self.first_run)
        self.setCentralWidget(self.stack)
        self._build_toolbar()
        self._build_menus()
        self.statusBar().addPermanentWidget(role_label(context, self))
        self.statusBar().addPermanentWidget(QLabel(where))
        self._restore_layout()
        context.state.memo_requested.connect(lambda _draft: self.tabs.setCurrentWidget(self.tab_pages[2]))
        if self.first_run.database_is_empty():
            self.stack.setCurrentWidget(self.first_run)
        else:
            self._start_loading_current_tab()

    def _start_loading_current_tab(self) -> None:
        """Start the shown tab's load now, in the background, while the window is still being shown
        (its ``showEvent`` would start it only after the first paint)."""
        page = self.tabs.currentWidget()
        if getattr(page, "_stale", False):
            page.reload()

    # -- layout -----------------------------------------------------------------
    def _build_toolbar(self) -> None:
        bar = QToolBar("Месяц", self)
        bar.setObjectName("month_toolbar")
        bar.addWidget(QLabel(" Месяц: "))
        self.month_edit = QDateEdit(self)
        self.month_edit.setObjectName("month_edit")
        self.month_edit.setLocale(QLocale(QLocale.Language.Russian, QLocale.Country.Russia))
        self.month_edit.setDisplayFormat("MM.yyyy")
        month = self.context.state.month
        self.month_edit.setDate(QDate(month.year, month.month, 1))
        self.month_edit.dateChanged.connect(
            lambda d: self.context.state.set_month(date(d.year(), d.month(), 1)))
        bar.addWidget(self.month_edit)
        self.addToolBar(bar)

    def _action(self, menu, text: str, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&Файл")
        self.import_action = self._action(file_menu, "Импорт из NS2000…", self.open_import, "Ctrl+I")
        permit(self.import_action, self.context, Action.IMPORT)
        self._action(file_menu, "Экспорт книги обмена…", self.export_workbook, "Ctrl+Shift+S")
        self._action(file_menu, "Экспорт таблицы в Excel…", self.export_current_table, "Ctrl+E")
        file_menu.addSeparator()
        self._action(file_menu, "Настройки…", self.open_settings)
        self._action(file_menu, "Выход", self.close, QKeySequence.StandardKey.Quit)
        view_menu = self.menuBar().addMenu("&Вид")
        self._action(view_menu, "Обновить", self.refresh, QKeySequence.StandardKey.Refresh)
        for number, page in enumerate(self.tab_pages, start=1):
            self._action(view_menu, page.title, lambda _=False, p=page: self.tabs.setCurrentWidget(p),
                         f"Ctrl+{number}")
        help_menu = self.menuBar().addMenu("&Справка")
        self._action(help_menu, "О программе", self.show_about)

    def _restore_layout(self) -> None:
        settings = self.context.settings
        geometry = settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        state = settings.value("window/state")
        if state is not None:
            self.restoreState(state)
        self.tabs.setCurrentIndex(int(settings.value("window/tab", 0)))
        for view in self.findChildren(QTableView):
            saved = settings.value(f"columns/{view.objectName()}") if view.objectName() else None
            if saved is not None:
                view.horizontalHeader().restoreState(saved)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        settings = self.context.settings
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())
        settings.setValue("window/tab", self.tabs.currentIndex())
        for view in self.findChildren(QTableView):
            if view.objectName():
                settings.setValue(f"columns/{view.objectName()}", view.horizontalHeader().saveState())
        self.context.runner.wait(10_000)
        super().closeEvent(event)

    # -- actions ----------------------------------------------------------------
    def show_tabs(self) -> None:
        self.stack.setCurrentWidget(self.tabs)
        self.context.state.data_changed.emit()

    def refresh(self) -> None:
        self.context.state.data_changed.emit()

    def open_import(self) -> None:
        from etm_desktop.gui.import_wizard import ImportDialog

        dialog = ImportDialog(self.context, self)
        if dialog.exec():
            self.show_tabs()

    def export_workbook(self) -> None:
        from etm_desktop.gui.import_wizard import run_export

        path, _ = QFileDialog.getSaveFileName(self, "Экспорт книги обмена", "etm-export.xlsx", "Excel (*.xlsx)")
        if path:
            run_export(self.context, self, path)

    def export_current_table(self) -> None:
        from etm_desktop.gui.view_export import export_table_view

        page = self.tabs.currentWidget()
        view = page.export_view() if hasattr(page, "export_view") else None
        if view is None:
            QMessageBox.information(self, "Экспорт", "На этой вкладке нет таблицы для экспорта.")
            return
        path, _ = QFileDialog.getSaveFileName(self, "Экспорт таблицы в Excel", f"{page.title}.xlsx",
                                              "Excel (*.xlsx)")
        if path:
            count = export_table_view(view, path, title=page.title)
            self.statusBar().showMessage(f"Записано строк: {count} — {path}", 8000)

    def open_settings(self) -> None:
        from etm_desktop.gui.settings_dialog import SettingsDialog, stored_database
        from etm_desktop.paths import database_source

        current = self.context.database.display_name
        found, source = database_source(None, stored_database)
        SettingsDialog(parent=self, current=str(current or ""), source=source if found == current else "option").exec()

    def show_about(self) -> None:
        QMessageBox.about(self, "О программе", (
            f"<b>ETM Desktop {__version__}</b><br>"
            "Ведение клиентской базы по регламенту ЭТМ: закрепления (классификатор 37), "
            "нормативы, служебные записки.<br>Шрифты PT Serif / PT Sans © ParaType."))
