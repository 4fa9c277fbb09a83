"""Figure 4: import of the large demo's exchange workbook into an empty database, beside calamine's bare read."""

from __future__ import annotations

import time
from pathlib import Path

from tests.perf.common import OUT, TODAY, BenchAbort, empty_database, row


def ensure_workbook(db_path: Path) -> Path:
    """Export the large demo once; the workbook is kept in out/perf/."""
    workbook = OUT / "large.xlsx"
    if workbook.exists() and workbook.stat().st_mtime >= db_path.stat().st_mtime:
        return workbook
    from etm_desktop.db.database import open_database
    from etm_desktop.exchange.exporter import export_workbook

    database = open_database(str(db_path))
    try:
        export_workbook(database, workbook)
    finally:
        database.dispose()
    return workbook


def bare_read(path: Path) -> None:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()


def import_figures(db_path: Path, runs: int) -> list[dict]:
    from etm_desktop.db.database import open_database
    from etm_desktop.exchange.importer import import_workbook

    workbook = ensure_workbook(db_path)
    reads = []
    for _ in range(runs):
        start = time.perf_counter()
        bare_read(workbook)
        reads.append(time.perf_counter() - start)
    reads.sort()
    read = reads[len(reads) // 2]
    imports = []
    target = OUT / "import-target.sqlite"
    for _ in range(runs):
        empty_database(target)
        database = open_database(str(target))
        try:
            start = time.perf_counter()
            report = import_workbook(database, workbook, today=TODAY)
            imports.append(time.perf_counter() - start)
        finally:
            database.dispose()
        if not report.changed:
            raise BenchAbort("the import of the large workbook changed nothing")
    for leftover in (target, Path(str(target) + "-wal"), Path(str(target) + "-shm")):
        leftover.unlink(missing_ok=True)
    return [
        row(f"large: python-calamine bare read of the workbook ({workbook.stat().st_size / 2**20:.0f} MB)", reads),
        row("large: import of the workbook into an empty database", imports, read, target="≤ 1.5× bare read",
            limit=1.5, limit_on_ratio=True),
    ]
