"""Opening the workbook with python-calamine and cutting each exchange sheet into columns.

A sheet becomes a :class:`SheetTable`: the Excel row numbers of its non-empty data
rows and, per recognised column, the raw cell values of those rows. Parsing the
values is :mod:`etm_desktop.exchange.columns`' job.

Calamine parses a sheet's XML without holding the GIL, so :func:`iter_tables`
parses the next sheet in a background thread while the caller checks the current
one.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from python_calamine import CalamineWorkbook

from etm_desktop.exchange import messages as msg
from etm_desktop.exchange.errors import Problems, failed
from etm_desktop.exchange.sheets import SHEETS, Sheet, normalize_header


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
    """The workbook at ``path``, or ImportFailed with one file-level problem."""
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise failed(msg.FILE_NOT_FOUND.format(path))
    try:
        return CalamineWorkbook.from_path(path)
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


def table_from_rows(sheet: Sheet, rows: list[list], problems: Problems) -> SheetTable:
    """Match the header (row 1) and keep the non-empty data rows of the known columns."""
    header = rows[0] if rows else []
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

    data = rows[1:]
    columns = {key: [row[index] for row in data] for key, index in positions.items()}
    numbers = range(2, len(data) + 2)
    if any("" in values for values in columns.values()):
        # Some cells are empty: drop the rows whose known cells are all empty.
        blank = ("",) * len(columns)
        keep = [i for i, cells in enumerate(zip(*columns.values())) if cells != blank]
        if len(keep) < len(data):
            columns = {key: [values[i] for i in keep] for key, values in columns.items()}
            numbers = [i + 2 for i in keep]
    return SheetTable(sheet, list(numbers), columns, frozenset(c.key for c in missing))


def iter_tables(workbook: CalamineWorkbook, present: list[tuple[Sheet, str]],
                problems: Problems, on_sheet=None) -> Iterator[SheetTable | None]:
    """Yield a table per present sheet, in order; None for a sheet that cannot be read.

    ``on_sheet(sheet)`` is called before each sheet is turned into rows (for progress).
    """
    if not present:
        return

    def load(name: str):
        return workbook.get_sheet_by_name(name)

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="xlsx-read") as pool:
        pending: Future = pool.submit(load, present[0][1])
        for index, (sheet, name) in enumerate(present):
            current = pending
            if index + 1 < len(present):
                pending = pool.submit(load, present[index + 1][1])
            if on_sheet is not None:
                on_sheet(sheet)
            try:
                rows = current.result().to_python(skip_empty_area=False)
            except BaseException as error:  # noqa: BLE001 - see _unexpected
                if not _unexpected(error):
                    raise
                problems.add(msg.SHEET_UNREADABLE.format(error), sheet=sheet.name)
                yield None
                continue
            table = table_from_rows(sheet, rows, problems)
            del rows
            yield table

