"""Client bases: what a manager's KB looks like (a profile) and its client groups.

A :class:`KbProfile` says how many groups a manager holds at the end of M, how
many of them pay more than the threshold, and which deviations are planted on
purpose. :func:`build_kb` turns it into :class:`Group` objects with one open
binding each. Every number that decides compliance is read from the norms.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

from etm_desktop.demo.organisation import Structure
from etm_desktop.demo.plan import Context, Group, Hold, Person, spec_norms, status_at
from etm_desktop.domain.vocabulary import Ckg, Position, Status

CKG_WEIGHTS = {
    Ckg.EMO: 40, Ckg.DISTRIBUTORS: 12, Ckg.INFRASTRUCTURE: 14, Ckg.PP: 22,
    Ckg.PANEL_BUILDERS: 10, Ckg.DEALERS: 10, Ckg.CHAINS: 6,
}
POTENTIAL_WEIGHTS = {"S": 8, "A": 27, "B": 65}
RELATED_GROUP_SHARE = 0.045  # share of groups that are a head with related payers (≈10% of clients)


@dataclass
class KbProfile:
    """A manager's KB at the end of M; the deviation lists are planted breaches or warnings."""

    size: int
    paying: int
    dormant: int = 0  # groups with no turnover for the auto-unbind period, no ПДЗ
    dormant_debt: int = 0  # the same, but with ПДЗ (must not be auto-unbound)
    special_ckg: list[str] = field(default_factory=list)  # ЦКГ of the first groups (off-profile, forbidden…)
    outside_city: int = 0  # groups in a town outside the city
    foreign_territory: int = 0  # territorial: not his territory; universal: a territorial's territory
    special_potential: list[str] = field(default_factory=list)
    allowed_share: float = 0.0  # share of "allowed" ЦКГ among the ordinary groups


def exact_share_count(share: float, size: int) -> int:
    """The least count c with c / size >= share (exact, no float rounding)."""
    return math.ceil(Fraction(str(share)) * size)


def kb_bounds(ctx: Context, person: Person) -> tuple[int, int]:
    """The KB size range the person is judged by at the end of M (min 0 if none)."""
    norms = spec_norms(ctx, person)
    if norms is None:
        return 0, 10
    status, whole = status_at(ctx, person)
    bounds = norms.kb_range(status, whole)
    low = bounds.minimum or 0
    high = bounds.maximum if bounds.maximum is not None else low + 30
    return low, high


def meetings_needed(ctx: Context, person: Person, kb_size: int) -> int:
    """Outside-office meetings in M the person needs (a trainee: the novice number, not judged)."""
    norms = spec_norms(ctx, person)
    status, _ = status_at(ctx, person)
    if norms is None:
        return 0
    if status in (Status.TRAINEE, Status.NOVICE):
        return norms.meetings_novice_min or 0
    share = norms.meetings_share_of_kb or 0.0
    if person.position == Position.GROUP_LEAD:
        share = max(share, ctx.norms.heads.group_lead_own_share_min)
    return exact_share_count(share, kb_size)


def cold_calls_needed(ctx: Context, person: Person) -> int | None:
    norms = spec_norms(ctx, person)
    return norms.cold_calls_novice_min if norms is not None else None


def compliant_profile(ctx: Context, person: Person, size: int | None = None) -> KbProfile:
    """A KB that keeps every norm: size in range, paying share above the minimum."""
    rng = ctx.rng
    low, high = kb_bounds(ctx, person)
    if size is None:
        if low == 0:
            size = rng.randint(max(3, high // 4), max(4, high * 2 // 3))
        else:
            size = rng.randint(low + 1, max(low + 1, high - 2))
    norms = spec_norms(ctx, person)
    share = norms.paying_share_min if norms is not None and norms.paying_share_min else 0.3
    paying = min(size, exact_share_count(share, size) + rng.randint(1, 3))
    return KbProfile(size=size, paying=paying)


def plan_activity(ctx: Context, person: Person, kb_size: int, *, meetings_short: int = 0,
                  calls_short: int = 0) -> None:
    """Set the person's meetings and cold calls in M: enough, or ``*_short`` below the norm."""
    rng = ctx.rng
    needed = meetings_needed(ctx, person, kb_size)
    if meetings_short:
        person.meetings = max(0, needed - meetings_short)
    else:
        person.meetings = needed + rng.randint(1, 6)
    status, _ = status_at(ctx, person)
    if status in (Status.TRAINEE, Status.NOVICE):
        calls = cold_calls_needed(ctx, person)
        if calls is None:  # not regulated: they still call a little
            person.cold_calls = rng.randint(20, 60)
        else:
            person.cold_calls = max(0, calls - calls_short) if calls_short else calls + rng.randint(5, 45)


def _weighted(rng, weights: dict[str, int], allowed: list[str]) -> str:
    names = [name for name in weights if name in allowed]
    return rng.choices(names, weights=[weights[n] for n in names])[0]


def group_size(rng) -> int:
    """1 for a lone client; 2–4 entities for an organisation with related payers."""
    return rng.choice((2, 2, 3, 4)) if rng.random() < RELATED_GROUP_SHARE else 1


def territory_pool(structure: Structure, person: Person, ctx: Context) -> list[str]:
    """Where the person's ordinary clients are: his territories, the city, or anywhere."""
    norms = spec_norms(ctx, person)
    if norms is None or norms.territory.rule == "city":
        return structure.city_free
    if norms.territory.rule == "assigned":
        return person.territories or structure.city_free
    return structure.city_free + structure.outside_free


def build_kb(
    ctx: Context,
    structure: Structure,
    person: Person,
    profile: KbProfile,
    *,
    bound_from: date | None = None,
    bound_to: date | None = None,
) -> list[Group]:
    """The person's groups at the end of M, each with one open binding."""
    rng = ctx.rng
    norms = spec_norms(ctx, person)
    profile_ckg = sorted(norms.profile) if norms else [Ckg.EMO, Ckg.DEALERS, Ckg.DISTRIBUTORS]
    allowed_ckg = sorted(norms.allowed) if norms else []
    targets = sorted(norms.potential_target) if norms else ["A", "B"]
    pool = territory_pool(structure, person, ctx)
    start = bound_from or max(person.hire_date, ctx.month_end - timedelta(days=5 * 365))
    end = bound_to or ctx.month_end - timedelta(days=3)
    groups: list[Group] = []
    for index in range(profile.size):
        if allowed_ckg and rng.random() < profile.allowed_share:
            ckg = _weighted(rng, CKG_WEIGHTS, allowed_ckg)
        else:
            ckg = _weighted(rng, CKG_WEIGHTS, profile_ckg)
        group = Group(
            ckg=ckg,
            potential=_weighted(rng, POTENTIAL_WEIGHTS, targets),
            territory=rng.choice(pool),
            size=group_size(rng),
        )
        groups.append(group)
    _plant(ctx, structure, person, profile, groups)
    dormant_from = profile.size - profile.dormant - profile.dormant_debt
    for index, group in enumerate(groups):
        group.dormant = index >= dormant_from
        group.debt = index >= profile.size - profile.dormant_debt
    set_paying(ctx, groups, profile.paying)
    for group in groups:
        latest = end
        if group.dormant:  # bound before it stopped buying, where his service allows
            latest = max(start, min(end, ctx.month_back(ctx.norms.common.auto_unbind_months + 2)))
        day = start + timedelta(days=rng.randint(0, max(0, (latest - start).days)))
        group.holds.append(Hold(person.tab_no, day))
    return groups


def set_paying(ctx: Context, groups: list[Group], count: int) -> None:
    """Mark ``count`` of the groups that still buy as paying more than the threshold in M."""
    active = [g for g in groups if not g.dormant]
    if count > len(active):
        raise ValueError("more paying groups than active ones")
    for group in groups:
        group.paying = False
    for group in ctx.rng.sample(active, count):
        group.paying = True


def _plant(ctx: Context, structure: Structure, person: Person, profile: KbProfile, groups: list[Group]) -> None:
    """Apply the profile's deviations to the first groups, one deviation per group."""
    rng = ctx.rng
    index = 0
    for ckg in profile.special_ckg:
        groups[index].ckg = ckg
        index += 1
    for _ in range(profile.outside_city):
        groups[index].territory = rng.choice(structure.outside_free)
        index += 1
    for _ in range(profile.foreign_territory):
        if person.specialization and person.territories:  # a territorial: somebody else's land
            choices = [c for c in structure.outside_free + structure.city_free if c not in person.territories]
        else:  # a universal: a territory of a territorial МОПП, in the city when there is one
            city = [c for c in structure.territorial if structure.territory(c).in_city]
            choices = city or structure.territorial
        groups[index].territory = rng.choice(choices)
        index += 1
    for potential in profile.special_potential:
        groups[index].potential = potential
        index += 1
    if index > profile.size - profile.dormant - profile.dormant_debt:
        raise ValueError("KB profile has more planted groups than room for them")
