"""Restoring a SQLite database from a backup file.

The file is checked first — a SQLite database, ``PRAGMA integrity_check`` ok, made
by ETM Desktop, with a schema this program knows — and refused with nothing
changed otherwise. An older schema is fine: it is upgraded when the database is
next opened. Then the current database is backed up (reason ``before-restore``)
and its contents are replaced in one transaction by SQLite's backup API, so a
program that has the database open sees either the old or the restored data.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from etm_desktop.db.backup import LOCK_TIMEOUT_SECONDS, BackupError, take_backup

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY = "база занята другой программой (закройте ETM Desktop у других пользователей и повторите)"
#: Integrity messages quoted in a refusal.
QUOTED_PROBLEMS = 3


@dataclass(frozen=True)
class Restored:
    """What a restore did: the file it came from and where the replaced database was saved."""

    source: Path
    saved_as: Path | None


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect("{0}?mode=ro".format(path.resolve().as_uri()), uri=True,
                           timeout=LOCK_TIMEOUT_SECONDS)


def check_backup_file(path: Path) -> str:
    """The schema revision of the backup at ``path``; :class:`BackupError` if it cannot be restored."""
    path = Path(path)
    try:
        with open(path, "rb") as file:
            header = file.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise BackupError("Файл {0} не прочитан: {1}".format(path, error.strerror or error)) from error
    if header != SQLITE_MAGIC:
        raise BackupError("Файл {0} — не база данных SQLite; база не изменена".format(path))
    try:
        connection = _read_only(path)
        try:
            problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise BackupError("Файл {0} повреждён (проверка целостности: {1}); база не изменена".format(
                    path, "; ".join(problems[:QUOTED_PROBLEMS])))
            revision = _revision(connection)
        finally:
            connection.close()
    except sqlite3.Error as error:
        raise BackupError("Файл {0} повреждён или не читается как база данных SQLite ({1}); база не изменена".format(
            path, error)) from error
    if revision is None:
        raise BackupError("Файл {0} — не база ETM Desktop (нет версии схемы); база не изменена".format(path))
    from etm_desktop.db.migrations import SchemaTooNew, refuse_newer

    try:
        refuse_newer(revision)
    except SchemaTooNew as error:
        raise BackupError("Файл {0} не восстановлен: {1}".format(path, error)) from error
    return revision


def _one(connection: sqlite3.Connection, sql: str) -> tuple | None:
    """The first row, with the statement run to its end (a half-read one keeps the database locked)."""
    rows = connection.execute(sql).fetchall()
    return rows[0] if rows else None


def _revision(connection: sqlite3.Connection) -> str | None:
    try:
        row = _one(connection, "SELECT version_num FROM alembic_version")
    except sqlite3.OperationalError:  # no such table: not a database of this program
        return None
    return row[0] if row else None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return False


def restore_database(database_file: Path, source: Path) -> Restored:
    """Replace the contents of the SQLite database ``database_file`` with the backup ``source``."""
    database_file, source = Path(database_file), Path(source)
    check_backup_file(source)
    if _same_file(database_file, source):
        raise BackupError("Файл {0} — это сама текущая база; восстанавливать нечего".format(source))
    saved = take_backup(database_file, "before-restore", spare=(source,)) if database_file.is_file() else None
    database_file.parent.mkdir(parents=True, exist_ok=True)
    try:
        src = _read_only(source)
        try:
            dst = sqlite3.connect(str(database_file), timeout=LOCK_TIMEOUT_SECONDS)
            try:
                version = _data_version(dst)
                _copy(src, dst)
                _bump_data_version(dst, version)
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as error:
        reason = BUSY if "locked" in str(error) or "busy" in str(error) else str(error)
        raise BackupError("База {0} не восстановлена из {1}: {2}".format(database_file, source, reason)) from error
    return Restored(source, saved)


def _copy(src: sqlite3.Connection, dst: sqlite3.Connection) -> None:
    """``src.backup(dst)``; a WAL database cannot take another page size, so it leaves WAL for the copy."""
    page_size = "PRAGMA page_size"
    wal = _one(dst, "PRAGMA journal_mode") == ("wal",)
    if not wal or _one(src, page_size) == _one(dst, page_size):
        src.backup(dst)
        return
    dst.execute("PRAGMA journal_mode=DELETE")
    src.backup(dst)
    dst.execute("PRAGMA journal_mode=WAL")


def _data_version(connection: sqlite3.Connection) -> int:
    try:
        row = _one(connection, "SELECT counter FROM data_version WHERE id = 1")
    except sqlite3.OperationalError:
        return 0
    return int(row[0] or 0) if row else 0


def _bump_data_version(connection: sqlite3.Connection, before: int) -> None:
    """Move the data-version counter past both the old and the restored value, so a program
    that had the old data open drops every cache built on it."""
    try:
        with connection:
            connection.execute("UPDATE data_version SET counter = MAX(COALESCE(counter, 0), ?) + 1 WHERE id = 1",
                               (before,))
    except sqlite3.OperationalError:  # an old schema without the counter: upgraded on next open
        pass
