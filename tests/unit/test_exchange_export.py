"""Exporting the exchange workbook: layout, cell types, atomic writing, round trips with import."""

from __future__ import annotations

import os
import stat
from datetime import date, datetime

import openpyxl
import pytest

from etm_desktop.db.database import open_database
from etm_desktop.exchange import exporter
from etm_desktop.exchange.exporter import export_workbook
from etm_desktop.exchange.importer import import_workbook
from etm_desktop.exchange.sheets import SHEETS
from tests.unit.test_exchange_support import TODAY, base_sheets, read_back, snapshot, write_book


@pytest.fixture
def filled(database, tmp_path):
    sheets = base_sheets()
    sheets["Клиенты"] += [["K5", None, "+7 (900) 000", "ЭМО", None, None, None],
                          ["K6", None, "-минус", "ЭМО", None, None, None],
                          ["K7", None, "@home", "ЭМО", None, None, None],
                          ["K8", None, "http://example.com", "ЭМО", None, None, None]]
    import_workbook(database, write_book(tmp_path / "in.xlsx", sheets), today=TODAY)
    return database


def test_every_sheet_and_header_is_written_required_ones_bold(filled, tmp_path):
    path = tmp_path / "out.xlsx"
    export_workbook(filled, path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [sheet.name for sheet in SHEETS]
    for sheet in SHEETS:
        header = [cell for cell in book[sheet.name][1]]
        assert [cell.value for cell in header] == [column.header for column in sheet.columns]
        assert [bool(cell.font.b) for cell in header] == [column.required for column in sheet.columns]


def test_formula_like_texts_stay_text(filled, tmp_path):
    path = tmp_path / "out.xlsx"
    export_workbook(filled, path)
    sheet = openpyxl.load_workbook(path)["Клиенты"]
    names = {row[0].value: row[2] for row in sheet.iter_rows(min_row=2)}
    for code, text in [("K4", "=СУММ(A1)"), ("K5", "+7 (900) 000"), ("K6", "-минус"), ("K7", "@home"),
                       ("K8", "http://example.com")]:
        assert names[code].value == text
        assert names[code].data_type == "s", (code, names[code].data_type)
    assert not sheet.parent.defined_names and not getattr(sheet, "_hyperlinks", [])


def test_codes_are_text_dates_are_dates_months_show_as_months_money_is_numeric(filled, tmp_path):
    path = tmp_path / "out.xlsx"
    export_workbook(filled, path)
    book = openpyxl.load_workbook(path)
    code = book["Клиенты"]["A2"]
    assert (code.value, code.data_type) == ("00123", "s")
    inn = book["Клиенты"]["B2"]
    assert (inn.value, inn.data_type) == ("0278000001", "s")
    hired = book["Сотрудники"]["F2"]
    assert hired.is_date and hired.value == datetime(2020, 1, 15)
    month, amount = book["Товарооборот"]["B2"], book["Товарооборот"]["C2"]
    assert month.is_date and month.value == datetime(2024, 1, 1) and month.number_format == "yyyy-mm"
    assert amount.data_type == "n" and amount.value == 1000.5
    assert book["Закрепления"]["A2"].data_type == "s"


def test_export_import_export_gives_the_same_workbook(filled, tmp_path):
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    export_workbook(filled, first)
    copy = open_database(str(tmp_path / "copy.sqlite"))
    try:
        import_workbook(copy, first, today=TODAY)
        export_workbook(copy, second)
    finally:
        copy.dispose()
    assert read_back(first) == read_back(second)
    assert len(read_back(first)["Клиенты"]) == 9


def test_import_export_reimport_changes_nothing(filled, tmp_path):
    path = tmp_path / "out.xlsx"
    export_workbook(filled, path)
    before, version = snapshot(filled), filled.data_version()
    report = import_workbook(filled, path, today=date(2027, 3, 1))
    assert not report.changed, str(report)
    assert snapshot(filled) == before and filled.data_version() == version


def test_an_empty_database_exports_headers_only(database, tmp_path):
    path = tmp_path / "empty.xlsx"
    export_workbook(database, path)
    assert all(len(rows) == 1 for rows in read_back(path).values())


def test_export_replaces_the_file_only_when_done(filled, tmp_path, monkeypatch):
    path = tmp_path / "out.xlsx"
    path.write_bytes(b"previous export")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(exporter, "_write_sheet", broken)
    with pytest.raises(RuntimeError):
        export_workbook(filled, path)
    assert path.read_bytes() == b"previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["out.xlsx", "in.xlsx", "test.sqlite", "backups",
                                                                 *[p.name for p in tmp_path.glob("test.sqlite-*")]])


def test_export_reports_progress_in_rows(filled, tmp_path):
    seen = []
    export_workbook(filled, tmp_path / "out.xlsx", progress=lambda *step: seen.append(step))
    dones = [done for done, _total, _stage in seen]
    assert dones[0] == 0 and dones == sorted(dones)
    assert seen[-1][0] == seen[-1][1] == 2 + 2 + 3 + 2 + 8 + 3 + 4 + 1 + 3 + 1  # rows per sheet + saving
    assert any("Товарооборот" in stage for *_x, stage in seen)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_the_exported_file_gets_ordinary_permissions(filled, tmp_path):
    path = tmp_path / "out.xlsx"
    export_workbook(filled, path)
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o666 & ~umask
