"""One fresh GUI process for figure 5 (run by ``figures_gui``, prints one JSON line).

    python -m tests.perf.gui_probe DB_PATH SETTINGS_INI KEYSTROKES

Offscreen. Times: main window shown and its first tab (Сотрудники) loaded since
the start of this module; switching to «Соответствие нормам» until its grid is
shown; ``KEYSTROKES`` keystrokes of the client filter over every client (each
``ClientsTab.proxy.set_text`` of one character from an empty filter, plus the
processing of the events it posts). Peak memory (VmHWM, the peak resident
set) is read right after the first tab has loaded. Events are processed through
a QEventLoop instance: the static ``QCoreApplication.processEvents`` leaks in PySide6 6.12;
the probe waits for them as ``app.exec`` does (``WaitForMoreEvents``), never spinning.
"""

from __future__ import annotations

import time

START = time.perf_counter()

import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TIMEOUT_S = 120.0


def _peak_mb() -> float:
    """This process's peak resident memory so far: VmHWM (its own mm, not what exec inherited)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main(argv: list[str]) -> int:
    db_path, settings_path, keystrokes = argv[0], argv[1], int(argv[2])
    from PySide6.QtCore import QEventLoop, QSettings, QTimer

    from etm_desktop.db.database import open_database
    from etm_desktop.gui.app import make_application
    from etm_desktop.gui.context import AppContext
    from etm_desktop.gui.main_window import MainWindow
    from etm_desktop.gui.tabs.clients import ClientsTab
    from etm_desktop.gui.tabs.compliance import ComplianceTab
    from etm_desktop.gui.tabs.employees import EmployeesTab

    app = make_application()
    assert app is not None  # kept alive for the whole probe
    loop = QEventLoop()

    # Waiting as the program's own event loop (``app.exec``) waits: blocked until an event arrives
    # (the worker's result is one). Spinning on ``processEvents`` instead takes the GIL back every few
    # microseconds and slowed the worker's grid about twofold. The timer only wakes the loop to check
    # the timeout.
    waker = QTimer()
    waker.start(50)

    def pump(until, what: str) -> None:
        deadline = time.perf_counter() + TIMEOUT_S
        while not until():
            if time.perf_counter() > deadline:
                raise TimeoutError(f"GUI probe: {what} not reached in {TIMEOUT_S:.0f} s")
            loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents | QEventLoop.ProcessEventsFlag.WaitForMoreEvents)

    database = open_database(db_path)
    settings = QSettings(settings_path, QSettings.Format.IniFormat)
    context = AppContext.create(database, settings=settings)
    window = MainWindow(context)
    window.show()
    pump(window.isVisible, "window shown")
    loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)
    shown = time.perf_counter() - START
    page = lambda cls: next(p for p in window.tab_pages if isinstance(p, cls))  # noqa: E731
    first = window.tabs.currentWidget()
    if not isinstance(first, EmployeesTab):
        raise RuntimeError(f"the first tab is {type(first).__name__}, not the employees tab")
    pump(lambda: not context.runner.busy and not first._stale, "first tab loaded")
    loaded = time.perf_counter() - START
    peak_mb = _peak_mb()

    compliance = page(ComplianceTab)
    start = time.perf_counter()
    window.tabs.setCurrentWidget(compliance)
    pump(lambda: not context.runner.busy and compliance.model.rowCount() > 0, "compliance tab loaded")
    switch = time.perf_counter() - start

    clients = page(ClientsTab)
    window.tabs.setCurrentWidget(clients)
    pump(lambda: not context.runner.busy and clients.model.rowCount() > 0, "clients tab loaded")
    rows = clients.model.rowCount()
    letters = "оаеи1234ст"
    strokes = []
    for i in range(keystrokes):
        clients.proxy.set_text("")
        loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)
        start = time.perf_counter()
        clients.proxy.set_text(letters[i % len(letters)])
        loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)
        strokes.append(time.perf_counter() - start)
    print(json.dumps({"shown_s": shown, "first_tab_loaded_s": loaded, "peak_start_mb": peak_mb,
                      "switch_compliance_s": switch, "keystrokes_s": strokes, "client_rows": rows}))
    sys.stdout.flush()
    os._exit(0)  # no teardown of Qt and the worker threads: it is not measured


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
