"""The client list: one row per client card, from two set-based queries."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from etm_desktop.db.models import Binding, Client, Employee, Territory
from etm_desktop.domain.people import short_name

#: The order of a client-list row's fields.
CLIENT_FIELDS = ("code", "inn", "name", "ckg", "potential", "territory", "managers", "in_ook", "head")


def in_force(day: date, *, whole_table: bool = False):
    """The SQL condition of a binding in force on ``day``.

    ``whole_table``: the same condition written so that the database reads the table
    through rather than following the ``(valid_to, employee_id)`` index, for a query of
    every binding in force (most of the table): SQLite's two index ranges and a row
    look-up per binding cost 2.5 times a scan at national scale.
    """
    if whole_table and day < date.max:  # a NULL end is a day after ``day``
        return (Binding.valid_from <= day) & (func.coalesce(Binding.valid_to, date.max) > day)
    return (Binding.valid_from <= day) & or_(Binding.valid_to.is_(None), Binding.valid_to > day)


def holders_on(database, day: date, *, tab_no: str | None = None) -> dict[int, list[str]]:
    """Client id → «tab no short name» of everyone holding it on ``day``."""
    query = (select(Binding.client_id, Employee.tab_no, Employee.full_name)
             .join(Employee, Employee.id == Binding.employee_id)
             .where(in_force(day)).order_by(Binding.client_id, Employee.tab_no))
    if tab_no is not None:
        query = query.where(Employee.tab_no == tab_no)
    holders: dict[int, list[str]] = defaultdict(list)
    with database.session() as session:
        for client_id, number, full_name in session.execute(query):
            holders[client_id].append(f"{number} {short_name(full_name)}")
    return holders


def client_list(database, day: date, *, tab_no: str | None = None) -> list[tuple]:
    """Rows of CLIENT_FIELDS for every client (or only those ``tab_no`` holds on ``day``)."""
    holders = holders_on(database, day, tab_no=tab_no)
    head = aliased(Client)
    query = (select(Client.id, Client.code, Client.inn, Client.name, Client.ckg, Client.potential,
                    Territory.name, head.code)
             .outerjoin(Territory, Territory.id == Client.territory_id)
             .outerjoin(head, head.id == Client.head_id)
             .order_by(Client.code))
    if tab_no is not None:
        if not holders:
            return []
        query = query.where(Client.id.in_(select(Binding.client_id).join(Employee, Employee.id == Binding.employee_id)
                                          .where(in_force(day), Employee.tab_no == tab_no)))
    with database.session() as session:
        rows = session.execute(query).all()
    return [
        (code, inn or "", name, ckg, potential or "", territory or "", ", ".join(holders.get(cid, ())),
         cid not in holders, head_code or "")
        for cid, code, inn, name, ckg, potential, territory, head_code in rows
    ]


def row_tab_nos(managers: str) -> tuple[str, ...]:
    """The tab numbers in a row's «managers» field («1001 Иванов И.И., 1002 …»)."""
    return tuple(part.split(" ", 1)[0] for part in managers.split(", ") if part)
