"""``etm-desktop --smoke``: the real main window on a temporary database with the small demo, a grid, a memo PDF."""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

log = logging.getLogger(__name__)


def process_age() -> float | None:
    """Seconds since this process started (Linux /proc), or None where it cannot be told."""
    try:
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        started = int(fields[19]) / os.sysconf("SC_CLK_TCK")
        return time.clock_gettime(time.CLOCK_BOOTTIME) - started
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def _counts(database) -> tuple[int, int]:
    from sqlalchemy import func, select

    from etm_desktop.db.models import Client, Employee

    with database.session() as session:
        return (session.scalar(select(func.count()).select_from(Employee)) or 0,
                session.scalar(select(func.count()).select_from(Client)) or 0)


def _small_draft(database, on: date):
    """A one-line unbinding draft of some bound client (parsed, ready to store)."""
    from sqlalchemy import select

    from etm_desktop.db.models import Binding, Client, Employee
    from etm_desktop.memos.draft import parse_memo

    with database.session() as session:
        row = session.execute(
            select(Client.code, Employee.tab_no).join(Binding, Binding.client_id == Client.id)
            .join(Employee, Employee.id == Binding.employee_id).order_by(Client.code).limit(1)).first()
    if row is None:
        raise RuntimeError("в демонстрационной базе нет закреплений")
    return parse_memo({"date": on.isoformat(), "subject": "Проверка сборки", "author": "smoke",
                       "lines": [{"action": "unbind", "client": row[0], "from": row[1],
                                  "reason": "проверка сборки"}]})


def _write_documents(database, number: str, grid, scratch: Path) -> None:
    """The memo as .docx and the grid workbook, read back: every bundled writer and reader works."""
    import openpyxl
    from python_calamine import CalamineWorkbook

    from etm_desktop.reports.grid_xlsx import write_grid_xlsx
    from etm_desktop.reports.memo_docx import memo_docx

    memo_docx(database, number, scratch / "memo.docx")
    workbook = write_grid_xlsx(grid, scratch / "grid.xlsx")
    if not CalamineWorkbook.from_path(str(workbook)).sheet_names:
        raise RuntimeError("книга сетки не читается")
    openpyxl.load_workbook(workbook, read_only=True).close()


def _postgres_driver() -> str:
    """The bundled PostgreSQL driver loads with its libpq (a shared database needs it); its version."""
    from sqlalchemy import create_engine

    from etm_desktop.db.database import database_url

    engine = create_engine(database_url("postgresql://smoke@localhost/etm"))  # no connection is made
    if engine.dialect.driver != "psycopg":
        raise RuntimeError("драйвер PostgreSQL не psycopg: " + engine.dialect.driver)
    import psycopg

    version = psycopg.pq.version()
    return "{0}.{1}".format(version // 10000, version % 10000)


def _open_window(app, database, scratch: Path):
    """The main window on ``database`` with throw-away settings, shown and settled; (window, context)."""
    from PySide6.QtCore import QSettings

    from etm_desktop.gui.context import AppContext
    from etm_desktop.gui.main_window import MainWindow
    from etm_desktop.gui.screenshots import settle

    settings = QSettings(str(scratch / "settings.ini"), QSettings.Format.IniFormat)
    context = AppContext.create(database, settings=settings)
    window = MainWindow(context, where="smoke")
    window.show()
    settle(app, context)
    if window.stack.currentWidget() is not window.tabs:
        raise RuntimeError("главное окно не показало вкладки (база пуста?)")
    return window, context


def smoke(scratch: Path) -> str:
    """Run every step in ``scratch``; returns the result line (raises on a failure)."""
    started = time.perf_counter()
    age = process_age()
    from etm_desktop.db.database import open_database
    from etm_desktop.demo import generate

    database = open_database(str(scratch / "smoke.sqlite"))
    try:
        generate(database, scale="small")
        employees, clients = _counts(database)
        demo_s = time.perf_counter() - started
        from etm_desktop.gui.app import make_application

        app = make_application()
        if not getattr(app, "_translators", None):
            raise RuntimeError("не загружен русский перевод Qt (qtbase_ru.qm)")
        window, context = _open_window(app, database, scratch)
        window_s = time.perf_counter() - started - demo_s
        from etm_desktop.compliance.service import month_grid
        from etm_desktop.domain.calendar import month_key

        month = context.state.month
        rows = len(month_grid(database, month).managers)
        from etm_desktop.gui.memo_pdf import memo_pdf
        from etm_desktop.memos.store import save_draft

        number = save_draft(database, _small_draft(database, date.today()))
        pdf = scratch / "memo.pdf"
        pages = memo_pdf(database, number, pdf)
        if pages < 1 or not pdf.read_bytes().startswith(b"%PDF"):
            raise RuntimeError("PDF служебной записки не создан")
        _write_documents(database, number, month_grid(database, month), scratch)
        libpq = _postgres_driver()
        window.close()
        context.runner.wait(10_000)
    finally:
        database.dispose()
    total = time.perf_counter() - started
    start_part = "запуск до окна {0:.2f} s, ".format(age + window_s) if age is not None else ""
    return ("smoke ok: {0} сотрудников, {1} клиентов, сетка {2}: {3} строк, PDF {4} стр., libpq {5}, "
            "{6}окно {7:.2f} s, всего {8:.2f} s").format(
        employees, clients, month_key(month), rows, pages, libpq, start_part, window_s, total)


def run_smoke() -> int:
    """The ``--smoke`` option: print one line, exit 0 on success, 1 with the reason on failure."""
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    log.info("smoke: начало")
    try:
        with tempfile.TemporaryDirectory(prefix="etm-smoke-") as scratch:
            line = smoke(Path(scratch))
    except Exception as error:  # noqa: BLE001 - one line for any failure
        log.exception("smoke: ошибка")
        detail = (str(error).strip().splitlines() or [""])[0][:300]
        print("smoke failed: {0}: {1}".format(type(error).__name__, detail), flush=True)
        return 1
    log.info(line)
    print(line, flush=True)
    return 0
