"""Writing an approved memo's lines into classifier 37 (inside the caller's transaction)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from etm_desktop.db import conflicts
from etm_desktop.db.models import Binding, Client, Employee, Memo
from etm_desktop.domain.vocabulary import normalize_potential
from etm_desktop.memos import audit
from etm_desktop.memos.draft import MemoDraft
from etm_desktop.memos.store import MemoConflict


class StaleData(MemoConflict):
    """A binding or client the memo relies on changed while it was being applied."""


def _client(session: Session, code: str) -> Client:
    client = session.scalar(select(Client).where(Client.code == code))
    if client is None:
        raise StaleData(f"Клиент «{code}» больше не существует")
    return client


def _employee(session: Session, tab_no: str) -> Employee:
    employee = session.scalar(select(Employee).where(Employee.tab_no == tab_no))
    if employee is None:
        raise StaleData(f"Сотрудник «{tab_no}» больше не существует")
    return employee


def _open_bindings(session: Session, client: Client) -> list[Binding]:
    return list(session.scalars(select(Binding).where(Binding.client_id == client.id, Binding.valid_to.is_(None))))


def write_lines(session: Session, memo: Memo, draft: MemoDraft, on: date, who: str) -> None:
    """Close and open bindings, set 140 links and potentials, each with an audit record."""

    def close(client: Client, tab_no: str | None) -> None:
        current = _open_bindings(session, client)
        if tab_no is not None:
            holder = _employee(session, tab_no)
            current = [b for b in current if b.employee_id == holder.id]
        if len(current) != 1:
            record = conflicts.last_change(session, "binding", client.code)
            by = " " + conflicts.change_text(session, record) if record is not None else ""
            raise StaleData(f"Закрепление клиента «{client.code}» изменилось{by}; записка {memo.number} не "
                            "применена, ничего не записано — данные обновлены, примените записку заново")
        binding = current[0]
        binding.valid_to = on
        binding.closed_by_memo_id = memo.id
        audit.record(session, "binding", client.code, "close", who=who, memo_id=memo.id,
                     before={"manager": _tab(session, binding.employee_id), "from": binding.valid_from},
                     after={"manager": _tab(session, binding.employee_id), "from": binding.valid_from, "to": on})

    def open_(client: Client, tab_no: str, basis: str | None) -> None:
        holder = _employee(session, tab_no)
        session.add(Binding(client_id=client.id, employee_id=holder.id, valid_from=on, basis=basis or memo.subject,
                            memo_id=memo.id))
        audit.record(session, "binding", client.code, "open", who=who, memo_id=memo.id,
                     after={"manager": tab_no, "from": on})

    for line in draft.lines:
        client = _client(session, line.client)
        basis = line.reason or f"Служебная записка {memo.number}"
        if line.action in ("unbind", "to_ook", "transfer"):
            close(client, line.from_manager)
        if line.action in ("bind", "from_ook", "transfer", "multi_bind"):
            open_(client, line.to_manager, basis)
        if line.action == "from_ook" and line.potential:
            new = normalize_potential(line.potential).value
            if client.potential != new:
                audit.record(session, "client", client.code, "potential", before=client.potential, after=new,
                             who=who, memo_id=memo.id)
                client.potential = new
        if line.action == "link_140":
            head = _client(session, line.head)
            audit.record(session, "link_140", client.code, "link", who=who, memo_id=memo.id,
                         before={"head": _code(session, client.head_id)}, after={"head": head.code})
            client.head_id = head.id
        session.flush()


def _tab(session: Session, employee_id: int) -> str:
    return session.get(Employee, employee_id).tab_no


def _code(session: Session, client_id: int | None) -> str | None:
    return session.get(Client, client_id).code if client_id else None
