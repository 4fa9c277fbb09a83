"""Importing an exchange workbook: all or nothing.

Every sheet the workbook carries is read and checked first, every problem is
collected; only a workbook without problems is written, in one transaction that
also bumps the data version when anything changed. Just before writing, a SQLite
database is copied into its ``backups/`` folder (:mod:`etm_desktop.db.backup`); if
the copy fails, nothing is imported. Re-importing the same workbook changes nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import closing
from datetime import date

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.exc import StaleDataError

from etm_desktop.access import Action, require
from etm_desktop.db.backup import BackupError, backup_before
from etm_desktop.db.database import Database, begin_sqlite_write, bump_data_version
from etm_desktop.exchange import activity, bindings, clients, facts, org, specializations, staff
from etm_desktop.exchange import messages as msg
from etm_desktop.exchange.context import ImportContext
from etm_desktop.exchange.errors import ImportFailed, ImportProblem, Problems, failed
from etm_desktop.exchange.reader import iter_tables, open_workbook, present_sheets, reopen_workbook
from etm_desktop.exchange.report import ImportReport
from etm_desktop.exchange.sheets import (
    ACTIVITIES,
    BINDINGS,
    CLIENTS,
    EMPLOYEES,
    OFFICES,
    RECEIVABLES,
    SHEET_NAMES,
    SPECIALIZATIONS,
    TERRITORIES,
    TURNOVER,
)

__all__ = ["ImportFailed", "ImportProblem", "ImportReport", "import_workbook"]

Progress = Callable[[int, int, str], None]

#: sheet name -> (check, write); run in ``SHEETS`` order, so references point backwards.
STEPS = {
    OFFICES.name: (org.check_offices, org.apply_offices),
    TERRITORIES.name: (org.check_territories, org.apply_territories),
    EMPLOYEES.name: (staff.check_employees, staff.apply_employees),
    SPECIALIZATIONS.name: (specializations.check_specializations, specializations.apply_specializations),
    CLIENTS.name: (clients.check_clients, clients.apply_clients),
    BINDINGS.name: (bindings.check_bindings, bindings.apply_bindings),
    TURNOVER.name: (facts.check_turnover, facts.apply_turnover),
    RECEIVABLES.name: (facts.check_receivables, facts.apply_receivables),
    ACTIVITIES.name: (activity.check_activities, activity.apply_activities),
}


class _Steps:
    """Counts progress steps for the optional ``progress(done, total, stage)`` callback."""

    def __init__(self, progress: Progress | None, total: int):
        self.progress, self.total, self.done = progress, total, 0

    def __call__(self, stage: str) -> None:
        if self.progress is not None:
            self.progress(self.done, self.total, stage)
        self.done += 1

    def finish(self) -> None:
        if self.progress is not None:
            self.progress(self.total, self.total, msg.STAGE_DONE)


def import_workbook(database: Database, path: str | os.PathLike, *, today: date | None = None,
                    progress: Progress | None = None) -> ImportReport:
    """Import the exchange workbook at ``path`` into ``database``.

    Returns what changed per sheet. Raises :class:`ImportFailed` listing every
    problem (the database is then exactly as before) — also for a file that is
    not a readable workbook. ``today`` is the day bindings open and close on
    (default: the real today).
    """
    require(database, Action.IMPORT)
    today = today or date.today()
    workbook = open_workbook(path)
    copy = reopen_workbook(path)  # a second reader (see iter_tables), opened as soon after the checks as the first
    present = present_sheets(workbook)
    if not present:
        raise failed(msg.NOTHING_TO_IMPORT.format(", ".join(SHEET_NAMES)))
    steps = _Steps(progress, 3 * len(present) + 3)  # open; read, check, write each; backup; commit
    steps(msg.STAGE_OPEN)
    problems = Problems(list(SHEET_NAMES))
    try:
        with database.session() as session, session.begin():
            ctx = ImportContext(session, today, problems, frozenset(s.name for s, _ in present))
            tables = iter_tables(workbook, present, problems,
                                 lambda sheet: steps(msg.STAGE_READ.format(sheet.name)),
                                 copies=[copy])
            with closing(tables):
                for table in tables:
                    if table is None:  # a broken sheet: what refers to it would only add noise
                        problems.raise_if_any()
                    steps(msg.STAGE_CHECK.format(table.sheet.name))
                    check, _write = STEPS[table.sheet.name]
                    ctx.staged[table.sheet.name] = check(ctx, table)
                    del table
            problems.raise_if_any()
            steps(msg.STAGE_BACKUP)
            _backup(database)
            begin_sqlite_write(session)
            _write_all(ctx, steps)
            if ctx.report.changed:
                bump_data_version(session)
            steps(msg.STAGE_COMMIT)
    except StaleDataError:
        raise failed(msg.CONCURRENT_CHANGE) from None
    except DBAPIError as error:
        raise failed(msg.DATABASE_ERROR.format(error.orig or error)) from None
    steps.finish()
    return ctx.report


def _backup(database: Database) -> None:
    """The promised copy of the database before it is written; no copy, no import."""
    try:
        backup_before(database, "import")
    except BackupError as error:
        raise failed(msg.BACKUP_FAILED.format(error)) from None


def _write_all(ctx: ImportContext, steps: _Steps) -> None:
    for name, plan in list(ctx.staged.items()):
        steps(msg.STAGE_WRITE.format(name))
        _check, write = STEPS[name]
        write(ctx, plan)
        if name == EMPLOYEES.name and SPECIALIZATIONS.name not in ctx.present:
            specializations.settle_from_employees(ctx, plan)
        ctx.staged[name] = None if name in _BIG else plan  # free memory as we go


_BIG = {TURNOVER.name, RECEIVABLES.name, ACTIVITIES.name}
