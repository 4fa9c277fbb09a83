"""Sheets «Офисы» and «Территории»: small reference lists, upserted by code."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from etm_desktop.db.models import Centre, Cluster, Office, Territory
from etm_desktop.exchange.columns import convert_column, report_duplicates
from etm_desktop.exchange.context import ImportContext
from etm_desktop.exchange.parsing import parse_code, parse_yes_no, text_parser
from etm_desktop.exchange.reader import SheetTable
from etm_desktop.exchange.sheets import OFFICES, TERRITORIES


@dataclass
class OfficeRow:
    row: int
    code: str
    name: str | None
    cluster: str | None
    centre: str | None


@dataclass
class TerritoryRow:
    row: int
    code: str
    name: str | None
    in_city: bool | None


def check_offices(ctx: ImportContext, table: SheetTable) -> dict[str, OfficeRow]:
    """The sheet's offices by code (rows with a bad code or a repeated one left out)."""
    problems = ctx.problems
    codes = convert_column(table, "code", parse_code, problems)
    names = convert_column(table, "name", text_parser(Office.__table__.c.name), problems)
    clusters = convert_column(table, "cluster", text_parser(Cluster.__table__.c.name), problems)
    centres = convert_column(table, "centre", text_parser(Centre.__table__.c.name), problems)
    repeated = report_duplicates(table, codes, problems, ["code"])
    plan = {}
    for i, code in enumerate(codes):
        if code is not None and i not in repeated:
            plan[code] = OfficeRow(table.rows[i], code, names[i], clusters[i], centres[i])
    return plan


def apply_offices(ctx: ImportContext, plan: dict[str, OfficeRow]) -> None:
    session = ctx.session
    counts = ctx.report.counts(OFFICES.name)
    centres = {c.name: c for c in session.scalars(select(Centre))}
    for name in sorted({row.centre for row in plan.values()} - set(centres)):
        centres[name] = Centre(name=name)
        session.add(centres[name])
    session.flush()
    clusters = {(c.centre_id, c.name): c for c in session.scalars(select(Cluster))}
    for row in plan.values():
        key = (centres[row.centre].id, row.cluster)
        if key not in clusters:
            clusters[key] = Cluster(centre_id=key[0], name=row.cluster)
            session.add(clusters[key])
    session.flush()
    offices = {o.code: o for o in session.scalars(select(Office))}
    for code, row in plan.items():
        cluster_id = clusters[(centres[row.centre].id, row.cluster)].id
        office = offices.get(code)
        if office is None:
            session.add(Office(code=code, name=row.name, cluster_id=cluster_id))
            counts.inserted += 1
        elif (office.name, office.cluster_id) != (row.name, cluster_id):
            office.name, office.cluster_id = row.name, cluster_id
            counts.updated += 1
        else:
            counts.unchanged += 1
    session.flush()
    ctx.forget_ids("office")


def check_territories(ctx: ImportContext, table: SheetTable) -> dict[str, TerritoryRow]:
    problems = ctx.problems
    codes = convert_column(table, "code", parse_code, problems)
    names = convert_column(table, "name", text_parser(Territory.__table__.c.name), problems)
    in_city = convert_column(table, "in_city", parse_yes_no, problems)
    repeated = report_duplicates(table, codes, problems, ["code"])
    return {
        code: TerritoryRow(table.rows[i], code, names[i], in_city[i])
        for i, code in enumerate(codes)
        if code is not None and i not in repeated
    }


def apply_territories(ctx: ImportContext, plan: dict[str, TerritoryRow]) -> None:
    session = ctx.session
    counts = ctx.report.counts(TERRITORIES.name)
    territories = {t.code: t for t in session.scalars(select(Territory))}
    for code, row in plan.items():
        territory = territories.get(code)
        if territory is None:
            session.add(Territory(code=code, name=row.name, in_city=row.in_city))
            counts.inserted += 1
        elif (territory.name, territory.in_city) != (row.name, row.in_city):
            territory.name, territory.in_city = row.name, row.in_city
            counts.updated += 1
        else:
            counts.unchanged += 1
    session.flush()
    ctx.forget_ids("territory")


def known_offices(ctx: ImportContext) -> set[str]:
    return set(ctx.plan(OFFICES.name) or ()) | set(ctx.existing.offices)


def known_territories(ctx: ImportContext) -> set[str]:
    return set(ctx.plan(TERRITORIES.name) or ()) | set(ctx.existing.territories)
