"""Every .xlsx the program writes (exchange workbook, grid, any on-screen table) is written atomically
and keeps data that looks like a formula as text (issue 7).

Atomically: a failure half-way (while writing, while saving, at the final rename) leaves
the previous file byte for byte and no temporary file in the folder; a success leaves
only the target, with the usual permissions. As text: a data cell starting with ``=``,
``+``, ``-`` or ``@`` (and a URL, a number-like or date-like text) reads back as a string
cell (``data_type == "s"``) with exactly that text, never as a formula.
"""

from __future__ import annotations

import os
import stat
from datetime import date

import openpyxl
import pytest
import xlsxwriter

from etm_desktop.compliance.result import AutoUnbindEntry, BlacklistEntry, Grid, ManagerRow, OverdueRebinding
from etm_desktop.exchange.exporter import export_workbook
from etm_desktop.exchange.importer import import_workbook
from etm_desktop.reports.grid_xlsx import BLACKLIST_SHEET, GRID_SHEET, write_grid_xlsx
from etm_desktop.reports.table_xlsx import sheet_title, write_table_xlsx
from tests.unit.test_exchange_support import TODAY, base_sheets, write_book

TRICKY = ["=1+1", '=HYPERLINK("http://example.com","клик")', "+7 (900) 000-00-00", "-5", "-", "@SUM(A1:A2)",
          "=", "+", "@", "=cmd|' /C calc'!A0", "http://example.com", "00123", "1e5", "01.02.2024", "TRUE"]
OLD = b"the previous file"


# -- the three writers, each given the tricky texts ---------------------------------------------------

def _grid() -> Grid:
    managers = [ManagerRow(id=text, name=text, position="МОПП", specialization=text, status="ветеран", office=text,
                           kb_size=1, paying=0, paying_share=float("nan") if i == 0 else 0.0, meetings=0,
                           cold_calls=0, breaches=[], judged=[])
                for i, text in enumerate(TRICKY)]
    return Grid(month=date(2026, 10, 1), norm_set="=1+1",
                managers=managers,
                blacklist=[BlacklistEntry(text, TRICKY[0], text) for text in TRICKY],
                auto_unbind=[AutoUnbindEntry(text, TRICKY[1]) for text in TRICKY],
                overdue_rebinding=[OverdueRebinding(TRICKY[2], 1, date(2026, 8, 31), date(2026, 9, 30), TRICKY[3])])


@pytest.fixture
def exchange_db(database, tmp_path):
    """The base workbook plus one client per tricky name, one employee per tricky full name."""
    sheets = base_sheets()
    for i, text in enumerate(TRICKY):
        sheets["Клиенты"].append(["X{0}".format(i), None, text, "ЭМО", None, None, None])
        sheets["Закрепления"].append(["X{0}".format(i), "1001", None, text])
    import_workbook(database, write_book(tmp_path / "in.xlsx", sheets), today=TODAY)
    return database


def _texts(path, sheet_name: str) -> dict[str, str]:
    """Every data cell's value -> its data type, of one sheet."""
    sheet = openpyxl.load_workbook(path)[sheet_name]
    return {cell.value: cell.data_type for row in sheet.iter_rows(min_row=2) for cell in row
            if isinstance(cell.value, str)}


def _assert_all_text(found: dict[str, str], expected=TRICKY) -> None:
    for text in expected:
        assert text in found, text
        assert found[text] == "s", (text, found[text])


def test_exchange_workbook_keeps_formula_like_data_as_text(exchange_db, tmp_path):
    path = tmp_path / "out.xlsx"
    export_workbook(exchange_db, path)
    _assert_all_text(_texts(path, "Клиенты"))
    _assert_all_text(_texts(path, "Закрепления"))


def test_grid_workbook_keeps_formula_like_data_as_text(tmp_path):
    path = write_grid_xlsx(_grid(), tmp_path / "grid.xlsx")
    _assert_all_text(_texts(path, GRID_SHEET))
    _assert_all_text(_texts(path, BLACKLIST_SHEET))


def test_table_workbook_keeps_formula_like_data_as_text(tmp_path):
    path = tmp_path / "table.xlsx"
    write_table_xlsx(path, ["=Заголовок", "Текст"], [[text, text] for text in TRICKY], title="Клиенты")
    found = _texts(path, "Клиенты")
    _assert_all_text(found)
    header = openpyxl.load_workbook(path)["Клиенты"]["A1"]
    assert (header.value, header.data_type) == ("=Заголовок", "s")


def test_no_writer_leaves_a_formula_anywhere(exchange_db, tmp_path):
    """No cell of any sheet of any of the three files is a formula."""
    paths = [tmp_path / "out.xlsx", write_grid_xlsx(_grid(), tmp_path / "grid.xlsx"), tmp_path / "table.xlsx"]
    export_workbook(exchange_db, paths[0])
    write_table_xlsx(paths[2], ["A"], [[text] for text in TRICKY])
    for path in paths:
        for sheet in openpyxl.load_workbook(path).worksheets:
            for row in sheet.iter_rows():
                assert all(cell.data_type != "f" for cell in row), (path.name, sheet.title)


# -- atomic writing -------------------------------------------------------------------------------------

def _writers(exchange_db):
    return {
        "exchange": lambda path: export_workbook(exchange_db, path),
        "grid": lambda path: write_grid_xlsx(_grid(), path),
        "table": lambda path: write_table_xlsx(path, ["A", "B"], [["x", 1], ["y", 2]], title="Т"),
    }


@pytest.fixture
def out_dir(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@pytest.mark.parametrize("writer", ["exchange", "grid", "table"])
@pytest.mark.parametrize("failure", ["while writing", "while saving", "at the rename"])
def test_a_failure_keeps_the_old_file_and_leaves_no_temporary(exchange_db, out_dir, monkeypatch, writer, failure):
    target = out_dir / "report.xlsx"
    target.write_bytes(OLD)

    def broken(*_args, **_kwargs):
        raise OSError("диск переполнен")

    if failure == "while writing":
        monkeypatch.setattr(xlsxwriter.worksheet.Worksheet, "write_string", broken)
    elif failure == "while saving":
        monkeypatch.setattr(xlsxwriter.Workbook, "close", broken)
    else:
        monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError, match="диск переполнен"):
        _writers(exchange_db)[writer](target)
    monkeypatch.undo()
    assert target.read_bytes() == OLD
    assert [p.name for p in out_dir.iterdir()] == ["report.xlsx"]


@pytest.mark.parametrize("writer", ["exchange", "grid", "table"])
def test_a_failure_without_an_old_file_leaves_nothing(exchange_db, out_dir, monkeypatch, writer):
    def broken(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(xlsxwriter.Workbook, "close", broken)
    with pytest.raises(KeyboardInterrupt):
        _writers(exchange_db)[writer](out_dir / "report.xlsx")
    assert list(out_dir.iterdir()) == []


@pytest.mark.parametrize("writer", ["exchange", "grid", "table"])
def test_success_replaces_the_file_leaves_nothing_else_with_usual_permissions(exchange_db, out_dir, writer):
    target = out_dir / "report.xlsx"
    target.write_bytes(OLD)
    _writers(exchange_db)[writer](target)
    assert target.read_bytes()[:2] == b"PK"
    assert openpyxl.load_workbook(target).worksheets
    assert [p.name for p in out_dir.iterdir()] == ["report.xlsx"]
    if os.name == "posix":
        umask = os.umask(0)
        os.umask(umask)
        assert stat.S_IMODE(os.stat(target).st_mode) == 0o666 & ~umask


# -- odd values the table writer gets from the screen ---------------------------------------------------

def test_table_with_odd_values_and_an_odd_title(tmp_path):
    """NaN and infinities are left blank (XlsxWriter refuses them); a title with characters a sheet
    name may not have ([]:*?/\\) or longer than 31 characters is made into a valid name."""
    path = tmp_path / "odd.xlsx"
    write_table_xlsx(path, ["Число", "Текст"], [[float("nan"), "a"], [float("inf"), None], [-float("inf"), True],
                                                [1.5, "Ж" * 40_000]],
                     title="Клиенты: [фильтр] */? \\ сотрудник 1001 — длинное название вкладки")
    book = openpyxl.load_workbook(path)
    [sheet] = book.worksheets
    assert len(sheet.title) <= 31 and not set(sheet.title) & set("[]:*?/\\")
    assert [sheet.cell(r, 1).value for r in range(2, 6)] == [None, None, None, 1.5]
    assert sheet_title("") == "Таблица" and sheet_title("'?'") == "Таблица"
