"""Turnover and ПДЗ of every client, shaped so that the planned flags come true.

Per group (head + related payers, judged as one client, I9) a monthly level is
drawn from its potential and ЦКГ, with seasons and noise; then month M is set:
a paying group buys more than the paying threshold, a non-paying one buys
something below it, a dormant one has bought nothing for the auto-unbind period.
The group's sum is split over its entities.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from etm_desktop.demo.plan import Context, Group
from etm_desktop.domain.calendar import month_end
from etm_desktop.domain.vocabulary import Ckg

LEVEL = {"S": 450_000.0, "A": 160_000.0, "B": 55_000.0, "C": 12_000.0, None: 25_000.0}
ZERO_CHANCE = {"S": 0.03, "A": 0.07, "B": 0.14, "C": 0.5, None: 0.45}
CKG_FACTOR = {
    Ckg.EMO: 0.9, Ckg.DISTRIBUTORS: 1.4, Ckg.INFRASTRUCTURE: 1.0, Ckg.PP: 1.2,
    Ckg.PANEL_BUILDERS: 1.1, Ckg.DEALERS: 1.0, Ckg.CHAINS: 1.5,
}
DEBT_SHARE = 0.07  # groups with ПДЗ snapshots beyond the planted ones


@dataclass
class Money:
    turnover: list[tuple[str, date, float]]  # (client code, month, amount)
    receivables: list[tuple[str, date, float]]  # (client code, as of, amount)


def _season(month: date) -> float:
    factor = 1.0 + 0.18 * math.sin(2 * math.pi * (month.month - 4) / 12)
    return factor * (0.7 if month.month == 1 else 1.0)


def _split(ctx: Context, group: Group, total: float) -> list[float]:
    weights = [1.0] + [ctx.rng.uniform(0.15, 0.6) for _ in range(group.size - 1)]
    whole = sum(weights)
    return [round(total * w / whole, 2) for w in weights]


def money(ctx: Context, groups: list[Group]) -> Money:
    rng = ctx.rng
    threshold = ctx.norms.common.paying_threshold
    quiet = ctx.norms.common.auto_unbind_months
    months = [ctx.month_back(k) for k in range(ctx.turnover_months - 1, -1, -1)]
    seasons = [_season(m) for m in months]
    last = len(months) - 1
    turnover: list[tuple[str, date, float]] = []
    receivables: list[tuple[str, date, float]] = []
    for group in groups:
        level = LEVEL[group.potential] * CKG_FACTOR[group.ckg] * math.exp(rng.gauss(0.0, 0.4))
        zero = ZERO_CHANCE[group.potential]
        first = 0
        silent_from = len(months)
        if group.dormant:  # nothing bought for `quiet` months or longer
            silent_from = len(months) - rng.randint(quiet, quiet + 6)
        elif group.paying is None:  # ООК: some clients are new, some have gone quiet
            chance = rng.random()
            if chance < 0.12:
                first = rng.randint(1, last)
            elif chance < 0.22:
                silent_from = len(months) - rng.randint(2, last)
        totals = [
            0.0 if index < first or index >= silent_from or rng.random() < zero
            else level * seasons[index] * math.exp(rng.gauss(0.0, 0.5))
            for index in range(len(months))
        ]
        if group.paying is True:
            totals[last] = max(totals[last], threshold * rng.uniform(1.3, 2.5))
        elif group.paying is False and not group.dormant:
            totals[last] = threshold * rng.uniform(0.1, 0.9)
            if rng.random() < 0.4:  # also weak the month before: on the blacklist
                totals[last - 1] = threshold * rng.uniform(0.0, 0.9)
        for index, total in enumerate(totals):
            if total <= 0:
                continue
            if group.size == 1:
                if round(total, 2) > 0:
                    turnover.append((group.codes[0], months[index], round(total, 2)))
                continue
            for code, amount in zip(group.codes, _split(ctx, group, total)):
                if amount > 0:
                    turnover.append((code, months[index], amount))
        receivables.extend(_debts(ctx, group))
    return Money(turnover, receivables)


def _debts(ctx: Context, group: Group) -> list[tuple[str, date, float]]:
    """ПДЗ snapshots: planted debt at the end of M, or occasional debts (some repaid)."""
    rng = ctx.rng
    head = group.codes[0]
    if group.debt:
        amount = round(rng.uniform(20_000, 150_000), 2)
        return [(head, month_end(ctx.month_back(1)), amount), (head, ctx.month.replace(day=15), amount)]
    if group.dormant or rng.random() >= DEBT_SHARE:
        return []
    rows = []
    base = LEVEL[group.potential] * rng.uniform(0.1, 0.8)
    for k in sorted(rng.sample(range(1, 7), rng.randint(1, 3)), reverse=True):
        rows.append((head, month_end(ctx.month_back(k)), round(base * rng.uniform(0.5, 1.2), 2)))
    if rng.random() < 0.35:  # paid off since
        rows.append((head, month_end(ctx.month_back(0)), 0.0))
    return rows
