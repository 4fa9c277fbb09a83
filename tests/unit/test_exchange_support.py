"""Helpers shared by the exchange tests (this module holds no tests itself)."""

from __future__ import annotations

import copy
from datetime import date, datetime
from pathlib import Path

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook
from sqlalchemy import select

from etm_desktop.db.models import Base
from etm_desktop.exchange.errors import ImportFailed, ImportProblem
from etm_desktop.exchange.importer import import_workbook

TODAY = date(2026, 11, 20)


def write_book(path: Path, sheets: dict[str, list[list]]) -> Path:
    """An .xlsx with one sheet per entry; strings stay text, dates become Excel dates."""
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                           "strings_to_urls": False})
    day = book.add_format({"num_format": "dd.mm.yyyy"})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, (date, datetime)):
                    sheet.write_datetime(r, c, value, day)
                elif isinstance(value, str):
                    sheet.write_string(r, c, value)
                elif isinstance(value, bool):
                    sheet.write_boolean(r, c, value)
                else:
                    sheet.write_number(r, c, value)
    book.close()
    return path


BASE = {
    "Офисы": [
        ["Код ОП", "Название", "Куст", "РЦ"],
        ["ОП1", "Офис на Ленина", "Куст Север", "РЦ Тест"],
        ["ОП2", "Офис на Мира", "Куст Юг", "РЦ Тест"],
    ],
    "Территории": [
        ["Код территории", "Название", "В черте города"],
        ["T1", "Центр", "Да"],
        ["T2", "Пригород", "нет"],
    ],
    "Сотрудники": [
        ["Таб. номер", "ФИО", "Должность", "Специализация", "Код ОП", "Дата приема",
         "Дата статуса новичок", "Дата увольнения", "Старший группы", "Территории"],
        ["1001", "Иванов Иван", "МОПП", "Универсальный", "ОП1", "15.01.2020", date(2020, 3, 1), None, "2001", None],
        ["2001", "Петров Пётр", "Старший группы", "Территориальный", "ОП1", "2019-05-06", "01.06.2019",
         None, None, "T1, T2"],
        ["3001", "Сидорова Анна", "НОП", None, "ОП2", None, None, None, None, None],
    ],
    "Клиенты": [
        ["Код клиента", "ИНН", "Наименование", "ЦКГ", "Потенциал", "Код территории", "Головная организация"],
        ["00123", "0278000001", "ООО Ромашка", "ЭМО", "A", "T1", None],
        ["K2", None, "АО Завод", "ПП", "В", "T2", None],  # Cyrillic «В» is class B
        ["K3", None, "Филиал завода", "пп", "с", None, "K2"],  # Cyrillic «с» is class C
        ["K4", None, "=СУММ(A1)", "Щитовики", None, None, None],
    ],
    "Закрепления": [
        ["Код клиента", "Таб. номер", "Дата закрепления", "Основание"],
        ["00123", "1001", "01.02.2021", "СЗ-2021-001"],
        ["K2", "1001", None, None],
        ["K3", "2001", date(2022, 5, 1), None],
    ],
    "Товарооборот": [
        ["Код клиента", "Месяц", "Сумма"],
        ["00123", "2024-01", 1000.5],
        ["00123", "02.2024", "1 234,50"],
        ["K2", date(2024, 1, 15), 20000],
        ["K3", "2024-01", "15\u00a0000"],
    ],
    "ПДЗ": [
        ["Код клиента", "Дата", "Сумма"],
        ["K2", "01.02.2024", 500],
    ],
    "Активность": [
        ["Таб. номер", "Дата", "Тип", "Код клиента", "Вне ОП"],
        ["1001", "10.01.2024", "Встреча", "00123", "Да"],
        ["1001", "11.01.2024", "Холодный звонок", None, "Нет"],
        ["2001", date(2024, 1, 12), "встреча", "K3", None],
    ],
}


def base_sheets() -> dict[str, list[list]]:
    """A small valid workbook: 2 offices, 2 territories, 3 employees, 4 clients …"""
    return copy.deepcopy(BASE)


def snapshot(database) -> dict[str, list[tuple]]:
    """Every row of every table, for "nothing changed" comparisons."""
    with database.session() as session:
        return {
            table.name: sorted(
                (tuple(row) for row in session.execute(select(table)).all()), key=repr)
            for table in Base.metadata.sorted_tables
        }


def read_back(path: Path) -> dict[str, list[list]]:
    """What calamine reads from each sheet of a workbook."""
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def run(database, tmp_path, sheets, name="book.xlsx", **options):
    return import_workbook(database, write_book(tmp_path / name, sheets), today=TODAY, **options)


def problems_of(database, tmp_path, sheets) -> list[ImportProblem]:
    with pytest.raises(ImportFailed) as caught:
        run(database, tmp_path, sheets, name="bad.xlsx")
    return caught.value.problems


def has_problem(problems, sheet, row, column, value=None, text=None) -> bool:
    return any(p.sheet == sheet and p.row == row and p.column == column
               and (value is None or p.value == value) and (text is None or text in p.message)
               for p in problems)


def rows(database, *columns):
    with database.session() as session:
        return sorted(session.execute(select(*columns)).all(), key=repr)
