"""Starting the program's window (``etm-desktop`` with no command)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator


def make_application():
    """The QApplication, in Russian (Qt's own dialogs too), with the bundled fonts registered."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("ETM Desktop")
    app.setOrganizationName("ETM")
    QLocale.setDefault(QLocale(QLocale.Language.Russian, QLocale.Country.Russia))
    translations = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    app._translators = []
    for name in ("qtbase_ru", "qt_ru"):
        translator = QTranslator(app)
        if translator.load(name, translations):
            app.installTranslator(translator)
            app._translators.append(translator)
    from etm_desktop.gui.fonts import register_bundled_fonts

    register_bundled_fonts()
    return app


def open_main_window(database, where: str = "") -> int:
    """Show the main window on ``database`` and run until it closes; returns the exit status."""
    app = make_application()
    from etm_desktop.gui.context import AppContext
    from etm_desktop.gui.main_window import MainWindow

    window = MainWindow(AppContext.create(database), where=where)
    window.show()
    return app.exec()
