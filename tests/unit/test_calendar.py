"""Calendar arithmetic the regulation's counting rests on (domain.md "Status", I7, I8)."""

from datetime import date

import pytest

from etm_desktop.domain.calendar import (
    add_months,
    last_completed_month,
    month_end,
    month_key,
    month_start,
    parse_month_key,
    previous_month,
    whole_months_between,
)


@pytest.mark.parametrize(
    "day, start, end",
    [
        (date(2026, 10, 17), date(2026, 10, 1), date(2026, 10, 31)),
        (date(2026, 2, 1), date(2026, 2, 1), date(2026, 2, 28)),
        (date(2024, 2, 10), date(2024, 2, 1), date(2024, 2, 29)),  # leap year
        (date(2026, 4, 30), date(2026, 4, 1), date(2026, 4, 30)),
        (date(2026, 12, 31), date(2026, 12, 1), date(2026, 12, 31)),
    ],
)
def test_month_start_and_end(day, start, end):
    assert month_start(day) == start
    assert month_end(day) == end


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (date(2026, 1, 15), 1, date(2026, 2, 15)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # clamped to the month's last day
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 1, 31), 2, date(2026, 3, 31)),
        (date(2026, 1, 31), 3, date(2026, 4, 30)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),  # across the year
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 1, 10), -1, date(2025, 12, 10)),
        (date(2026, 1, 10), -13, date(2024, 12, 10)),
        (date(2026, 5, 5), 0, date(2026, 5, 5)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    "start, end, expected",
    [
        (date(2026, 1, 15), date(2026, 1, 15), 0),
        (date(2026, 1, 15), date(2026, 2, 14), 0),
        (date(2026, 1, 15), date(2026, 2, 15), 1),
        (date(2026, 1, 15), date(2026, 3, 14), 1),
        (date(2026, 1, 15), date(2026, 3, 15), 2),
        # novice date 31 January: whole calendar months end on the (clamped) month end
        (date(2026, 1, 31), date(2026, 2, 27), 0),
        (date(2026, 1, 31), date(2026, 2, 28), 1),
        (date(2026, 1, 31), date(2026, 3, 30), 1),
        (date(2026, 1, 31), date(2026, 3, 31), 2),
        (date(2026, 1, 31), date(2026, 4, 30), 3),
        (date(2026, 1, 31), date(2026, 5, 30), 3),
        (date(2026, 1, 31), date(2026, 5, 31), 4),
        (date(2026, 1, 1), date(2026, 1, 31), 0),
        (date(2026, 1, 1), date(2026, 2, 1), 1),
        (date(2025, 10, 31), date(2026, 10, 31), 12),
        (date(2025, 11, 1), date(2026, 10, 31), 11),
        (date(2026, 3, 10), date(2026, 3, 9), -1),
    ],
)
def test_whole_months_between(start, end, expected):
    assert whole_months_between(start, end) == expected


def test_previous_and_last_completed_month():
    assert previous_month(date(2026, 10, 20)) == date(2026, 9, 1)
    assert previous_month(date(2026, 1, 1)) == date(2025, 12, 1)
    assert previous_month(date(2026, 3, 31)) == date(2026, 2, 1)
    # I7: the last completed month is the one before today's month
    assert last_completed_month(date(2026, 11, 5)) == date(2026, 10, 1)
    assert last_completed_month(date(2026, 11, 1)) == date(2026, 10, 1)
    assert last_completed_month(date(2026, 1, 31)) == date(2025, 12, 1)


def test_month_keys():
    assert parse_month_key("2026-10") == date(2026, 10, 1)
    assert parse_month_key(" 2010-07 ") == date(2010, 7, 1)
    assert month_key(date(2026, 10, 1)) == "2026-10"
    assert month_key(date(2009, 1, 31)) == "2009-01"
    with pytest.raises(ValueError):
        parse_month_key("2026")
    with pytest.raises(ValueError):
        parse_month_key("2026-13")
