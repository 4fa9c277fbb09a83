"""Sheets «Товарооборот» (per client and month) and «ПДЗ» (per client and date): upserts.

The turnover sheet of a regional centre has about a million rows, so everything
here works on whole columns: distinct values parsed once (see ``columns``), one
SELECT for the stored rows of the months concerned, one bulk insert and one bulk
update.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from operator import itemgetter

import numpy
from sqlalchemy import select

from etm_desktop.db.models import Receivable, Turnover
from etm_desktop.exchange import bulk
from etm_desktop.exchange import messages as msg
from etm_desktop.exchange.clients import known_clients
from etm_desktop.exchange.columns import convert_column, report_duplicates, resolver
from etm_desktop.exchange.context import ImportContext
from etm_desktop.exchange.parsing import MONEY_LIMIT, parse_code, parse_date, parse_money, parse_month
from etm_desktop.exchange.reader import SheetTable
from etm_desktop.exchange.sheets import RECEIVABLES, TURNOVER

@dataclass
class AmountsPlan:
    """Rows keyed on (client code, day): the month's first day for turnover."""

    client: list[str]
    day: list[date]
    amount: list[float]


def _check_amounts(ctx: ImportContext, table: SheetTable, day_key: str, parse_day) -> AmountsPlan:
    problems = ctx.problems
    clients = convert_column(table, "client", resolver(parse_code, known_clients(ctx).__contains__,
                                                       msg.UNKNOWN_CLIENT), problems)
    days = convert_column(table, day_key, parse_day, problems)
    amounts = _money_column(table, problems)
    report_duplicates(table, list(zip(clients, days)), problems, ["client", day_key])
    if problems:
        return AmountsPlan([], [], [])  # this import fails: nothing will be written
    return AmountsPlan(clients, days, amounts)


def _money_column(table: SheetTable, problems) -> list:
    """Amounts: a column of plain, finite, not absurdly large numbers is rounded to kopecks in one
    vectorised step; any other column is parsed value by value, reporting each bad cell."""
    raw = table.cells.get("amount")
    if raw is not None and set(map(type, raw)) <= {float, int}:
        with numpy.errstate(over="ignore", invalid="ignore"):  # 1e308 rounds to inf: refused below, per cell
            numbers = numpy.round(numpy.array(raw, dtype=numpy.float64), 2)
        if numpy.all(numpy.abs(numbers) < MONEY_LIMIT):  # also False for NaN: those are reported below
            return (numbers + 0.0).tolist()
    return convert_column(table, "amount", parse_money, problems, cached=False)


def check_turnover(ctx: ImportContext, table: SheetTable) -> AmountsPlan:
    return _check_amounts(ctx, table, "month", parse_month)


def check_receivables(ctx: ImportContext, table: SheetTable) -> AmountsPlan:
    return _check_amounts(ctx, table, "as_of", parse_date)


def apply_turnover(ctx: ImportContext, plan: AmountsPlan, tick=None) -> None:
    counts = ctx.report.counts(TURNOVER.name)
    if not plan.client:
        return
    session = ctx.session
    ids = ctx.ids("client")
    client_ids = [ids[code] for code in plan.client]
    decode = bulk.DateDecoder()
    stored = {
        (client_id, decode(month)): float(amount)
        for client_id, month, amount in session.execute(
            select(Turnover.client_id, bulk.raw_date(Turnover.month), bulk.raw_float(Turnover.amount))
            .where(Turnover.month.between(min(plan.day), max(plan.day))))
    }
    new = {"client_id": [], "month": [], "amount": []}
    changed = {"client_id": [], "month": [], "amount": []}
    if not stored:
        new = {"client_id": client_ids, "month": plan.day, "amount": plan.amount}
    else:
        for row in zip(client_ids, plan.day, plan.amount):
            before = stored.get(row[:2])
            target = new if before is None else changed if before != row[2] else None
            if target is not None:
                for values, value in zip(target.values(), row):
                    values.append(value)
    new = _in_key_order(new)
    big = bulk.rebuild_pays(session, Turnover.__table__, len(new["client_id"]))
    counts.inserted += bulk.insert_rows(session, Turnover.__table__, new, tick, rebuild_indexes=big)
    counts.updated += bulk.update_rows(session, Turnover.__table__, ["client_id", "month"], changed)
    counts.unchanged += len(client_ids) - len(new["client_id"]) - len(changed["client_id"])


def _in_key_order(columns: dict[str, list]) -> dict[str, list]:
    """New turnover rows sorted on the primary key (client, month), so that SQLite's
    key index grows at its end instead of being updated all over."""
    if len(columns["client_id"]) < 2:
        return columns
    ordinal = {day: day.toordinal() for day in set(columns["month"])}
    keys = numpy.array(columns["client_id"], dtype=numpy.int64) * 10_000_000 + numpy.array(
        [ordinal[day] for day in columns["month"]], dtype=numpy.int64)
    if bool(numpy.all(keys[1:] > keys[:-1])):  # already in key order (as the exchange workbook is written)
        return columns
    pick = itemgetter(*numpy.argsort(keys, kind="stable").tolist())
    return {name: list(pick(values)) for name, values in columns.items()}


def apply_receivables(ctx: ImportContext, plan: AmountsPlan) -> None:
    counts = ctx.report.counts(RECEIVABLES.name)
    if not plan.client:
        return
    session = ctx.session
    ids = ctx.ids("client")
    decode = bulk.DateDecoder()
    stored = {
        (client_id, decode(as_of)): (ident, float(amount))
        for ident, client_id, as_of, amount in session.execute(
            select(Receivable.id, Receivable.client_id, bulk.raw_date(Receivable.as_of),
                   bulk.raw_float(Receivable.amount)))
    }
    new = {"client_id": [], "as_of": [], "amount": []}
    changed = {"id": [], "amount": []}
    for code, as_of, amount in zip(plan.client, plan.day, plan.amount):
        before = stored.get((ids[code], as_of))
        if before is None:
            for values, value in zip(new.values(), (ids[code], as_of, amount)):
                values.append(value)
        elif before[1] != amount:
            changed["id"].append(before[0])
            changed["amount"].append(amount)
    counts.inserted += bulk.insert_rows(session, Receivable.__table__, new)
    counts.updated += bulk.update_rows(session, Receivable.__table__, ["id"], changed)
    counts.unchanged += len(plan.client) - len(new["client_id"]) - len(changed["id"])
