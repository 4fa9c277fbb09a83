"""The grid workbook: sheets, typed cells, colours by severity, header, filter, atomic write."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from etm_desktop.compliance.result import (
    NORM_CODES,
    NORM_TITLES,
    AutoUnbindEntry,
    BlacklistEntry,
    Breach,
    Grid,
    ManagerRow,
    OverdueRebinding,
)
from etm_desktop.reports import grid_xlsx
from etm_desktop.reports.grid_xlsx import (
    AUTO_UNBIND_SHEET,
    BLACKLIST_SHEET,
    GRID_SHEET,
    MANAGER_HEADERS,
    OVERDUE_SHEET,
    breach_text,
    write_grid_xlsx,
)

RED, AMBER, GREEN = "FFFFC7CE", "FFFFEB9C", "FFC6EFCE"


def _row(tab_no, **changes) -> ManagerRow:
    values = dict(id=tab_no, name="Иванов Иван Иванович", position="МОПП", specialization="Универсальный",
                  status="ветеран", office="ОП-1", kb_size=27, paying=9, paying_share=9 / 27,
                  meetings=12, cold_calls=0, breaches=[],
                  judged=["kb_size_max", "kb_size_min", "paying_share", "off_profile", "forbidden_ckg", "meetings",
                          "territory", "potential", "rebinding_overdue"])
    values.update(changes)
    return ManagerRow(**values)


@pytest.fixture
def grid() -> Grid:
    breached = _row("00123", breaches=[
        Breach("paying_share", "breach", 0.333, 0.35, "Доля платящих ниже нормы", ("K1", "K2")),
        Breach("territory", "warning", 2, 0, "Клиенты за городом"),
    ])
    head = _row("2001", name="=HYPERLINK(\"http://x\")", position="НОП", specialization=None,
                status=None, kb_size=0, paying=0, paying_share=None, meetings=20, judged=["head_meetings"])
    trainee = _row("3001", status="стажер", kb_size=5, paying=1, paying_share=0.2,
                   judged=["kb_size_max", "off_profile", "forbidden_ckg", "territory", "potential",
                           "new_universal_territory", "rebinding_overdue"])
    return Grid(
        month=date(2026, 10, 1),
        norm_set="Регламент",
        managers=[breached, head, trainee],
        blacklist=[BlacklistEntry("K17", "00123", "ТО < 15 000 ₽ два месяца")],
        auto_unbind=[AutoUnbindEntry("K40", "3001")],
        overdue_rebinding=[OverdueRebinding("9009", 14, date(2026, 8, 31), date(2026, 9, 30), "увольнение")],
    )


def _header_col(sheet, title) -> int:
    for cell in sheet[1]:
        if cell.value == title:
            return cell.column
    raise AssertionError("no column " + title)


def test_sheets_headers_frozen_and_filtered(tmp_path, grid):
    path = write_grid_xlsx(grid, tmp_path / "grid.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:4] == [GRID_SHEET, BLACKLIST_SHEET, AUTO_UNBIND_SHEET, OVERDUE_SHEET]
    sheet = book[GRID_SHEET]
    headers = [c.value for c in sheet[1]]
    assert headers == list(MANAGER_HEADERS) + [NORM_TITLES[code] for code in NORM_CODES]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:")
    assert sheet.max_row == 4
    for name in (BLACKLIST_SHEET, AUTO_UNBIND_SHEET, OVERDUE_SHEET):
        assert book[name].freeze_panes == "A2"
        assert book[name].auto_filter.ref


def test_cells_keep_their_types(tmp_path, grid):
    book = openpyxl.load_workbook(write_grid_xlsx(grid, tmp_path / "grid.xlsx"))
    sheet = book[GRID_SHEET]
    assert sheet.cell(2, 1).value == "00123"  # a code stays text
    assert sheet.cell(3, 2).value == "=HYPERLINK(\"http://x\")"  # never a formula
    assert sheet.cell(3, 2).data_type == "s"
    assert sheet.cell(2, _header_col(sheet, "Размер КБ")).value == 27
    share = sheet.cell(2, _header_col(sheet, "Доля платящих"))
    assert share.value == pytest.approx(9 / 27) and "%" in share.number_format
    assert sheet.cell(2, _header_col(sheet, "Нарушений")).value == 1
    assert sheet.cell(3, _header_col(sheet, "Доля платящих")).value is None
    overdue = book[OVERDUE_SHEET]
    assert [c.value for c in overdue[2]][:3] == ["9009", None, 14]
    assert overdue.cell(2, 4).value.date() == date(2026, 8, 31)
    black = book[BLACKLIST_SHEET]
    assert [c.value for c in black[2]] == ["K17", "00123", "Иванов Иван Иванович", "ТО < 15 000 ₽ два месяца"]


def test_norm_cells_coloured_by_severity(tmp_path, grid):
    book = openpyxl.load_workbook(write_grid_xlsx(grid, tmp_path / "grid.xlsx"))
    sheet = book[GRID_SHEET]

    def cell(row, code):
        return sheet.cell(row, _header_col(sheet, NORM_TITLES[code]))

    paying = cell(2, "paying_share")
    assert paying.value == "33,3% (норма ≥ 35%)"
    assert paying.fill.fgColor.rgb == RED
    assert "K1, K2" in paying.comment.text
    assert cell(2, "territory").fill.fgColor.rgb == AMBER
    assert cell(2, "kb_size_max").value == "в норме"
    assert cell(2, "kb_size_max").fill.fgColor.rgb == GREEN
    assert cell(2, "head_meetings").value is None  # not a norm of a МОПП
    assert cell(3, "head_meetings").fill.fgColor.rgb == GREEN
    assert cell(3, "kb_size_min").value is None  # a НОП has no KB norms
    assert cell(4, "kb_size_min").value is None  # a стажер has no KB minimum
    assert cell(4, "new_universal_territory").value == "в норме"


def test_breach_text_direction():
    assert breach_text(Breach("kb_size_max", "breach", 41, 40)) == "41 (норма ≤ 40)"
    assert breach_text(Breach("meetings", "breach", 3, 9.45)) == "3 (норма ≥ 9,45)"


def test_empty_grid_is_a_valid_workbook(tmp_path):
    empty = Grid(date(2026, 1, 1), "", [], [], [], [])
    book = openpyxl.load_workbook(write_grid_xlsx(empty, tmp_path / "empty.xlsx"))
    assert book[GRID_SHEET].max_row == 1


def test_replaces_whole_file_and_leaves_no_temporary(tmp_path, grid):
    target = tmp_path / "grid.xlsx"
    target.write_bytes(b"old")
    write_grid_xlsx(grid, target)
    assert openpyxl.load_workbook(target)[GRID_SHEET].cell(2, 1).value == "00123"
    assert [p.name for p in tmp_path.iterdir()] == ["grid.xlsx"]


def test_failure_keeps_old_file(tmp_path, grid, monkeypatch):
    target = tmp_path / "grid.xlsx"
    target.write_bytes(b"old")

    def broken(*_args):
        raise RuntimeError("boom")

    monkeypatch.setattr(grid_xlsx, "_write_lists", broken)
    with pytest.raises(RuntimeError):
        write_grid_xlsx(grid, target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["grid.xlsx"]
