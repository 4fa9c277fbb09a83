"""The demo centre: deterministic, realistic, and breaking every norm once (small scale)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from etm_desktop.compliance.result import NORM_CODES
from etm_desktop.db.database import open_database
from etm_desktop.demo import DemoError, DemoSummary, generate
from etm_desktop.domain.calendar import add_months, month_end, whole_months_between

TODAY = date(2026, 5, 14)
MONTH = date(2026, 4, 1)  # the last completed month before TODAY

SPECIALIZATIONS = {"Универсальный", "Территориальный", "МРПП", "МРЩ", "МРД", "МРС"}
POSITIONS = {"МОПП", "Старший группы", "НОП", "НОПП", "Руководитель ВТЦ", "МКА", "ДП"}
CKGS = {"ЭМО", "Дистрибьюторы", "Инфраструктура", "ПП", "Щитовики", "Дилеры", "Сети"}


def _fresh(backend, template):
    return open_database(backend.copy(template, "demo"))


@pytest.fixture(scope="module")
def small(backend, _template_db):
    """One small demo (seed 2026, today 2026-05-14) shared by the read-only tests."""
    database = _fresh(backend, _template_db)
    summary = generate(database, scale="small", seed=2026, today=TODAY)
    yield database, summary
    database.dispose()


@pytest.fixture(scope="module")
def grid(small):
    from etm_desktop.compliance.service import month_grid

    return month_grid(small[0], MONTH)


def _rows(database, sql: str, **params) -> list[tuple]:
    with database.engine.connect() as connection:
        return [tuple(r) for r in connection.execute(text(sql), params)]


def _day(value) -> date:
    """A DATE column's value: a date on PostgreSQL, ISO text on SQLite."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def _scalar(database, sql: str, **params):
    return _rows(database, sql, **params)[0][0]


# ---- determinism ----------------------------------------------------------------------

DUMPS = {
    "employee": "select tab_no, full_name, position, office_id, hire_date, novice_date, dismissal_date, "
                "group_lead_id from employee order by id",
    "client": "select code, inn, name, ckg, potential, territory_id, head_id from client order by id",
    "binding": "select client_id, employee_id, valid_from, valid_to, basis from binding order by id",
    "turnover": "select client_id, month, amount from turnover order by client_id, month",
    "receivable": "select client_id, as_of, amount from receivable order by id",
    "activity": "select employee_id, activity_date, kind, client_id, outside_office from activity order by id",
    "specialization_period": "select employee_id, specialization, start_date from specialization_period order by id",
}


def test_same_seed_and_day_give_the_same_database(small, backend, _template_db):
    again = _fresh(backend, _template_db)
    try:
        generate(again, scale="small", seed=2026, today=TODAY)
        for table, sql in DUMPS.items():
            assert _rows(again, sql) == _rows(small[0], sql), table
    finally:
        again.dispose()


def test_another_seed_gives_other_data(small, backend, _template_db):
    other = _fresh(backend, _template_db)
    try:
        generate(other, scale="small", seed=7, today=TODAY)
        assert _rows(other, DUMPS["client"]) != _rows(small[0], DUMPS["client"])
    finally:
        other.dispose()


# ---- refusals -------------------------------------------------------------------------

def test_refuses_a_database_that_has_data(small):
    with pytest.raises(DemoError, match="не пуста"):
        generate(small[0], scale="small", today=TODAY)


def test_refuses_an_unknown_scale(database):
    with pytest.raises(DemoError, match="масштаб"):
        generate(database, scale="huge", today=TODAY)
    assert _scalar(database, "select count(*) from employee") == 0


# ---- sizes and coverage ---------------------------------------------------------------

def test_small_sizes_are_in_range(small):
    database, summary = small
    assert isinstance(summary, DemoSummary)
    employees = _scalar(database, "select count(*) from employee")
    clients = _scalar(database, "select count(*) from client")
    related = _scalar(database, "select count(*) from client where head_id is not null")
    heads = _scalar(database, "select count(distinct head_id) from client where head_id is not null")
    ook = _scalar(database, "select count(*) from client c where not exists "
                            "(select 1 from binding b where b.client_id = c.id and b.valid_to is null)")
    assert 25 <= employees <= 45
    assert 1400 <= clients <= 1600
    assert 0.06 <= (related + heads) / clients <= 0.15  # ~10% in 140-groups
    assert ook / clients > 0.3  # many clients with ООК
    assert summary.counts["client"] == clients and summary.counts["employee"] == employees
    assert _scalar(database, "select count(*) from centre") == 1
    assert _scalar(database, "select count(*) from cluster") == 2
    assert _scalar(database, "select count(*) from office") == 3
    text_summary = summary.as_text()
    assert "2026-04" in text_summary and "клиентов" in text_summary


def test_data_ends_with_the_last_completed_month(small):
    database, summary = small
    assert summary.month == MONTH
    months = [_day(r[0]) for r in _rows(database, "select distinct month from turnover order by month")]
    assert months[-1] == MONTH and months[0] == add_months(MONTH, -23) and len(months) == 24
    first, last = _rows(database, "select min(activity_date), max(activity_date) from activity")[0]
    assert _day(first) >= add_months(MONTH, -11)
    assert _day(last) <= month_end(MONTH)
    assert _day(_scalar(database, "select max(valid_from) from binding")) <= month_end(MONTH)


def test_every_position_specialization_ckg_and_potential_is_present(small):
    database, _ = small
    assert {r[0] for r in _rows(database, "select distinct position from employee")} == POSITIONS
    assert {r[0] for r in _rows(database, "select distinct specialization from specialization_period")} == SPECIALIZATIONS
    assert {r[0] for r in _rows(database, "select distinct ckg from client")} == CKGS
    assert {r[0] for r in _rows(database, "select distinct potential from client")} >= {"S", "A", "B", "C"}
    territories = _rows(database, "select distinct in_city from territory")
    assert {bool(r[0]) for r in territories} == {True, False}


def test_every_status_and_novice_ramp_step_is_present(small):
    database, _ = small
    end = month_end(MONTH)
    rows = _rows(database, "select e.novice_date from employee e where e.position in ('МОПП', 'Старший группы') "
                           "and (e.dismissal_date is null or e.dismissal_date >= :end)", end=end.isoformat())
    found = set()
    for (novice,) in rows:
        if novice is None:
            found.add("стажер")
            continue
        whole = whole_months_between(_day(novice), end)
        if whole + 1 > 12:
            found.add("ветеран")
        elif whole + 1 > 6:
            found.add("опытный")
        else:
            found.add("новичок <2" if whole < 2 else "новичок 2-3" if whole < 4 else "новичок ≥4")
    assert found == {"стажер", "новичок <2", "новичок 2-3", "новичок ≥4", "опытный", "ветеран"}


def test_heads_groups_territories_and_history(small):
    database, _ = small
    members = _rows(database, "select count(*) from employee m join employee l on l.id = m.group_lead_id "
                              "where l.position = 'Старший группы' group by l.id")
    assert len(members) >= 1 and all(n >= 3 for (n,) in members)
    assert _scalar(database, "select count(*) from binding b join employee e on e.id = b.employee_id "
                             "where e.position = 'Руководитель ВТЦ' and b.valid_to is null") >= 3
    assert _scalar(database, "select count(distinct et.employee_id) from employee_territory et "
                             "join specialization_period s on s.employee_id = et.employee_id "
                             "where s.specialization = 'Территориальный'") >= 2
    assert _scalar(database, "select count(*) from binding where valid_to is not null") > 20
    assert _scalar(database, "select count(*) from (select employee_id from specialization_period "
                             "group by employee_id having count(*) > 1) as respecialized") >= 1
    assert _scalar(database, "select count(*) from receivable") > 0
    assert _scalar(database, "select count(*) from activity where not outside_office") > 0
    assert _scalar(database, "select count(*) from activity where kind = 'Холодный звонок'") > 0


def test_bindings_never_overlap_except_multiple_classification_in_other_offices(small):
    database, _ = small
    overlaps = _rows(database, """
        select a.client_id, ea.office_id, eb.office_id from binding a join binding b
          on a.client_id = b.client_id and a.id < b.id
         and a.valid_from < coalesce(b.valid_to, '9999-12-31') and b.valid_from < coalesce(a.valid_to, '9999-12-31')
        join employee ea on ea.id = a.employee_id join employee eb on eb.id = b.employee_id""")
    assert overlaps, "the demo has one deliberate multiple classification"
    assert all(office_a != office_b for _, office_a, office_b in overlaps)


def _inn_ok(inn: str) -> bool:
    def check(digits, weights):
        return str(sum(int(d) * w for d, w in zip(digits, weights)) % 11 % 10)

    if len(inn) == 10:
        return inn[9] == check(inn[:9], (2, 4, 10, 3, 5, 9, 4, 6, 8))
    if len(inn) == 12:
        return (inn[10] == check(inn[:10], (7, 2, 4, 10, 3, 5, 9, 4, 6, 8))
                and inn[11] == check(inn[:11], (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)))
    return False


def test_inns_are_valid_and_unique(small):
    database, _ = small
    inns = [r[0] for r in _rows(database, "select inn from client")]
    assert all(inn and inn.isdigit() and _inn_ok(inn) for inn in inns)
    assert len(set(inns)) == len(inns)
    assert sum(len(inn) == 10 for inn in inns) > 0.8 * len(inns)


# ---- the compliance grid of month M ---------------------------------------------------

def test_every_norm_is_breached_by_someone(grid):
    found = {b.norm for m in grid.managers for b in m.breaches if b.severity == "breach"}
    assert [code for code in NORM_CODES if code not in found] == []


def test_several_managers_keep_every_norm(grid):
    clean = [m for m in grid.managers if m.specialization and not m.breaches]
    assert len(clean) >= 5
    assert {m.specialization for m in clean} >= {"Универсальный", "Территориальный", "МРПП", "МРЩ", "МРД", "МРС"}


def test_planted_people_break_only_what_their_role_says(small, grid):
    roles = {tab: role for tab, _, role in small[1].planted}
    for manager in grid.managers:
        breaches = {b.norm for b in manager.breaches if b.severity == "breach"}
        role = roles.get(manager.id, "")
        planted = role.split(":")[0] if ":" in role else None
        if planted in NORM_CODES:
            assert planted in breaches, (manager.id, role)
        elif not role:
            assert manager.breaches == [], manager.id


def test_control_lists_are_filled(grid):
    assert grid.blacklist
    assert grid.auto_unbind
    reasons = {o.reason for o in grid.overdue_rebinding}
    assert "увольнение" in reasons and "смена специализации" in reasons


def test_client_with_overdue_receivables_is_not_auto_unbound(small, grid):
    database, _ = small
    quiet = add_months(MONTH, -5).isoformat()
    end = month_end(MONTH).isoformat()
    # Bound clients with no turnover in M-5..M whose latest ПДЗ snapshot is positive.
    indebted = {r[0] for r in _rows(database, """
        select c.code from client c
         where exists (select 1 from binding b where b.client_id = c.id and b.valid_to is null)
           and not exists (select 1 from turnover t where t.client_id = c.id and t.month >= :quiet and t.amount > 0)
           and (select r.amount from receivable r where r.client_id = c.id and r.as_of <= :end
                 order by r.as_of desc limit 1) > 0""", quiet=quiet, end=end)}
    assert indebted, "the demo plants a silent client with ПДЗ"
    listed = {entry.client for entry in grid.auto_unbind}
    assert not indebted & listed
    assert len(listed) >= 2
