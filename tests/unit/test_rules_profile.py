"""KB purity: profile, allowed, forbidden and off-profile ЦКГ per specialization (current norms).

The ЦКГ classes below are an independent copy of domain.md's table ("works with
ЦКГ", "also allowed ЦКГ", "forbidden ЦКГ (since 2010-07-01)"); everything else is
off-profile, and since 2010-07-01 no specialization may hold any off-profile client
(МРС: beyond its 5 dealers).
"""

from datetime import date

import pytest

from etm_desktop.compliance.service import month_grid
from tests.builders import manager_row, verdicts

OCT = date(2026, 10, 1)
ALL_CKG = ("ЭМО", "Дистрибьюторы", "Инфраструктура", "ПП", "Щитовики", "Дилеры", "Сети")

PROFILE = {
    "Универсальный": {"ЭМО", "Дистрибьюторы", "Инфраструктура"},
    "Территориальный": {"ЭМО", "Дистрибьюторы", "Инфраструктура", "ПП", "Щитовики"},
    "МРПП": {"ПП"},
    "МРЩ": {"Щитовики"},
    "МРД": {"Дилеры"},
    "МРС": {"Сети"},
}
ALLOWED = {"Универсальный": {"ПП", "Щитовики"}, "МРПП": {"Щитовики"}, "МРС": {"Дилеры"}}
FORBIDDEN = {
    "МРПП": {"ЭМО", "Инфраструктура", "Дистрибьюторы"},
    "МРЩ": {"ЭМО", "Инфраструктура", "Дистрибьюторы", "ПП"},
}
# a compliant veteran KB of profile clients, one client short of the maximum at least
BASE_KB = {"Универсальный": 20, "Территориальный": 30, "МРПП": 20, "МРЩ": 10, "МРД": 15, "МРС": 5}
MAIN_CKG = {"Универсальный": "ЭМО", "Территориальный": "ЭМО", "МРПП": "ПП", "МРЩ": "Щитовики",
            "МРД": "Дилеры", "МРС": "Сети"}


def _expected(spec, ckg):
    if ckg in PROFILE[spec] or ckg in ALLOWED.get(spec, set()):
        return {}
    if ckg in FORBIDDEN.get(spec, set()):
        return {("forbidden_ckg", "breach"): (1, 0)}
    return {("off_profile", "breach"): (1, 0)}


def _manager(centre, spec, extra):
    """A compliant veteran of ``spec`` with one more client of each ЦКГ in ``extra``."""
    m = centre.manager("1001", spec)
    centre.paying_clients(m, BASE_KB[spec], OCT, ckg=MAIN_CKG[spec])
    added = [centre.paying_clients(m, 1, OCT, ckg=ckg)[0] for ckg in extra]
    centre.outside_meetings(m, OCT, BASE_KB[spec] + len(extra))
    return m, added


@pytest.mark.parametrize("spec, ckg", [(s, c) for s in PROFILE for c in ALL_CKG])
def test_each_ckg_of_each_specialization(centre, database, spec, ckg):
    _, (client,) = _manager(centre, spec, [ckg])
    centre.commit()
    grid = month_grid(database, OCT)
    assert verdicts(grid, "1001") == _expected(spec, ckg)
    for b in manager_row(grid, "1001").breaches:
        assert b.clients == (client.code,)


def test_off_profile_counts_every_off_profile_group(centre, database):
    _manager(centre, "Универсальный", ["Дилеры", "Дилеры", "Сети"])
    centre.commit()
    assert verdicts(month_grid(database, OCT), "1001") == {("off_profile", "breach"): (3, 0)}


def test_forbidden_is_not_also_off_profile(centre, database):
    _manager(centre, "МРЩ", ["ЭМО", "ПП", "Дилеры"])
    centre.commit()
    assert verdicts(month_grid(database, OCT), "1001") == {
        ("forbidden_ckg", "breach"): (2, 0),
        ("off_profile", "breach"): (1, 0),
    }


@pytest.mark.parametrize("dealers, expected", [(0, {}), (5, {}), (6, {("off_profile", "breach"): (1, 0)}),
                                              (7, {("off_profile", "breach"): (2, 0)})])
def test_mrs_may_hold_up_to_5_dealers(centre, database, dealers, expected):
    m = centre.manager("1001", "МРС")
    centre.paying_clients(m, 3, OCT, ckg="Сети")
    for k in range(dealers):
        centre.paying_clients(m, 1, OCT, ckg="Дилеры", bound_from=date(2025, 1, 1 + k))
    centre.outside_meetings(m, OCT, 5)
    centre.commit()
    grid = month_grid(database, OCT)
    assert verdicts(grid, "1001") == ({**expected, ("kb_size_max", "breach"): (3 + dealers, 10)}
                                      if 3 + dealers > 10 else expected)


def test_mrs_dealers_cap_and_another_off_profile_client(centre, database):
    m = centre.manager("1001", "МРС")
    centre.paying_clients(m, 2, OCT, ckg="Сети")
    centre.paying_clients(m, 5, OCT, ckg="Дилеры")
    centre.paying_clients(m, 1, OCT, ckg="ЭМО")
    centre.outside_meetings(m, OCT, 4)
    centre.commit()
    assert verdicts(month_grid(database, OCT), "1001") == {("off_profile", "breach"): (1, 0)}


def test_off_profile_is_judged_by_the_head_of_the_group(centre, database):
    """rules.md: off-profile counts bound groups whose *head's* ЦКГ is off-profile (I9)."""
    m = centre.manager("1001", "МРД")
    centre.paying_clients(m, 15, OCT, ckg="Дилеры")
    head = centre.client(m, ckg="Дилеры", turnover={OCT: 20000})
    centre.client(m, ckg="ЭМО", head=head)  # a related payer registered with another ЦКГ
    centre.outside_meetings(m, OCT, 8)
    centre.commit()
    grid = month_grid(database, OCT)
    assert manager_row(grid, "1001").kb_size == 16
    assert verdicts(grid, "1001") == {}


def test_off_profile_head_with_a_profile_related_payer(centre, database):
    m = centre.manager("1001", "МРД")
    centre.paying_clients(m, 15, OCT, ckg="Дилеры")
    head = centre.client(None, ckg="ЭМО", turnover={OCT: 20000})
    centre.client(m, ckg="Дилеры", head=head)  # only the related payer is bound
    centre.outside_meetings(m, OCT, 8)
    centre.commit()
    grid = month_grid(database, OCT)
    assert manager_row(grid, "1001").kb_size == 16
    assert verdicts(grid, "1001") == {("off_profile", "breach"): (1, 0)}
