"""A memo's life: черновик → на согласовании → утверждена → применена (or отклонена / отозвана).

Every transition is one transaction with an audit record. Submission is refused
while the what-if shows breaches, unless an override reason is recorded.
Approval follows the route fixed at submission. Application re-validates the
memo against the data as it is then and is refused if something new breaks.

Two analysts at once: every action takes the ``expected_version`` of the memo the
analyst looked at (None: whatever is stored now, as the command line does) and is
refused with :class:`~etm_desktop.memos.store.MemoConflict` when someone else changed
the memo meanwhile; each action moves the memo's version on, so of two racing
actions on one memo only the first is written.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

from etm_desktop.access import Action, require
from etm_desktop.db.database import bump_data_version
from etm_desktop.db.models import MemoApproval
from etm_desktop.memos import audit
from etm_desktop.memos.problems import LINE_RULES, MemoCheck
from etm_desktop.memos.store import (
    MemoError,
    MemoNotReady,
    MemoStatus,
    memo_conflict_after,
    memo_transaction,
    stored,
)
from etm_desktop.memos.validation import check_memo


class MemoRefused(MemoError):
    """Refused because of what the what-if shows; ``check`` holds it, ``new_breaches`` the difference."""

    def __init__(self, message: str, check: MemoCheck, new_breaches: list[dict] | None = None):
        super().__init__(message)
        self.check = check
        self.new_breaches = new_breaches or []


def _require(memo, *states: str) -> None:
    if memo.state not in states:
        raise MemoError("Служебная записка {0} в состоянии «{1}»; действие возможно в состоянии: {2}".format(
            memo.number, memo.state, ", ".join(f"«{s}»" for s in states)))


def submit(database, number: str, *, override: str | None = None, who: str | None = None,
           today: date | None = None, expected_version: int | None = None) -> MemoCheck:
    """Send a draft for approval; refused while it has breaches and no override reason."""
    require(database, Action.MEMO_SUBMIT)
    with memo_transaction(database, number, expected_version) as (session, memo):
        _require(memo, MemoStatus.DRAFT)
        check = check_memo(database, stored(session, memo).draft)
        impossible = [p for p in check.breaches if p.rule in LINE_RULES]
        if impossible:
            raise MemoRefused("Служебную записку {0} нельзя выполнить: {1}. Исправьте строки; "
                              "обоснование здесь не поможет".format(number, "; ".join(p.message for p in impossible)),
                              check)
        override = (override or memo.override_reason or "").strip() or None
        if not check.ok and override is None:
            raise MemoRefused("Служебная записка {0} нарушает нормы ({1}); отправка возможна только с "
                              "обоснованием (--override)".format(number, len(check.breaches)), check)
        memo.state = MemoStatus.SUBMITTED
        memo.override_reason = override if not check.ok else memo.override_reason
        memo.route = json.dumps(check.approval, ensure_ascii=False)
        memo.submitted_check = json.dumps(check.to_json(), ensure_ascii=False, default=str)
        memo.submitted_on = today or date.today()
        audit.record(session, "memo", number, "submit", after={"route": check.approval, "override": override,
                                                                  "breaches": len(check.breaches)},
                     who=who, memo_id=memo.id)
        bump_data_version(session)
        return check


def approve(database, number: str, *, step: str, name: str, on: date | None = None, who: str | None = None,
            expected_version: int | None = None) -> list[str]:
    """Record one approval of the route; returns the steps still missing."""
    require(database, Action.MEMO_APPROVE)
    with memo_transaction(database, number, expected_version) as (session, memo):
        _require(memo, MemoStatus.SUBMITTED)
        view = stored(session, memo)
        if step not in view.route:
            raise MemoError("Шаг «{0}» не входит в маршрут согласования записки {1}: {2}".format(
                step, number, ", ".join(view.route)))
        if step in view.approved_steps:
            raise MemoError(f"Шаг «{step}» записки {number} уже согласован")
        session.add(MemoApproval(memo_id=memo.id, step=step, name=name, decision="approved",
                                 decided_on=on or date.today()))
        missing = [s for s in view.missing_steps if s != step]
        if not missing:
            memo.state = MemoStatus.APPROVED
        audit.record(session, "memo", number, "approve", after={"step": step, "name": name, "missing": missing},
                     who=who, memo_id=memo.id)
        bump_data_version(session)
        return missing


def reject(database, number: str, *, name: str, reason: str, on: date | None = None, who: str | None = None,
           expected_version: int | None = None) -> None:
    """Record a rejection: the memo ends as отклонена."""
    require(database, Action.MEMO_REJECT)
    if not reason.strip():
        raise MemoError("Укажите причину отклонения")
    with memo_transaction(database, number, expected_version) as (session, memo):
        _require(memo, MemoStatus.SUBMITTED, MemoStatus.APPROVED)
        session.add(MemoApproval(memo_id=memo.id, step="—", name=name, decision="rejected",
                                 decided_on=on or date.today(), comment=reason))
        memo.state = MemoStatus.REJECTED
        audit.record(session, "memo", number, "reject", after={"name": name, "reason": reason}, who=who,
                     memo_id=memo.id)
        bump_data_version(session)


def withdraw(database, number: str, *, who: str | None = None, expected_version: int | None = None) -> None:
    """The author takes a memo back before it is applied."""
    require(database, Action.MEMO_WITHDRAW)
    with memo_transaction(database, number, expected_version) as (session, memo):
        _require(memo, MemoStatus.DRAFT, MemoStatus.SUBMITTED, MemoStatus.APPROVED)
        memo.state = MemoStatus.WITHDRAWN
        audit.record(session, "memo", number, "withdraw", who=who, memo_id=memo.id)
        bump_data_version(session)


def _breach_keys(problems) -> set[tuple]:
    return {(p["rule"], p.get("manager"), p["line"]) for p in problems if p["severity"] == "breach"}


def _backup(database, number: str) -> None:
    """The promised copy of the database before a memo changes it; no copy, no change."""
    from etm_desktop.db.backup import BackupError, backup_before

    try:
        backup_before(database, "memo-apply")
    except BackupError as error:
        raise MemoError("Резервная копия базы перед применением записки {0} не создана, записка не применена: "
                        "{1}".format(number, error)) from error


def apply(database, number: str, *, on: date | None = None, who: str | None = None,
          expected_version: int | None = None) -> MemoCheck:
    """Apply a fully approved memo in one transaction, re-validated as at ``on``.

    Refused (nothing written) if a route step is missing, if it was applied
    already, or if the data changed so that the memo now breaks a norm it did
    not break (or was not overridden for) at submission. A binding or client
    row written by someone else while this runs refuses it as :class:`StaleData`.
    Just before writing, a SQLite database is copied into its ``backups/``
    folder; if that fails, the memo is not applied.
    """
    from sqlalchemy.orm.exc import StaleDataError

    from etm_desktop.memos.apply_lines import StaleData, write_lines

    require(database, Action.MEMO_APPLY)
    on = on or date.today()
    with memo_transaction(database, number, expected_version) as (session, memo):
        if memo.state == MemoStatus.APPLIED:
            raise MemoNotReady("Служебная записка {0} уже применена {1}".format(
                number, memo.applied_on.strftime("%d.%m.%Y") if memo.applied_on else ""))
        view = stored(session, memo)
        # also for «утверждена»: on PostgreSQL the state alone is not proof (an analyst may UPDATE it)
        if memo.state in (MemoStatus.SUBMITTED, MemoStatus.APPROVED) and view.missing_steps:
            raise MemoNotReady("Записка {0} ещё не согласована: нет согласования {1}".format(
                number, ", ".join(view.missing_steps)))
        _require(memo, MemoStatus.APPROVED)
        check = check_memo(database, replace(view.draft, memo_date=on))
        accepted = _breach_keys((view.submitted_check or {}).get("problems", []))
        new = [p.to_json() for p in check.breaches if (p.rule, p.manager, p.line) not in accepted]
        if new:
            if _moved_on(database, number, memo.version):
                # another analyst acted on this memo meanwhile (applied it, say): the check
                # saw their committed bindings; say what happened, not that the data changed
                raise memo_conflict_after(database, number)
            raise MemoRefused("Данные изменились после согласования: записка {0} теперь нарушает нормы; "
                              "применение отменено".format(number), check, new)
        _backup(database, number)
        try:
            write_lines(session, memo, view.draft, on, who or audit.current_user())
            memo.state = MemoStatus.APPLIED
            memo.applied_on = on
            memo.applied_by = who or audit.current_user()
            audit.record(session, "memo", number, "apply", after={"date": on}, who=who, memo_id=memo.id)
            bump_data_version(session)
            session.flush()
        except StaleDataError as error:
            if _memo_row_lost(error):
                raise  # the memo itself: memo_transaction says who changed it
            raise StaleData("Закрепления или данные клиентов записки {0} изменены другим пользователем во "
                            "время применения; ничего не записано, данные обновлены — примените записку "
                            "заново".format(number)) from error
    return check


def _moved_on(database, number: str, version: int) -> bool:
    """Whether the stored memo is already past ``version`` (read in a session of its own: on a
    server, a transaction that read the memo before another committed still sees the old row)."""
    from sqlalchemy import select

    from etm_desktop.db.models import Memo

    with database.session() as session:
        return session.scalar(select(Memo.version).where(Memo.number == number)) != version


def _memo_row_lost(error) -> bool:
    """Whether a StaleDataError is about the memo's own row (another user acted on the memo)."""
    return "table 'memo'" in str(error)
