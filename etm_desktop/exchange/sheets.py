"""The layout of the exchange workbook (interfaces.md, section 1): a contract.

Sheets and headers may only be added to, never renamed. ``SHEETS`` is in the order
the importer checks and writes them (references point backwards) and the exporter
writes them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str  # the name the code uses
    header: str  # the Russian header in the workbook
    required: bool  # bold in interfaces.md: the column must be there and filled in


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]

    def header(self, key: str) -> str:
        return self.column(key).header

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)


def normalize_header(text: object) -> str:
    """A header as matched: case, surrounding and repeated spaces do not matter."""
    return re.sub(r"\s+", " ", str(text)).strip().casefold()


def _sheet(name: str, *columns: tuple[str, str, bool]) -> Sheet:
    return Sheet(name, tuple(Column(key, header, required) for key, header, required in columns))


OFFICES = _sheet(
    "Офисы",
    ("code", "Код ОП", True),
    ("name", "Название", True),
    ("cluster", "Куст", True),
    ("centre", "РЦ", True),
)
TERRITORIES = _sheet(
    "Территории",
    ("code", "Код территории", True),
    ("name", "Название", True),
    ("in_city", "В черте города", True),
)
EMPLOYEES = _sheet(
    "Сотрудники",
    ("tab_no", "Таб. номер", True),
    ("full_name", "ФИО", True),
    ("position", "Должность", True),
    ("specialization", "Специализация", False),
    ("office", "Код ОП", True),
    ("hire_date", "Дата приема", False),
    ("novice_date", "Дата статуса новичок", False),
    ("dismissal_date", "Дата увольнения", False),
    ("group_lead", "Старший группы", False),
    ("territories", "Территории", False),
)
SPECIALIZATIONS = _sheet(
    "Специализации",
    ("tab_no", "Таб. номер", True),
    ("specialization", "Специализация", True),
    ("start_date", "Дата начала", True),
)
CLIENTS = _sheet(
    "Клиенты",
    ("code", "Код клиента", True),
    ("inn", "ИНН", False),
    ("name", "Наименование", True),
    ("ckg", "ЦКГ", True),
    ("potential", "Потенциал", False),
    ("territory", "Код территории", False),
    ("head", "Головная организация", False),
)
BINDINGS = _sheet(
    "Закрепления",
    ("client", "Код клиента", True),
    ("tab_no", "Таб. номер", True),
    ("valid_from", "Дата закрепления", False),
    ("basis", "Основание", False),
)
TURNOVER = _sheet(
    "Товарооборот",
    ("client", "Код клиента", True),
    ("month", "Месяц", True),
    ("amount", "Сумма", True),
)
RECEIVABLES = _sheet(
    "ПДЗ",
    ("client", "Код клиента", True),
    ("as_of", "Дата", True),
    ("amount", "Сумма", True),
)
ACTIVITIES = _sheet(
    "Активность",
    ("tab_no", "Таб. номер", True),
    ("date", "Дата", True),
    ("kind", "Тип", True),
    ("client", "Код клиента", False),
    ("outside_office", "Вне ОП", False),
)

SHEETS: tuple[Sheet, ...] = (
    OFFICES,
    TERRITORIES,
    EMPLOYEES,
    SPECIALIZATIONS,
    CLIENTS,
    BINDINGS,
    TURNOVER,
    RECEIVABLES,
    ACTIVITIES,
)
SHEET_NAMES = tuple(sheet.name for sheet in SHEETS)
