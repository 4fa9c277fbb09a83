"""Two analysts at once: optimistic locking and its one Russian message.

Every edit carries the ``version`` of the row the analyst saw. A write checks it
(:func:`check_version`), then always bumps the row (:func:`claim`), so that SQLAlchemy's
``version_id_col`` turns any write committed meanwhile into a ``StaleDataError``, which
:func:`stale_as_conflict` turns into :class:`EditConflict`. The message names who
changed the data and when, from the audit trail: the second writer learns what
happened, gets the fresh data and never silently overwrites the first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timezone

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from etm_desktop.db.models import AuditRecord

RETRY_TEXT = "данные обновлены, повторите действие"

#: What an audit action did, in the words of the message.
ACTIONS = {
    "create": "создание", "edit": "правка", "submit": "отправка на согласование", "approve": "согласование",
    "reject": "отклонение", "withdraw": "отзыв", "apply": "применение", "open": "закрепление",
    "close": "открепление", "potential": "потенциал", "link": "признак 140",
}


class EditConflict(Exception):
    """Someone else changed what the analyst was editing; nothing was written.

    ``who``, ``at`` and ``action`` come from the audit trail when it knows them.
    """

    def __init__(self, message: str, *, who: str | None = None, at: datetime | None = None,
                 action: str | None = None):
        super().__init__(message)
        self.who, self.at, self.action = who, at, action


def _local(at: datetime, dialect: str) -> datetime:
    """SQLite's CURRENT_TIMESTAMP is UTC; a server's now() is already its local time."""
    if dialect == "sqlite" and at.tzinfo is None:
        return at.replace(tzinfo=timezone.utc).astimezone().replace(tzinfo=None)
    return at


def when_text(at: datetime, today: date | None = None) -> str:
    """«в 14:02» today, «03.12.2026 в 14:02» another day."""
    if at.date() == (today or date.today()):
        return at.strftime("в %H:%M")
    return at.strftime("%d.%m.%Y в %H:%M")


def last_change(session: Session, entity: str, key: str | None) -> AuditRecord | None:
    """The latest audit record of one thing (``entity``, ``key``; any key when None), or None."""
    query = select(AuditRecord).where(AuditRecord.entity == entity)
    if key is not None:
        query = query.where(AuditRecord.entity_key == key)
    return session.scalar(query.order_by(AuditRecord.id.desc()).limit(1))


def _action_text(record: AuditRecord) -> str:
    if record.entity == "norm_set" and record.action == "create":
        try:
            return "новый набор с " + date.fromisoformat(record.entity_key).strftime("%d.%m.%Y")
        except ValueError:
            pass
    return ACTIONS.get(record.action, record.action)


def change_text(session: Session, record: AuditRecord) -> str:
    """«(ivanov, согласование) в 14:02»: who did what, and when, by one audit record."""
    detail = ", ".join(x for x in (record.who, _action_text(record)) if x)
    text = f"({detail})" if detail else ""
    if record.at is not None:
        text += " " + when_text(_local(record.at, session.get_bind().dialect.name))
    return text.strip()


def conflict_from(session: Session, what: str, entity: str, key: str | None,
                  kind: type[EditConflict] = EditConflict) -> EditConflict:
    """The conflict for ``what`` (accusative: «Записку СЗ-2026-004»), told from its last audit record."""
    record = last_change(session, entity, key)
    if record is None:
        return kind(f"{what} изменил другой пользователь; {RETRY_TEXT}")
    at = _local(record.at, session.get_bind().dialect.name) if record.at else None
    return kind(f"{what} изменил другой пользователь {change_text(session, record)}; {RETRY_TEXT}",
                who=record.who, at=at, action=record.action)


def conflict_in_new_session(database, what: str, entity: str, key: str | None,
                            kind: type[EditConflict] = EditConflict) -> EditConflict:
    """:func:`conflict_from` after a failed transaction (its session is unusable)."""
    with database.session() as session:
        return conflict_from(session, what, entity, key, kind)


def check_version(row, expected: int | None, conflict: Callable[[], EditConflict]) -> None:
    """Refuse when the row is no longer at the version the analyst saw (None: nothing was seen)."""
    if expected is not None and row.version != expected:
        raise conflict()


def claim(row, attribute: str) -> None:
    """Make the flush UPDATE ``row`` even if nothing else changes in it: its version moves on,
    and a write committed by someone else since the row was read fails as StaleDataError."""
    flag_modified(row, attribute)


@contextmanager
def stale_as_conflict(conflict: Callable[[], EditConflict], *, unique: bool = False) -> Iterator[None]:
    """Turn a lost race into ``conflict()``: a row's version moved on since it was read, or
    (``unique``) a unique key — a memo number, a norm set's date — was taken meanwhile.

    Wrap the whole ``with session.begin()`` block: the version check fails at flush or commit.
    """
    lost = (StaleDataError, IntegrityError) if unique else (StaleDataError,)
    try:
        yield
    except lost as error:
        raise conflict() from error
