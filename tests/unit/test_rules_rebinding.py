"""Limits that run by themselves: re-binding after a dismissal (1 month) and after a change of
specialization (2 months: a warning while they run, a breach after); domain.md, rules.md."""

from datetime import date

import pytest

from etm_desktop.compliance.result import OverdueRebinding
from etm_desktop.compliance.service import month_grid
from tests.builders import grid_ids, manager_row, verdicts

JUL = date(2026, 7, 1)
AUG = date(2026, 8, 1)
SEP = date(2026, 9, 1)
OCT = date(2026, 10, 1)
NOV = date(2026, 11, 1)
MONTHS = (JUL, AUG, SEP, OCT, NOV)


# --- dismissal ----------------------------------------------------------------

@pytest.mark.parametrize(
    "dismissed, month, overdue",
    [
        (date(2026, 8, 31), SEP, False),  # deadline 30.09 = the judged day: not yet overdue
        (date(2026, 8, 31), OCT, True),
        (date(2026, 9, 15), SEP, False),
        (date(2026, 9, 15), OCT, True),  # deadline 15.10
        (date(2026, 10, 1), OCT, False),  # deadline 01.11
        (date(2026, 10, 1), NOV, True),
    ],
)
def test_dismissed_holder_has_1_month(centre, database, dismissed, month, overdue):
    from etm_desktop.domain.calendar import add_months

    gone = centre.manager("1001", "Универсальный", dismissed=dismissed)
    centre.clients(gone, 3)
    centre.commit()
    grid = month_grid(database, month)
    expected = [OverdueRebinding("1001", 3, dismissed, add_months(dismissed, 1), "увольнение")] if overdue else []
    assert grid.overdue_rebinding == expected
    assert "1001" not in grid_ids(grid)  # dismissed before the judged day


def test_dismissed_holder_without_clients_is_not_listed(centre, database):
    gone = centre.manager("1001", "Универсальный", dismissed=date(2026, 8, 31))
    client = centre.client(gone, bound_to=date(2026, 9, 10))  # re-bound in time
    keeper = centre.manager("1002", "Универсальный")
    centre.bind(client, keeper, date(2026, 9, 10))
    centre.commit()
    assert month_grid(database, OCT).overdue_rebinding == []


def test_dismissed_holder_counts_groups(centre, database):
    gone = centre.manager("1001", "Универсальный", dismissed=date(2026, 8, 31))
    head = centre.client(gone)
    centre.client(gone, head=head)
    centre.client(gone, head=head)
    centre.client(gone)
    centre.commit()
    (entry,) = month_grid(database, OCT).overdue_rebinding
    assert (entry.manager, entry.clients, entry.reason) == ("1001", 2, "увольнение")


# --- change of specialization -------------------------------------------------

def _respecialized(centre, change_day):
    """A Универсальный veteran turned МРПП on ``change_day``: 20 ЭМО (forbidden for МРПП),
    18 ПП (profile) and 2 Щитовики (allowed) bound long before."""
    m = centre.manager("1001", "Универсальный")
    centre.respecialize(m, "МРПП", change_day)
    old = centre.paying_clients(m, 20, MONTHS, ckg="ЭМО")
    centre.paying_clients(m, 18, MONTHS, ckg="ПП")
    centre.paying_clients(m, 2, MONTHS, ckg="Щитовики")
    centre.outside_meetings(m, MONTHS, 25)
    return m, old


def test_specialization_change_2_months(centre, database):
    _respecialized(centre, date(2026, 8, 1))
    centre.commit()
    assert manager_row(month_grid(database, JUL), "1001").specialization == "Универсальный"
    assert verdicts(month_grid(database, JUL), "1001") == {}
    for month in (AUG, SEP):  # deadline 01.10: a warning while the 2 months run
        grid = month_grid(database, month)
        assert manager_row(grid, "1001").specialization == "МРПП"
        assert verdicts(grid, "1001") == {("rebinding_overdue", "warning"): (20, 0)}, month
        assert grid.overdue_rebinding == []
    grid = month_grid(database, OCT)
    assert verdicts(grid, "1001") == {
        ("rebinding_overdue", "breach"): (20, 0),
        ("forbidden_ckg", "breach"): (20, 0),
    }
    assert grid.overdue_rebinding == [
        OverdueRebinding("1001", 20, date(2026, 8, 1), date(2026, 10, 1), "смена специализации")
    ]


@pytest.mark.parametrize(
    "month, expected",
    [
        (SEP, {("rebinding_overdue", "warning"): (20, 0)}),  # 30.09 is the deadline itself
        (OCT, {("rebinding_overdue", "breach"): (20, 0), ("forbidden_ckg", "breach"): (20, 0)}),
    ],
)
def test_specialization_change_deadline_on_the_judged_day(centre, database, month, expected):
    _respecialized(centre, date(2026, 7, 31))  # deadline 30.09
    centre.commit()
    grid = month_grid(database, month)
    assert verdicts(grid, "1001") == expected
    assert (grid.overdue_rebinding != []) == (month == OCT)


def test_clients_bound_after_the_change_get_no_grace(centre, database):
    m, _ = _respecialized(centre, date(2026, 8, 1))
    centre.paying_clients(m, 1, MONTHS, ckg="ЭМО", bound_from=date(2026, 8, 15))
    centre.paying_clients(m, 1, MONTHS, ckg="Сети", bound_from=date(2026, 8, 15))
    centre.commit()
    assert verdicts(month_grid(database, SEP), "1001") == {
        ("rebinding_overdue", "warning"): (20, 0),
        ("forbidden_ckg", "breach"): (1, 0),
        ("off_profile", "breach"): (1, 0),
    }


def test_off_profile_clients_of_the_old_base_count_too(centre, database):
    m = centre.manager("1001", "Территориальный")
    centre.respecialize(m, "МРД", date(2026, 9, 1))
    centre.paying_clients(m, 15, MONTHS, ckg="Дилеры")
    centre.paying_clients(m, 3, MONTHS, ckg="ЭМО")
    centre.outside_meetings(m, MONTHS, 9)
    centre.commit()
    assert verdicts(month_grid(database, OCT), "1001") == {("rebinding_overdue", "warning"): (3, 0)}
    assert verdicts(month_grid(database, NOV), "1001") == {
        ("rebinding_overdue", "breach"): (3, 0),
        ("off_profile", "breach"): (3, 0),
    }
    (entry,) = month_grid(database, NOV).overdue_rebinding
    assert (entry.manager, entry.clients, entry.since, entry.deadline) == ("1001", 3, date(2026, 9, 1),
                                                                           date(2026, 11, 1))


def test_a_change_where_all_clients_fit_needs_no_rebinding(centre, database):
    m = centre.manager("1001", "МРПП")
    centre.respecialize(m, "Территориальный", date(2026, 8, 1))
    centre.paying_clients(m, 20, MONTHS, ckg="ПП")
    centre.paying_clients(m, 10, MONTHS, ckg="Щитовики")
    centre.outside_meetings(m, MONTHS, 15)
    centre.commit()
    for month in (SEP, OCT, NOV):
        grid = month_grid(database, month)
        assert verdicts(grid, "1001") == {}
        assert grid.overdue_rebinding == []
