"""The main window on the small demo, the first-run screen on an empty database, and ``screenshots``."""

from __future__ import annotations

from datetime import date

import pytest

from tests.gui.conftest import wait_idle


@pytest.fixture
def no_message_boxes(monkeypatch):
    """Every message box is recorded instead of shown (a modal box would hang the test)."""
    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(self.text()) or 0)
    for name in ("critical", "warning", "information", "about"):
        monkeypatch.setattr(QMessageBox, name, lambda *args, _n=name, **kw: shown.append((_n, args)) or 0)
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *args, **kw: shown.append(("question", args)) or QMessageBox.StandardButton.No)
    return shown


def make_window(qtbot, context):
    from etm_desktop.gui.main_window import MainWindow

    window = MainWindow(context)
    qtbot.addWidget(window)
    return window


@pytest.fixture
def window(qtbot, gui_context, no_message_boxes):
    window = make_window(qtbot, gui_context)
    window.show()
    wait_idle(qtbot, gui_context)
    yield window
    wait_idle(qtbot, gui_context)


def test_every_tab_constructs_and_loads_without_an_error(qtbot, window, gui_context, no_message_boxes):
    from etm_desktop.gui.main_window import TAB_CLASSES

    assert window.stack.currentWidget() is window.tabs
    assert window.tabs.count() == len(TAB_CLASSES) == 6
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        wait_idle(qtbot, gui_context, timeout=60_000)
        page = window.tabs.currentWidget()
        assert page.title and window.tabs.tabText(index) == page.title
        assert not page._stale
    assert no_message_boxes == []


def test_ctrl_digits_switch_tabs(qtbot, window):
    from PySide6.QtCore import Qt

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    for number in (3, 6, 1, 2, 5, 4):
        qtbot.keyClick(window, getattr(Qt.Key, "Key_{0}".format(number)), Qt.KeyboardModifier.ControlModifier)
        assert window.tabs.currentIndex() == number - 1


def test_the_window_remembers_geometry_and_tab(qtbot, gui_context, no_message_boxes):
    from etm_desktop.gui.context import AppContext

    first = make_window(qtbot, gui_context)
    first.resize(701, 523)  # inside the offscreen screen (restoreGeometry clamps to it)
    first.show()
    first.tabs.setCurrentIndex(3)
    wait_idle(qtbot, gui_context, timeout=60_000)
    saved = (first.width(), first.height())  # the minimum size may widen the asked one
    assert saved != (1280, 800)
    first.close()
    gui_context.settings.sync()

    again = AppContext.create(gui_context.database, settings=gui_context.settings, month=date(2026, 11, 1))
    second = make_window(qtbot, again)
    assert second.tabs.currentIndex() == 3
    # read right after restoreGeometry: once the tab loads, its content may widen the minimum size
    assert (second.width(), second.height()) == saved
    second.show()
    wait_idle(qtbot, again, timeout=60_000)
    second.close()
    again.runner.wait()


def test_the_title_has_the_version(window):
    from etm_desktop import __version__

    assert __version__ in window.windowTitle() and window.windowTitle().startswith("ETM Desktop")


def test_about_box_names_the_version(window, no_message_boxes):
    from etm_desktop import __version__

    window.show_about()
    assert no_message_boxes and __version__ in str(no_message_boxes[-1])


def test_the_first_run_panel_fills_an_empty_database_with_the_demo(qtbot, empty_context, no_message_boxes):
    from PySide6.QtCore import Qt

    window = make_window(qtbot, empty_context)
    window.show()
    assert window.stack.currentWidget() is window.first_run
    assert window.first_run.database_is_empty()
    with qtbot.waitSignal(window.first_run.finished, timeout=180_000):
        qtbot.mouseClick(window.first_run.demo_button, Qt.MouseButton.LeftButton)
        assert not window.first_run.busy.isHidden()
    wait_idle(qtbot, empty_context, timeout=120_000)
    assert not window.first_run.database_is_empty()
    assert window.stack.currentWidget() is window.tabs
    assert no_message_boxes == []


def test_the_first_run_import_button_finishes_after_an_import(qtbot, empty_context, monkeypatch):
    from etm_desktop.gui.first_run import FirstRunPanel
    from etm_desktop.gui.import_wizard import ImportDialog

    panel = FirstRunPanel(empty_context)
    qtbot.addWidget(panel)
    monkeypatch.setattr(ImportDialog, "exec", lambda self: 0)
    with qtbot.assertNotEmitted(panel.finished):
        panel.import_button.click()
    monkeypatch.setattr(ImportDialog, "exec", lambda self: 1)
    with qtbot.waitSignal(panel.finished, timeout=1_000):
        panel.import_button.click()


def test_slugs_are_ascii_file_names():
    from etm_desktop.gui.screenshots import slug

    assert slug("Сотрудники") == "sotrudniki"
    assert slug("Соответствие нормам") == "sootvetstvie-normam"
    assert slug("Служебные записки") == "sluzhebnye-zapiski"


def test_the_cli_knows_the_screenshots_command():
    from etm_desktop.cli.parser import build_parser

    args = build_parser().parse_args(["screenshots", "--out", "shots"])
    assert args.out == "shots" and args.handler.__name__ == "run_screenshots"


def _is_flat(image) -> bool:
    first = image.pixel(0, 0)
    step_x, step_y = max(1, image.width() // 40), max(1, image.height() // 40)
    return all(image.pixel(x, y) == first
               for x in range(0, image.width(), step_x) for y in range(0, image.height(), step_y))


def test_screenshots_write_one_real_png_per_tab_plus_editor_and_card(qapp, small_demo, tmp_path,
                                                                       no_message_boxes, monkeypatch):
    from PySide6.QtGui import QImage

    from etm_desktop.gui import screenshots
    from etm_desktop.gui.main_window import TAB_CLASSES

    marks = []
    shoot_editor = screenshots._shoot_memo_editor
    monkeypatch.setattr(screenshots, "_shoot_memo_editor",
                        lambda shooter, window: marks.append(shoot_editor(shooter, window)) or marks[-1])
    paths = screenshots.render_screenshots(small_demo, tmp_path / "shots")
    assert marks and "breach" in marks[0].values()  # the editor shot shows a highlighted breach
    assert len(paths) == len(TAB_CLASSES) + 2
    assert paths[0].name == "01-sotrudniki.png"
    assert paths[-2].name.endswith("redaktor-zapiski.png") and paths[-1].name.endswith("kartochka-klienta.png")
    for path in paths:
        assert path.stat().st_size > 0
        image = QImage(str(path))
        assert not image.isNull(), path
        assert not _is_flat(image), path
    assert no_message_boxes == []
