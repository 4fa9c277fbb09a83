"""Specialization history: the «Специализации» sheet, or what «Сотрудники» implies.

With the sheet, its rows are the history (upserted on tab number + start date),
and an employee's «Специализация» on «Сотрудники» must agree with his latest
period. Without it, an employee with no period gets one from his hire date
(2000-01-01 when unknown), and one whose latest period differs gets a new period
starting ``today``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from etm_desktop.db.models import SpecializationPeriod
from etm_desktop.domain.vocabulary import SPECIALIZED_POSITIONS, Specialization
from etm_desktop.exchange import messages as msg
from etm_desktop.exchange.columns import convert_column, report_duplicates, resolver
from etm_desktop.exchange.context import ImportContext
from etm_desktop.exchange.parsing import choice_parser, parse_code, parse_date
from etm_desktop.exchange.reader import SheetTable
from etm_desktop.exchange.sheets import EMPLOYEES, SPECIALIZATIONS
from etm_desktop.exchange.staff import EmployeeRow, EmployeesPlan, known_employees

#: The start of the history of an employee whose hire date is unknown.
DEFAULT_START = date(2000, 1, 1)


@dataclass
class PeriodRow:
    row: int
    tab_no: str
    specialization: Specialization | None
    start_date: date | None


def check_specializations(ctx: ImportContext, table: SheetTable) -> list[PeriodRow]:
    problems = ctx.problems
    known = known_employees(ctx)
    tabs = convert_column(table, "tab_no", resolver(parse_code, known.__contains__, msg.UNKNOWN_EMPLOYEE),
                          problems)
    kinds = convert_column(table, "specialization", choice_parser(Specialization), problems)
    starts = convert_column(table, "start_date", parse_date, problems)
    keys = list(zip(tabs, starts))
    repeated = report_duplicates(table, keys, problems, ["tab_no", "start_date"])
    plan = [PeriodRow(table.rows[i], tabs[i], kinds[i], starts[i])
            for i in range(len(table)) if i not in repeated]
    _check_employees_agree(ctx, plan)
    return plan


def _history(ctx: ImportContext, plan: list[PeriodRow]) -> dict[str, dict[date, str]]:
    """Start date -> specialization per tab number, as it will be after the import."""
    history = {tab: dict(periods) for tab, periods in ctx.existing.periods.items()}
    for row in plan:
        if row.tab_no and row.start_date and row.specialization:
            history.setdefault(row.tab_no, {})[row.start_date] = row.specialization
    return history


def _check_employees_agree(ctx: ImportContext, plan: list[PeriodRow]) -> None:
    employees: EmployeesPlan | None = ctx.plan(EMPLOYEES.name)
    if employees is None:
        return
    history = _history(ctx, plan)
    header = EMPLOYEES.header("specialization")
    for tab, row in employees.rows.items():
        if row.position not in SPECIALIZED_POSITIONS:
            continue
        periods = history.get(tab)
        if row.specialization is not None and periods:
            latest = periods[max(periods)]
            if latest != row.specialization:
                ctx.problems.add(msg.SPECIALIZATION_MISMATCH.format(row.specialization, latest),
                                 sheet=EMPLOYEES.name, row=row.row, column=header,
                                 value=str(row.specialization))
        elif row.specialization is None and not periods and "specialization" not in employees.columns:
            ctx.problems.add(msg.SPECIALIZATION_REQUIRED.format(row.position), sheet=EMPLOYEES.name,
                             row=row.row, column=header)


def _stored(ctx: ImportContext) -> dict[tuple[int, date], SpecializationPeriod]:
    return {(p.employee_id, p.start_date): p for p in ctx.session.scalars(select(SpecializationPeriod))}


def apply_specializations(ctx: ImportContext, plan: list[PeriodRow]) -> None:
    """Upsert the sheet's periods, then start a history for employees on «Сотрудники» who have none."""
    counts = ctx.report.counts(SPECIALIZATIONS.name)
    ids = ctx.ids("employee")
    stored = _stored(ctx)
    for row in plan:
        key = (ids[row.tab_no], row.start_date)
        period = stored.get(key)
        if period is None:
            stored[key] = SpecializationPeriod(employee_id=key[0], start_date=key[1],
                                               specialization=str(row.specialization))
            ctx.session.add(stored[key])
            counts.inserted += 1
        elif period.specialization != row.specialization:
            period.specialization = str(row.specialization)
            counts.updated += 1
        else:
            counts.unchanged += 1
    employees: EmployeesPlan | None = ctx.plan(EMPLOYEES.name)
    if employees is not None:
        having = {employee_id for employee_id, _start in stored}
        for tab, row in employees.rows.items():
            if _carries_specialization(row) and ids[tab] not in having:
                _add(ctx, ids[tab], row.hire_date or DEFAULT_START, row.specialization)
    ctx.session.flush()


def settle_from_employees(ctx: ImportContext, employees: EmployeesPlan) -> None:
    """Without a «Специализации» sheet: keep each employee's history in step with «Сотрудники»."""
    ids = ctx.ids("employee")
    by_employee: dict[int, list[SpecializationPeriod]] = {}
    for (employee_id, _start), period in sorted(_stored(ctx).items()):
        by_employee.setdefault(employee_id, []).append(period)
    for tab, row in employees.rows.items():
        if not _carries_specialization(row):
            continue
        periods = by_employee.get(ids[tab], [])
        if not periods:
            _add(ctx, ids[tab], row.hire_date or DEFAULT_START, row.specialization)
        elif periods[-1].specialization != row.specialization:
            same_day = [p for p in periods if p.start_date == ctx.today]
            if same_day:
                same_day[0].specialization = str(row.specialization)
                ctx.report.counts(SPECIALIZATIONS.name).updated += 1
            else:
                _add(ctx, ids[tab], ctx.today, row.specialization)
    ctx.session.flush()


def _carries_specialization(row: EmployeeRow) -> bool:
    return row.position in SPECIALIZED_POSITIONS and row.specialization is not None


def _add(ctx: ImportContext, employee_id: int, start: date, specialization: Specialization) -> None:
    ctx.session.add(SpecializationPeriod(employee_id=employee_id, start_date=start,
                                         specialization=str(specialization)))
    ctx.report.counts(SPECIALIZATIONS.name).inserted += 1
