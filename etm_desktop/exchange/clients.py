"""Sheet «Клиенты»: client cards upserted by code, with their head organisation (признак 140).

Big sheet: values are kept column by column and written with bulk statements,
never one ORM object per row. A head must exist (on the sheet or in the
database), must not have a head itself, and a client cannot head itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update

from etm_desktop.db.models import Client
from etm_desktop.domain.vocabulary import Ckg, normalize_potential
from etm_desktop.exchange import bulk
from etm_desktop.exchange import messages as msg
from etm_desktop.exchange.columns import convert_column, report_duplicates, resolver
from etm_desktop.exchange.context import ImportContext
from etm_desktop.exchange.org import known_territories
from etm_desktop.exchange.parsing import choice_parser, parse_code, text_parser
from etm_desktop.exchange.reader import SheetTable
from etm_desktop.exchange.sheets import CLIENTS

OPTIONAL = ("inn", "potential", "territory", "head")


def parse_potential(value: object) -> str:
    """S, A, B or C, written in Latin or Cyrillic letters."""
    if not isinstance(value, str):
        raise ValueError(msg.POTENTIAL_EXPECTED)
    try:
        potential = normalize_potential(value)
    except ValueError:
        raise ValueError(msg.POTENTIAL_EXPECTED) from None
    if potential is None:
        raise ValueError(msg.POTENTIAL_EXPECTED)
    return str(potential)


@dataclass
class ClientsPlan:
    index: dict[str, int]  # code -> position in the lists below (repeated codes left out)
    name: list
    ckg: list
    optional: dict[str, list]  # the optional columns the sheet has: inn, potential, territory, head

    def head_of(self, code: str) -> str | None:
        return self.optional["head"][self.index[code]]


def known_clients(ctx: ImportContext) -> set[str]:
    plan: ClientsPlan | None = ctx.plan(CLIENTS.name)
    return set(plan.index if plan else ()) | set(ctx.existing.client_heads)


def check_clients(ctx: ImportContext, table: SheetTable) -> ClientsPlan:
    problems = ctx.problems
    codes = convert_column(table, "code", parse_code, problems)
    territories = known_territories(ctx)
    parsers = {
        "inn": parse_code,
        "potential": parse_potential,
        "territory": resolver(parse_code, territories.__contains__, msg.UNKNOWN_TERRITORY),
        "head": parse_code,
    }
    optional = {key: convert_column(table, key, parse, problems) for key, parse in parsers.items()
                if table.has(key)}
    plan = ClientsPlan(
        index={},
        name=convert_column(table, "name", text_parser(Client.__table__.c.name), problems),
        ckg=convert_column(table, "ckg", choice_parser(Ckg), problems),
        optional=optional,
    )
    repeated = report_duplicates(table, codes, problems, ["code"])
    plan.index = {code: i for i, code in enumerate(codes) if code is not None and i not in repeated}
    if "head" in optional:
        _check_heads(ctx, table, plan)
    return plan


def _check_heads(ctx: ImportContext, table: SheetTable, plan: ClientsPlan) -> None:
    stored = ctx.existing.client_heads
    known = set(plan.index) | set(stored)

    def head_after(code: str) -> str | None:
        return plan.head_of(code) if code in plan.index else stored.get(code)

    # Heads that keep a related client the sheet does not mention (so cannot change).
    dependents: dict[str, str] = {}
    for code, head in stored.items():
        if head is not None and code not in plan.index:
            dependents.setdefault(head, code)
    header = CLIENTS.header("head")
    for code, i in plan.index.items():
        head = plan.optional["head"][i]
        if head is None:
            continue

        def report(message: str) -> None:
            ctx.problems.add(message, sheet=CLIENTS.name, row=table.rows[i], column=header, value=head)

        if head == code:
            report(msg.HEAD_IS_SELF)
        elif head not in known:
            report(msg.UNKNOWN_HEAD)
        elif head_after(head) is not None:
            report(msg.HEAD_HAS_HEAD.format(head, head_after(head)))
        if code in dependents:
            report(msg.HEAD_OF_OTHERS.format(dependents[code]))


def apply_clients(ctx: ImportContext, plan: ClientsPlan) -> None:
    session = ctx.session
    counts = ctx.report.counts(CLIENTS.name)
    stored = {
        row.code: row
        for row in session.execute(select(
            Client.id, Client.code, Client.inn, Client.name, Client.ckg, Client.potential,
            Client.territory_id, Client.head_id, Client.version))
    }
    territory_ids = ctx.ids("territory")
    heads = plan.optional.get("head")

    def values(i: int) -> dict:
        fields = {"name": plan.name[i], "ckg": str(plan.ckg[i])}
        if "inn" in plan.optional:
            fields["inn"] = plan.optional["inn"][i]
        if "potential" in plan.optional:
            fields["potential"] = plan.optional["potential"][i]
        if "territory" in plan.optional:
            territory = plan.optional["territory"][i]
            fields["territory_id"] = None if territory is None else territory_ids[territory]
        return fields

    # New clients: those heading nothing new first, then those whose head is new too
    # (a head has no head itself, so two rounds are enough).
    new = [code for code in plan.index if code not in stored]
    later = set()
    if heads is not None:
        later = {code for code in new
                 if heads[plan.index[code]] is not None and heads[plan.index[code]] not in stored}
    for round_codes in ([c for c in new if c not in later], [c for c in new if c in later]):
        if not round_codes:
            continue
        ids = ctx.ids("client")
        rows = [values(plan.index[code]) for code in round_codes]
        columns = {key: [row.get(key) for row in rows]
                   for key in ("name", "ckg", "inn", "potential", "territory_id")}
        columns["code"] = round_codes
        columns["head_id"] = [ids[heads[plan.index[c]]] if heads and heads[plan.index[c]] else None
                              for c in round_codes]
        columns["version"] = [1] * len(round_codes)
        bulk.insert_rows(session, Client.__table__, columns)
        ctx.forget_ids("client")
    counts.inserted += len(new)

    ids = ctx.ids("client")
    changes = []
    for code, row in stored.items():
        i = plan.index.get(code)
        if i is None:
            continue
        fields = values(i)
        if heads is not None:
            fields["head_id"] = ids[heads[i]] if heads[i] else None
        differing = {key: value for key, value in fields.items() if getattr(row, key) != value}
        if differing:
            changes.append({"id": row.id, "version": row.version, **differing})
    if changes:
        session.execute(update(Client), changes)  # ORM bulk by primary key: checks and bumps version
    counts.updated += len(changes)
    counts.unchanged += len(plan.index) - len(new) - len(changes)
