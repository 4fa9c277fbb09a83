"""Exporting the whole database as an exchange workbook (round-trips with the importer).

Codes and names are text cells — also when they look like numbers or start with
``=``, ``+``, ``-`` or ``@`` (never a formula); dates are real Excel dates, months
the month's first day shown as ГГГГ-ММ, money numbers. The file appears
atomically: written next to the target under a temporary name, then renamed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

import xlsxwriter

from etm_desktop.atomic_file import replacing
from etm_desktop.db.database import Database
from etm_desktop.exchange import messages as msg
from etm_desktop.exchange.export_queries import COUNTS, QUERIES
from etm_desktop.exchange.sheets import SHEETS, Sheet

#: How each column is written: text, date, month or money (by column key; default text).
KINDS = {
    "hire_date": "date", "novice_date": "date", "dismissal_date": "date", "start_date": "date",
    "valid_from": "date", "as_of": "date", "date": "date", "month": "month", "amount": "money",
}
WORKBOOK_OPTIONS = {
    "constant_memory": True,  # rows are streamed to disk: a million turnover rows fit in memory
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}
MAX_WIDTH = 60


class _Formats:
    def __init__(self, workbook: xlsxwriter.Workbook):
        self.required = workbook.add_format({"bold": True, "bottom": 1})
        self.optional = workbook.add_format({"bottom": 1})
        self.date = workbook.add_format({"num_format": "dd.mm.yyyy"})
        self.month = workbook.add_format({"num_format": "yyyy-mm"})
        self.money = workbook.add_format({"num_format": "#,##0.00"})


class _Progress:
    """Progress in rows written, against the row counts taken before writing."""

    EVERY = 10_000

    def __init__(self, callback, total: int):
        self.callback, self.total, self.done = callback, total, 0

    def report(self, stage: str) -> None:
        if self.callback is not None:
            self.callback(min(self.done, self.total), self.total, stage)


def export_workbook(database: Database, path: str | os.PathLike, *,
                    progress: Callable[[int, int, str], None] | None = None) -> None:
    """Write every exchange sheet of ``database`` to ``path`` (replacing it only when done).

    ``progress(done, total, stage)`` counts rows written (plus one step for saving the file).
    """
    with replacing(path) as temporary:
        workbook = xlsxwriter.Workbook(str(temporary), WORKBOOK_OPTIONS)
        formats = _Formats(workbook)
        with database.session() as session:
            tracker = _Progress(progress, sum(count(session) for count in COUNTS.values()) + 1)
            for sheet in SHEETS:
                _write_sheet(workbook, formats, sheet, QUERIES[sheet.name](session), tracker)
        tracker.report(msg.STAGE_SAVE_FILE)
        workbook.close()
    tracker.done = tracker.total
    tracker.report(msg.STAGE_DONE)


def _write_sheet(workbook, formats: _Formats, sheet: Sheet, rows: Iterable[tuple],
                 tracker: _Progress) -> None:
    stage = msg.STAGE_EXPORT.format(sheet.name)
    tracker.report(stage)
    worksheet = workbook.add_worksheet(sheet.name)
    widths = [len(column.header) + 2 for column in sheet.columns]
    for index, column in enumerate(sheet.columns):
        style = formats.required if column.required else formats.optional
        worksheet.write_string(0, index, column.header, style)
    kinds = [KINDS.get(column.key, "text") for column in sheet.columns]
    write_string, write_datetime, write_number = (
        worksheet.write_string, worksheet.write_datetime, worksheet.write_number)
    number = 0
    for number, row in enumerate(rows, start=1):
        for index, (kind, value) in enumerate(zip(kinds, row)):
            if value is None or value == "":
                continue
            if kind == "text":
                write_string(number, index, value)
                if len(value) + 2 > widths[index]:
                    widths[index] = min(len(value) + 2, MAX_WIDTH)
            elif kind == "money":
                write_number(number, index, value, formats.money)
            else:
                write_datetime(number, index, value, formats.month if kind == "month" else formats.date)
        if not number % _Progress.EVERY:
            tracker.done += _Progress.EVERY
            tracker.report(stage)
    tracker.done += number % _Progress.EVERY
    for index, width in enumerate(widths):  # with constant_memory widths apply to the whole column
        worksheet.set_column(index, index, max(width, 12 if kinds[index] != "text" else width))
    worksheet.freeze_panes(1, 0)
    if number:
        worksheet.autofilter(0, 0, number, len(sheet.columns) - 1)

