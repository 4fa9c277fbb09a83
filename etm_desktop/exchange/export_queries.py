"""The rows of each exchange sheet, read from the database in a stable order.

Each function yields tuples aligned with the sheet's columns in
:mod:`etm_desktop.exchange.sheets` (None for an empty cell). Big tables are read
with raw dates and floats (see :mod:`etm_desktop.exchange.bulk`) and streamed.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from etm_desktop.db.models import (
    Activity,
    Binding,
    Centre,
    Client,
    Cluster,
    Employee,
    EmployeeTerritory,
    Office,
    Receivable,
    SpecializationPeriod,
    Territory,
    Turnover,
)
from etm_desktop.domain.vocabulary import SPECIALIZED_POSITIONS
from etm_desktop.exchange.bulk import DateDecoder, raw_date, raw_float
from etm_desktop.exchange.sheets import (
    ACTIVITIES,
    BINDINGS,
    CLIENTS,
    EMPLOYEES,
    OFFICES,
    RECEIVABLES,
    SPECIALIZATIONS,
    TERRITORIES,
    TURNOVER,
)

STREAM = {"yield_per": 20_000}


def yes_no(value: bool | None) -> str | None:
    return None if value is None else ("Да" if value else "Нет")


def offices(session: Session) -> Iterator[tuple]:
    statement = (
        select(Office.code, Office.name, Cluster.name, Centre.name)
        .join(Cluster, Office.cluster_id == Cluster.id)
        .join(Centre, Cluster.centre_id == Centre.id)
        .order_by(Office.code)
    )
    yield from session.execute(statement)


def territories(session: Session) -> Iterator[tuple]:
    for code, name, in_city in session.execute(
            select(Territory.code, Territory.name, Territory.in_city).order_by(Territory.code)):
        yield code, name, yes_no(in_city)


def _latest_specializations(session: Session) -> dict[int, str]:
    latest: dict[int, str] = {}
    for employee_id, specialization in session.execute(
            select(SpecializationPeriod.employee_id, SpecializationPeriod.specialization)
            .order_by(SpecializationPeriod.start_date)):
        latest[employee_id] = specialization
    return latest


def employees(session: Session) -> Iterator[tuple]:
    lead = aliased(Employee)
    specialization = _latest_specializations(session)
    assigned: dict[int, list[str]] = {}
    for employee_id, code in session.execute(
            select(EmployeeTerritory.employee_id, Territory.code)
            .join(Territory, EmployeeTerritory.territory_id == Territory.id)
            .order_by(Territory.code)):
        assigned.setdefault(employee_id, []).append(code)
    statement = (
        select(Employee, Office.code, lead.tab_no)
        .outerjoin(Office, Employee.office_id == Office.id)
        .outerjoin(lead, Employee.group_lead_id == lead.id)
        .order_by(Employee.tab_no)
    )
    for employee, office_code, lead_tab in session.execute(statement):
        yield (
            employee.tab_no, employee.full_name, employee.position,
            specialization.get(employee.id) if employee.position in SPECIALIZED_POSITIONS else None,
            office_code, employee.hire_date, employee.novice_date, employee.dismissal_date,
            lead_tab, ", ".join(assigned.get(employee.id, [])) or None,
        )


def specializations(session: Session) -> Iterator[tuple]:
    statement = (
        select(Employee.tab_no, SpecializationPeriod.specialization, SpecializationPeriod.start_date)
        .join(Employee, SpecializationPeriod.employee_id == Employee.id)
        .order_by(Employee.tab_no, SpecializationPeriod.start_date)
    )
    yield from session.execute(statement)


def clients(session: Session) -> Iterator[tuple]:
    head = aliased(Client)
    statement = (
        select(Client.code, Client.inn, Client.name, Client.ckg, Client.potential, Territory.code, head.code)
        .outerjoin(Territory, Client.territory_id == Territory.id)
        .outerjoin(head, Client.head_id == head.id)
        .order_by(Client.code)
    )
    yield from session.execute(statement, execution_options=STREAM)


def bindings(session: Session) -> Iterator[tuple]:
    statement = (
        select(Client.code, Employee.tab_no, Binding.valid_from, Binding.basis)
        .join(Client, Binding.client_id == Client.id)
        .join(Employee, Binding.employee_id == Employee.id)
        .where(Binding.valid_to.is_(None))
        .order_by(Client.code, Employee.tab_no)
    )
    yield from session.execute(statement, execution_options=STREAM)


def _amounts(session: Session, model, day_column) -> Iterator[tuple]:
    decode = DateDecoder()
    statement = (
        select(Client.code, raw_date(day_column), raw_float(model.amount))
        .join(Client, model.client_id == Client.id)
        .order_by(Client.code, day_column)
    )
    for code, day, amount in session.execute(statement, execution_options=STREAM):
        yield code, decode(day), float(amount)


def turnover(session: Session) -> Iterator[tuple]:
    return _amounts(session, Turnover, Turnover.month)


def receivables(session: Session) -> Iterator[tuple]:
    return _amounts(session, Receivable, Receivable.as_of)


def activities(session: Session) -> Iterator[tuple]:
    decode = DateDecoder()
    statement = (
        select(Employee.tab_no, raw_date(Activity.activity_date), Activity.kind, Client.code,
               Activity.outside_office)
        .join(Employee, Activity.employee_id == Employee.id)
        .outerjoin(Client, Activity.client_id == Client.id)
        .order_by(Employee.tab_no, Activity.activity_date, Activity.kind, Client.code,
                  Activity.outside_office, Activity.id)
    )
    for tab_no, day, kind, code, outside in session.execute(statement, execution_options=STREAM):
        yield tab_no, decode(day), kind, code, yes_no(bool(outside))


QUERIES = {
    OFFICES.name: offices,
    TERRITORIES.name: territories,
    EMPLOYEES.name: employees,
    SPECIALIZATIONS.name: specializations,
    CLIENTS.name: clients,
    BINDINGS.name: bindings,
    TURNOVER.name: turnover,
    RECEIVABLES.name: receivables,
    ACTIVITIES.name: activities,
}


def _count(model, *conditions):
    def count(session: Session) -> int:
        return session.scalar(select(func.count()).select_from(model).where(*conditions)) or 0
    return count


#: How many rows each sheet will get (for progress).
COUNTS = {
    OFFICES.name: _count(Office),
    TERRITORIES.name: _count(Territory),
    EMPLOYEES.name: _count(Employee),
    SPECIALIZATIONS.name: _count(SpecializationPeriod),
    CLIENTS.name: _count(Client),
    BINDINGS.name: _count(Binding, Binding.valid_to.is_(None)),
    TURNOVER.name: _count(Turnover),
    RECEIVABLES.name: _count(Receivable),
    ACTIVITIES.name: _count(Activity),
}
