"""The small demo centre: ~35 people, every norm broken once on purpose, the rest kept.

Every planted number is computed from the norm set in force at the end of M
(``ctx.norms``) — "maximum + 3 clients", "one paying client short of the
share" — so the scenarios stay right when the norms are edited. Each person's
``role`` says what is planted on him; a МОПП with an empty role keeps every norm.

Office 101 and 102 form one cluster, office 201 another.
"""

from __future__ import annotations

from etm_desktop.demo.kb import KbProfile, compliant_profile, exact_share_count, kb_bounds, plan_activity
from etm_desktop.demo.organisation import Staff, Structure
from etm_desktop.demo.plan import Context, Group, Person, spec_norms
from etm_desktop.demo.roster import (
    dismissed_with_clients,
    group_lead_activity,
    head_activity,
    holder,
    months_ago,
    multi_bind,
    ook_groups,
    respecialize,
)
from etm_desktop.domain.vocabulary import Ckg, Position, Specialization, Status

UNI, TER, MRPP, MRSH, MRD, MRS = (
    Specialization.UNIVERSAL, Specialization.TERRITORIAL, Specialization.MRPP,
    Specialization.MRSH, Specialization.MRD, Specialization.MRS,
)
MOPP, LEAD = Position.MOPP, Position.GROUP_LEAD
VET, EXP, NOV, TRAINEE = Status.VETERAN, Status.EXPERIENCED, Status.NOVICE, Status.TRAINEE

SMALL_CLIENTS = 1500
TERRITORIES_EACH = 3


class _Small:
    """Collects the people and groups of the small centre."""

    def __init__(self, ctx: Context, structure: Structure):
        self.ctx, self.structure = ctx, structure
        self.staff = Staff(ctx)
        self.groups: list[Group] = []

    def add(self, position: str, office: str, **kw) -> Person:
        return self.staff.add(position, office, **kw)

    def territorial(self, office: str, status: str, **kw) -> Person:
        """A territorial МОПП with the next three territories of the territorial pool."""
        person = self.staff.add(MOPP, office, spec=TER, status=status, **kw)
        taken = sum(len(p.territories) for p in self.staff.people)
        pool = self.structure.territorial
        person.territories = [pool[(taken + i) % len(pool)] for i in range(TERRITORIES_EACH)]
        return person

    def keep(self, person: Person, size: int | None = None, **kw) -> list[Group]:
        """A KB that keeps every norm (size drawn in range unless given)."""
        return self.hold(person, compliant_profile(self.ctx, person, size), **kw)

    def hold(self, person: Person, profile: KbProfile, **kw) -> list[Group]:
        found = holder(self.ctx, self.structure, person, profile, **kw)
        self.groups.extend(found)
        return found


def small_roster(ctx: Context, structure: Structure) -> tuple[list[Person], list[Group]]:
    """People and client groups of the small centre, breaches planted as their roles say."""
    s = _Small(ctx, structure)
    mrpp_101 = _office_101(s)
    _office_102(s)
    _office_201(s, mrpp_101)
    bound = sum(g.size for g in s.groups)
    s.groups.extend(ook_groups(ctx, structure, SMALL_CLIENTS - bound))
    return s.staff.people, s.groups


def _office_101(s: _Small) -> list[Group]:
    ctx = s.ctx
    head_activity(ctx, s.add(Position.NOP, "101"))
    head_activity(ctx, s.add(Position.NOPP, "101"))
    g1 = s.add(LEAD, "101", spec=UNI, status=VET)
    s.keep(g1)
    group_lead_activity(ctx, g1)

    m1 = s.add(MOPP, "101", spec=UNI, status=VET, lead=g1.tab_no,
               role="2 клиента без ТО 6 мес. — к автооткреплению; 1 такой же, но с ПДЗ — не открепляется")
    profile = compliant_profile(ctx, m1, size=kb_bounds(ctx, m1)[1] - 6)
    profile.dormant, profile.dormant_debt = 2, 1
    s.hold(m1, profile)

    s.keep(s.add(MOPP, "101", spec=UNI, status=EXP, lead=g1.tab_no))

    m3 = s.add(MOPP, "101", spec=UNI, status=VET, lead=g1.tab_no)
    high = kb_bounds(ctx, m3)[1]
    m3.role = "kb_size_max: КБ {0} при максимуме {1}".format(high + 3, high)
    s.keep(m3, size=high + 3)

    m4 = s.add(MOPP, "101", spec=UNI, status=VET, lead=g1.tab_no)
    size = kb_bounds(ctx, m4)[0] + 10
    paying = max(0, exact_share_count(spec_norms(ctx, m4).paying_share_min or 0.0, size) - 1)
    m4.role = "paying_share: платящих {0} из {1} — на одного меньше минимальной доли".format(paying, size)
    s.hold(m4, KbProfile(size=size, paying=paying))

    s.keep(s.territorial("101", VET))
    t2 = s.territorial("101", EXP)
    t2.role = "territory: 3 клиента не на своих территориях; 1 клиент с потенциалом S — предупреждение"
    profile = compliant_profile(ctx, t2)
    profile.foreign_territory, profile.special_potential = 3, ["S"]
    s.hold(t2, profile)

    m13 = s.add(MOPP, "101", spec=MRPP, status=VET,
                role="1 клиент без ТО 6 мес. — к автооткреплению; клиент ПП закреплён и за МРПП ОП 201")
    profile = compliant_profile(ctx, m13)
    profile.dormant = 1
    mrpp_groups = s.hold(m13, profile)

    s.keep(s.add(MOPP, "101", spec=MRSH, status=VET))
    s.keep(s.add(MOPP, "101", spec=MRS, status=VET))

    m22 = s.add(MOPP, "101", spec=UNI, status=VET,
                role="off_profile: 2 клиента ЦКГ «Сети»; 3 клиента за городом — предупреждение")
    profile = compliant_profile(ctx, m22)
    profile.special_ckg, profile.outside_city = [Ckg.CHAINS, Ckg.CHAINS], 3
    s.hold(m22, profile)

    vtc = s.add(Position.VTC_HEAD, "101", role="руководитель ВТЦ с собственными клиентами (нормы не судятся)")
    s.hold(vtc, KbProfile(size=5, paying=3))
    vtc.meetings = ctx.rng.randint(4, 9)
    s.add(Position.MKA, "101")
    s.add(Position.DP, "101")
    return mrpp_groups


def _office_102(s: _Small) -> None:
    ctx, rng = s.ctx, s.ctx.rng
    head_activity(ctx, s.add(Position.NOP, "102"))
    g2 = s.add(LEAD, "102", spec=UNI, status=VET)
    s.keep(g2)
    group_lead_activity(ctx, g2, short=8)
    g2.role = "group_meetings: встреч с клиентами своей группы на 8 меньше нормы"

    m5 = s.add(MOPP, "102", spec=UNI, status=NOV, whole_months=1, lead=g2.tab_no,
               role="new_universal_territory: новичок с 2 клиентами на территории территориального МОПП")
    profile = compliant_profile(ctx, m5, size=9)
    profile.foreign_territory = 2
    s.hold(m5, profile, bound_from=m5.novice_date)
    m6 = s.add(MOPP, "102", spec=UNI, status=NOV, whole_months=rng.choice((2, 3)), lead=g2.tab_no)
    s.keep(m6, bound_from=m6.hire_date)
    m7 = s.add(MOPP, "102", spec=UNI, status=NOV, whole_months=4, lead=g2.tab_no,
               role="cold_calls: новичок, холодных звонков на 35 меньше нормы")
    s.keep(m7, calls_short=35, bound_from=m7.hire_date)
    m8 = s.add(MOPP, "102", spec=UNI, status=TRAINEE, lead=g2.tab_no)
    s.keep(m8, bound_from=m8.hire_date)

    t3 = s.territorial("102", VET)
    t3.role = "meetings: встреч вне ОП на 6 меньше 50% размера КБ"
    s.keep(t3, meetings_short=6)
    t4 = s.territorial("102", NOV, whole_months=5)
    s.keep(t4, bound_from=t4.hire_date)

    m14 = s.add(MOPP, "102", spec=MRPP, status=EXP)
    low = kb_bounds(ctx, m14)[0]
    m14.role = "kb_size_min: КБ {0} при минимуме {1}".format(max(1, low - 4), low)
    s.keep(m14, size=max(1, low - 4))

    m17 = s.add(MOPP, "102", spec=MRSH, status=EXP)
    forbidden = sorted(spec_norms(ctx, m17).forbidden)
    ckg = Ckg.EMO if Ckg.EMO in forbidden else forbidden[0]
    m17.role = "forbidden_ckg: 1 клиент запрещённой ЦКГ «{0}»".format(ckg)
    profile = compliant_profile(ctx, m17)
    profile.special_ckg = [ckg]
    s.hold(m17, profile)

    s.keep(s.add(MOPP, "102", spec=MRD, status=VET))

    m23 = s.add(MOPP, "102", spec=UNI, status=VET)
    change = months_ago(ctx, 3, rng.randint(1, 10))
    s.groups.extend(respecialize(ctx, s.structure, m23, MRPP, change, leftovers=3, kept=8, moved_to_ook=6))
    m23.role = ("rebinding_overdue: с {0} МРПП (был Универсальный), 3 клиента прежней КБ запрещённых для МРПП ЦКГ "
                "не перезакреплены за 2 месяца (отсюда и forbidden_ckg)").format(change.strftime("%d.%m.%Y"))

    d1 = s.add(MOPP, "102", spec=UNI, status=VET)
    s.groups.extend(dismissed_with_clients(ctx, s.structure, d1, months_ago(ctx, 2, rng.randint(5, 15)), size=22))
    d1.role = "{0} {1}, КБ не перезакреплена за месяц (overdue_rebinding)".format(
        d1.dismissed_word, d1.dismissal_date.strftime("%d.%m.%Y"))
    d3 = s.add(MOPP, "102", spec=MRD, status=VET)
    s.groups.extend(dismissed_with_clients(ctx, s.structure, d3, months_ago(ctx, 0, rng.randint(15, 25)), size=12))
    d3.role = "{0} {1}, месяц на перезакрепление ещё не истёк".format(
        d3.dismissed_word, d3.dismissal_date.strftime("%d.%m.%Y"))


def _office_201(s: _Small, mrpp_101: list[Group]) -> None:
    ctx, rng = s.ctx, s.ctx.rng
    nop = s.add(Position.NOP, "201", role="head_meetings: встреч вне ОП на 7 меньше нормы НОП")
    head_activity(ctx, nop, short=7)

    m15 = s.add(MOPP, "201", spec=MRPP, status=VET,
                role="potential: 2 клиента с потенциалом C; клиент ПП закреплён и за МРПП ОП 101")
    profile = compliant_profile(ctx, m15)
    profile.special_potential = ["C", "C"]
    own = s.hold(m15, profile)
    shared = next(g for g in mrpp_101 if g.paying and g.ckg == Ckg.PP and len(g.holds) == 1)
    multi_bind(ctx, shared, m15)  # another cluster: multiple classification
    plan_activity(ctx, m15, len(own) + 1)

    s.keep(s.add(MOPP, "201", spec=MRD, status=NOV, whole_months=rng.choice((2, 3))))
    m21 = s.add(MOPP, "201", spec=MRS, status=EXP)
    cap = spec_norms(ctx, m21).allowed_max.get(Ckg.DEALERS, 0)
    m21.role = "off_profile: {0} клиентов ЦКГ «Дилеры» при допустимых {1}".format(cap + 1, cap)
    profile = compliant_profile(ctx, m21, size=max(cap + 2, kb_bounds(ctx, m21)[1]))
    profile.special_ckg = [Ckg.DEALERS] * (cap + 1)
    s.hold(m21, profile)
    s.keep(s.add(MOPP, "201", spec=UNI, status=VET))

    d2 = s.add(MOPP, "201", spec=UNI, status=VET)
    d2.dismissal_date = months_ago(ctx, 8, rng.randint(3, 25))
    d2.role = "{0} {1}, КБ перезакреплена (история закреплений)".format(
        d2.dismissed_word, d2.dismissal_date.strftime("%d.%m.%Y"))
