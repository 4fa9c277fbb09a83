"""``generate``: fill an empty database with a made-up regional centre."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from etm_desktop.demo.activity import activities
from etm_desktop.demo.bindings import add_history
from etm_desktop.demo.clients import make_cards
from etm_desktop.demo.history import money
from etm_desktop.demo.large import large_roster
from etm_desktop.demo.organisation import CENTRE_NAME, build_structure
from etm_desktop.demo.plan import Context, DemoError, Plan
from etm_desktop.demo.scenarios import small_roster
from etm_desktop.demo.writer import ensure_empty, write
from etm_desktop.domain.calendar import last_completed_month, month_end, month_key
from etm_desktop.norms.schema import NormError
from etm_desktop.norms.store import NormBook

SCALES = {"small": (24, 12), "large": (36, 12), "national": (36, 12)}  # turnover months, activity months
SCALE_TITLES = {"small": "малый", "large": "большой", "national": "национальный"}

TABLE_TITLES = (
    ("office", "ОП"), ("territory", "территорий"), ("employee", "сотрудников"),
    ("client", "клиентов"), ("binding", "закреплений"), ("turnover", "строк товарооборота"),
    ("receivable", "снимков ПДЗ"), ("activity", "встреч и звонков"),
)


@dataclass
class DemoSummary:
    """What ``generate`` wrote: rows per table, the months covered and the planted cases."""

    scale: str
    month: date  # the last completed month M
    turnover_from: date
    activity_from: date
    counts: dict[str, int]
    ook_clients: int
    related_clients: int
    planted: list[tuple[str, str, str]] = field(default_factory=list)  # (tab_no, name, what)

    def as_text(self) -> str:
        lines = [
            "Демонстрационный РЦ создан (масштаб: {0}).".format(SCALE_TITLES.get(self.scale, self.scale)),
            "Последний полный месяц: {0}; товарооборот с {1}, активность с {2}.".format(
                month_key(self.month), month_key(self.turnover_from), month_key(self.activity_from)),
            "Кустов: {0}, ".format(self.counts.get("cluster", 0))
            + ", ".join("{0}: {1:,}".format(title, self.counts.get(key, 0)).replace(",", " ")
                        for key, title in TABLE_TITLES) + ".",
            "Клиентов в ООК (без закрепления): {0:,}; связанных по признаку 140: {1:,}.".format(
                self.ook_clients, self.related_clients).replace(",", " "),
        ]
        if self.planted:
            lines.append("Заложенные случаи для проверки норм:")
            lines += ["  {0} {1} — {2}".format(tab, name, what) for tab, name, what in self.planted]
        return "\n".join(lines)


def generate(database, *, scale: str = "small", seed: int = 2026, today: date | None = None) -> DemoSummary:
    """Fill an empty ``database`` with a made-up centre ending with the last month before ``today``.

    The same ``seed`` and ``today`` always give the same data. Raises
    :class:`DemoError` when the scale is unknown or the database already has data.
    """
    if scale not in SCALES:
        raise DemoError("Неизвестный масштаб демонстрационных данных «{0}»: "
                        "возможны small, large или national".format(scale))
    from etm_desktop.access import Action, require

    require(database, Action.DEMO)
    today = today or date.today()
    month = last_completed_month(today)
    with database.session() as session:
        ensure_empty(session)
    try:
        norms = NormBook.load(database).in_force(month_end(month))
    except NormError as error:
        raise DemoError("Нет норм, по которым строить демонстрационный РЦ: {0}".format(error)) from error
    turnover_months, activity_months = SCALES[scale]
    ctx = Context(random.Random(seed), scale, month, norms, turnover_months, activity_months)
    if scale == "national":
        from etm_desktop.demo.national import national_roster, national_structure

        structure, roster = national_structure(), national_roster
    else:
        structure = build_structure(scale)
        roster = small_roster if scale == "small" else large_roster
    people, groups = roster(ctx, structure)
    add_history(ctx, groups, people)
    plan = Plan(CENTRE_NAME, structure.offices, structure.territories, people, groups)
    cards = make_cards(ctx, groups)
    turnover = money(ctx, groups)
    activity = activities(ctx, people, groups)
    with database.session() as session, session.begin():
        ensure_empty(session)
        written = write(session, ctx, plan, cards, turnover, activity)
    return DemoSummary(
        scale=scale,
        month=month,
        turnover_from=ctx.month_back(turnover_months - 1),
        activity_from=ctx.month_back(activity_months - 1),
        counts=written.counts,
        ook_clients=sum(g.size for g in groups if not g.open_holders()),
        related_clients=sum(1 for c in cards if c.head),
        planted=[(p.tab_no, p.full_name, p.role) for p in people if p.role],
    )
