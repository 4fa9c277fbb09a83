"""Writing a plan in one transaction with Core bulk inserts; ids are looked up by code."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from etm_desktop.db.database import bump_data_version
from etm_desktop.db.models import (
    Activity,
    AuditRecord,
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
from etm_desktop.demo.activity import Row
from etm_desktop.demo.bindings import basis_text
from etm_desktop.demo.clients import GeneratedClient
from etm_desktop.demo.history import Money
from etm_desktop.demo.plan import Context, DemoError, Plan

#: Tables that must be empty before a demo is written (norm sets may be there), in Russian.
GUARDED = (
    (Client, "клиенты"), (Employee, "сотрудники"), (Centre, "региональные центры"), (Office, "офисы"),
    (Territory, "территории"), (Binding, "закрепления"), (Turnover, "товарооборот"), (Activity, "активность"),
)

CHUNK = 20_000


def ensure_empty(session: Session) -> None:
    found = [title for model, title in GUARDED if session.scalar(select(func.count()).select_from(model))]
    if found:
        raise DemoError(
            "База данных не пуста: в ней уже есть {0}. Демонстрационный РЦ создаётся только "
            "в новой пустой базе — укажите другой файл базы.".format(", ".join(found))
        )


def _bulk(session: Session, model, rows: list[dict]) -> None:
    """Core executemany on the model's table (the ORM bulk path splits batches on NULLs)."""
    table = model.__table__
    for start in range(0, len(rows), CHUNK):
        session.execute(insert(table), rows[start:start + CHUNK])


@dataclass
class Written:
    """How many rows went into each table."""

    counts: dict[str, int]


def write(
    session: Session,
    ctx: Context,
    plan: Plan,
    cards: list[GeneratedClient],
    money: Money,
    activity: list[Row],
) -> Written:
    counts: dict[str, int] = {}
    _bulk(session, Centre, [{"name": plan.centre}])
    centre_id = session.scalar(select(Centre.id).where(Centre.name == plan.centre))
    clusters = list(dict.fromkeys(o.cluster for o in plan.offices))
    _bulk(session, Cluster, [{"centre_id": centre_id, "name": name} for name in clusters])
    cluster_ids = dict(session.execute(select(Cluster.name, Cluster.id).where(Cluster.centre_id == centre_id)).all())
    _bulk(session, Office, [{"code": o.code, "name": o.name, "cluster_id": cluster_ids[o.cluster], "version": 1}
                            for o in plan.offices])
    office_ids = dict(session.execute(select(Office.code, Office.id)).all())
    _bulk(session, Territory, [{"code": t.code, "name": t.name, "in_city": t.in_city, "version": 1}
                               for t in plan.territories])
    territory_ids = dict(session.execute(select(Territory.code, Territory.id)).all())

    people = plan.people
    _bulk(session, Employee, [
        {"tab_no": p.tab_no, "full_name": p.full_name, "position": p.position, "office_id": office_ids[p.office],
         "hire_date": p.hire_date, "novice_date": p.novice_date, "dismissal_date": p.dismissal_date,
         "group_lead_id": None, "version": 1}
        for p in people
    ])
    employee_ids = dict(session.execute(select(Employee.tab_no, Employee.id)).all())
    leads = [{"b_id": employee_ids[p.tab_no], "b_lead": employee_ids[p.lead]} for p in people if p.lead]
    if leads:
        table = Employee.__table__
        session.connection().execute(
            update(table).where(table.c.id == bindparam("b_id")).values(group_lead_id=bindparam("b_lead")), leads)
    _bulk(session, EmployeeTerritory, [
        {"employee_id": employee_ids[p.tab_no], "territory_id": territory_ids[code]}
        for p in people for code in p.territories
    ])
    _bulk(session, SpecializationPeriod, [
        {"employee_id": employee_ids[p.tab_no], "specialization": spec, "start_date": start}
        for p in people for start, spec in p.specs
    ])

    _bulk(session, Client, [
        {"code": c.code, "inn": c.inn, "name": c.name, "ckg": c.ckg, "potential": c.potential,
         "territory_id": territory_ids[c.territory] if c.territory else None, "head_id": None, "version": 1}
        for c in cards
    ])
    client_ids = dict(session.execute(select(Client.code, Client.id)).all())
    heads = [{"b_id": client_ids[c.code], "b_head": client_ids[c.head]} for c in cards if c.head]
    if heads:
        table = Client.__table__
        session.connection().execute(
            update(table).where(table.c.id == bindparam("b_id")).values(head_id=bindparam("b_head")), heads)

    holds = [(hold, code) for group in plan.groups for hold in group.holds for code in group.codes]
    holds.sort(key=lambda item: (item[0].valid_from, item[1]))
    memo_numbers: dict[int, int] = {}
    bases: dict[int, str] = {}
    binding_rows = []
    for hold, code in holds:
        key = id(hold)  # one memo per group transfer, shared by its entities
        if key not in bases:
            bases[key] = basis_text(ctx, hold, memo_numbers)
        binding_rows.append({"client_id": client_ids[code], "employee_id": employee_ids[hold.tab_no],
                             "valid_from": hold.valid_from, "valid_to": hold.valid_to, "basis": bases[key],
                             "memo_id": None, "version": 1})
    _bulk(session, Binding, binding_rows)

    # In key order: the primary-key index then grows at its end (much faster on SQLite).
    turnover_rows = [{"client_id": client_ids[code], "month": month, "amount": amount}
                     for code, month, amount in sorted(money.turnover)]
    _bulk(session, Turnover, turnover_rows)
    _bulk(session, Receivable, [{"client_id": client_ids[code], "as_of": day, "amount": amount}
                                for code, day, amount in money.receivables])
    _bulk(session, Activity, [
        {"employee_id": employee_ids[tab], "activity_date": day, "kind": kind,
         "client_id": client_ids[code] if code else None, "outside_office": outside}
        for tab, day, kind, code, outside in activity
    ])
    counts = {
        "centre": 1, "cluster": len(clusters), "office": len(plan.offices), "territory": len(plan.territories),
        "employee": len(people), "employee_territory": sum(len(p.territories) for p in people),
        "specialization_period": sum(len(p.specs) for p in people), "client": len(cards),
        "binding": len(binding_rows), "turnover": len(turnover_rows), "receivable": len(money.receivables),
        "activity": len(activity),
    }
    session.add(AuditRecord(who="demo", entity="database", entity_key="demo", action="demo",
                            after=json.dumps({"scale": ctx.scale, "month": ctx.month.isoformat(), **counts},
                                             ensure_ascii=False)))
    bump_data_version(session)
    return Written(counts)
