"""Calendar arithmetic of the regulation: months, seniority, deadlines."""

from __future__ import annotations

import calendar
from datetime import date


def month_start(day: date) -> date:
    """The first day of the month that holds ``day``."""
    return day.replace(day=1)


def month_end(day: date) -> date:
    """The last day of the month that holds ``day``."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole calendar months, clamped to the month's last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def whole_months_between(start: date, end: date) -> int:
    """How many whole calendar months have passed from ``start`` to ``end``.

    The largest k with ``add_months(start, k) <= end``; negative if end < start.
    """
    k = (end.year - start.year) * 12 + (end.month - start.month)
    if add_months(start, k) > end:
        k -= 1
    return k


def previous_month(month: date) -> date:
    """The first day of the month before ``month``."""
    return add_months(month_start(month), -1)


def last_completed_month(today: date) -> date:
    """The latest month that has ended before ``today`` (I7), as its first day."""
    return previous_month(today)


def parse_month_key(text: str) -> date:
    """``YYYY-MM`` → first day of that month (ValueError otherwise)."""
    year, month = text.strip().split("-")
    return date(int(year), int(month), 1)


def month_key(month: date) -> str:
    """First day of a month → ``YYYY-MM``."""
    return f"{month.year:04d}-{month.month:02d}"
