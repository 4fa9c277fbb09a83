"""Share of KB clients paying strictly over 15,000 ₽ in the month (domain.md, rules.md)."""

from datetime import date

import pytest

from etm_desktop.compliance.service import month_grid
from tests.builders import PROFILE_CKG, manager_row, verdicts

OCT = date(2026, 10, 1)
SEP = date(2026, 9, 1)

# domain.md: "min share of KB clients paying > 15,000 ₽ in the month" — an independent copy,
# with a KB size inside the veteran range where the minimum is a whole number of clients.
PAYING = {
    "Универсальный": (0.35, 20, 7),
    "Территориальный": (0.25, 40, 10),
    "МРПП": (0.35, 20, 7),
    "МРЩ": (0.70, 10, 7),
    "МРД": (0.50, 20, 10),
    "МРС": (0.70, 10, 7),
}


def _manager(centre, spec, kb, paying, *, amount=20000.0, unpaid=0.0, novice=date(2020, 1, 1)):
    m = centre.manager("1001", spec, novice=novice)
    centre.paying_clients(m, paying, OCT, ckg=PROFILE_CKG[spec], amount=amount)
    centre.paying_clients(m, kb - paying, OCT, ckg=PROFILE_CKG[spec], amount=unpaid)
    centre.outside_meetings(m, OCT, kb)
    centre.novice_activity(m, OCT)
    return m


@pytest.mark.parametrize("spec", list(PAYING))
def test_exact_minimum_share_passes(centre, database, spec):
    share, kb, paying = PAYING[spec]
    _manager(centre, spec, kb, paying)
    centre.commit()
    grid = month_grid(database, OCT)
    row = manager_row(grid, "1001")
    assert (row.kb_size, row.paying) == (kb, paying)
    assert row.paying_share == round(paying / kb, 3)
    assert verdicts(grid, "1001") == {}


@pytest.mark.parametrize("spec", list(PAYING))
def test_one_paying_client_less_fails(centre, database, spec):
    share, kb, paying = PAYING[spec]
    _manager(centre, spec, kb, paying - 1)
    centre.commit()
    grid = month_grid(database, OCT)
    assert manager_row(grid, "1001").paying == paying - 1
    assert verdicts(grid, "1001") == {("paying_share", "breach"): (round((paying - 1) / kb, 3), share)}


@pytest.mark.parametrize(
    "amount, counts",
    [(15000.0, False), (14999.99, False), (15000.01, True), (15001.0, True), (0.0, False)],
)
def test_15000_is_not_over_15000(centre, database, amount, counts):
    # Универсальный 20 clients, 6 surely paying; the 7th decides 35%
    m = centre.manager("1001", "Универсальный")
    centre.paying_clients(m, 6, OCT)
    centre.paying_clients(m, 1, OCT, amount=amount)
    centre.paying_clients(m, 13, OCT, amount=1000.0)
    centre.outside_meetings(m, OCT, 10)
    centre.commit()
    grid = month_grid(database, OCT)
    assert manager_row(grid, "1001").paying == (7 if counts else 6)
    assert verdicts(grid, "1001") == ({} if counts else {("paying_share", "breach"): (0.3, 0.35)})


def test_only_the_judged_months_turnover_counts(centre, database):
    m = centre.manager("1001", "МРС")
    centre.paying_clients(m, 10, SEP, ckg="Сети", amount=1_000_000.0)  # bought in September only
    centre.outside_meetings(m, OCT, 5)
    centre.commit()
    grid = month_grid(database, OCT)
    assert manager_row(grid, "1001").paying == 0
    assert verdicts(grid, "1001") == {("paying_share", "breach"): (0.0, 0.7)}
    assert manager_row(month_grid(database, SEP), "1001").paying == 10


def test_not_judged_with_an_empty_kb(centre, database):
    centre.manager("1001", "МРС")
    centre.commit()
    grid = month_grid(database, OCT)
    row = manager_row(grid, "1001")
    assert (row.kb_size, row.paying, row.paying_share) == (0, 0, None)
    assert verdicts(grid, "1001") == {}


def test_novice_is_judged_on_the_share_too(centre, database):
    # a novice in month 1 (no KB minimum yet) with 2 of 10 paying: 20% < 35%
    _manager(centre, "Универсальный", 10, 2, novice=date(2026, 10, 1))
    centre.commit()
    grid = month_grid(database, OCT)
    assert manager_row(grid, "1001").status == "новичок"
    assert verdicts(grid, "1001") == {("paying_share", "breach"): (0.2, 0.35)}
