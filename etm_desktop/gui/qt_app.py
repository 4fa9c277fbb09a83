"""Getting a Qt application object for work without a window (PDF, screenshots)."""

from __future__ import annotations

import os
import sys


def ensure_gui_application():
    """The running QGuiApplication/QApplication, or a new QApplication (offscreen when there is no display)."""
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    app = QGuiApplication.instance()
    if app is None:
        # a QApplication, not a bare QGuiApplication: widgets may follow in the same process
        app = QApplication(sys.argv[:1])
    from etm_desktop.gui.fonts import register_bundled_fonts

    register_bundled_fonts()
    return app
