"""I8: the grid for month M is judged as at M's last day — employment, specialization, status
and bindings of that day."""

from datetime import date

import pytest

from etm_desktop.compliance.service import month_grid
from tests.builders import grid_ids, manager_row

OCT = date(2026, 10, 1)


@pytest.mark.parametrize(
    "hired, dismissed, in_grid",
    [
        (date(2020, 1, 1), None, True),
        (date(2020, 1, 1), date(2026, 10, 30), False),  # left before the month's last day
        (date(2020, 1, 1), date(2026, 10, 31), True),  # the last working day is the last day
        (date(2020, 1, 1), date(2026, 11, 15), True),
        (date(2026, 10, 31), None, True),
        (date(2026, 11, 1), None, False),  # hired after the judged day
        (None, None, True),
    ],
)
def test_employment_on_the_last_day(centre, database, hired, dismissed, in_grid):
    centre.manager("1001", "Универсальный", hired=hired, dismissed=dismissed)
    centre.employee("3001", "НОП", hired=hired, dismissed=dismissed)
    centre.commit()
    assert grid_ids(month_grid(database, OCT)) == ({"1001", "3001"} if in_grid else set())


def test_dismissed_mid_month_is_in_the_previous_grid(centre, database):
    centre.manager("1001", "Универсальный", dismissed=date(2026, 10, 30))
    centre.commit()
    assert "1001" in grid_ids(month_grid(database, date(2026, 9, 1)))
    assert "1001" not in grid_ids(month_grid(database, OCT))
    assert month_grid(database, OCT).overdue_rebinding == []  # 1 month to re-bind: until 30.11


@pytest.mark.parametrize("start, expected", [(date(2026, 10, 31), "МРЩ"), (date(2026, 11, 1), "Универсальный"),
                                             (date(2026, 10, 2), "МРЩ")])
def test_specialization_on_the_last_day(centre, database, start, expected):
    m = centre.manager("1001", "Универсальный")
    centre.respecialize(m, "МРЩ", start)
    centre.commit()
    assert manager_row(month_grid(database, OCT), "1001").specialization == expected


def test_a_specialization_change_applies_the_new_norms(centre, database):
    m = centre.manager("1001", "Универсальный")
    centre.respecialize(m, "МРС", date(2026, 10, 31))
    centre.paying_clients(m, 11, OCT, ckg="Сети", bound_from=date(2026, 10, 31))
    centre.outside_meetings(m, OCT, 6)
    centre.commit()
    row = manager_row(month_grid(database, OCT), "1001")
    assert {(b.norm, b.actual, b.required) for b in row.breaches} == {("kb_size_max", 11, 10)}
