"""A memo draft that breaks the KB maximum, for the screenshot of the memo editor (no Qt here)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import aliased

from etm_desktop.compliance.service import month_grid
from etm_desktop.domain.calendar import month_end
from etm_desktop.norms.store import NormBook


def full_manager(database, month: date) -> tuple[str, int] | None:
    """(tab number, clients to add) of a manager whose KB is at the maximum of his status (or nearest to it)."""
    grid = month_grid(database, month)
    norms = NormBook.load(database).in_force(month_end(month))
    best = None
    for row in grid.managers:
        spec = norms.spec(row.specialization) if row.specialization else None
        if spec is None or row.status is None or row.status not in spec.kb:
            continue  # novices and trainees: their maximum depends on months; skip them
        maximum = spec.kb_range(row.status, None).maximum
        if not maximum:
            continue
        gap = maximum - row.kb_size
        if gap >= 0 and (best is None or gap < best[1]):
            best = (row.id, gap)
    return None if best is None else (best[0], best[1] + 2)


def standalone_clients(database, exclude_tab_no: str, count: int, on: date) -> list[tuple[str, str]]:
    """(client code, holder tab number) of ``count`` clients outside any 140 group, held by one other manager."""
    from etm_desktop.db.models import Binding, Client, Employee

    child = aliased(Client)
    open_binding = and_(Binding.valid_from <= on, or_(Binding.valid_to.is_(None), Binding.valid_to >= on))
    single = (select(Binding.client_id).where(open_binding).group_by(Binding.client_id)
              .having(func.count() == 1).subquery())
    query = (select(Client.code, Employee.tab_no)
             .join(Binding, Binding.client_id == Client.id)
             .join(Employee, Employee.id == Binding.employee_id)
             .where(open_binding, Client.id.in_(select(single.c.client_id)), Client.head_id.is_(None),
                    ~exists().where(child.head_id == Client.id), Employee.tab_no != exclude_tab_no)
             .order_by(Client.code).limit(count))
    with database.session() as session:
        return [(code, tab_no) for code, tab_no in session.execute(query)]


def breach_draft(database, month: date, on: date | None = None) -> dict | None:
    """A transfer draft (interfaces.md JSON form) that pushes a full manager over his KB maximum."""
    on = on or date.today()
    found = full_manager(database, month)
    if found is None:
        return None
    tab_no, count = found
    clients = standalone_clients(database, tab_no, count, on)
    if not clients:
        return None
    lines = [{"action": "transfer", "client": code, "from": holder, "to": tab_no} for code, holder in clients]
    return {"date": on.isoformat(), "lines": lines}
