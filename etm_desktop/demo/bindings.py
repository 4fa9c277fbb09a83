"""Binding history: earlier holders of today's clients, and clients handed back to ООК.

A binding row is half-open (``valid_to`` exclusive), so a transfer closes the old
row on the day the new one opens; one client never has two overlapping
bindings except a deliberate multiple classification (``Group.pinned``).
"""

from __future__ import annotations

from datetime import date, timedelta

from etm_desktop.demo.plan import Context, Group, Hold, Person
from etm_desktop.domain.vocabulary import CLIENT_HOLDERS

TRANSFER_SHARE = 0.14  # bound clients that had another holder before
OOK_RETURN_SHARE = 0.06  # ООК clients that were bound once


def _day_between(ctx: Context, first: date, last: date) -> date | None:
    if last < first:
        return None
    return first + timedelta(days=ctx.rng.randint(0, (last - first).days))


def add_history(ctx: Context, groups: list[Group], people: list[Person]) -> None:
    """Invent earlier bindings for some groups (never for pinned ones)."""
    rng = ctx.rng
    by_tab = {p.tab_no: p for p in people}
    holders = [p for p in people if p.position in CLIENT_HOLDERS]
    gone = [p for p in holders if p.dismissal_date is not None]
    for group in groups:
        if group.pinned or len(group.holds) > 1:
            continue
        if group.holds and rng.random() < TRANSFER_SHARE:
            current = group.holds[0]
            owner = by_tab[current.tab_no]
            if gone and rng.random() < 0.5:
                _from_dismissed(ctx, group, owner, rng.choice(gone))
            else:
                _from_colleague(ctx, group, owner, rng.choice(holders))
        elif not group.holds and rng.random() < OOK_RETURN_SHARE:
            _returned_to_ook(ctx, group, rng.choice(holders))


def _from_dismissed(ctx: Context, group: Group, owner: Person, former: Person) -> None:
    """The group came to ``owner`` from a dismissed colleague within a month of his leaving."""
    if former is owner:
        return
    moved = former.dismissal_date + timedelta(days=ctx.rng.randint(3, 27))
    if moved < owner.hire_date or moved > ctx.month_end - timedelta(days=2):
        return
    if owner.dismissal_date is not None and moved >= owner.dismissal_date:
        return
    start = _day_between(ctx, max(former.hire_date, moved - timedelta(days=4 * 365)),
                         former.dismissal_date - timedelta(days=30))
    if start is None:
        return
    current = group.holds[0]
    group.holds = [
        Hold(former.tab_no, start, moved),
        Hold(current.tab_no, moved, None, "Перезакрепление КБ уволенного МОПП"),
    ]


def _from_colleague(ctx: Context, group: Group, owner: Person, former: Person) -> None:
    """The group was with ``former`` before, transferred by a memo."""
    current = group.holds[0]
    if former is owner:
        return
    if former.dismissal_date is not None and former.dismissal_date < current.valid_from:
        return
    start = _day_between(ctx, max(former.hire_date, current.valid_from - timedelta(days=3 * 365)),
                         current.valid_from - timedelta(days=60))
    if start is None:
        return
    group.holds = [Hold(former.tab_no, start, current.valid_from), current]


def _returned_to_ook(ctx: Context, group: Group, former: Person) -> None:
    """The group was bound to ``former`` once and has been handed back to ООК."""
    end_limit = ctx.month_end - timedelta(days=1)
    if former.dismissal_date is not None:
        end_limit = min(end_limit, former.dismissal_date + timedelta(days=25))
    start = _day_between(ctx, former.hire_date, end_limit - timedelta(days=120))
    if start is None:
        return
    end = min(end_limit, start + timedelta(days=ctx.rng.randint(90, 900)))
    group.holds = [Hold(former.tab_no, start, end)]


def basis_text(ctx: Context, hold: Hold, memo_numbers: dict[int, int]) -> str:
    """A memo reference like «СЗ-2025-017 от 14.03.2025» (numbered per year, in date order)."""
    if hold.basis:
        return hold.basis
    year = hold.valid_from.year
    memo_numbers[year] = memo_numbers.get(year, 0) + ctx.rng.randint(1, 3)
    return "СЗ-{0}-{1:03d} от {2}".format(year, memo_numbers[year], hold.valid_from.strftime("%d.%m.%Y"))
