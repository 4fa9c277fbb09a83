"""``history CLIENT``: who held a client, from when to when, by which memo."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import select

from sqlalchemy.orm import aliased

from etm_desktop.db.models import Binding, Client, Employee, Memo
from etm_desktop.memos.store import MemoNotFound


@dataclass(frozen=True)
class HoldingPeriod:
    manager: str
    manager_name: str
    valid_from: date
    valid_to: date | None
    memo: str | None  # the memo that opened the binding
    closed_by: str | None  # the memo that closed it
    basis: str | None

    def to_json(self) -> dict:
        data = asdict(self)
        data["valid_from"] = self.valid_from.isoformat()
        data["valid_to"] = self.valid_to.isoformat() if self.valid_to else None
        return data


def client_history(database, code: str) -> list[HoldingPeriod]:
    """Every binding of the client, oldest first (history is never overwritten)."""
    with database.session() as session:
        client = session.scalar(select(Client).where(Client.code == code))
        if client is None:
            raise MemoNotFound(f"Клиент «{code}» не найден")
        closing = aliased(Memo)
        rows = session.execute(
            select(Binding, Employee.tab_no, Employee.full_name, Memo.number, closing.number)
            .join(Employee, Employee.id == Binding.employee_id)
            .outerjoin(Memo, Memo.id == Binding.memo_id)
            .outerjoin(closing, closing.id == Binding.closed_by_memo_id)
            .where(Binding.client_id == client.id)
            .order_by(Binding.valid_from, Binding.id)
        ).all()
    periods = [
        HoldingPeriod(tab_no, name, binding.valid_from, binding.valid_to, opened_by, closed_by, binding.basis)
        for binding, tab_no, name, opened_by, closed_by in rows
    ]
    return periods
