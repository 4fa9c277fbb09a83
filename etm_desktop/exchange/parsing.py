"""Reading one cell of the exchange workbook into a Python value.

Each ``parse_*`` takes what python-calamine returns for a cell (``str``, ``float``,
``int``, ``bool``, ``date``, ``datetime`` …) and returns the typed value, or raises
``ValueError`` whose text says in Russian what was expected. Empty cells are the
caller's business (see :mod:`etm_desktop.exchange.columns`); here an empty text is
an error like any other.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta
from typing import Callable

from etm_desktop.db.models import Client
from etm_desktop.exchange import messages as msg

#: Excel's day zero in the 1900 date system (serial 1 = 1900-01-01, with Excel's
#: phantom 1900-02-29 absorbed by starting on 1899-12-30).
EXCEL_EPOCH = date(1899, 12, 30)
#: Numbers in a date column are read as Excel serial days only in this range of
#: years (a date cell whose format calamine did not recognise); anything else is
#: far more likely a mistake than a date.
SERIAL_RANGE = ((date(1950, 1, 1) - EXCEL_EPOCH).days, (date(2100, 12, 31) - EXCEL_EPOCH).days)

_DMY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_YM = re.compile(r"(\d{4})-(\d{1,2})")
_MY = re.compile(r"(\d{1,2})\.(\d{4})")
_TIME_TAIL = re.compile(r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_MONEY = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)")
#: The largest amount of money the database holds (Numeric(16, 2)); beyond it a number
#: is a mistake (or an overflow in the source), never a sum of roubles.
MONEY_LIMIT = 10.0 ** 14

#: The longest code (of a client, employee, office, territory) the database keeps.
CODE_LENGTH: int = Client.__table__.c.code.type.length
#: Numbers beyond this are no longer exact in a cell (2^53: a code read from them is lost).
EXACT_LIMIT = 2 ** 53
#: How much of a refused value is quoted back in a problem.
SHOWN_LENGTH = 200

#: Space characters Excel users put between thousands (plain, no-break, narrow no-break, thin).
_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009\u2007'")

_YES = frozenset({"да", "д", "yes", "y", "true", "1", "истина"})
_NO = frozenset({"нет", "н", "no", "n", "false", "0", "ложь"})


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _from_serial(value: float) -> date:
    low, high = SERIAL_RANGE
    if not math.isfinite(value) or not low <= value <= high:
        raise ValueError(msg.DATE_EXPECTED)
    return EXCEL_EPOCH + timedelta(days=int(value))


def _match_date_text(text: str) -> date | None:
    for pattern, order in ((_DMY, "dmy"), (_YMD, "ymd")):
        found = pattern.match(text)
        if found and _TIME_TAIL.fullmatch(text, found.end()):
            parts = dict(zip(order, (int(g) for g in found.groups())))
            try:
                return date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                return None
    return None


def parse_date(value: object) -> date:
    """A day: an Excel date/datetime, or text ``ДД.ММ.ГГГГ`` / ``ГГГГ-ММ-ДД``."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if _is_number(value):
        return _from_serial(float(value))
    if isinstance(value, str):
        found = _match_date_text(value.strip())
        if found is not None:
            return found
    raise ValueError(msg.DATE_EXPECTED)


def parse_month(value: object) -> date:
    """A month as its first day: any date of the month, or text ``ГГГГ-ММ`` / ``ММ.ГГГГ``."""
    if isinstance(value, str):
        text = value.strip()
        for pattern, year_first in ((_YM, True), (_MY, False)):
            found = pattern.fullmatch(text)
            if found:
                first, second = (int(g) for g in found.groups())
                year, month = (first, second) if year_first else (second, first)
                if 1 <= month <= 12 and year >= 1:
                    return date(year, month, 1)
                raise ValueError(msg.MONTH_EXPECTED)
    try:
        return parse_date(value).replace(day=1)
    except ValueError:
        raise ValueError(msg.MONTH_EXPECTED) from None


def parse_money(value: object) -> float:
    """Roubles rounded to kopecks: a number, or text like ``1 234,50`` / ``-1234.5``."""
    if _is_number(value):
        number = float(value)
    elif isinstance(value, str):
        text = value.strip().removesuffix("₽").translate(_SPACES)
        if not _MONEY.fullmatch(text):
            raise ValueError(msg.MONEY_EXPECTED)
        number = float(text.replace(",", "."))
    else:
        raise ValueError(msg.MONEY_EXPECTED)
    if not math.isfinite(number):
        raise ValueError(msg.MONEY_EXPECTED)
    number = round(number, 2)  # the limit holds for what is stored: 99 999 999 999 999,999 rounds up to it
    if abs(number) >= MONEY_LIMIT:
        raise ValueError(msg.MONEY_TOO_LARGE)
    return number + 0.0  # + 0.0 turns -0.0 into 0.0


def parse_code(value: object) -> str:
    """A code kept as text: ``"00123"`` stays ``"00123"``; a numeric cell 123.0 becomes ``"123"``.

    At most :data:`CODE_LENGTH` characters (as the database keeps codes); a number only
    while it is exact (up to 2^53: larger ones are a lost code or an overflow).
    """
    if isinstance(value, str):
        text = value.strip()
        if not text:
            raise ValueError(msg.CODE_EXPECTED)
        if len(text) > CODE_LENGTH:
            raise ValueError(msg.CODE_TOO_LONG.format(CODE_LENGTH))
        return text
    if _is_number(value) and abs(value) <= EXACT_LIMIT and float(value).is_integer():
        return str(int(value))
    raise ValueError(msg.CODE_EXPECTED)


def parse_text(value: object) -> str:
    """Free text (a name, a basis); a number is written without a needless ``.0``."""
    if isinstance(value, str):
        text = value.strip()
        if text:
            return text
    elif isinstance(value, float) and not math.isfinite(value):
        pass  # NaN or an infinity is no text
    elif isinstance(value, float) and value.is_integer():
        return str(int(value))
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    elif isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    raise ValueError(msg.TEXT_EXPECTED)


def text_parser(column) -> Callable[[object], str]:
    """:func:`parse_text` within the length of the database column it goes to (a model's
    ``Table.c.name``): too long a name is refused in its cell, not by the server at commit."""
    limit = getattr(column.type, "length", None)

    def parse(value: object) -> str:
        text = parse_text(value)
        if limit is not None and len(text) > limit:
            raise ValueError(msg.TEXT_TOO_LONG.format(limit))
        return text

    return parse


def parse_yes_no(value: object) -> bool:
    """Да/Нет (any case); also yes/no, true/false, 1/0 and Excel's own TRUE/FALSE."""
    if isinstance(value, bool):
        return value
    if _is_number(value) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().casefold()
        if word in _YES:
            return True
        if word in _NO:
            return False
    raise ValueError(msg.YES_NO_EXPECTED)


def parse_codes(value: object) -> tuple[str, ...]:
    """Codes separated by commas (or semicolons); one numeric cell is one code."""
    if isinstance(value, str):
        parts = [part.strip() for part in re.split(r"[,;]", value)]
        codes = tuple(part for part in parts if part)
        if codes:
            return codes
        raise ValueError(msg.CODES_EXPECTED)
    try:
        return (parse_code(value),)
    except ValueError:
        raise ValueError(msg.CODES_EXPECTED) from None


def choice_parser(enum):
    """A parser for one of ``enum``'s Russian values, ignoring case and surrounding spaces."""
    by_key = {member.value.casefold(): member for member in enum}
    allowed = ", ".join(member.value for member in enum)

    def parse(value: object):
        if isinstance(value, str):
            member = by_key.get(value.strip().casefold())
            if member is not None:
                return member
        raise ValueError(msg.CHOICE_EXPECTED.format(allowed))

    return parse


def display(value: object) -> str:
    """How a raw cell value is quoted back to the analyst in a problem."""
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y %H:%M") if value.time() != datetime.min.time() \
            else value.strftime("%d.%m.%Y")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float):
        if not math.isfinite(value) or abs(value) > EXACT_LIMIT:
            return "{0:g}".format(value)  # nan, inf, 1e+308 rather than 309 digits
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, int) and value.bit_length() > 128:
        return "число из {0} двоичных разрядов".format(value.bit_length())
    text = str(value)
    return text if len(text) <= SHOWN_LENGTH else text[:SHOWN_LENGTH - 1] + "…"
