"""Everything the client card shows about one client, read in one session."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from etm_desktop.db.models import Activity, Binding, Client, Employee, Receivable, Territory, Turnover
from etm_desktop.domain.calendar import add_months, month_start
from etm_desktop.domain.people import short_name
from etm_desktop.domain.vocabulary import ActivityKind
from etm_desktop.memos.history import HoldingPeriod, client_history
from etm_desktop.memos.store import MemoNotFound
from etm_desktop.queries.clients import in_force


@dataclass(frozen=True)
class Meeting:
    day: date
    employee: str  # «tab no short name»
    outside: bool


@dataclass
class ClientCard:
    code: str
    inn: str
    name: str
    ckg: str
    potential: str
    territory: str
    head: tuple[str, str] | None  # (code, name) of the head organisation (признак 140)
    related: list[tuple[str, str]]  # the group's other members, head excluded, self excluded
    bindings: list[tuple[str, str, date]]  # (tab no, name, since) in force on the day
    history: list[HoldingPeriod]
    receivable: tuple[date, float] | None  # the latest ПДЗ snapshot
    meetings: list[Meeting]
    turnover: dict[date, float] = field(default_factory=dict)

    @property
    def is_head(self) -> bool:
        return self.head is None and bool(self.related)

    def turnover_24(self, month: date) -> list[tuple[date, float]]:
        """(month, amount) for the 24 months ending with ``month``, zeros where nothing was bought."""
        last = month_start(month)
        months = [add_months(last, -i) for i in range(23, -1, -1)]
        return [(m, self.turnover.get(m, 0.0)) for m in months]


def client_card(database, code: str, day: date) -> ClientCard:
    """The card of client ``code`` as on ``day`` (MemoNotFound when there is no such client)."""
    history = client_history(database, code)
    with database.session() as session:
        client = session.scalar(select(Client).where(Client.code == code))
        if client is None:
            raise MemoNotFound(f"Клиент «{code}» не найден")
        territory = session.get(Territory, client.territory_id) if client.territory_id else None
        head = session.get(Client, client.head_id) if client.head_id else None
        group_id = head.id if head else client.id
        related = session.execute(select(Client.code, Client.name).where(
            Client.head_id == group_id, Client.id != client.id).order_by(Client.code)).all()
        bindings = session.execute(
            select(Employee.tab_no, Employee.full_name, Binding.valid_from)
            .join(Employee, Employee.id == Binding.employee_id)
            .where(Binding.client_id == client.id, in_force(day)).order_by(Employee.tab_no)).all()
        receivable = session.execute(
            select(Receivable.as_of, Receivable.amount).where(Receivable.client_id == client.id,
                                                              Receivable.as_of <= day)
            .order_by(Receivable.as_of.desc()).limit(1)).first()
        meetings = session.execute(
            select(Activity.activity_date, Employee.tab_no, Employee.full_name, Activity.outside_office)
            .join(Employee, Employee.id == Activity.employee_id)
            .where(Activity.client_id == client.id, Activity.kind == ActivityKind.MEETING.value)
            .order_by(Activity.activity_date.desc())).all()
        turnover = session.execute(
            select(Turnover.month, Turnover.amount).where(Turnover.client_id == client.id)).all()
        return ClientCard(
            code=client.code, inn=client.inn or "", name=client.name, ckg=client.ckg,
            potential=client.potential or "", territory=territory.name if territory else "",
            head=(head.code, head.name) if head else None,
            related=[(c, n) for c, n in related],
            bindings=[(t, n, f) for t, n, f in bindings],
            history=history,
            receivable=(receivable[0], float(receivable[1])) if receivable else None,
            meetings=[Meeting(d, f"{t} {short_name(n)}", bool(o)) for d, t, n, o in meetings],
            turnover={m: float(a) for m, a in turnover},
        )
