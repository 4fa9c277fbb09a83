"""GUI test fixtures: an AppContext on a private copy of the small demo, settings in a temp file."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def settings(tmp_path, qapp):
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def gui_context(small_demo, settings, qapp):
    """A context on the small demo (month = its last completed month, 2026-11)."""
    from datetime import date

    from etm_desktop.gui.app import make_application
    from etm_desktop.gui.context import AppContext

    make_application()
    context = AppContext.create(small_demo, settings=settings, month=date(2026, 11, 1))
    yield context
    context.runner.wait()


@pytest.fixture
def empty_context(database, settings, qapp):
    from datetime import date

    from etm_desktop.gui.app import make_application
    from etm_desktop.gui.context import AppContext

    make_application()
    context = AppContext.create(database, settings=settings, month=date(2026, 11, 1))
    yield context
    context.runner.wait()


def wait_idle(qtbot, context, timeout: int = 30_000) -> None:
    """Let background work finish and its results reach the widgets."""
    qtbot.waitUntil(lambda: not context.runner.busy, timeout=timeout)
    qtbot.wait(10)
