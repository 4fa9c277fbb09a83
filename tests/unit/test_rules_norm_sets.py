"""Norm sets with effective dates: the I3 phase-out of off-profile clients (2010) and the
forbidden ЦКГ from 2010-07-01; a month is judged by the set in force on its last day."""

import copy
from datetime import date

import pytest

from etm_desktop.compliance.service import month_grid
from etm_desktop.norms.loader import load_norm_documents
from etm_desktop.norms.store import NormBook, add_norm_set
from tests.builders import manager_row, verdicts

DEC_2009 = date(2009, 12, 1)
FEB_2010 = date(2010, 2, 1)
MAY_2010 = date(2010, 5, 1)
JUN_2010 = date(2010, 6, 1)
JUL_2010 = date(2010, 7, 1)
AUG_2010 = date(2010, 8, 1)
JUDGED = (DEC_2009, FEB_2010, MAY_2010, JUN_2010, JUL_2010, AUG_2010)
OLD = date(2009, 6, 1)  # bound long before the phase-out

PHASED = ("Территориальный", "МРПП", "МРЩ")  # I3: the specializations with the phase-out
BASE = {"Территориальный": ("ЭМО", 30), "МРПП": ("ПП", 20), "МРЩ": ("Щитовики", 10),
        "Универсальный": ("ЭМО", 20), "МРД": ("Дилеры", 15), "МРС": ("Сети", 5)}


def _veteran(centre, spec, extra):
    """A veteran (since 2000) with a compliant profile KB; ``extra`` = [(ckg, bound_from)]."""
    m = centre.manager("1001", spec, novice=date(2000, 1, 1), hired=date(1999, 1, 1))
    ckg, size = BASE[spec]
    centre.paying_clients(m, size, JUDGED, ckg=ckg, bound_from=OLD)
    for extra_ckg, bound in extra:
        centre.paying_clients(m, 1, JUDGED, ckg=extra_ckg, bound_from=bound)
    centre.outside_meetings(m, JUDGED, size + len(extra))
    return m


@pytest.mark.parametrize(
    "month, effective",
    [
        (DEC_2009, date(2000, 1, 1)),
        (FEB_2010, date(2010, 1, 1)),
        (date(2010, 3, 1), date(2010, 1, 1)),
        (MAY_2010, date(2010, 4, 1)),
        (JUN_2010, date(2010, 4, 1)),
        (JUL_2010, date(2010, 7, 1)),
        (AUG_2010, date(2010, 7, 1)),
        (date(2026, 10, 1), date(2010, 7, 1)),
    ],
)
def test_the_set_in_force_on_the_months_last_day(centre, database, month, effective):
    centre.commit()
    book = NormBook.load(database)
    assert [v.effective_from for v in book.sets] == [date(2000, 1, 1), date(2010, 1, 1), date(2010, 4, 1),
                                                    date(2010, 7, 1)]
    in_force = [v for v in book.sets if v.effective_from == effective][0]
    assert month_grid(database, month).norm_set == in_force.name


@pytest.mark.parametrize("spec", PHASED)
def test_four_old_off_profile_clients_through_the_phase_out(centre, database, spec):
    _veteran(centre, spec, [("Дилеры", OLD)] * 4)
    centre.commit()
    assert verdicts(month_grid(database, DEC_2009), "1001") == {}
    assert verdicts(month_grid(database, FEB_2010), "1001") == {}  # old bindings may stay
    assert verdicts(month_grid(database, MAY_2010), "1001") == {("off_profile", "breach"): (4, 3)}
    assert verdicts(month_grid(database, AUG_2010), "1001") == {("off_profile", "breach"): (4, 0)}


@pytest.mark.parametrize("spec", PHASED)
def test_three_old_off_profile_clients_through_the_phase_out(centre, database, spec):
    _veteran(centre, spec, [("Дилеры", OLD)] * 3)
    centre.commit()
    assert verdicts(month_grid(database, DEC_2009), "1001") == {}
    assert verdicts(month_grid(database, FEB_2010), "1001") == {}
    assert verdicts(month_grid(database, MAY_2010), "1001") == {}  # at most 3 from 2010-04-01
    assert verdicts(month_grid(database, AUG_2010), "1001") == {("off_profile", "breach"): (3, 0)}


@pytest.mark.parametrize("spec", PHASED)
def test_new_off_profile_binding_from_1_january_2010(centre, database, spec):
    _veteran(centre, spec, [("Дилеры", date(2009, 12, 31)), ("Сети", date(2010, 1, 1))])
    centre.commit()
    assert verdicts(month_grid(database, DEC_2009), "1001") == {}  # before the ban
    assert verdicts(month_grid(database, FEB_2010), "1001") == {("off_profile", "breach"): (1, 0)}
    # rules.md: "new" means made on/after the start of the set in force (here 2010-04-01)
    assert verdicts(month_grid(database, MAY_2010), "1001") == {}
    assert verdicts(month_grid(database, AUG_2010), "1001") == {("off_profile", "breach"): (2, 0)}


@pytest.mark.parametrize("spec", PHASED)
def test_new_off_profile_binding_is_still_forbidden_under_the_limit_of_3(centre, database, spec):
    """rules.md: off_profile is a breach when count > max *and* when any off-profile binding
    was made on/after the set's start while new ones are not allowed (I3: the ban stays)."""
    _veteran(centre, spec, [("Дилеры", OLD), ("Дилеры", date(2010, 4, 15))])
    centre.commit()
    assert verdicts(month_grid(database, MAY_2010), "1001") == {("off_profile", "breach"): (1, 0)}
    assert verdicts(month_grid(database, AUG_2010), "1001") == {("off_profile", "breach"): (2, 0)}


@pytest.mark.parametrize("spec, ckg", [("Универсальный", "Дилеры"), ("МРД", "ЭМО"), ("МРС", "ЭМО")])
def test_no_phase_out_where_off_profile_was_always_0(centre, database, spec, ckg):
    _veteran(centre, spec, [(ckg, OLD)])
    centre.commit()
    for month in (DEC_2009, FEB_2010, MAY_2010, AUG_2010):
        assert verdicts(month_grid(database, month), "1001") == {("off_profile", "breach"): (1, 0)}, month


@pytest.mark.parametrize("spec, ckg", [("МРПП", "ЭМО"), ("МРПП", "Инфраструктура"), ("МРПП", "Дистрибьюторы"),
                                       ("МРЩ", "ЭМО"), ("МРЩ", "ПП"), ("МРЩ", "Инфраструктура"),
                                       ("МРЩ", "Дистрибьюторы")])
def test_forbidden_ckg_only_from_1_july_2010(centre, database, spec, ckg):
    _veteran(centre, spec, [(ckg, OLD)])
    centre.commit()
    assert verdicts(month_grid(database, DEC_2009), "1001") == {}
    assert verdicts(month_grid(database, JUN_2010), "1001") == {}  # an old off-profile client, ≤ 3
    assert verdicts(month_grid(database, JUL_2010), "1001") == {("forbidden_ckg", "breach"): (1, 0)}
    assert verdicts(month_grid(database, AUG_2010), "1001") == {("forbidden_ckg", "breach"): (1, 0)}


@pytest.mark.parametrize("spec", ["Универсальный", "Территориальный", "МРД", "МРС"])
def test_no_forbidden_ckg_for_the_others(centre, database, spec):
    m = centre.manager("1001", spec)
    october = date(2026, 10, 1)
    ckg, size = BASE[spec]
    centre.paying_clients(m, size, october, ckg=ckg)
    centre.outside_meetings(m, october, size)
    centre.commit()
    row = manager_row(month_grid(database, october), "1001")
    assert all(b.norm != "forbidden_ckg" for b in row.breaches)
    spec_norms = NormBook.load(database).in_force(date(2026, 10, 31)).spec(spec)
    assert spec_norms.forbidden == frozenset()


def _new_set(database, effective, name, change):
    document = copy.deepcopy(load_norm_documents()[-1])
    document["effective_from"] = effective
    document["name"] = name
    change(document)
    day = effective if isinstance(effective, date) else date.fromisoformat(effective)
    add_norm_set(database, document, who="test", today=day)  # stored on the day it starts


def test_a_set_starting_mid_month_judges_that_month(centre, database):
    m = centre.manager("1001", "Универсальный")
    centre.paying_clients(m, 41, [date(2026, 10, 1), date(2026, 11, 1)])
    centre.outside_meetings(m, [date(2026, 10, 1), date(2026, 11, 1)], 41)
    centre.commit()
    before = verdicts(month_grid(database, date(2026, 10, 1)), "1001")
    assert before == {("kb_size_max", "breach"): (41, 40)}

    def widen(document):
        document["spec"]["Универсальный"]["kb"]["ветеран"] = [20, 45]

    _new_set(database, date(2026, 10, 15), "Шире КБ", widen)
    grid = month_grid(database, date(2026, 10, 1))
    assert grid.norm_set == "Шире КБ"
    assert verdicts(grid, "1001") == {}
    assert month_grid(database, date(2026, 9, 1)).norm_set != "Шире КБ"


def test_a_set_starting_next_month_does_not_judge_this_month(centre, database):
    m = centre.manager("1001", "Универсальный")
    centre.paying_clients(m, 41, [date(2026, 10, 1), date(2026, 11, 1)])
    centre.outside_meetings(m, [date(2026, 10, 1), date(2026, 11, 1)], 41)
    centre.commit()

    def widen(document):
        document["spec"]["Универсальный"]["kb"]["ветеран"] = [20, 45]

    _new_set(database, date(2026, 11, 1), "Шире КБ с ноября", widen)
    assert verdicts(month_grid(database, date(2026, 10, 1)), "1001") == {("kb_size_max", "breach"): (41, 40)}
    assert verdicts(month_grid(database, date(2026, 11, 1)), "1001") == {}
