"""A tiny regional centre built by hand, for tests that read like the regulation.

    centre = CentreBuilder(database)
    ivanov = centre.manager("1001", "Универсальный", novice=date(2024, 1, 10))
    centre.clients(ivanov, 25, ckg="ЭМО", turnover={date(2026, 10, 1): 20000})
    centre.commit()
"""

from __future__ import annotations

from datetime import date
from itertools import count

from etm_desktop.db.database import bump_data_version
from etm_desktop.db.models import (
    Activity,
    Binding,
    Centre,
    Client,
    Cluster,
    Employee,
    EmployeeTerritory,
    Office,
    Receivable,
    SpecializationPeriod,
    Territory,
    Turnover,
)
from etm_desktop.domain.calendar import add_months

#: A profile ЦКГ of each specialization, copied from domain.md (not from data/norms.toml,
#: so that a wrong norm file makes the rule tests fail).
PROFILE_CKG = {
    "Универсальный": "ЭМО",
    "Территориальный": "ЭМО",
    "МРПП": "ПП",
    "МРЩ": "Щитовики",
    "МРД": "Дилеры",
    "МРС": "Сети",
}


class CentreBuilder:
    def __init__(self, database):
        self.database = database
        self.session = database.session()
        self._codes = count(1)
        centre = Centre(name="РЦ Тест")
        self.session.add(centre)
        self.session.flush()
        self.clusters = {}
        self.offices = {}
        self.territories = {}
        self.office("ОП1", "Куст 1")

    # -- organisation -------------------------------------------------------
    def office(self, code: str, cluster: str) -> Office:
        if cluster not in self.clusters:
            c = Cluster(centre_id=1, name=cluster)
            self.session.add(c)
            self.session.flush()
            self.clusters[cluster] = c
        office = Office(code=code, name=f"Офис {code}", cluster_id=self.clusters[cluster].id)
        self.session.add(office)
        self.session.flush()
        self.offices[code] = office
        return office

    def territory(self, code: str, in_city: bool = True) -> Territory:
        if code not in self.territories:
            t = Territory(code=code, name=f"Территория {code}", in_city=in_city)
            self.session.add(t)
            self.session.flush()
            self.territories[code] = t
        return self.territories[code]

    def employee(self, tab_no: str, position: str, *, specialization: str | None = None,
                 novice: date | None = date(2020, 1, 1), hired: date | None = date(2019, 12, 1),
                 dismissed: date | None = None, office: str = "ОП1", lead: Employee | None = None,
                 territories: tuple[str, ...] = ()) -> Employee:
        e = Employee(tab_no=tab_no, full_name=f"Сотрудник {tab_no}", position=position,
                     office_id=self.offices[office].id, hire_date=hired, novice_date=novice,
                     dismissal_date=dismissed, group_lead_id=lead.id if lead else None)
        self.session.add(e)
        self.session.flush()
        if specialization:
            self.session.add(SpecializationPeriod(employee_id=e.id, specialization=specialization,
                                                  start_date=hired or date(2000, 1, 1)))
        for code in territories:
            self.session.add(EmployeeTerritory(employee_id=e.id, territory_id=self.territory(code).id))
        self.session.flush()
        return e

    def manager(self, tab_no: str, specialization: str, **kw) -> Employee:
        return self.employee(tab_no, kw.pop("position", "МОПП"), specialization=specialization, **kw)

    def respecialize(self, employee: Employee, specialization: str, start: date) -> None:
        self.session.add(SpecializationPeriod(employee_id=employee.id, specialization=specialization, start_date=start))
        self.session.flush()

    # -- clients ------------------------------------------------------------
    def client(self, holder: Employee | None = None, *, ckg: str = "ЭМО", potential: str | None = "A",
               territory: str | None = None, head: Client | None = None, bound_from: date = date(2020, 1, 1),
               bound_to: date | None = None, turnover: dict[date, float] | None = None,
               code: str | None = None) -> Client:
        n = next(self._codes)
        c = Client(code=code or f"K{n:05d}", inn=None, name=f"ООО Клиент {n}", ckg=ckg, potential=potential,
                   territory_id=self.territory(territory).id if territory else None,
                   head_id=head.id if head else None)
        self.session.add(c)
        self.session.flush()
        if holder is not None:
            self.bind(c, holder, bound_from, bound_to)
        for month, amount in (turnover or {}).items():
            self.session.add(Turnover(client_id=c.id, month=month, amount=amount))
        return c

    def clients(self, holder: Employee | None, n: int, **kw) -> list[Client]:
        return [self.client(holder, **kw) for _ in range(n)]

    def bind(self, client: Client, holder: Employee, start: date = date(2020, 1, 1), end: date | None = None) -> None:
        self.session.add(Binding(client_id=client.id, employee_id=holder.id, valid_from=start, valid_to=end))

    def turnover(self, client: Client, month: date, amount: float) -> None:
        self.session.add(Turnover(client_id=client.id, month=month, amount=amount))

    def steady_turnover(self, client: Client, last_month: date, months: int, amount: float) -> None:
        for i in range(months):
            self.turnover(client, add_months(last_month, -i), amount)

    def receivable(self, client: Client, as_of: date, amount: float) -> None:
        self.session.add(Receivable(client_id=client.id, as_of=as_of, amount=amount))

    # -- activity -----------------------------------------------------------
    def meetings(self, employee: Employee, day: date, n: int, *, client: Client | None = None,
                 outside: bool = True) -> None:
        for _ in range(n):
            self.session.add(Activity(employee_id=employee.id, activity_date=day, kind="Встреча",
                                      client_id=client.id if client else None, outside_office=outside))

    def calls(self, employee: Employee, day: date, n: int) -> None:
        for _ in range(n):
            self.session.add(Activity(employee_id=employee.id, activity_date=day, kind="Холодный звонок",
                                      outside_office=False))

    # -- helpers for the rule tests ---------------------------------------------
    def paying_clients(self, holder: Employee | None, n: int, months, *, amount: float = 20000.0,
                       **kw) -> list[Client]:
        """``n`` clients bound to ``holder``, each buying ``amount`` in every one of ``months``."""
        return [self.client(holder, turnover={m: amount for m in month_days(months)}, **kw) for _ in range(n)]

    def outside_meetings(self, employee: Employee, months, n: int, *, client: Client | None = None) -> None:
        """``n`` meetings outside the office on the 10th of each of ``months``."""
        for month in month_days(months):
            self.meetings(employee, month.replace(day=10), n, client=client)

    def novice_activity(self, employee: Employee, months) -> None:
        """What a novice must do every month: 20 outside meetings and 100 cold calls."""
        for month in month_days(months):
            self.meetings(employee, month.replace(day=10), 20)
            self.calls(employee, month.replace(day=11), 100)

    def commit(self) -> None:
        bump_data_version(self.session)
        self.session.commit()


# -- helpers for the rule tests (tests/unit/test_rules_*.py) -------------------

def month_days(months) -> list[date]:
    """A month (its first day) or several, as a list."""
    return [months] if isinstance(months, date) else list(months)


def manager_row(grid, tab_no: str):
    """The grid row of the employee with ``tab_no`` (AssertionError if absent)."""
    found = [m for m in grid.managers if m.id == tab_no]
    assert len(found) == 1, f"{tab_no} is in the grid {len(found)} times"
    return found[0]


def verdicts(grid, tab_no: str) -> dict[tuple[str, str], tuple[float, float]]:
    """{(norm, severity): (actual, required)} of one employee's row."""
    out = {}
    for b in manager_row(grid, tab_no).breaches:
        key = (b.norm, b.severity)
        assert key not in out, f"{key} reported twice"
        out[key] = (b.actual, b.required)
    return out


def norm_codes(grid, tab_no: str) -> set[tuple[str, str]]:
    """{(norm, severity)} of one employee's row."""
    return set(verdicts(grid, tab_no))


def blacklisted(grid) -> set[tuple[str, str]]:
    return {(e.client, e.manager) for e in grid.blacklist}


def unbind_candidates(grid) -> set[tuple[str, str]]:
    return {(e.client, e.manager) for e in grid.auto_unbind}


def grid_ids(grid) -> set[str]:
    """Tab numbers of everyone listed in the grid."""
    return {m.id for m in grid.managers}
