"""Sheet «Закрепления» (classifier 37): a full snapshot of the bindings in force.

Each row must have an open binding (``valid_to`` empty) of that client to that
employee; a new one opens on «Дата закрепления» (or ``today``). Every open binding
the sheet does not list is closed on ``today`` — never deleted. Each opening and
closing leaves an audit record.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, update

from etm_desktop.db.models import AuditRecord, Binding
from etm_desktop.domain.vocabulary import CLIENT_HOLDERS
from etm_desktop.exchange import bulk
from etm_desktop.exchange import messages as msg
from etm_desktop.exchange.clients import known_clients
from etm_desktop.exchange.columns import convert_column, report_duplicates, resolver
from etm_desktop.exchange.context import ImportContext
from etm_desktop.exchange.parsing import parse_code, parse_date, parse_text
from etm_desktop.exchange.reader import SheetTable
from etm_desktop.exchange.sheets import BINDINGS
from etm_desktop.exchange.staff import known_employees, position_of

AUDIT_WHO = "импорт"


@dataclass
class BindingsPlan:
    client: list[str]
    tab_no: list[str]
    valid_from: list[date | None]
    basis: list[str | None]


def check_bindings(ctx: ImportContext, table: SheetTable) -> BindingsPlan:
    problems = ctx.problems
    clients = convert_column(table, "client", resolver(parse_code, known_clients(ctx).__contains__,
                                                       msg.UNKNOWN_CLIENT), problems)
    tabs = convert_column(table, "tab_no", resolver(parse_code, known_employees(ctx).__contains__,
                                                    msg.UNKNOWN_EMPLOYEE), problems)
    starts = convert_column(table, "valid_from", parse_date, problems) or [None] * len(table)
    bases = convert_column(table, "basis", parse_text, problems) or [None] * len(table)
    repeated = report_duplicates(table, list(zip(clients, tabs)), problems, ["client", "tab_no"])
    holders: dict[str, bool] = {}
    header = BINDINGS.header("tab_no")
    for i, tab in enumerate(tabs):
        if tab is None:
            continue
        if tab not in holders:
            position = position_of(ctx, tab)
            holders[tab] = position is None or position in CLIENT_HOLDERS
        if not holders[tab]:
            problems.add(msg.BINDING_FORBIDDEN.format(position_of(ctx, tab)), sheet=BINDINGS.name,
                         row=table.rows[i], column=header, value=tab)
    keep = [i for i in range(len(table)) if i not in repeated and clients[i] and tabs[i]]
    return BindingsPlan([clients[i] for i in keep], [tabs[i] for i in keep],
                        [starts[i] for i in keep], [bases[i] for i in keep])


def _audit_text(client: str, tab_no: str, valid_from: date, valid_to: date | None,
                basis: str | None) -> str:
    return json.dumps({"client": client, "employee": tab_no, "valid_from": valid_from.isoformat(),
                       "valid_to": valid_to.isoformat() if valid_to else None, "basis": basis},
                      ensure_ascii=False, sort_keys=True)


def apply_bindings(ctx: ImportContext, plan: BindingsPlan) -> None:
    session = ctx.session
    counts = ctx.report.counts(BINDINGS.name)
    client_ids, employee_ids = ctx.ids("client"), ctx.ids("employee")
    client_code = {ident: code for code, ident in client_ids.items()}
    tab_of = {ident: tab for tab, ident in employee_ids.items()}
    still_open: dict[tuple[int, int], object] = {}
    surplus = []  # a second open binding of the same pair (should not exist): closed too
    for row in session.execute(
            select(Binding.id, Binding.client_id, Binding.employee_id, Binding.valid_from,
                   Binding.basis, Binding.version).where(Binding.valid_to.is_(None))
            .order_by(Binding.valid_from, Binding.id)):
        if still_open.setdefault((row.client_id, row.employee_id), row) is not row:
            surplus.append(row)

    opened = {"client_id": [], "employee_id": [], "valid_from": [], "basis": []}
    audit = {"entity_key": [], "action": [], "before": [], "after": []}
    for client, tab, start, basis in zip(plan.client, plan.tab_no, plan.valid_from, plan.basis):
        key = (client_ids[client], employee_ids[tab])
        if still_open.pop(key, None) is not None:
            counts.unchanged += 1
            continue
        start = start or ctx.today
        for name, value in zip(opened, (*key, start, basis)):
            opened[name].append(value)
        for name, value in zip(audit, (client, "open", None, _audit_text(client, tab, start, None, basis))):
            audit[name].append(value)
    count = len(opened["client_id"])
    opened.update(valid_to=[None] * count, memo_id=[None] * count, version=[1] * count)
    counts.inserted += bulk.insert_rows(session, Binding.__table__, opened)

    closing = []
    for row in [*still_open.values(), *surplus]:
        valid_to = max(ctx.today, row.valid_from)
        closing.append({"id": row.id, "version": row.version, "valid_to": valid_to})
        client, tab = client_code[row.client_id], tab_of[row.employee_id]
        audit["entity_key"].append(client)
        audit["action"].append("close")
        audit["before"].append(_audit_text(client, tab, row.valid_from, None, row.basis))
        audit["after"].append(_audit_text(client, tab, row.valid_from, valid_to, row.basis))
    if closing:
        session.execute(update(Binding), closing)  # ORM bulk by primary key: checks and bumps version
    counts.closed += len(closing)

    count = len(audit["action"])
    audit.update(who=[AUDIT_WHO] * count, entity=["binding"] * count, memo_id=[None] * count)
    bulk.insert_rows(session, AuditRecord.__table__, audit)
