"""What the grid's drill-down and control lists show about clients and employees (Qt-free)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date

from sqlalchemy import select

from etm_desktop.compliance.result import Grid
from etm_desktop.compliance.service import month_grid
from etm_desktop.db.models import Client, Employee, NormSet, Territory
from etm_desktop.domain.calendar import month_end
from etm_desktop.norms.store import NormBook

CLIENT_HEADERS = ("Код клиента", "Наименование", "ЦКГ", "Потенциал", "Территория")


def client_rows(database, codes: Iterable[str]) -> list[tuple]:
    """(code, name, ЦКГ, potential, territory) for each code, in the order given; unknown codes kept."""
    wanted = list(dict.fromkeys(codes))
    if not wanted:
        return []
    statement = (select(Client.code, Client.name, Client.ckg, Client.potential, Territory.name)
                 .outerjoin(Territory, Territory.id == Client.territory_id)
                 .where(Client.code.in_(wanted)))
    with database.session() as session:
        found = {row[0]: tuple(row) for row in session.execute(statement)}
    return [found.get(code, (code, None, None, None, None)) for code in wanted]


def client_names(database, codes: Iterable[str]) -> dict[str, str]:
    """Client code → name."""
    return {row[0]: row[1] for row in client_rows(database, codes) if row[1] is not None}


def employee_names(database, tab_numbers: Iterable[str]) -> dict[str, str]:
    """Tab number → full name (dismissed employees too)."""
    wanted = list(set(tab_numbers))
    if not wanted:
        return {}
    with database.session() as session:
        rows = session.execute(select(Employee.tab_no, Employee.full_name).where(Employee.tab_no.in_(wanted)))
        return {tab: name for tab, name in rows}


def grid_with_readings(database, month: date) -> tuple[Grid, dict[str, tuple[str, ...]]]:
    """The month's grid and, per specialization, the readings of the norm set that judged it."""
    grid = month_grid(database, month)
    norms = NormBook.load(database).in_force(month_end(month))
    return grid, {name: spec.readings for name, spec in norms.specs.items()}


def norm_documents(database) -> list[dict]:
    """Every stored norm set's complete document, oldest first."""
    with database.session() as session:
        bodies = session.scalars(select(NormSet.body).order_by(NormSet.effective_from)).all()
    return [json.loads(body) for body in bodies]
