"""Building blocks shared by the small (planted) and large (random) rosters."""

from __future__ import annotations

from datetime import date, timedelta

from etm_desktop.demo.kb import (
    CKG_WEIGHTS,
    KbProfile,
    build_kb,
    compliant_profile,
    exact_share_count,
    group_size,
    plan_activity,
    set_paying,
)
from etm_desktop.demo.organisation import Structure
from etm_desktop.demo.plan import Context, Group, Hold, Person, spec_norms
from etm_desktop.domain.calendar import add_months

OOK_POTENTIALS = {"C": 50, "B": 28, "A": 8, "S": 2, "": 12}


def holder(
    ctx: Context,
    structure: Structure,
    person: Person,
    profile: KbProfile,
    *,
    meetings_short: int = 0,
    calls_short: int = 0,
    bound_from: date | None = None,
    bound_to: date | None = None,
) -> list[Group]:
    """The person's KB and his activity in M (short of the norm where asked)."""
    groups = build_kb(ctx, structure, person, profile, bound_from=bound_from, bound_to=bound_to)
    plan_activity(ctx, person, profile.size, meetings_short=meetings_short, calls_short=calls_short)
    return groups


def head_activity(ctx: Context, person: Person, short: int = 0) -> None:
    """A НОП's / НОПП's meetings in M: the position's minimum plus a little, or ``short`` below it."""
    minimum = ctx.norms.heads.meetings_min[person.position]
    person.meetings = max(0, minimum - short) if short else minimum + ctx.rng.randint(1, 6)


def group_lead_activity(ctx: Context, lead: Person, short: int = 0) -> None:
    """A Старший группы's meetings with his group's clients in M."""
    minimum = ctx.norms.heads.group_lead_group_meetings_min
    lead.group_meetings = max(0, minimum - short) if short else minimum + ctx.rng.randint(1, 5)


def respecialize(
    ctx: Context,
    structure: Structure,
    person: Person,
    new_spec: str,
    change: date,
    *,
    leftovers: int,
    kept: int,
    moved_to_ook: int,
    meetings_short: int = 0,
) -> list[Group]:
    """Change the person's specialization on ``change``; returns his groups (current and former).

    ``leftovers``: groups of his old base, bound before the change, that are
    off-profile or forbidden under the new specialization and are still his;
    ``kept``: old groups that fit the new one; ``moved_to_ook``: old groups
    unbound after the change (closed bindings, now with ООК). New groups fill
    the KB up to a compliant size of the new specialization.
    """
    rng = ctx.rng
    old = spec_norms(ctx, person)
    person.specs.append((change, new_spec))
    new = spec_norms(ctx, person)
    old_ckgs = sorted(old.profile | old.allowed)
    wrong = [c for c in old_ckgs if new.ckg_class(c) in ("off", "forbidden")]
    fitting = [c for c in old_ckgs if new.ckg_class(c) == "profile"]
    before = change - timedelta(days=15)
    old_profile = KbProfile(
        size=leftovers + (kept if fitting else 0),
        paying=0,
        special_ckg=[rng.choice(wrong) for _ in range(leftovers)] + [rng.choice(fitting) for _ in range(kept if fitting else 0)],
    )
    groups = build_kb(ctx, structure, person, old_profile, bound_to=before)
    base = compliant_profile(ctx, person)
    fresh = max(1, base.size - len(groups))
    groups += build_kb(ctx, structure, person, KbProfile(size=fresh, paying=0),
                       bound_from=change + timedelta(days=3))
    share = new.paying_share_min or 0.0
    set_paying(ctx, groups, min(len(groups), exact_share_count(share, len(groups)) + rng.randint(1, 2)))
    plan_activity(ctx, person, len(groups), meetings_short=meetings_short)
    # Old clients already handed to ООК after the change (closed bindings).
    gone = build_kb(ctx, structure, person, KbProfile(size=moved_to_ook, paying=0,
                                                     special_ckg=[rng.choice(old_ckgs) for _ in range(moved_to_ook)]),
                    bound_to=before)
    for group in groups + gone:
        group.pinned = True
    for group in gone:
        last = min(ctx.month_end, change + timedelta(days=rng.randint(5, 50)))
        group.holds[-1].valid_to = last
        group.paying = None
    return groups + gone


def multi_bind(ctx: Context, group: Group, person: Person) -> None:
    """Bind ``group`` also to ``person`` (another office): multiple classification."""
    first = group.holds[0].valid_from
    start = max(first, person.hire_date) + timedelta(days=ctx.rng.randint(10, 60))
    group.holds.append(Hold(person.tab_no, min(start, ctx.month_end - timedelta(days=2)),
                            basis="Множественная классификация"))
    group.pinned = True


def dismissed_with_clients(ctx: Context, structure: Structure, person: Person, day: date, size: int) -> list[Group]:
    """Dismiss ``person`` on ``day``; his ``size`` groups stay bound to him (not yet re-bound)."""
    person.dismissal_date = day
    profile = compliant_profile(ctx, person, size=size)
    groups = build_kb(ctx, structure, person, profile, bound_to=day - timedelta(days=10))
    for group in groups:
        group.pinned = True
    return groups


def ook_groups(ctx: Context, structure: Structure, entities: int) -> list[Group]:
    """Clients served by ООК (bound to nobody) with at least ``entities`` client cards."""
    rng = ctx.rng
    ckgs = list(CKG_WEIGHTS)
    potentials = list(OOK_POTENTIALS)
    territories = structure.city_free + structure.territorial + structure.outside_free
    groups: list[Group] = []
    total = 0
    while total < entities:
        potential = rng.choices(potentials, weights=list(OOK_POTENTIALS.values()))[0]
        territory = rng.choice(territories) if rng.random() < 0.97 else None
        group = Group(
            ckg=rng.choices(ckgs, weights=list(CKG_WEIGHTS.values()))[0],
            potential=potential or None,
            territory=territory,
            size=group_size(rng),
        )
        groups.append(group)
        total += group.size
    return groups


def months_ago(ctx: Context, months: int, day: int) -> date:
    """Day ``day`` of month M − ``months``."""
    start = add_months(ctx.month, -months)
    return start.replace(day=min(day, 28))
