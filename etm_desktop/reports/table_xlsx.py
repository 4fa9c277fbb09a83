"""Any table as a formatted .xlsx: header, frozen first row, filters, severity colours."""

from __future__ import annotations

import os
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any, Sequence

import xlsxwriter

FILLS = {"breach": "#FFC7CE", "warning": "#FFEB9C", "ok": "#C6EFCE"}


def write_table_xlsx(path: str | Path, headers: Sequence[str], rows: Sequence[Sequence[Any]],
                     severities: Sequence[Sequence[str | None]] | None = None, *, title: str = "") -> None:
    """Write atomically; text stays text (no formulas from data), dates are real dates."""
    path = Path(path)
    fd, temporary = tempfile.mkstemp(suffix=".xlsx", dir=path.parent)
    os.close(fd)
    try:
        book = xlsxwriter.Workbook(temporary, {"strings_to_formulas": False, "strings_to_numbers": False,
                                               "strings_to_urls": False})
        sheet = book.add_worksheet((title or "Таблица")[:31])
        bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
        day = book.add_format({"num_format": "dd.mm.yyyy"})
        fills = {k: book.add_format({"bg_color": v}) for k, v in FILLS.items()}
        day_fills = {k: book.add_format({"bg_color": v, "num_format": "dd.mm.yyyy"}) for k, v in FILLS.items()}
        widths = [len(str(h)) + 2 for h in headers]
        sheet.write_row(0, 0, headers, bold)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                level = severities[r - 1][c] if severities else None
                if isinstance(value, (date, datetime)):
                    sheet.write_datetime(r, c, datetime(value.year, value.month, value.day),
                                         day_fills.get(level, day))
                elif isinstance(value, bool) or value is None:
                    sheet.write_string(r, c, "" if value is None else ("да" if value else "нет"), fills.get(level))
                elif isinstance(value, (int, float)):
                    sheet.write_number(r, c, value, fills.get(level))
                else:
                    sheet.write_string(r, c, str(value), fills.get(level))
                widths[c] = min(max(widths[c], len(str(value)) + 2), 60)
        for c, width in enumerate(widths):
            sheet.set_column(c, c, width)
        sheet.freeze_panes(1, 0)
        if rows:
            sheet.autofilter(0, 0, len(rows), len(headers) - 1)
        book.close()
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
