"""Import speed against calamine's bare read of the same file (run explicitly: ``-m perf``).

Target: importing a regional centre's workbook into an empty database takes at
most ~1.5x the bare read. Set ``ETM_PERF_TURNOVER_ROWS`` to change the size.
"""

from __future__ import annotations

import os
import random
import time
from datetime import date

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from etm_desktop.exchange.importer import import_workbook

pytestmark = pytest.mark.perf

ROWS = int(os.environ.get("ETM_PERF_TURNOVER_ROWS", "300000"))


def regional_centre(path, turnover_rows: int, clients: int = 20_000, managers: int = 200) -> None:
    """A made-up centre: offices, managers, clients, bindings, a year of activity, turnover."""
    rnd = random.Random(7)
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                           "strings_to_urls": False})
    day = book.add_format({"num_format": "dd.mm.yyyy"})
    month = book.add_format({"num_format": "yyyy-mm"})

    def sheet(name, header):
        ws = book.add_worksheet(name)
        ws.write_row(0, 0, header)
        return ws

    ws = sheet("Офисы", ["Код ОП", "Название", "Куст", "РЦ"])
    for i in range(10):
        ws.write_row(i + 1, 0, ["ОП{0}".format(i), "Офис {0}".format(i), "Куст {0}".format(i // 3), "РЦ"])
    ws = sheet("Территории", ["Код территории", "Название", "В черте города"])
    for i in range(50):
        ws.write_row(i + 1, 0, ["T{0:02d}".format(i), "Территория {0}".format(i), "Да" if i % 3 else "Нет"])
    ws = sheet("Сотрудники", ["Таб. номер", "ФИО", "Должность", "Специализация", "Код ОП", "Дата приема",
                              "Дата статуса новичок"])
    for i in range(managers):
        ws.write_row(i + 1, 0, ["{0:05d}".format(i), "Менеджер {0}".format(i), "МОПП", "Универсальный",
                                "ОП{0}".format(i % 10)])
        ws.write_datetime(i + 1, 5, date(2018, 1 + i % 12, 1), day)
        ws.write_datetime(i + 1, 6, date(2018, 1 + i % 12, 15), day)
    ws = sheet("Клиенты", ["Код клиента", "ИНН", "Наименование", "ЦКГ", "Потенциал", "Код территории"])
    ckg = ["ЭМО", "Дистрибьюторы", "ПП", "Щитовики", "Дилеры", "Сети", "Инфраструктура"]
    for i in range(clients):
        ws.write_row(i + 1, 0, ["{0:07d}".format(i), "{0:010d}".format(7700000000 + i), "ООО Клиент {0}".format(i),
                                ckg[i % 7], "SABC"[i % 4], "T{0:02d}".format(i % 50)])
    ws = sheet("Закрепления", ["Код клиента", "Таб. номер", "Дата закрепления", "Основание"])
    for i in range(clients * 3 // 4):
        ws.write_row(i + 1, 0, ["{0:07d}".format(i), "{0:05d}".format(i % managers)])
        ws.write_datetime(i + 1, 2, date(2020, 1 + i % 12, 1), day)
        ws.write_string(i + 1, 3, "СЗ-{0}".format(i % 500))
    ws = sheet("Товарооборот", ["Код клиента", "Месяц", "Сумма"])
    months = [date(2020 + m // 12, m % 12 + 1, 1) for m in range(120)]
    per_month = max(1, min(clients, turnover_rows // len(months)))
    r = 1
    for m in months:
        for c in range(per_month):
            if r > turnover_rows:
                break
            ws.write_string(r, 0, "{0:07d}".format(c))
            ws.write_datetime(r, 1, m, month)
            ws.write_number(r, 2, round(rnd.uniform(0, 500_000), 2))
            r += 1
    ws = sheet("Активность", ["Таб. номер", "Дата", "Тип", "Код клиента", "Вне ОП"])
    for i in range(30_000):
        ws.write_string(i + 1, 0, "{0:05d}".format(i % managers))
        ws.write_datetime(i + 1, 1, date(2026, 1 + i % 10, 1 + i % 28), day)
        ws.write_row(i + 1, 2, ["Встреча" if i % 4 else "Холодный звонок", "{0:07d}".format(i % clients),
                                "Да" if i % 5 else "Нет"])
    book.close()


def bare_read(path) -> float:
    start = time.perf_counter()
    book = CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()
    return time.perf_counter() - start


def test_import_into_an_empty_database_keeps_pace_with_the_bare_read(database, tmp_path):
    path = tmp_path / "centre.xlsx"
    regional_centre(path, ROWS)
    read = min(bare_read(path) for _ in range(3))
    start = time.perf_counter()
    report = import_workbook(database, path, today=date(2026, 11, 20))
    took = time.perf_counter() - start
    assert report["Товарооборот"].inserted == ROWS
    print("\nturnover rows {0}: bare read {1:.2f} s, import {2:.2f} s, ratio {3:.2f}".format(
        ROWS, read, took, took / read))
    start = time.perf_counter()
    assert not import_workbook(database, path, today=date(2026, 11, 20)).changed
    print("re-import of the same workbook: {0:.2f} s".format(time.perf_counter() - start))
