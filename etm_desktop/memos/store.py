"""Memos in the database: numbering, saving drafts, reading them back."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from etm_desktop.db import conflicts
from etm_desktop.access import Action, require
from etm_desktop.db.database import bump_data_version
from etm_desktop.db.models import Memo, MemoApproval, MemoLine
from etm_desktop.memos import audit
from etm_desktop.memos.draft import MemoDraft, MemoLineDraft

NUMBER_PREFIX = "СЗ"


class MemoStatus:
    DRAFT = "черновик"
    SUBMITTED = "на согласовании"
    APPROVED = "утверждена"
    APPLIED = "применена"
    REJECTED = "отклонена"
    WITHDRAWN = "отозвана"


class MemoError(Exception):
    """A memo action that cannot be done; the message is Russian and says why."""


class MemoNotFound(MemoError):
    pass


class MemoNotReady(MemoError):
    """The memo is not in a state for this step (an approval missing, applied already)."""


class MemoConflict(conflicts.EditConflict, MemoError):
    """Another user changed the memo since this one saw it; nothing was written."""


#: How often a new draft tries the next free number when another analyst took it meanwhile.
NUMBER_ATTEMPTS = 8


@dataclass(frozen=True)
class StoredMemo:
    """A memo as stored: its draft, state, route and recorded decisions."""

    id: int
    number: str
    state: str
    draft: MemoDraft
    route: tuple[str, ...]
    approvals: tuple[tuple[str, str, str, date, str | None], ...]  # step, name, decision, date, comment
    submitted_check: dict | None
    applied_on: date | None
    applied_by: str | None
    version: int = 0  # what an edit of this memo passes back as ``expected_version``

    @property
    def approved_steps(self) -> set[str]:
        return {step for step, _, decision, _, _ in self.approvals if decision == "approved"}

    @property
    def missing_steps(self) -> list[str]:
        return [step for step in self.route if step not in self.approved_steps]


def next_number(session: Session, year: int) -> str:
    """The next free number of the year: СЗ-2026-041."""
    prefix = f"{NUMBER_PREFIX}-{year}-"
    numbers = session.scalars(select(Memo.number).where(Memo.number.like(prefix + "%"))).all()
    used = [int(n.removeprefix(prefix)) for n in numbers if n.removeprefix(prefix).isdigit()]
    return f"{prefix}{max(used, default=0) + 1:03d}"


def _lines(draft: MemoDraft) -> list[MemoLine]:
    return [
        MemoLine(line_no=line.line_no, action=line.action, client_code=line.client, from_tab_no=line.from_manager,
                 to_tab_no=line.to_manager, head_code=line.head, potential=line.potential, basis=line.reason)
        for line in draft.lines
    ]


def memo_conflict(session: Session, number: str) -> MemoConflict:
    """«Записку СЗ-2026-004 изменил другой пользователь (ivanov, согласование) в 14:02; …»."""
    return conflicts.conflict_from(session, f"Записку {number}", "memo", number, MemoConflict)


def memo_conflict_after(database, number: str) -> MemoConflict:
    """:func:`memo_conflict` once the failed transaction is gone."""
    return conflicts.conflict_in_new_session(database, f"Записку {number}", "memo", number, MemoConflict)


@contextmanager
def memo_transaction(database, number: str, expected_version: int | None) -> Iterator[tuple[Session, Memo]]:
    """One transaction on a stored memo: refused with :class:`MemoConflict` when the memo is no
    longer at ``expected_version`` (the one the analyst saw), or when someone else writes it
    before this transaction commits. The memo's version moves on whenever the action is done."""
    with conflicts.stale_as_conflict(lambda: memo_conflict_after(database, number)):
        with database.session() as session, session.begin():
            memo = load_memo(session, number)
            conflicts.check_version(memo, expected_version, lambda: memo_conflict(session, number))
            read = memo.version
            yield session, memo
            if memo.version == read:  # not written yet: write it now, last, so the database stays free
                conflicts.claim(memo, "state")  # for others until the action is ready


def save_draft(database, draft: MemoDraft, *, who: str | None = None, expected_version: int | None = None) -> str:
    """Store a draft (new, or replacing a stored draft of the same number); returns its number.

    ``expected_version``: the version of the stored draft the analyst edited; another
    analyst's save in between is refused with :class:`MemoConflict`, never overwritten.
    """
    return store_draft(database, draft, who=who, expected_version=expected_version)[0]


def store_draft(database, draft: MemoDraft, *, who: str | None = None,
                expected_version: int | None = None) -> tuple[str, int]:
    """:func:`save_draft`, returning (number, version) of what was stored.

    A new draft takes the next free number of its year; when another analyst stored a
    draft with that number first (the unique key says so), it tries the next one.
    """
    require(database, Action.MEMO_SAVE)
    who = who or draft.author or audit.current_user()
    for _attempt in range(NUMBER_ATTEMPTS):
        try:
            return _store_draft(database, draft, who, expected_version)
        except StaleDataError:
            raise memo_conflict_after(database, draft.number) from None
        except IntegrityError:
            if draft.number:  # the analyst's own number, taken by someone else meanwhile
                raise memo_conflict_after(database, draft.number) from None
    raise MemoConflict("Не удалось выдать номер новой записке: другие пользователи одновременно сохраняют "
                       f"записки; {conflicts.RETRY_TEXT}")


def _store_draft(database, draft: MemoDraft, who: str, expected_version: int | None) -> tuple[str, int]:
    with database.session() as session, session.begin():
        memo = None
        if draft.number:
            memo = session.scalar(select(Memo).where(Memo.number == draft.number))
        if memo is not None:
            conflicts.check_version(memo, expected_version, lambda: memo_conflict(session, memo.number))
            if memo.state != MemoStatus.DRAFT:
                raise MemoError(f"Служебная записка {memo.number} уже не черновик ({memo.state}); "
                                "её нельзя изменить")
            conflicts.claim(memo, "state")
            action = "edit"
        else:
            memo = Memo(number=draft.number or next_number(session, draft.memo_date.year), state=MemoStatus.DRAFT)
            session.add(memo)
            action = "create"
        memo.memo_date = draft.memo_date
        memo.author = who
        memo.subject = draft.subject
        memo.override_reason = draft.override_reason
        memo.lines.clear()
        session.flush()  # the old lines go (and the memo row is written once) before the new ones come
        memo.lines.extend(_lines(draft))
        session.flush()
        audit.record(session, "memo", memo.number, action, after=draft_to_json(draft), who=who, memo_id=memo.id)
        bump_data_version(session)
        session.flush()
        number, version = memo.number, memo.version
    return number, version


def draft_to_json(draft: MemoDraft) -> dict:
    """The interfaces.md JSON form of a draft (what ``memo check`` reads)."""
    lines = []
    for line in draft.lines:
        item = {"action": line.action, "client": line.client}
        for key, value in (("from", line.from_manager), ("to", line.to_manager), ("head", line.head),
                           ("potential", line.potential), ("reason", line.reason)):
            if value is not None:
                item[key] = value
        lines.append(item)
    data = {"number": draft.number, "date": draft.memo_date.isoformat(), "lines": lines}
    for key, value in (("author", draft.author), ("subject", draft.subject),
                       ("override_reason", draft.override_reason)):
        if value is not None:
            data[key] = value
    return data


def load_memo(session: Session, number: str) -> Memo:
    memo = session.scalar(select(Memo).where(Memo.number == number))
    if memo is None:
        raise MemoNotFound(f"Служебная записка «{number}» не найдена")
    return memo


def stored(session: Session, memo: Memo) -> StoredMemo:
    """The typed view of a stored memo."""
    draft = MemoDraft(
        number=memo.number,
        memo_date=memo.memo_date,
        lines=tuple(
            MemoLineDraft(line_no=l.line_no, action=l.action, client=l.client_code, from_manager=l.from_tab_no,
                          to_manager=l.to_tab_no, head=l.head_code, potential=l.potential, reason=l.basis)
            for l in memo.lines
        ),
        author=memo.author,
        subject=memo.subject,
        override_reason=memo.override_reason,
    )
    approvals = session.execute(
        select(MemoApproval.step, MemoApproval.name, MemoApproval.decision, MemoApproval.decided_on,
               MemoApproval.comment).where(MemoApproval.memo_id == memo.id).order_by(MemoApproval.id)
    ).all()
    return StoredMemo(
        id=memo.id, number=memo.number, state=memo.state, draft=draft,
        route=tuple(json.loads(memo.route)) if memo.route else (),
        approvals=tuple(tuple(a) for a in approvals),
        submitted_check=json.loads(memo.submitted_check) if memo.submitted_check else None,
        applied_on=memo.applied_on, applied_by=memo.applied_by, version=memo.version,
    )


def get_memo(database, number: str) -> StoredMemo:
    with database.session() as session:
        return stored(session, load_memo(session, number))


def list_memos(database, state: str | None = None) -> list[tuple[str, date, str, str | None, int]]:
    """(number, date, state, author, line count) of every memo, newest first."""
    with database.session() as session:
        lines = select(MemoLine.memo_id, func.count().label("n")).group_by(MemoLine.memo_id).subquery()
        query = select(Memo.number, Memo.memo_date, Memo.state, Memo.author, func.coalesce(lines.c.n, 0)).outerjoin(
            lines, lines.c.memo_id == Memo.id).order_by(Memo.memo_date.desc(), Memo.number.desc())
        if state:
            query = query.where(Memo.state == state)
        return [tuple(r) for r in session.execute(query).all()]
