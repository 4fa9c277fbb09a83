"""The compliance grid of a month as a formatted .xlsx (XlsxWriter), written atomically."""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import TYPE_CHECKING

from etm_desktop.atomic_file import replacing
from etm_desktop.compliance.result import MINIMUM_NORMS, NORM_CODES, NORM_TITLES, Breach, Grid, ManagerRow
from etm_desktop.domain.calendar import month_key

if TYPE_CHECKING:  # XlsxWriter is imported when a grid is written (not when the window starts)
    import xlsxwriter

WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
    "in_memory": True,
}

GRID_SHEET = "Сетка"
BLACKLIST_SHEET = "Чёрный список"
AUTO_UNBIND_SHEET = "Автооткрепление"
OVERDUE_SHEET = "Просроченное перезакрепление"
ABOUT_SHEET = "Сведения"

MANAGER_HEADERS = (
    "Таб. номер", "ФИО", "Должность", "Специализация", "Статус", "ОП", "Размер КБ",
    "Платящих", "Доля платящих", "Встречи", "Холодные звонки", "Нарушений",
)
COMPLIANT_TEXT = "в норме"


FILLS = {  # severity → (fill, font colour)
    "breach": ("#FFC7CE", "#9C0006"),
    "warning": ("#FFEB9C", "#9C5700"),
    "ok": ("#C6EFCE", "#006100"),
}


def norm_applies(row: ManagerRow, norm: str) -> bool:
    """Whether the grid shows ``norm`` for ``row`` at all (the engine says what it judged)."""
    return norm in row.judged or any(b.norm == norm for b in row.breaches)


def figure_text(norm: str, value: float | None) -> str:
    """A norm's number as an analyst reads it: shares in percent, counts whole, decimal comma."""
    if value is None:
        return "—"
    if norm == "paying_share":
        return "{0:.1f}%".format(value * 100).replace(".0%", "%").replace(".", ",")
    if float(value).is_integer():
        return str(int(value))
    return "{0:.2f}".format(value).rstrip("0").replace(".", ",")


def breach_text(breach: Breach) -> str:
    """«actual (норма ≥ required)» for one breach or warning."""
    sign = "≥" if breach.norm in MINIMUM_NORMS else "≤"
    return "{0} (норма {1} {2})".format(
        figure_text(breach.norm, breach.actual), sign, figure_text(breach.norm, breach.required))


def _comment(breaches: list[Breach]) -> str:
    parts = []
    for breach in breaches:
        if breach.message:
            parts.append(breach.message)
        if breach.clients:
            shown = ", ".join(breach.clients[:20])
            more = len(breach.clients) - 20
            parts.append("Клиенты: " + shown + (" и ещё {0}".format(more) if more > 0 else ""))
    return "\n".join(parts)


class _Writer:
    """Fills one workbook; keeps the formats and the widest text seen per column."""

    def __init__(self, workbook: xlsxwriter.Workbook):
        self.book = workbook
        self.header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top",
                                           "bg_color": "#D9E1F2", "border": 1})
        self.text = workbook.add_format({})
        self.integer = workbook.add_format({"num_format": "0"})
        self.percent = workbook.add_format({"num_format": "0.0%"})
        self.day = workbook.add_format({"num_format": "dd.mm.yyyy"})
        self.severity = {key: workbook.add_format({"bg_color": fill, "font_color": font, "border": 1})
                         for key, (fill, font) in FILLS.items()}
        self.widths: dict[int, int] = {}

    def sheet(self, name: str, headers: tuple[str, ...], header_height: float | None = None):
        """A new sheet with a frozen header row."""
        sheet = self.book.add_worksheet(name)
        for col, title in enumerate(headers):
            sheet.write_string(0, col, title, self.header)
        if header_height:
            sheet.set_row(0, header_height)
        sheet.freeze_panes(1, 0)
        self.widths = {col: min(max(len(title), 6), 16) for col, title in enumerate(headers)}
        return sheet

    def put(self, sheet, row: int, col: int, value, fmt=None) -> None:
        """Write one cell by type: text as text, numbers as numbers, dates as dates, None and NaN blank."""
        if value is None or value == "" or (isinstance(value, float) and not math.isfinite(value)):
            return  # blank; XlsxWriter refuses NaN and infinities
        if isinstance(value, bool):
            sheet.write_boolean(row, col, value, fmt)
            width = 5
        elif isinstance(value, (int, float)):
            sheet.write_number(row, col, value, fmt or self.integer)
            width = len(str(value))
        elif hasattr(value, "isoformat"):
            sheet.write_datetime(row, col, value, fmt or self.day)
            width = 10
        else:
            sheet.write_string(row, col, str(value), fmt or self.text)
            width = max(len(line) for line in str(value).splitlines() or [""])
        self.widths[col] = max(self.widths.get(col, 0), width)

    def finish(self, sheet, rows: int, columns: int, cap: int = 45) -> None:
        """Autofilter over the table and widths that fit the text (within ``cap``)."""
        sheet.autofilter(0, 0, max(rows, 1), columns - 1)
        for col in range(columns):
            sheet.set_column(col, col, min(self.widths.get(col, 8), cap) + 2)


def _write_managers(w: _Writer, grid: Grid) -> None:
    headers = MANAGER_HEADERS + tuple(NORM_TITLES[code] for code in NORM_CODES)
    sheet = w.sheet(GRID_SHEET, headers, header_height=48)
    first_norm = len(MANAGER_HEADERS)
    for r, row in enumerate(grid.managers, start=1):
        breaches = sum(1 for b in row.breaches if b.severity == "breach")
        values = (row.id, row.name, row.position, row.specialization, row.status, row.office,
                  row.kb_size, row.paying, row.paying_share, row.meetings, row.cold_calls, breaches)
        for col, value in enumerate(values):
            w.put(sheet, r, col, value, w.percent if col == 8 else None)
        for offset, code in enumerate(NORM_CODES):
            col = first_norm + offset
            found = [b for b in row.breaches if b.norm == code]
            if found:
                worst = "breach" if any(b.severity == "breach" for b in found) else "warning"
                w.put(sheet, r, col, "; ".join(breach_text(b) for b in found), w.severity[worst])
                comment = _comment(found)
                if comment:
                    sheet.write_comment(r, col, comment, {"x_scale": 2, "y_scale": 1.5})
            elif norm_applies(row, code):
                w.put(sheet, r, col, COMPLIANT_TEXT, w.severity["ok"])
    for col in range(first_norm, len(headers)):
        w.widths[col] = max(min(w.widths.get(col, 0), 24), 14)
    w.finish(sheet, len(grid.managers), len(headers))


def _write_lists(w: _Writer, grid: Grid) -> None:
    names = {m.id: m.name for m in grid.managers}
    sheet = w.sheet(BLACKLIST_SHEET, ("Код клиента", "Таб. номер", "Менеджер", "Причина"))
    for r, entry in enumerate(grid.blacklist, start=1):
        for col, value in enumerate((entry.client, entry.manager, names.get(entry.manager), entry.reason)):
            w.put(sheet, r, col, value)
    w.finish(sheet, len(grid.blacklist), 4, cap=80)

    sheet = w.sheet(AUTO_UNBIND_SHEET, ("Код клиента", "Таб. номер", "Менеджер"))
    for r, entry in enumerate(grid.auto_unbind, start=1):
        for col, value in enumerate((entry.client, entry.manager, names.get(entry.manager))):
            w.put(sheet, r, col, value)
    w.finish(sheet, len(grid.auto_unbind), 3)

    headers = ("Таб. номер", "Сотрудник", "Клиентов", "С даты", "Срок", "Причина")
    sheet = w.sheet(OVERDUE_SHEET, headers)
    for r, entry in enumerate(grid.overdue_rebinding, start=1):
        values = (entry.manager, names.get(entry.manager), entry.clients, entry.since, entry.deadline,
                  entry.reason)
        for col, value in enumerate(values):
            w.put(sheet, r, col, value)
    w.finish(sheet, len(grid.overdue_rebinding), len(headers))


def _write_about(w: _Writer, grid: Grid) -> None:
    sheet = w.book.add_worksheet(ABOUT_SHEET)
    rows = (
        ("Месяц", month_key(grid.month), None),
        ("Набор норм", grid.norm_set, None),
        ("Нарушение", "норма не выполнена", w.severity["breach"]),
        ("Допустимое отклонение", "предупреждение", w.severity["warning"]),
        ("В норме", COMPLIANT_TEXT, w.severity["ok"]),
        ("Пустая клетка", "норма к сотруднику не применяется", None),
    )
    for r, (title, value, fmt) in enumerate(rows):
        sheet.write_string(r, 0, title, w.header)
        sheet.write_string(r, 1, str(value or ""), fmt or w.text)
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, max(40, len(grid.norm_set or "")))


def write_grid_xlsx(grid: Grid, path: str | os.PathLike) -> Path:
    """Write ``grid`` to ``path`` (replaced whole, never left half-written); returns the path."""
    target = Path(path)
    import xlsxwriter  # here, not at import: the window starts without it

    with replacing(target) as temporary:
        workbook = xlsxwriter.Workbook(str(temporary), WORKBOOK_OPTIONS)
        workbook.set_properties({"title": "Сетка нормативов за " + month_key(grid.month),
                                 "subject": grid.norm_set or "", "author": "ETM Desktop"})
        writer = _Writer(workbook)
        _write_managers(writer, grid)
        _write_lists(writer, grid)
        _write_about(writer, grid)
        workbook.close()
    return target
