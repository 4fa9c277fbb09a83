"""The large demo centre: 300 managers in 10 offices, breaches sprinkled at random.

Every manager starts from a compliant KB; each deviation is then drawn with a
small probability, so the grid looks like a real centre's: most managers keep
most norms, a few break one or two.
"""

from __future__ import annotations

from etm_desktop.demo.kb import KbProfile, build_kb, compliant_profile, exact_share_count, kb_bounds, plan_activity
from etm_desktop.demo.organisation import Staff, Structure, assign_territories
from etm_desktop.demo.plan import Context, Group, Person, spec_norms, status_at
from etm_desktop.demo.roster import (
    dismissed_with_clients,
    group_lead_activity,
    head_activity,
    months_ago,
    multi_bind,
    ook_groups,
    respecialize,
)
from etm_desktop.domain.vocabulary import Ckg, Position, Specialization, Status

LARGE_CLIENTS = 30_000
MANAGERS_PER_OFFICE = 30
LEADS_PER_OFFICE = 4
SPEC_WEIGHTS = {
    Specialization.UNIVERSAL: 34, Specialization.TERRITORIAL: 20, Specialization.MRPP: 18,
    Specialization.MRSH: 12, Specialization.MRD: 10, Specialization.MRS: 6,
}
LEAD_SPECS = (Specialization.UNIVERSAL, Specialization.TERRITORIAL, Specialization.MRPP)
STATUS_WEIGHTS = {Status.VETERAN: 62, Status.EXPERIENCED: 16, Status.NOVICE: 16, Status.TRAINEE: 6}
# Re-specialized managers: (old, new, months since the change, old clients still wrong for the new one).
RESPECIALIZED = (
    (Specialization.UNIVERSAL, Specialization.MRPP, 7, 0), (Specialization.UNIVERSAL, Specialization.MRSH, 5, 0),
    (Specialization.MRPP, Specialization.MRSH, 9, 0), (Specialization.UNIVERSAL, Specialization.MRPP, 3, 3),
    (Specialization.MRPP, Specialization.MRSH, 3, 2), (Specialization.UNIVERSAL, Specialization.MRPP, 1, 2),
)


def _pick(rng, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def large_roster(ctx: Context, structure: Structure) -> tuple[list[Person], list[Group]]:
    """The large centre: 30 managers per office of ``structure``, 30,000 clients."""
    return centre_roster(ctx, structure, clients=LARGE_CLIENTS)


def centre_roster(ctx: Context, structure: Structure, *, clients: int) -> tuple[list[Person], list[Group]]:
    """A centre of ``MANAGERS_PER_OFFICE`` managers per office and at least ``clients`` client cards.

    Shared by the large and the national scale (``demo.national``); only the
    structure and the client count differ.
    """
    rng = ctx.rng
    staff = Staff(ctx)
    managers: list[Person] = []
    special: list[tuple[Person, tuple]] = []
    for index, office in enumerate(structure.offices):
        head_activity(ctx, staff.add(Position.NOP, office.code), short=_maybe(rng, 0.15, 1, 8))
        if index % 3 == 0:
            head_activity(ctx, staff.add(Position.NOPP, office.code), short=_maybe(rng, 0.15, 1, 8))
        leads = [staff.add(Position.GROUP_LEAD, office.code, spec=rng.choice(LEAD_SPECS), status=Status.VETERAN)
                 for _ in range(LEADS_PER_OFFICE)]
        for lead in leads:
            group_lead_activity(ctx, lead, short=_maybe(rng, 0.15, 1, 10))
        managers += leads
        for slot in range(MANAGERS_PER_OFFICE - LEADS_PER_OFFICE):
            lead = leads[slot % len(leads)].tab_no if rng.random() < 0.8 else None
            if index < len(RESPECIALIZED) and slot == 0:
                case = RESPECIALIZED[index]
                person = staff.add(Position.MOPP, office.code, spec=case[0], status=Status.VETERAN, lead=lead)
                special.append((person, case))
                continue
            managers.append(staff.add(Position.MOPP, office.code, spec=_pick(rng, SPEC_WEIGHTS),
                                      status=_pick(rng, STATUS_WEIGHTS), lead=lead))
        if index in (0, 4, 7):
            vtc = staff.add(Position.VTC_HEAD, office.code)
            vtc.meetings = rng.randint(3, 10)
            managers.append(vtc)
        if index in (0, 4, 7):
            staff.add(Position.MKA, office.code)
    staff.add(Position.DP, structure.offices[0].code)
    territorials = [p for p in managers if p.specialization == Specialization.TERRITORIAL]
    assign_territories(territorials, structure.territorial, 2)

    groups: list[Group] = []
    held: dict[str, list[Group]] = {}
    shorts: dict[str, tuple[int, int]] = {}
    for person in managers:
        if person.position == Position.VTC_HEAD:
            size = rng.randint(4, 8)
            found = build_kb(ctx, structure, person, KbProfile(size=size, paying=size // 2))
        else:
            profile, shorts[person.tab_no] = _random_profile(ctx, person)
            found = build_kb(ctx, structure, person, profile)
        held[person.tab_no] = found
        groups += found
    for person, (old, new, months, leftovers) in special:
        change = months_ago(ctx, months, rng.randint(1, 25))
        groups += respecialize(ctx, structure, person, new, change, leftovers=leftovers, kept=rng.randint(2, 5),
                               moved_to_ook=rng.randint(3, 8), meetings_short=_maybe(rng, 0.1, 1, 5))
    _multi_bindings(ctx, managers, held)
    sizes: dict[str, int] = {}
    for group in groups:
        for tab_no in group.open_holders():
            sizes[tab_no] = sizes.get(tab_no, 0) + 1
    for person in managers:
        if person.position != Position.VTC_HEAD:
            size = sizes.get(person.tab_no, 0)
            meetings_short, calls_short = shorts[person.tab_no]
            plan_activity(ctx, person, size, meetings_short=meetings_short, calls_short=calls_short)
    groups += _dismissed(ctx, structure, staff)
    bound = sum(g.size for g in groups)
    groups += ook_groups(ctx, structure, clients - bound)
    return staff.people, groups


def _maybe(rng, chance: float, low: int, high: int) -> int:
    """A shortfall between ``low`` and ``high`` with probability ``chance``, else 0."""
    return rng.randint(low, high) if rng.random() < chance else 0


def _random_profile(ctx: Context, person: Person) -> tuple[KbProfile, tuple[int, int]]:
    """A compliant profile with deviations drawn at random; plus (meetings, calls) shortfalls."""
    rng = ctx.rng
    norms = spec_norms(ctx, person)
    status, _ = status_at(ctx, person)
    profile = compliant_profile(ctx, person)
    low, high = kb_bounds(ctx, person)
    if rng.random() < 0.04:
        profile.size = high + rng.randint(1, 6)
    elif low > 0 and rng.random() < 0.06:
        profile.size = max(2, low - rng.randint(1, 5))
    needed = exact_share_count(norms.paying_share_min or 0.0, profile.size)
    if rng.random() < 0.12 and needed > 0:
        profile.paying = max(0, needed - rng.randint(1, 3))
    else:
        profile.paying = min(profile.size, needed + rng.randint(0, 3))
    profile.dormant = rng.choices((0, 1, 2), weights=(80, 15, 5))[0]
    profile.dormant_debt = 1 if rng.random() < 0.03 else 0
    others = sorted(c for c in Ckg if norms.ckg_class(c) == "off")
    if others and rng.random() < 0.05:
        profile.special_ckg += [rng.choice(others) for _ in range(rng.randint(1, 2))]
    if norms.forbidden and rng.random() < 0.04:
        profile.special_ckg.append(rng.choice(sorted(norms.forbidden)))
    for ckg, cap in norms.allowed_max.items():  # МРС: a few dealers, now and then one too many
        profile.special_ckg += [ckg] * (cap + 1 if rng.random() < 0.05 else rng.randint(0, min(cap, 3)))
    if person.specialization == Specialization.UNIVERSAL:
        profile.allowed_share = 0.1
    if norms.territory.rule == "city" and rng.random() < 0.12:
        profile.outside_city = rng.randint(1, 3)
    if norms.territory.rule == "assigned" and rng.random() < 0.08:
        profile.foreign_territory = rng.randint(1, 2)
    if norms.new_hire_not_in_territorial and status in (Status.TRAINEE, Status.NOVICE) and rng.random() < 0.2:
        profile.foreign_territory = rng.randint(1, 2)
    if rng.random() < 0.06:
        profile.special_potential.append("C")
    if norms.potential_tolerated and rng.random() < 0.2:
        profile.special_potential.append(sorted(norms.potential_tolerated)[0])
    _fit(profile)
    meetings_short = _maybe(rng, 0.1, 1, 8) if status != Status.TRAINEE else 0
    calls_short = _maybe(rng, 0.2, 10, 60) if status == Status.NOVICE else 0
    return profile, (meetings_short, calls_short)


def _fit(profile: KbProfile) -> None:
    """Make sure the planted groups, dormant groups and payers fit into the KB size."""
    room = profile.size - profile.dormant - profile.dormant_debt
    while len(profile.special_ckg) + profile.outside_city + profile.foreign_territory + len(
            profile.special_potential) > room:
        if profile.special_potential:
            profile.special_potential.pop()
        elif profile.outside_city:
            profile.outside_city -= 1
        elif profile.foreign_territory:
            profile.foreign_territory -= 1
        elif profile.special_ckg:
            profile.special_ckg.pop()
        else:
            profile.size += 1
            room += 1
    profile.paying = min(profile.paying, profile.size - profile.dormant - profile.dormant_debt)


def _multi_bindings(ctx: Context, managers: list[Person], held: dict[str, list[Group]]) -> None:
    """A few industrial clients bound to МРПП of two offices (multiple classification)."""
    rng = ctx.rng
    mrpp = [p for p in managers if p.specialization == Specialization.MRPP and p.position == Position.MOPP]
    for _ in range(5):
        first, second = rng.sample(mrpp, 2)
        if first.office == second.office:
            continue
        low, high = kb_bounds(ctx, second)
        if len(held[second.tab_no]) + 1 > high:
            continue
        candidates = [g for g in held[first.tab_no] if g.ckg == Ckg.PP and len(g.holds) == 1 and g.paying]
        if candidates:
            multi_bind(ctx, rng.choice(candidates), second)


def _dismissed(ctx: Context, structure: Structure, staff: Staff) -> list[Group]:
    """Managers who left: most long re-bound, three overdue, two within the month."""
    rng = ctx.rng
    groups: list[Group] = []
    offices = [o.code for o in structure.offices]
    for months in range(2, 12):  # long gone, clients re-bound (they appear as former holders)
        person = staff.add(Position.MOPP, rng.choice(offices), spec=_pick(rng, SPEC_WEIGHTS), status=Status.VETERAN)
        person.dismissal_date = months_ago(ctx, months, rng.randint(1, 25))
    for months, day_range in ((2, (1, 25)), (3, (1, 25)), (2, (1, 25)), (0, (3, 20)), (0, (3, 20))):
        person = staff.add(Position.MOPP, rng.choice(offices), spec=_pick(rng, SPEC_WEIGHTS), status=Status.VETERAN)
        groups += dismissed_with_clients(ctx, structure, person, months_ago(ctx, months, rng.randint(*day_range)),
                                         size=rng.randint(8, 25))
    return groups
