"""KB size of veterans and experienced МОПП per specialization (domain.md's norm table).

The table below is an independent copy of domain.md: if data/norms.toml is
edited away from the regulation, these tests fail.
"""

from datetime import date

import pytest

from etm_desktop.compliance.service import month_grid
from tests.builders import PROFILE_CKG, manager_row, verdicts

OCT = date(2026, 10, 1)
VETERAN = date(2020, 1, 1)
EXPERIENCED = date(2026, 1, 15)  # month 10 as at 2026-10-31

# domain.md: "KB size, veteran" / "KB size, experienced" (None = no minimum)
KB = {
    ("Универсальный", "ветеран"): (20, 40),
    ("Универсальный", "опытный"): (20, 40),
    ("Территориальный", "ветеран"): (30, 60),
    ("Территориальный", "опытный"): (30, 60),
    ("МРПП", "ветеран"): (20, 60),
    ("МРПП", "опытный"): (20, 60),
    ("МРЩ", "ветеран"): (10, 20),
    ("МРЩ", "опытный"): (7, 20),
    ("МРД", "ветеран"): (15, 30),
    ("МРД", "опытный"): (15, 30),
    ("МРС", "ветеран"): (None, 10),
    ("МРС", "опытный"): (None, 10),
}


def _cases():
    for (spec, status), (low, high) in KB.items():
        if low is None:
            yield spec, status, 0, {}
            yield spec, status, 1, {}
        else:
            yield spec, status, low - 1, {("kb_size_min", "breach"): (low - 1, low)}
            yield spec, status, low, {}
        yield spec, status, high, {}
        yield spec, status, high + 1, {("kb_size_max", "breach"): (high + 1, high)}


@pytest.mark.parametrize("spec, status, kb, expected", list(_cases()))
def test_kb_size_bounds(centre, database, spec, status, kb, expected):
    novice = VETERAN if status == "ветеран" else EXPERIENCED
    m = centre.manager("1001", spec, novice=novice)
    centre.paying_clients(m, kb, OCT, ckg=PROFILE_CKG[spec])
    centre.outside_meetings(m, OCT, kb)  # ≥ 50% of the KB
    centre.commit()
    grid = month_grid(database, OCT)
    row = manager_row(grid, "1001")
    assert (row.status, row.kb_size) == (status, kb)
    assert verdicts(grid, "1001") == expected


def test_kb_size_counts_clients_bound_on_the_last_day_only(centre, database):
    """I8: a binding that ended mid-month, or starts after the month, is not in the KB."""
    m = centre.manager("1001", "МРС")
    centre.paying_clients(m, 3, OCT, ckg="Сети")
    centre.paying_clients(m, 1, OCT, ckg="Сети", bound_to=date(2026, 10, 15))
    centre.paying_clients(m, 1, OCT, ckg="Сети", bound_from=date(2026, 10, 31))
    centre.paying_clients(m, 1, OCT, ckg="Сети", bound_from=date(2026, 11, 1))
    centre.outside_meetings(m, OCT, 5)
    centre.commit()
    assert manager_row(month_grid(database, OCT), "1001").kb_size == 4
    # in September only the client whose binding ended in mid-October was already bound too
    assert manager_row(month_grid(database, date(2026, 9, 1)), "1001").kb_size == 4


def test_closed_binding_is_not_counted(centre, database):
    """Binding history: the client moved from 1001 to 1002 — only 1002 holds it now."""
    a = centre.manager("1001", "МРС")
    b = centre.manager("1002", "МРС")
    moved = centre.client(a, ckg="Сети", bound_from=date(2020, 1, 1), bound_to=date(2026, 5, 1))
    centre.bind(moved, b, date(2026, 5, 1))
    centre.commit()
    grid = month_grid(database, OCT)
    assert manager_row(grid, "1001").kb_size == 0
    assert manager_row(grid, "1002").kb_size == 1
    april = month_grid(database, date(2026, 4, 1))
    assert (manager_row(april, "1001").kb_size, manager_row(april, "1002").kb_size) == (1, 0)


def test_multi_binding_counts_the_client_in_both_kbs(centre, database):
    centre.office("ОП2", "Куст 2")
    a = centre.manager("1001", "МРС")
    b = centre.manager("1002", "МРС", office="ОП2")
    shared = centre.client(a, ckg="Сети", turnover={OCT: 20000})
    centre.bind(shared, b)
    centre.commit()
    grid = month_grid(database, OCT)
    for tab in ("1001", "1002"):
        row = manager_row(grid, tab)
        assert (row.kb_size, row.paying) == (1, 1)
