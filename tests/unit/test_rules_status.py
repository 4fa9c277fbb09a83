"""Status from seniority (domain.md "Status", I2, I8) and the novice KB ramp.

Month n = whole calendar months since the novice date + 1: новичок n ≤ 6,
опытный 7 ≤ n ≤ 12, ветеран n ≥ 13; стажер has no novice date yet. Novice
minimums: none before 2 whole months, X from 2, Y from 4; the maximum from day one.
"""

from datetime import date

import pytest

from etm_desktop.compliance.service import month_grid
from tests.builders import PROFILE_CKG, manager_row, verdicts

OCT = date(2026, 10, 1)  # judged as at 2026-10-31

# domain.md, "KB size, novice (min @2 mo / @4 mo / max)" — an independent copy.
NOVICE_KB = {
    "Универсальный": (15, 20, 40),
    "Территориальный": (20, 30, 60),
    "МРПП": (20, 20, 60),
    "МРЩ": (5, 7, 20),
    "МРД": (10, 10, 30),
    "МРС": (None, None, 10),
}


@pytest.mark.parametrize(
    "novice, status",
    [
        (None, "стажер"),
        (date(2026, 11, 1), "стажер"),  # becomes a novice only after the judged day
        (date(2026, 10, 31), "новичок"),  # month 1 on the month's last day
        (date(2026, 5, 1), "новичок"),  # 5 whole months → month 6
        (date(2026, 4, 30), "опытный"),  # 6 whole months → month 7
        (date(2026, 4, 15), "опытный"),
        (date(2025, 11, 1), "опытный"),  # 11 whole months → month 12
        (date(2025, 10, 31), "ветеран"),  # 12 whole months → month 13
        (date(2020, 1, 1), "ветеран"),
    ],
)
def test_status_in_the_grid(centre, database, novice, status):
    centre.manager("1001", "Универсальный", novice=novice)
    centre.commit()
    assert manager_row(month_grid(database, OCT), "1001").status == status


def test_status_on_counts_whole_months(database):
    from etm_desktop.compliance.staff import status_on
    from etm_desktop.norms.store import NormBook

    common = NormBook.load(database).in_force(date(2026, 10, 31)).common
    day = date(2026, 10, 31)
    assert status_on(None, day, common) == ("стажер", None)
    assert status_on(date(2026, 11, 1), day, common) == ("стажер", None)
    assert status_on(date(2026, 10, 31), day, common) == ("новичок", 0)
    assert status_on(date(2026, 5, 1), day, common) == ("новичок", 5)
    assert status_on(date(2026, 4, 30), day, common) == ("опытный", 6)
    assert status_on(date(2025, 11, 1), day, common) == ("опытный", 11)
    assert status_on(date(2025, 10, 31), day, common) == ("ветеран", 12)


@pytest.mark.parametrize(
    "novice, expected",
    [
        # month 6: still a novice — 20 meetings and 100 cold calls are required
        (date(2026, 5, 1), {("meetings", "breach"): (10, 20), ("cold_calls", "breach"): (0, 100)}),
        # month 7: experienced — 50% of KB (10 of 20) is enough, no cold calls
        (date(2026, 4, 30), {}),
    ],
)
def test_month_6_vs_7_changes_the_norms(centre, database, novice, expected):
    m = centre.manager("1001", "Универсальный", novice=novice)
    centre.paying_clients(m, 20, OCT)
    centre.outside_meetings(m, OCT, 10)
    centre.commit()
    assert verdicts(month_grid(database, OCT), "1001") == expected


@pytest.mark.parametrize(
    "novice, status, expected",
    [
        # МРЩ: experienced min 7, veteran min 10
        (date(2025, 11, 1), "опытный", {}),
        (date(2025, 10, 31), "ветеран", {("kb_size_min", "breach"): (8, 10)}),
    ],
)
def test_month_12_vs_13_changes_the_norms(centre, database, novice, status, expected):
    m = centre.manager("1001", "МРЩ", novice=novice)
    centre.paying_clients(m, 8, OCT, ckg="Щитовики")
    centre.outside_meetings(m, OCT, 4)
    centre.commit()
    grid = month_grid(database, OCT)
    assert manager_row(grid, "1001").status == status
    assert verdicts(grid, "1001") == expected


# --- the novice ramp ----------------------------------------------------------
# Novice dates giving k whole months as at 2026-10-31.
ONE_MONTH = date(2026, 9, 1)
TWO_MONTHS = date(2026, 8, 31)
THREE_MONTHS = date(2026, 7, 1)
FOUR_MONTHS = date(2026, 6, 30)
DAY_ONE = date(2026, 10, 1)
FIVE_MONTHS = date(2026, 5, 1)


def _ramp_cases():
    for spec, (x, y, top) in NOVICE_KB.items():
        yield spec, DAY_ONE, 0, {}
        yield spec, ONE_MONTH, 0, {}
        if x is None:
            for novice in (TWO_MONTHS, THREE_MONTHS, FOUR_MONTHS, FIVE_MONTHS):
                yield spec, novice, 0, {}
        else:
            yield spec, ONE_MONTH, x - 1, {}
            yield spec, TWO_MONTHS, x - 1, {("kb_size_min", "breach"): (x - 1, x)}
            yield spec, TWO_MONTHS, x, {}
            yield spec, THREE_MONTHS, x - 1, {("kb_size_min", "breach"): (x - 1, x)}
            yield spec, THREE_MONTHS, x, {}
            yield spec, FOUR_MONTHS, y - 1, {("kb_size_min", "breach"): (y - 1, y)}
            yield spec, FOUR_MONTHS, y, {}
            yield spec, FIVE_MONTHS, y - 1, {("kb_size_min", "breach"): (y - 1, y)}
        yield spec, DAY_ONE, top, {}
        yield spec, DAY_ONE, top + 1, {("kb_size_max", "breach"): (top + 1, top)}
        yield spec, FIVE_MONTHS, top + 1, {("kb_size_max", "breach"): (top + 1, top)}


@pytest.mark.parametrize("spec, novice, kb, expected", list(_ramp_cases()))
def test_novice_kb_ramp(centre, database, spec, novice, kb, expected):
    m = centre.manager("1001", spec, novice=novice)
    centre.paying_clients(m, kb, OCT, ckg=PROFILE_CKG[spec])
    centre.novice_activity(m, OCT)
    centre.commit()
    grid = month_grid(database, OCT)
    assert manager_row(grid, "1001").status == "новичок"
    assert manager_row(grid, "1001").kb_size == kb
    assert verdicts(grid, "1001") == expected


@pytest.mark.parametrize(
    "month, status, expected",
    [
        (date(2026, 2, 1), "новичок", {}),  # 1 whole month: no minimum yet
        (date(2026, 3, 1), "новичок", {("kb_size_min", "breach"): (14, 15)}),  # 31.01 → 31.03: 2 months
        (date(2026, 4, 1), "новичок", {("kb_size_min", "breach"): (14, 15)}),  # 3 months (30.04)
        (date(2026, 5, 1), "новичок", {("kb_size_min", "breach"): (14, 20)}),  # 4 months (31.05)
        (date(2026, 6, 1), "новичок", {("kb_size_min", "breach"): (14, 20)}),  # month 6
        (date(2026, 7, 1), "опытный", {("kb_size_min", "breach"): (14, 20)}),  # month 7
    ],
)
def test_novice_date_on_31_january(centre, database, month, status, expected):
    months = [date(2026, k, 1) for k in range(1, 8)]
    m = centre.manager("1001", "Универсальный", novice=date(2026, 1, 31))
    centre.paying_clients(m, 14, months)
    centre.novice_activity(m, months)
    centre.commit()
    grid = month_grid(database, month)
    assert manager_row(grid, "1001").status == status
    assert verdicts(grid, "1001") == expected


# --- I2: стажер has only the novice maximum -----------------------------------

@pytest.mark.parametrize("spec", list(NOVICE_KB))
def test_trainee_has_only_the_novice_maximum(centre, database, spec):
    top = NOVICE_KB[spec][2]
    at_max = centre.manager("1001", spec, novice=None)
    over = centre.manager("1002", spec, novice=None)
    small = centre.manager("1003", spec, novice=None)
    # no turnover, no meetings, no calls: nothing of that is judged for a стажер
    centre.clients(at_max, top, ckg=PROFILE_CKG[spec])
    centre.clients(over, top + 1, ckg=PROFILE_CKG[spec])
    centre.clients(small, 1, ckg=PROFILE_CKG[spec])
    centre.commit()
    grid = month_grid(database, OCT)
    assert {manager_row(grid, t).status for t in ("1001", "1002", "1003")} == {"стажер"}
    assert verdicts(grid, "1001") == {}
    assert verdicts(grid, "1002") == {("kb_size_max", "breach"): (top + 1, top)}
    assert verdicts(grid, "1003") == {}


def test_trainee_with_a_future_novice_date_is_judged_as_trainee(centre, database):
    m = centre.manager("1001", "Универсальный", novice=date(2026, 11, 1))
    centre.clients(m, 41)
    centre.commit()
    grid = month_grid(database, OCT)
    assert manager_row(grid, "1001").status == "стажер"
    assert verdicts(grid, "1001") == {("kb_size_max", "breach"): (41, 40)}
