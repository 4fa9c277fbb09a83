"""Target territories (I5), target potential (I6) and the new-universal territory rule."""

from datetime import date

import pytest

from etm_desktop.compliance.service import month_grid
from tests.builders import manager_row, verdicts

OCT = date(2026, 10, 1)
BASE = {"Универсальный": ("ЭМО", 20), "Территориальный": ("ЭМО", 30), "МРПП": ("ПП", 20),
        "МРЩ": ("Щитовики", 10), "МРД": ("Дилеры", 15), "МРС": ("Сети", 5)}

WARN_T = {("territory", "warning"): (1, 0)}
BREACH_T = {("territory", "breach"): (1, 0)}
FORBIDDEN = {("forbidden_ckg", "breach"): (1, 0)}
OFF = {("off_profile", "breach"): (1, 0)}


def _veteran(centre, spec, tab="1001", **kw):
    m = centre.manager(tab, spec, **kw)
    ckg, size = BASE[spec]
    centre.paying_clients(m, size, OCT, ckg=ckg)
    centre.outside_meetings(m, OCT, size + 1)
    return m


# --- territories --------------------------------------------------------------

@pytest.mark.parametrize(
    "spec, ckg, in_city, expected",
    [
        # Универсальный: the city; outside it tolerated (I5: a warning)
        ("Универсальный", "ЭМО", True, {}),
        ("Универсальный", "ЭМО", False, WARN_T),
        ("Универсальный", "ПП", False, WARN_T),
        # МРПП: outside the city tolerated only for ПП and Щитовики
        ("МРПП", "ПП", True, {}),
        ("МРПП", "ПП", False, WARN_T),
        ("МРПП", "Щитовики", False, WARN_T),
        ("МРПП", "ЭМО", False, {**BREACH_T, **FORBIDDEN}),
        ("МРПП", "Сети", False, {**BREACH_T, **OFF}),
        # МРЩ: outside the city tolerated only for Щитовики
        ("МРЩ", "Щитовики", True, {}),
        ("МРЩ", "Щитовики", False, WARN_T),
        ("МРЩ", "ПП", False, {**BREACH_T, **FORBIDDEN}),
        ("МРЩ", "Дилеры", False, {**BREACH_T, **OFF}),
        # МРД, МРС: territories are not regulated
        ("МРД", "Дилеры", False, {}),
        ("МРС", "Сети", False, {}),
    ],
)
def test_city_rule(centre, database, spec, ckg, in_city, expected):
    m = _veteran(centre, spec)
    centre.territory("Z", in_city=in_city)
    centre.paying_clients(m, 1, OCT, ckg=ckg, territory="Z")
    centre.commit()
    assert verdicts(month_grid(database, OCT), "1001") == expected


def test_city_rule_counts_every_client_outside(centre, database):
    m = _veteran(centre, "Универсальный")
    centre.territory("Z1", in_city=False)
    centre.territory("Z2", in_city=False)
    centre.paying_clients(m, 2, OCT, territory="Z1")
    centre.paying_clients(m, 1, OCT, territory="Z2")
    centre.commit()
    assert verdicts(month_grid(database, OCT), "1001") == {("territory", "warning"): (3, 0)}


def test_mrpp_warning_and_breach_together(centre, database):
    m = _veteran(centre, "МРПП")
    centre.territory("Z", in_city=False)
    centre.paying_clients(m, 2, OCT, ckg="ПП", territory="Z")
    centre.paying_clients(m, 1, OCT, ckg="Щитовики", territory="Z")
    centre.paying_clients(m, 1, OCT, ckg="ЭМО", territory="Z")
    centre.commit()
    assert verdicts(month_grid(database, OCT), "1001") == {
        ("territory", "warning"): (3, 0),
        ("territory", "breach"): (1, 0),
        ("forbidden_ckg", "breach"): (1, 0),
    }


@pytest.mark.parametrize(
    "territory, in_city, expected",
    [
        ("T1", True, {}),  # his own territory
        ("T4", False, {}),  # his own territory outside the city: strictly his, so fine
        ("T2", True, BREACH_T),  # not his (I5: "strictly" — a breach, even in the city)
        ("T3", False, BREACH_T),
        (None, True, {}),  # a client without a territory is not judged
    ],
)
def test_territorial_strictly_his_territories(centre, database, territory, in_city, expected):
    centre.territory("T4", in_city=False)
    m = _veteran(centre, "Территориальный", territories=("T1", "T4"))
    if territory:
        centre.territory(territory, in_city=in_city)
    centre.paying_clients(m, 1, OCT, territory=territory)
    centre.commit()
    assert verdicts(month_grid(database, OCT), "1001") == expected


def test_territorial_territory_of_a_colleague_is_not_his(centre, database):
    m = _veteran(centre, "Территориальный", territories=("T1",))
    _veteran(centre, "Территориальный", tab="1002", territories=("T2",))
    centre.paying_clients(m, 2, OCT, territory="T2")
    centre.commit()
    grid = month_grid(database, OCT)
    assert verdicts(grid, "1001") == {("territory", "breach"): (2, 0)}
    assert verdicts(grid, "1002") == {}


# --- potential ----------------------------------------------------------------

# domain.md "target potential": (target, tolerated); anything else (C) is a breach
TARGET = {
    "Универсальный": ({"S", "A", "B"}, set()),  # I6: "С,А,В" read as S, A, B
    "Территориальный": ({"A", "B"}, {"S"}),
    "МРПП": ({"S", "A", "B"}, set()),
    "МРЩ": ({"S", "A", "B"}, set()),
    "МРД": ({"S", "A", "B"}, set()),
    "МРС": ({"S", "A", "B"}, set()),
}


def _potential_expected(spec, potential):
    target, tolerated = TARGET[spec]
    if potential is None or potential in target:
        return {}
    if potential in tolerated:
        return {("potential", "warning"): (1, 0)}
    return {("potential", "breach"): (1, 0)}


@pytest.mark.parametrize("spec, potential", [(s, p) for s in TARGET for p in ("S", "A", "B", "C", None)])
def test_target_potential(centre, database, spec, potential):
    m = _veteran(centre, spec)
    centre.paying_clients(m, 1, OCT, ckg=BASE[spec][0], potential=potential)
    centre.commit()
    assert verdicts(month_grid(database, OCT), "1001") == _potential_expected(spec, potential)


def test_territorial_potential_warning_and_breach_together(centre, database):
    m = _veteran(centre, "Территориальный")
    centre.paying_clients(m, 2, OCT, potential="S")
    centre.paying_clients(m, 3, OCT, potential="C")
    centre.commit()
    assert verdicts(month_grid(database, OCT), "1001") == {
        ("potential", "warning"): (2, 0),
        ("potential", "breach"): (3, 0),
    }


# --- a new universal МОПП and the territorial МОПП's territories --------------

def _universal(centre, novice, territory="T1"):
    m = centre.manager("1001", "Универсальный", novice=novice)
    centre.paying_clients(m, 19, OCT)
    centre.paying_clients(m, 1, OCT, territory=territory)
    centre.novice_activity(m, OCT)
    return m


@pytest.mark.parametrize(
    "novice, status, expected",
    [
        (date(2026, 10, 1), "новичок", {("new_universal_territory", "breach"): (1, 0)}),
        (date(2026, 5, 1), "новичок", {("new_universal_territory", "breach"): (1, 0)}),
        (None, "стажер", {("new_universal_territory", "breach"): (1, 0)}),
        (date(2026, 4, 30), "опытный", {}),
        (date(2020, 1, 1), "ветеран", {}),
    ],
)
def test_new_universal_with_a_client_in_a_territorial_territory(centre, database, novice, status, expected):
    centre.manager("2001", "Территориальный", territories=("T1",))
    _universal(centre, novice)
    centre.commit()
    grid = month_grid(database, OCT)
    assert manager_row(grid, "1001").status == status
    assert verdicts(grid, "1001") == expected


def test_new_universal_in_a_territory_nobody_territorial_holds(centre, database):
    centre.manager("2001", "Территориальный", territories=("T1",))
    centre.manager("2002", "МРПП", territories=("T2",))  # not a territorial МОПП
    _universal(centre, date(2026, 10, 1), territory="T2")
    centre.commit()
    assert verdicts(month_grid(database, OCT), "1001") == {}


def test_new_universal_after_the_territorial_left(centre, database):
    centre.manager("2001", "Территориальный", territories=("T1",), dismissed=date(2026, 10, 15))
    _universal(centre, date(2026, 10, 1))
    centre.commit()
    assert verdicts(month_grid(database, OCT), "1001") == {}
    # on 30 September the territorial was still employed (the universal was a стажер then)
    september = month_grid(database, date(2026, 9, 1))
    assert manager_row(september, "1001").status == "стажер"
    assert verdicts(september, "1001") == {("new_universal_territory", "breach"): (1, 0)}


def test_the_rule_binds_only_universal_newcomers(centre, database):
    centre.manager("2001", "Территориальный", territories=("T1",))
    m = centre.manager("1001", "МРПП", novice=date(2026, 10, 1))
    centre.paying_clients(m, 1, OCT, ckg="ПП", territory="T1")
    centre.novice_activity(m, OCT)
    centre.commit()
    assert verdicts(month_grid(database, OCT), "1001") == {}
