"""The plan of a demo centre: plain objects, written to the database at the end.

Scenario and roster code describes people and client groups here; ``writer``
turns the plan into rows. Codes (tab numbers, client codes, territory codes)
are the keys; database ids are only known when writing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from etm_desktop.domain.calendar import add_months, month_end, whole_months_between
from etm_desktop.domain.vocabulary import Status
from etm_desktop.norms.schema import NormSetView, SpecNorms


class DemoError(ValueError):
    """The demo cannot be generated (the message is Russian, for the analyst)."""


@dataclass
class Context:
    """What every part of the generator shares: the random source, the months, the norms."""

    rng: random.Random
    scale: str
    month: date  # M: the last completed month (its first day)
    norms: NormSetView  # the set in force on the last day of M
    turnover_months: int
    activity_months: int

    @property
    def month_end(self) -> date:
        return month_end(self.month)

    def month_back(self, k: int) -> date:
        """The first day of month M − k."""
        return add_months(self.month, -k)


@dataclass
class Territory:
    code: str
    name: str
    in_city: bool


@dataclass
class Office:
    code: str
    name: str
    cluster: str


@dataclass
class Person:
    """An employee, and what he does in month M (meetings and calls planned for M)."""

    tab_no: str
    full_name: str
    position: str
    office: str  # office code
    hire_date: date
    novice_date: date | None = None
    dismissal_date: date | None = None
    lead: str | None = None  # tab_no of his Старший группы
    specs: list[tuple[date, str]] = field(default_factory=list)  # specialization history
    territories: list[str] = field(default_factory=list)  # assigned territory codes
    meetings: int = 0  # outside-office meetings in M (a group lead: not with his group's clients)
    group_meetings: int = 0  # a group lead's meetings with clients of his group's МОПП in M
    cold_calls: int = 0
    role: str = ""  # what the demo plants on him (for the summary and the report)
    female: bool = False

    @property
    def dismissed_word(self) -> str:
        return "уволена" if self.female else "уволен"

    @property
    def specialization(self) -> str | None:
        return self.specs[-1][1] if self.specs else None

    def employed_on(self, day: date) -> bool:
        return self.hire_date <= day and (self.dismissal_date is None or self.dismissal_date >= day)


@dataclass
class Hold:
    """One binding of a whole client group to an employee, ``valid_to`` exclusive."""

    tab_no: str
    valid_from: date
    valid_to: date | None = None
    basis: str = ""


@dataclass
class Group:
    """A client with its related payers (признак 140) — judged as one client (I9).

    ``paying``: True — buys more than the paying threshold in M; False — buys
    something but not more; None — not controlled (ООК clients). ``dormant`` —
    no turnover for the auto-unbind period; ``debt`` — has ПДЗ at the end of M.
    """

    ckg: str
    potential: str | None
    territory: str | None
    size: int = 1
    holds: list[Hold] = field(default_factory=list)
    paying: bool | None = None
    dormant: bool = False
    debt: bool = False
    pinned: bool = False  # binding dates matter to a scenario: no invented history
    codes: list[str] = field(default_factory=list)  # client codes, head first (filled later)

    def open_holders(self) -> list[str]:
        return [h.tab_no for h in self.holds if h.valid_to is None]


@dataclass
class Plan:
    centre: str
    offices: list[Office]
    territories: list[Territory]
    people: list[Person]
    groups: list[Group]

    def person(self, tab_no: str) -> Person:
        for person in self.people:
            if person.tab_no == tab_no:
                return person
        raise KeyError(tab_no)


def status_at(ctx: Context, person: Person, day: date | None = None) -> tuple[str, int | None]:
    """The person's status on ``day`` (default: end of M) and whole months since the novice date."""
    day = day or ctx.month_end
    if person.novice_date is None or person.novice_date > day:
        return Status.TRAINEE, None
    whole = whole_months_between(person.novice_date, day)
    common = ctx.norms.common
    if whole + 1 <= common.novice_last_month:
        return Status.NOVICE, whole
    if whole + 1 <= common.experienced_last_month:
        return Status.EXPERIENCED, whole
    return Status.VETERAN, whole


def spec_norms(ctx: Context, person: Person) -> SpecNorms | None:
    spec = person.specialization
    return ctx.norms.spec(spec) if spec else None
