"""Opening the workbook with python-calamine and cutting each exchange sheet into columns.

A sheet becomes a :class:`SheetTable`: the Excel row numbers of its non-empty data
rows and, per recognised column, the raw cell values of those rows. Parsing the
values is :mod:`etm_desktop.exchange.columns`' job.

Calamine parses a sheet's XML without holding the GIL, so :func:`iter_tables`
parses the next sheets in background threads (one per workbook instance) while the
caller checks the current one.
"""

from __future__ import annotations

import os
from sys import intern
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from queue import Queue
from dataclasses import dataclass, field

from python_calamine import CalamineSheet, CalamineWorkbook

from etm_desktop.exchange import messages as msg
from etm_desktop.exchange.errors import Problems, failed
from etm_desktop.exchange.sheets import SHEETS, Sheet, normalize_header
from etm_desktop.exchange.zip_guard import check_archive


@dataclass
class SheetTable:
    """One sheet's data rows, column by column (raw cell values as calamine gives them)."""

    sheet: Sheet
    rows: list[int]  # Excel row numbers (header = 1) of the data rows kept
    cells: dict[str, list] = field(default_factory=dict)  # column key -> values aligned with rows
    missing: frozenset[str] = frozenset()  # required columns the header lacks (already reported)

    def __len__(self) -> int:
        return len(self.rows)

    def has(self, key: str) -> bool:
        return key in self.cells


def _unexpected(error: BaseException) -> bool:
    """Calamine reports broken files with its own exceptions and, from Rust panics,
    with a BaseException subclass; everything but a deliberate exit is a broken file."""
    return not isinstance(error, (KeyboardInterrupt, SystemExit, GeneratorExit))


def open_workbook(path: str | os.PathLike) -> CalamineWorkbook:
    """The workbook at ``path``, or ImportFailed with one file-level problem
    (also for an archive that would expand beyond the limits of :mod:`zip_guard`)."""
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise failed(msg.FILE_NOT_FOUND.format(path))
    check_archive(path)  # a zip bomb is refused before any part of it is decompressed
    try:
        return CalamineWorkbook.from_path(path)
    except BaseException as error:  # noqa: BLE001 - see _unexpected
        if not _unexpected(error):
            raise
        raise failed(msg.FILE_UNREADABLE.format(error)) from None


def reopen_workbook(path: str | os.PathLike) -> CalamineWorkbook:
    """Another instance on a file :func:`open_workbook` has accepted (opening reads only its index)."""
    try:
        return CalamineWorkbook.from_path(os.fspath(path))
    except BaseException as error:  # noqa: BLE001 - see _unexpected
        if not _unexpected(error):
            raise
        raise failed(msg.FILE_UNREADABLE.format(error)) from None


def present_sheets(workbook: CalamineWorkbook) -> list[tuple[Sheet, str]]:
    """The exchange sheets the workbook holds, in ``SHEETS`` order, with their names as
    written (matched ignoring case and surrounding spaces; unknown sheets are ignored)."""
    written = {}
    for name in workbook.sheet_names:
        written.setdefault(normalize_header(name), name)
    return [(sheet, written[normalize_header(sheet.name)])
            for sheet in SHEETS if normalize_header(sheet.name) in written]


def _header_positions(sheet: Sheet, header: list, problems: Problems) -> tuple[dict[str, int], list]:
    """Column key -> position in the header row; reports doubled and missing required columns."""
    wanted = {normalize_header(column.header): column for column in sheet.columns}
    positions: dict[str, int] = {}
    for index, title in enumerate(header):
        column = wanted.get(normalize_header(title))
        if column is None:
            continue
        if column.key in positions:
            problems.add(msg.COLUMN_TWICE.format(column.header), sheet=sheet.name, row=1,
                         column=column.header)
            continue
        positions[column.key] = index
    missing = [column for column in sheet.columns if column.required and column.key not in positions]
    for column in missing:
        problems.add(msg.COLUMN_MISSING.format(column.header), sheet=sheet.name, row=1,
                     column=column.header)
    return positions, missing


def table_from_rows(sheet: Sheet, rows: Iterable[list], problems: Problems, *,
                    last_row: int | None = None) -> SheetTable:
    """Match the header (the first row) and keep the non-empty data rows of the known columns.

    ``rows`` may be an iterator: only the known columns' cells are kept, never whole rows
    (a million-row sheet is not held twice). The first row is Excel's row 1, unless
    ``last_row`` (the Excel number of the last row) says otherwise.
    """
    rows = iter(rows)
    header = next(rows, [])
    positions, missing = _header_positions(sheet, header, problems)
    keys = list(positions)
    kept: list[list] = [[] for _ in keys]
    pairs = list(zip([values.append for values in kept], [positions[key] for key in keys]))
    count = 0
    for row in rows:
        count += 1
        width = len(row)
        for append, index in pairs:
            value = row[index] if index < width else ""
            # a code or month repeats on many rows: keep one string object per distinct text
            append(intern(value) if value.__class__ is str else value)
    columns = dict(zip(keys, kept))
    first_row = 1 if last_row is None else max(1, last_row - count)
    numbers = range(first_row + 1, first_row + 1 + count)
    if any("" in values for values in columns.values()):
        # Some cells are empty: drop the rows whose known cells are all empty.
        blank = ("",) * len(columns)
        keep = [i for i, cells in enumerate(zip(*columns.values())) if cells != blank]
        if len(keep) < count:
            columns = {key: [values[i] for i in keep] for key, values in columns.items()}
            numbers = [first_row + 1 + i for i in keep]
    return SheetTable(sheet, list(numbers), columns, frozenset(c.key for c in missing))


def table_from_sheet(sheet: Sheet, data: CalamineSheet, problems: Problems) -> SheetTable:
    """The table of a loaded calamine sheet, streamed row by row (see :func:`table_from_rows`).

    calamine's row iterator starts at Excel's row 1, like ``to_python(skip_empty_area=False)``
    (it trims empty leading columns, which only shifts every row alike); the rows are
    numbered back from the sheet's last row, so they stay right should it ever start later.
    """
    end = data.end
    if end is None:
        return table_from_rows(sheet, [], problems)
    return table_from_rows(sheet, data.iter_rows(), problems, last_row=end[0] + 1)


def iter_tables(workbook: CalamineWorkbook, present: list[tuple[Sheet, str]],
                problems: Problems, on_sheet=None, *, copies: Iterable[CalamineWorkbook] = ()) -> Iterator[SheetTable | None]:
    """Yield a table per present sheet, in order; None for a sheet that cannot be read.

    ``on_sheet(sheet)`` is called before each sheet is turned into rows (for progress).
    ``copies`` are other instances opened on the same file: a calamine workbook loads one
    sheet at a time, so each copy lets one more sheet load at once, in its own thread
    (the big turnover sheet then starts loading while the small ones before it are checked).
    """
    if not present:
        return
    free: Queue[CalamineWorkbook] = Queue()
    for book in (workbook, *copies):
        free.put(book)
    workers = free.qsize()

    def load(name: str):
        book = free.get()
        try:
            return book.get_sheet_by_name(name)
        finally:
            free.put(book)

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="xlsx-read") as pool:
        # at most one sheet per worker loaded ahead of the one being checked (bounded memory)
        ahead = [pool.submit(load, name) for _sheet, name in present[:workers + 1]]
        try:
            for index, (sheet, _name) in enumerate(present):
                current = ahead.pop(0)
                following = index + workers + 1
                if following < len(present):
                    ahead.append(pool.submit(load, present[following][1]))
                if on_sheet is not None:
                    on_sheet(sheet)
                try:
                    table = table_from_sheet(sheet, current.result(), problems)
                except BaseException as error:  # noqa: BLE001 - see _unexpected
                    if not _unexpected(error):
                        raise
                    problems.add(msg.SHEET_UNREADABLE.format(error), sheet=sheet.name)
                    table = None
                current = None  # the loaded sheet (calamine's own copy of the cells) is freed now
                yield table
        finally:
            for future in ahead:  # the caller stopped early (a problem): load nothing more
                future.cancel()
