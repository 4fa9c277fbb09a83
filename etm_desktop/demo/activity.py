"""Meetings and cold calls over the activity window, exactly as planned for month M.

Month M gets each person's planned numbers (``Person.meetings``,
``group_meetings``, ``cold_calls``); earlier months get similar numbers with
noise. Outside-office meetings are with the person's own clients in force that
day (a group lead's group meetings: with his group's clients; a head's: with
clients of his office), now and then with an ООК prospect; a few meetings are
held in the office (``outside_office`` false) and never count.
"""

from __future__ import annotations

from datetime import date, timedelta

from etm_desktop.demo.kb import cold_calls_needed
from etm_desktop.demo.plan import Context, Group, Person, status_at
from etm_desktop.domain.calendar import month_end
from etm_desktop.domain.vocabulary import ActivityKind, Position, Status

ACTIVE_POSITIONS = (Position.MOPP, Position.GROUP_LEAD, Position.NOP, Position.NOPP, Position.VTC_HEAD)

Row = tuple[str, date, str, str | None, bool]  # (tab_no, day, kind, client code, outside office)


class _Book:
    """Which client codes each person holds on a day."""

    def __init__(self, groups: list[Group]):
        self.holds: dict[str, list[tuple[list[str], date, date | None]]] = {}
        self.ook: list[str] = []
        for group in groups:
            if not group.open_holders():
                self.ook.extend(group.codes)
            for hold in group.holds:
                self.holds.setdefault(hold.tab_no, []).append((group.codes, hold.valid_from, hold.valid_to))

    def clients(self, tabs: list[str], day: date) -> list[str]:
        found: list[str] = []
        for tab in tabs:
            for codes, start, end in self.holds.get(tab, ()):
                if start <= day and (end is None or day < end):
                    found.extend(codes)
        return found


def _workdays(first: date, last: date) -> list[date]:
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    return [d for d in days if d.weekday() < 5] or days


def activities(ctx: Context, people: list[Person], groups: list[Group]) -> list[Row]:
    rng = ctx.rng
    book = _Book(groups)
    members: dict[str, list[str]] = {}
    office_holders: dict[str, list[str]] = {}
    for person in people:
        if person.lead:
            members.setdefault(person.lead, []).append(person.tab_no)
        if person.position in (Position.MOPP, Position.GROUP_LEAD, Position.VTC_HEAD):
            office_holders.setdefault(person.office, []).append(person.tab_no)
    rows: list[Row] = []
    for k in range(ctx.activity_months - 1, -1, -1):
        start = ctx.month_back(k)
        end = month_end(start)
        for person in people:
            if person.position not in ACTIVE_POSITIONS:
                continue
            first = max(start, person.hire_date)
            last = min(end, person.dismissal_date or end)
            if last < first:
                continue
            days = _workdays(first, last)
            planned = k == 0 and person.employed_on(end)
            # Clients held on the window's last day: for month M, those the grid judges.
            if person.position in (Position.NOP, Position.NOPP):
                own = book.clients(office_holders.get(person.office, []), last)
            else:
                own = book.clients([person.tab_no], last)

            def count(value: int) -> int:
                return value if planned else max(0, round(value * rng.uniform(0.9, 1.3)) + rng.randint(0, 2))

            for _ in range(count(person.meetings)):
                client = rng.choice(own) if own and rng.random() < 0.85 else _prospect(rng, book)
                rows.append((person.tab_no, rng.choice(days), ActivityKind.MEETING, client, True))
            if person.lead is None and person.tab_no in members:
                group_clients = book.clients(members[person.tab_no], last)
                for _ in range(count(person.group_meetings) if group_clients else 0):
                    rows.append((person.tab_no, rng.choice(days), ActivityKind.MEETING,
                                 rng.choice(group_clients), True))
            for _ in range(rng.randint(0, 3)):  # in the office: never counted
                client = rng.choice(own) if own else None
                rows.append((person.tab_no, rng.choice(days), ActivityKind.MEETING, client, False))
            for _ in range(_calls(ctx, person, end, planned)):
                client = _prospect(rng, book) if rng.random() < 0.3 else None
                rows.append((person.tab_no, rng.choice(days), ActivityKind.COLD_CALL, client, True))
    rows.sort(key=lambda r: (r[1], r[0]))
    return rows


def _prospect(rng, book: _Book) -> str | None:
    return rng.choice(book.ook) if book.ook else None


def _calls(ctx: Context, person: Person, end: date, planned: bool) -> int:
    """Cold calls in the month ending ``end``: trainees and novices call, others hardly."""
    if planned:
        return person.cold_calls
    if person.position not in (Position.MOPP, Position.GROUP_LEAD):
        return 0
    status, _ = status_at(ctx, person, end)
    if status in (Status.TRAINEE, Status.NOVICE):
        norm = cold_calls_needed(ctx, person) or 40
        return round(norm * ctx.rng.uniform(1.05, 1.4))
    return ctx.rng.randint(0, 4)
