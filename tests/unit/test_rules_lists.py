"""The month's control lists: blacklist (I7) and automatic unbinding (6 months, ПДЗ)."""

from datetime import date

import pytest

from etm_desktop.compliance.service import month_grid
from tests.builders import blacklisted, unbind_candidates

OCT = date(2026, 10, 1)
SEP = date(2026, 9, 1)
AUG = date(2026, 8, 1)
PROFILE_CKG = {"Универсальный": "ЭМО", "Территориальный": "ЭМО", "МРПП": "ПП", "МРЩ": "Щитовики",
               "МРД": "Дилеры", "МРС": "Сети"}
EACH_MONTH_BELOW = ("Универсальный", "Территориальный", "МРПП")  # < 15,000 ₽ in each of M and M−1
BY_POTENTIAL = ("МРЩ", "МРД", "МРС")  # M < 300k (S), 150k (A), 50k (B)


def _turnover(months_amounts):
    return {m: a for m, a in months_amounts.items() if a is not None}


@pytest.mark.parametrize("spec", EACH_MONTH_BELOW)
@pytest.mark.parametrize(
    "october, september, august, listed",
    [
        (14999.0, 14999.0, None, True),
        (14999.99, 0.0, None, True),
        (None, None, None, True),  # bought nothing at all
        (0.0, 0.0, 100000.0, True),  # M−2 is not looked at
        (15000.0, 0.0, None, False),  # exactly 15,000 is not "under 15,000"
        (0.0, 15000.0, None, False),  # M−1 counts (I7)
        (14999.0, 20000.0, None, False),
        (20000.0, 20000.0, None, False),
    ],
)
def test_blacklist_under_15000_in_each_of_the_last_2_months(centre, database, spec, october, september,
                                                             august, listed):
    m = centre.manager("1001", spec)
    client = centre.client(m, ckg=PROFILE_CKG[spec], potential="S",
                           turnover=_turnover({OCT: october, SEP: september, AUG: august}))
    centre.commit()
    assert blacklisted(month_grid(database, OCT)) == ({(client.code, "1001")} if listed else set())


@pytest.mark.parametrize("spec", BY_POTENTIAL)
@pytest.mark.parametrize(
    "potential, october, september, listed",
    [
        ("S", 299999.0, 0.0, True),
        ("S", 300000.0, 0.0, False),  # exactly the threshold is not below it
        ("S", 200000.0, 0.0, True),
        ("S", 0.0, 1_000_000.0, True),  # only the last month counts (I7)
        ("A", 149999.0, 0.0, True),
        ("A", 150000.0, 0.0, False),
        ("A", 100000.0, 0.0, True),
        ("B", 49999.0, 0.0, True),
        ("B", 50000.0, 0.0, False),
        ("B", 14000.0, 14000.0, True),
        ("C", 0.0, 0.0, False),  # C is never listed
        (None, 0.0, 0.0, False),  # nor a client without potential
    ],
)
def test_blacklist_by_potential(centre, database, spec, potential, october, september, listed):
    m = centre.manager("1001", spec)
    client = centre.client(m, ckg=PROFILE_CKG[spec], potential=potential, turnover={OCT: october, SEP: september})
    centre.commit()
    assert blacklisted(month_grid(database, OCT)) == ({(client.code, "1001")} if listed else set())


def test_blacklist_rule_follows_each_holders_specialization(centre, database):
    centre.office("ОП2", "Куст 2")
    universal = centre.manager("1001", "Универсальный")
    panel = centre.manager("1002", "МРЩ", office="ОП2")
    shared = centre.client(universal, ckg="Щитовики", potential="S", turnover={OCT: 100000, SEP: 100000})
    centre.bind(shared, panel)
    centre.commit()
    assert blacklisted(month_grid(database, OCT)) == {(shared.code, "1002")}


def test_blacklist_lists_only_bound_clients(centre, database):
    centre.manager("1001", "Универсальный")
    centre.client(None)
    centre.client(None, potential="S")
    centre.commit()
    assert blacklisted(month_grid(database, OCT)) == set()


# --- automatic unbinding ------------------------------------------------------



@pytest.mark.parametrize(
    "turnover, listed",
    [
        ({}, True),
        ({date(2026, 4, 1): 1_000_000}, True),  # M−6 is outside the 6 months
        ({date(2026, 5, 1): 1}, False),  # M−5 is inside
        ({date(2026, 7, 1): 100}, False),
        ({OCT: 50}, False),
        ({date(2026, 11, 1): 1_000_000}, True),  # a later month is not looked at
    ],
)
def test_auto_unbind_after_6_months_without_turnover(centre, database, turnover, listed):
    m = centre.manager("1001", "Универсальный")
    client = centre.client(m, turnover=turnover)
    centre.commit()
    assert unbind_candidates(month_grid(database, OCT)) == ({(client.code, "1001")} if listed else set())


@pytest.mark.parametrize(
    "snapshots, listed",
    [
        ([(date(2026, 10, 15), 500.0)], False),  # ПДЗ: not unbound
        ([(date(2026, 10, 31), 500.0)], False),  # a snapshot on the judged day counts
        ([(date(2026, 6, 30), 500.0), (date(2026, 9, 30), 0.0)], True),  # the latest snapshot counts
        ([(date(2026, 6, 30), 0.0), (date(2026, 9, 30), 500.0)], False),
        ([(date(2026, 11, 5), 500.0)], True),  # a snapshot after the judged day is unknown then
        ([(date(2026, 9, 30), 0.0)], True),
    ],
)
def test_auto_unbind_not_with_receivables(centre, database, snapshots, listed):
    m = centre.manager("1001", "Универсальный")
    client = centre.client(m)
    for day, amount in snapshots:
        centre.receivable(client, day, amount)
    centre.commit()
    assert unbind_candidates(month_grid(database, OCT)) == ({(client.code, "1001")} if listed else set())


def test_auto_unbind_lists_every_holder_of_a_multi_bound_client(centre, database):
    centre.office("ОП2", "Куст 2")
    a = centre.manager("1001", "Универсальный")
    b = centre.manager("1002", "Универсальный", office="ОП2")
    idle = centre.client(a)
    centre.bind(idle, b)
    busy = centre.client(a, turnover={OCT: 100})
    centre.commit()
    assert unbind_candidates(month_grid(database, OCT)) == {(idle.code, "1001"), (idle.code, "1002")}
    assert busy.code not in {c for c, _ in unbind_candidates(month_grid(database, OCT))}
