"""What every sheet's check and write step shares during one import.

:class:`Existing` is the database as it was when the import began, one SELECT per
table, loaded on first use. :class:`ImportContext` adds the session, the day the
import counts as ``today``, the problems found so far, the checked sheets
(``staged``) and the report; ``ids`` maps codes to row ids and is refreshed after
a write step inserts rows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from etm_desktop.db.models import (
    Centre,
    Client,
    Cluster,
    Employee,
    Office,
    SpecializationPeriod,
    Territory,
)
from etm_desktop.exchange.errors import Problems
from etm_desktop.exchange.report import ImportReport

_CODE_COLUMNS = {
    "office": (Office.code, Office.id),
    "territory": (Territory.code, Territory.id),
    "employee": (Employee.tab_no, Employee.id),
    "client": (Client.code, Client.id),
}


class Existing:
    """The database before the import: rows keyed by their codes."""

    def __init__(self, session: Session):
        self._session = session

    def _rows(self, statement) -> list:
        return self._session.execute(statement).all()

    @cached_property
    def offices(self) -> dict[str, Any]:
        statement = (
            select(Office.code, Office.name, Cluster.name.label("cluster"), Centre.name.label("centre"))
            .join(Cluster, Office.cluster_id == Cluster.id)
            .join(Centre, Cluster.centre_id == Centre.id)
        )
        return {row.code: row for row in self._rows(statement)}

    @cached_property
    def territories(self) -> dict[str, Any]:
        statement = select(Territory.code, Territory.name, Territory.in_city)
        return {row.code: row for row in self._rows(statement)}

    @cached_property
    def employees(self) -> dict[str, Any]:
        statement = select(Employee.id, Employee.tab_no, Employee.position)
        return {row.tab_no: row for row in self._rows(statement)}

    @cached_property
    def periods(self) -> dict[str, list[tuple[date, str]]]:
        """Specialization history per tab number, oldest first."""
        statement = (
            select(Employee.tab_no, SpecializationPeriod.start_date, SpecializationPeriod.specialization)
            .join(Employee, SpecializationPeriod.employee_id == Employee.id)
            .order_by(SpecializationPeriod.start_date)
        )
        history: dict[str, list[tuple[date, str]]] = defaultdict(list)
        for tab_no, start, specialization in self._rows(statement):
            history[tab_no].append((start, specialization))
        return dict(history)

    @cached_property
    def client_heads(self) -> dict[str, str | None]:
        """Every client's code -> its head's code (признак 140) or None."""
        rows = self._rows(select(Client.id, Client.code, Client.head_id))
        code_of = {row.id: row.code for row in rows}
        return {row.code: code_of.get(row.head_id) for row in rows}


@dataclass
class ImportContext:
    session: Session
    today: date
    problems: Problems
    present: frozenset[str]  # names of the exchange sheets the workbook carries
    report: ImportReport = field(default_factory=ImportReport)
    staged: dict[str, Any] = field(default_factory=dict)  # sheet name -> its checked plan
    _ids: dict[str, dict[str, int]] = field(default_factory=dict)

    @cached_property
    def existing(self) -> Existing:
        return Existing(self.session)

    def ids(self, kind: str) -> dict[str, int]:
        """Code -> id of every ``kind`` row in the database now ("office", "territory",
        "employee", "client")."""
        if kind not in self._ids:
            code, ident = _CODE_COLUMNS[kind]
            self._ids[kind] = dict(self.session.execute(select(code, ident)).all())
        return self._ids[kind]

    def forget_ids(self, kind: str) -> None:
        """Call after inserting ``kind`` rows."""
        self._ids.pop(kind, None)

    def plan(self, sheet_name: str):
        """The checked plan of a sheet the workbook carries, or None."""
        return self.staged.get(sheet_name)
