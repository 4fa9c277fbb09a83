"""Sheet «Сотрудники»: employees upserted by tab number, their group leads and territories.

Optional columns the sheet does not have leave the stored values alone; a column
that is there but empty clears the value. Specialization history is
:mod:`etm_desktop.exchange.specializations`' job.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, insert, select

from etm_desktop.db.models import Employee, EmployeeTerritory
from etm_desktop.domain.vocabulary import SPECIALIZED_POSITIONS, Position, Specialization
from etm_desktop.exchange import messages as msg
from etm_desktop.exchange.columns import convert_column, report_duplicates, resolver
from etm_desktop.exchange.context import ImportContext
from etm_desktop.exchange.org import known_offices, known_territories
from etm_desktop.exchange.parsing import choice_parser, parse_code, parse_codes, parse_date, text_parser
from etm_desktop.exchange.reader import SheetTable
from etm_desktop.exchange.sheets import EMPLOYEES, SPECIALIZATIONS

DATE_FIELDS = ("hire_date", "novice_date", "dismissal_date")


@dataclass
class EmployeeRow:
    row: int
    tab_no: str
    full_name: str | None
    position: Position | None
    specialization: Specialization | None
    office: str | None
    hire_date: date | None
    novice_date: date | None
    dismissal_date: date | None
    group_lead: str | None
    territories: tuple[str, ...] | None


@dataclass
class EmployeesPlan:
    rows: dict[str, EmployeeRow]
    columns: frozenset[str]  # the optional columns the sheet has


def blank(table: SheetTable, key: str, index: int) -> bool:
    """Whether the cell was left empty (as opposed to holding a refused value)."""
    value = table.cells[key][index]
    return value == "" or (isinstance(value, str) and not value.strip())


def position_of(ctx: ImportContext, tab_no: str) -> str | None:
    """An employee's position after the import: the sheet's if he is on it, else the stored one."""
    plan = ctx.plan(EMPLOYEES.name)
    if plan is not None and tab_no in plan.rows:
        return plan.rows[tab_no].position
    row = ctx.existing.employees.get(tab_no)
    return None if row is None else row.position


def known_employees(ctx: ImportContext) -> set[str]:
    plan = ctx.plan(EMPLOYEES.name)
    return set(plan.rows if plan else ()) | set(ctx.existing.employees)


def _territory_codes(ctx: ImportContext):
    known = known_territories(ctx)

    def parse(value):
        codes = parse_codes(value)
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise ValueError(msg.UNKNOWN_TERRITORY.format(", ".join(unknown)))
        return tuple(dict.fromkeys(codes))

    return parse


def check_employees(ctx: ImportContext, table: SheetTable) -> EmployeesPlan:
    problems = ctx.problems
    offices = known_offices(ctx)

    def column(key, parse):
        return convert_column(table, key, parse, problems)

    tabs = column("tab_no", parse_code)
    names = column("full_name", text_parser(Employee.__table__.c.full_name))
    positions = column("position", choice_parser(Position))
    specializations = column("specialization", choice_parser(Specialization))
    office_codes = column("office", resolver(parse_code, offices.__contains__, msg.UNKNOWN_OFFICE))
    dates = {key: column(key, parse_date) for key in DATE_FIELDS}
    leads = column("group_lead", parse_code)
    territories = column("territories", _territory_codes(ctx))
    repeated = report_duplicates(table, tabs, problems, ["tab_no"])

    rows: dict[str, EmployeeRow] = {}
    for i, tab in enumerate(tabs):
        if tab is None or i in repeated:
            continue
        rows[tab] = EmployeeRow(
            table.rows[i], tab, names[i], positions[i],
            specializations[i] if specializations else None, office_codes[i],
            *(dates[key][i] if dates[key] else None for key in DATE_FIELDS),
            leads[i] if leads else None, territories[i] if territories else None,
        )
    plan = EmployeesPlan(rows, frozenset(key for key in table.cells if not EMPLOYEES.column(key).required))
    ctx.staged[EMPLOYEES.name] = plan  # leads may point at rows further down
    known = known_employees(ctx)
    header = EMPLOYEES.header("specialization")
    for i, tab in enumerate(tabs):
        row = rows.get(tab)
        if row is None or row.row != table.rows[i]:
            continue
        if row.position in SPECIALIZED_POSITIONS and row.specialization is None:
            if table.has("specialization") and blank(table, "specialization", i):
                problems.add(msg.SPECIALIZATION_REQUIRED.format(row.position), sheet=EMPLOYEES.name,
                             row=row.row, column=header)
            elif (not table.has("specialization") and SPECIALIZATIONS.name not in ctx.present
                  and not ctx.existing.periods.get(tab)):
                problems.add(msg.SPECIALIZATION_REQUIRED.format(row.position), sheet=EMPLOYEES.name,
                             row=row.row, column=header)
        if row.group_lead is not None:
            _check_lead(ctx, row, known)
    return plan


def _check_lead(ctx: ImportContext, row: EmployeeRow, known: set[str]) -> None:
    header = EMPLOYEES.header("group_lead")

    def report(message: str) -> None:
        ctx.problems.add(message, sheet=EMPLOYEES.name, row=row.row, column=header, value=row.group_lead)

    if row.group_lead == row.tab_no:
        report(msg.LEAD_IS_SELF)
    elif row.group_lead not in known:
        report(msg.UNKNOWN_EMPLOYEE)
    else:
        position = position_of(ctx, row.group_lead)
        if position is not None and position != Position.GROUP_LEAD:
            report(msg.LEAD_NOT_LEAD.format(position))


def apply_employees(ctx: ImportContext, plan: EmployeesPlan) -> None:
    session = ctx.session
    counts = ctx.report.counts(EMPLOYEES.name)
    office_ids = ctx.ids("office")
    stored = {e.tab_no: e for e in session.scalars(select(Employee))}
    new, changed = set(), set()
    for tab, row in plan.rows.items():
        fields = {"full_name": row.full_name, "position": str(row.position),
                  "office_id": office_ids[row.office]}
        fields.update({key: getattr(row, key) for key in DATE_FIELDS if key in plan.columns})
        employee = stored.get(tab)
        if employee is None:
            session.add(Employee(tab_no=tab, **fields))
            new.add(tab)
        elif _assign(employee, fields):
            changed.add(tab)
    session.flush()
    ctx.forget_ids("employee")
    ids = ctx.ids("employee")
    if "group_lead" in plan.columns:
        stored = {e.tab_no: e for e in session.scalars(select(Employee))}
        for tab, row in plan.rows.items():
            lead_id = ids[row.group_lead] if row.group_lead else None
            if _assign(stored[tab], {"group_lead_id": lead_id}) and tab not in new:
                changed.add(tab)
    if "territories" in plan.columns:
        changed |= _replace_territories(ctx, plan, ids) - new
    session.flush()
    counts.inserted += len(new)
    counts.updated += len(changed)
    counts.unchanged += len(plan.rows) - len(new) - len(changed)


def _assign(target, fields: dict) -> bool:
    """Set the fields that differ; whether any did."""
    differing = {key: value for key, value in fields.items() if getattr(target, key) != value}
    for key, value in differing.items():
        setattr(target, key, value)
    return bool(differing)


def _replace_territories(ctx: ImportContext, plan: EmployeesPlan, ids: dict[str, int]) -> set[str]:
    """Make each employee's assigned territories exactly the sheet's; returns whose changed."""
    session = ctx.session
    territory_ids = ctx.ids("territory")
    current: dict[int, set[int]] = {}
    for employee_id, territory_id in session.execute(
            select(EmployeeTerritory.employee_id, EmployeeTerritory.territory_id)):
        current.setdefault(employee_id, set()).add(territory_id)
    removed, added, changed = [], [], set()
    for tab, row in plan.rows.items():
        employee_id = ids[tab]
        wanted = {territory_ids[code] for code in row.territories or ()}
        have = current.get(employee_id, set())
        if wanted != have:
            changed.add(tab)
            removed.extend((employee_id, t) for t in have - wanted)
            added.extend({"employee_id": employee_id, "territory_id": t} for t in sorted(wanted - have))
    for employee_id, territory_id in removed:
        session.execute(delete(EmployeeTerritory).where(
            EmployeeTerritory.employee_id == employee_id, EmployeeTerritory.territory_id == territory_id))
    if added:
        session.execute(insert(EmployeeTerritory), added)
    return changed
