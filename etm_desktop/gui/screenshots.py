"""``etm-desktop screenshots``: every tab of the main window, the memo editor and the client card, to PNG."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

WINDOW_SIZE = (1400, 900)
_LATIN = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                  ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r",
                   "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "iu", "ia"]))


def slug(title: str) -> str:
    """«Соответствие нормам» → ``sootvetstvie-normam`` (file names stay ASCII)."""
    text = "".join(_LATIN.get(ch, ch) for ch in title.lower())
    words = "".join(ch if ch.isascii() and ch.isalnum() else " " for ch in text).split()
    return "-".join(words) or "tab"


def _application():
    """The QApplication, offscreen when there is no display."""
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from etm_desktop.gui.app import make_application

    return make_application()


def _process_events() -> None:
    """Process pending events through a QEventLoop: PySide6 6.12's static processEvents leaks a
    reference to None on every call and aborts the process after ~100,000 calls."""
    from PySide6.QtCore import QEventLoop

    QEventLoop().processEvents()


def settle(app, context, timeout: float = 120.0) -> None:
    """Process events until the background runner is idle and its results reached the widgets."""
    deadline = time.monotonic() + timeout
    quiet_rounds = 0
    while time.monotonic() < deadline and quiet_rounds < 3:
        _process_events()
        if context.runner.busy:
            quiet_rounds = 0
            context.runner.wait(50)
        else:
            quiet_rounds += 1
            time.sleep(0.02)
    _process_events()


def _new_top_levels(app, before: set, window):
    """Visible top-level windows that appeared since ``before`` (an editor or a card in its own window)."""
    return [w for w in app.topLevelWidgets() if w.isVisible() and w is not window and w not in before]


class _Shooter:
    """Saves numbered PNGs of widgets into one folder."""

    def __init__(self, app, context, out_dir: Path):
        self.app, self.context, self.out_dir = app, context, out_dir
        self.paths: list[Path] = []
        self.highlighted: dict[int, str] = {}  # memo editor lines marked breach / warning

    def save(self, widget, name: str) -> Path:
        settle(self.app, self.context)
        path = self.out_dir / "{0:02d}-{1}.png".format(len(self.paths) + 1, name)
        if not widget.grab().save(str(path), "PNG"):
            raise OSError("Не удалось записать {0}".format(path))
        self.paths.append(path)
        return path


def _first_filled_table(page):
    """The first table view of ``page`` that shows rows."""
    from PySide6.QtWidgets import QTableView

    for view in page.findChildren(QTableView):
        model = view.model()
        if model is not None and model.rowCount() > 0:
            return view
    return None


def _wait_for_check(app, context, editor, timeout: float = 60.0) -> None:
    """Wait until the editor's debounced live validation has run and its result is shown."""
    checker = getattr(editor, "checker", None)
    deadline = time.monotonic() + timeout
    while checker is not None and getattr(checker, "pending", False) and time.monotonic() < deadline:
        _process_events()
        context.runner.wait(20)
        time.sleep(0.01)
    settle(app, context)


def _shoot_memo_editor(shooter: _Shooter, window) -> dict[int, str]:
    """Open a draft that breaks the KB maximum in the memo editor, grab it; returns the highlighted lines."""
    from etm_desktop.gui.screenshot_draft import breach_draft

    context, memos = shooter.context, window.tab_pages[2]
    draft = breach_draft(context.database, context.state.month)
    before = set(shooter.app.topLevelWidgets())
    if draft is not None:
        context.state.memo_requested.emit(draft)  # the window switches to the memos tab, which opens the editor
    else:
        window.tabs.setCurrentWidget(memos)
    editor = getattr(memos, "editor", None)
    _wait_for_check(shooter.app, context, editor)
    extra = _new_top_levels(shooter.app, before, window)
    shooter.save(extra[0] if extra else window, "redaktor-zapiski")
    for widget in extra:
        widget.close()
    highlighted = getattr(editor, "highlighted_lines", None)
    return highlighted() if callable(highlighted) else {}


def _shoot_client_card(shooter: _Shooter, window) -> None:
    """Select the first client of the clients tab and grab the card."""
    page = window.tab_pages[1]
    window.tabs.setCurrentWidget(page)
    settle(shooter.app, shooter.context)
    before = set(shooter.app.topLevelWidgets())
    view = _first_filled_table(page)
    if view is not None:
        view.setFocus()
        view.selectRow(0)
        view.setCurrentIndex(view.model().index(0, 0))
    settle(shooter.app, shooter.context)
    extra = _new_top_levels(shooter.app, before, window)
    shooter.save(extra[0] if extra else window, "kartochka-klienta")
    for widget in extra:
        widget.close()


def render_screenshots(database, out_dir) -> list[Path]:
    """Render every tab, the memo editor with a breach and the client card; returns the PNG paths."""
    app = _application()
    from PySide6.QtCore import QSettings

    from etm_desktop.gui.context import AppContext
    from etm_desktop.gui.main_window import MainWindow

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        settings = QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat)
        context = AppContext.create(database, settings=settings)
        window = MainWindow(context)
        try:
            window.stack.setCurrentWidget(window.tabs)
            window.resize(*WINDOW_SIZE)
            window.show()
            shooter = _Shooter(app, context, out_dir)
            for index, page in enumerate(window.tab_pages):
                window.tabs.setCurrentIndex(index)
                shooter.save(window, slug(page.title))
            shooter.highlighted = _shoot_memo_editor(shooter, window)
            _shoot_client_card(shooter, window)
        finally:
            settle(app, context)
            window.close()
            window.deleteLater()
            _process_events()
    return shooter.paths
