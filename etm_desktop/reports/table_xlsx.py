"""Any table as a formatted .xlsx: header, frozen first row, filters, severity colours."""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any, Sequence

import xlsxwriter

from etm_desktop.atomic_file import replacing

FILLS = {"breach": "#FFC7CE", "warning": "#FFEB9C", "ok": "#C6EFCE"}


#: Characters Excel does not allow in a sheet name.
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")


def sheet_title(title: str) -> str:
    """A valid sheet name for ``title``: forbidden characters become spaces, at most 31 characters."""
    name = " ".join(_NOT_IN_SHEET_NAMES.sub(" ", title or "").split()).strip("'")[:31].strip()
    return name or "Таблица"


def write_table_xlsx(path: str | Path, headers: Sequence[str], rows: Sequence[Sequence[Any]],
                     severities: Sequence[Sequence[str | None]] | None = None, *, title: str = "") -> None:
    """Write atomically; text stays text (no formulas from data), dates are real dates.

    Written under a temporary name beside ``path`` and renamed over it when complete
    (see :mod:`etm_desktop.atomic_file`). A number that is not finite is left blank.
    """
    with replacing(path) as temporary:
        book = xlsxwriter.Workbook(str(temporary), {"strings_to_formulas": False, "strings_to_numbers": False,
                                                    "strings_to_urls": False})
        sheet = book.add_worksheet(sheet_title(title))
        bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
        day = book.add_format({"num_format": "dd.mm.yyyy"})
        fills = {k: book.add_format({"bg_color": v}) for k, v in FILLS.items()}
        day_fills = {k: book.add_format({"bg_color": v, "num_format": "dd.mm.yyyy"}) for k, v in FILLS.items()}
        widths = [len(str(h)) + 2 for h in headers]
        for c, header in enumerate(headers):
            sheet.write_string(0, c, "" if header is None else str(header), bold)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                level = severities[r - 1][c] if severities else None
                if isinstance(value, (date, datetime)):
                    sheet.write_datetime(r, c, datetime(value.year, value.month, value.day),
                                         day_fills.get(level, day))
                elif isinstance(value, bool) or value is None:
                    sheet.write_string(r, c, "" if value is None else ("да" if value else "нет"), fills.get(level))
                elif isinstance(value, (int, float)) and math.isfinite(value):
                    sheet.write_number(r, c, value, fills.get(level))
                elif isinstance(value, float):
                    sheet.write_blank(r, c, None, fills.get(level))
                else:
                    sheet.write_string(r, c, str(value), fills.get(level))
                if c < len(widths):
                    widths[c] = min(max(widths[c], len(str(value)) + 2), 60)
        for c, width in enumerate(widths):
            sheet.set_column(c, c, width)
        sheet.freeze_panes(1, 0)
        if rows and headers:
            sheet.autofilter(0, 0, len(rows), len(headers) - 1)
        book.close()
