"""Sheet «Активность»: meetings and cold calls, replaced per employee and calendar month.

For every (employee, month) the sheet mentions, the sheet's rows become that
employee's activities of that month. Rows are matched as a multiset, so a
re-import of the same sheet leaves every stored row (and its id) as it is and
only the difference is inserted or deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from etm_desktop.db.models import Activity
from etm_desktop.domain.calendar import month_end, month_start
from etm_desktop.domain.vocabulary import ActivityKind
from etm_desktop.exchange import bulk
from etm_desktop.exchange import messages as msg
from etm_desktop.exchange.clients import known_clients
from etm_desktop.exchange.columns import convert_column, resolver
from etm_desktop.exchange.context import ImportContext
from etm_desktop.exchange.parsing import choice_parser, parse_code, parse_date, parse_yes_no
from etm_desktop.exchange.reader import SheetTable
from etm_desktop.exchange.sheets import ACTIVITIES
from etm_desktop.exchange.staff import known_employees


@dataclass
class ActivityPlan:
    tab_no: list[str]
    day: list[date]
    kind: list[str]
    client: list[str | None]
    outside_office: list[bool]


def check_activities(ctx: ImportContext, table: SheetTable) -> ActivityPlan:
    problems = ctx.problems
    count = len(table)
    tabs = convert_column(table, "tab_no", resolver(parse_code, known_employees(ctx).__contains__,
                                                    msg.UNKNOWN_EMPLOYEE), problems)
    days = convert_column(table, "date", parse_date, problems)
    kinds = convert_column(table, "kind", choice_parser(ActivityKind), problems)
    clients = convert_column(table, "client", resolver(parse_code, known_clients(ctx).__contains__,
                                                       msg.UNKNOWN_CLIENT), problems) or [None] * count
    outside = convert_column(table, "outside_office", parse_yes_no, problems) or [None] * count
    if problems:
        return ActivityPlan([], [], [], [], [])  # this import fails: nothing will be written
    return ActivityPlan(tabs, days, [str(kind) for kind in kinds], clients,
                        [True if value is None else value for value in outside])


def apply_activities(ctx: ImportContext, plan: ActivityPlan) -> None:
    counts = ctx.report.counts(ACTIVITIES.name)
    if not plan.tab_no:
        return
    session = ctx.session
    employee_ids, client_ids = ctx.ids("employee"), ctx.ids("client")
    rows = [
        (employee_ids[tab], day, kind, client_ids[client] if client else None, outside)
        for tab, day, kind, client, outside in zip(
            plan.tab_no, plan.day, plan.kind, plan.client, plan.outside_office)
    ]
    months = {(row[0], month_start(row[1])) for row in rows}
    decode = bulk.DateDecoder()
    stored: dict[tuple, list[int]] = {}
    statement = (
        select(Activity.id, Activity.employee_id, bulk.raw_date(Activity.activity_date), Activity.kind,
               Activity.client_id, Activity.outside_office)
        .where(Activity.activity_date.between(month_start(min(plan.day)), month_end(max(plan.day))))
    )
    for ident, employee_id, day, kind, client_id, outside in session.execute(statement):
        day = decode(day)
        if (employee_id, month_start(day)) in months:
            stored.setdefault((employee_id, day, kind, client_id, bool(outside)), []).append(ident)

    new = []
    for row in rows:
        same = stored.get(row)
        if same:
            same.pop()
            counts.unchanged += 1
        else:
            new.append(row)
    names = ("employee_id", "activity_date", "kind", "client_id", "outside_office")
    columns = {name: [row[i] for row in new] for i, name in enumerate(names)}
    big = bulk.rebuild_pays(session, Activity.__table__, len(new))
    counts.inserted += bulk.insert_rows(session, Activity.__table__, columns, rebuild_indexes=big)
    leftover = sorted(ident for idents in stored.values() for ident in idents)
    counts.deleted += bulk.delete_ids(session, Activity.__table__, leftover)
