"""Backups of a SQLite database: an online copy before every import and memo apply.

The copy is made with SQLite's backup API from a separate connection, so it is a
consistent snapshot even while another program holds a write transaction open
(WAL). Automatic copies go to ``backups/`` beside the database file, named
``<stem>-YYYYMMDD-HHMMSS-<reason>.sqlite`` (``-2``, ``-3``… when several are made
within one second); only the last N of a database are kept (``[backup] keep`` of
``etm-desktop.ini``, default :data:`etm_desktop.config.DEFAULT_BACKUPS_KEPT`).

A PostgreSQL database is not copied here: a server is backed up with ``pg_dump``
by its administrator. :func:`backup_before` then does nothing.

A copy is written to a temporary ``.partial`` file and renamed only when complete
(its final name is reserved first as an empty file, which is not counted as a
backup), so a crash mid-copy never leaves something that looks like a backup.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

log = logging.getLogger(__name__)

BACKUP_FOLDER = "backups"
SUFFIX = ".sqlite"
PARTIAL = ".partial"
#: How long a stray ``.partial`` file (left by a crash) is kept before rotation removes it.
STALE_PARTIAL_SECONDS = 3600
#: How long to wait for a database locked by another program.
LOCK_TIMEOUT_SECONDS = 30

_NAME = re.compile(r"^(?P<stem>.+)-(?P<day>\d{8})-(?P<time>\d{6})-(?P<reason>[a-z]+(?:-[a-z]+)*)"
                   r"(?:-(?P<n>\d+))?" + re.escape(SUFFIX) + "$")


class BackupError(RuntimeError):
    """A backup could not be made or restored; the message is Russian and says why."""


@dataclass(frozen=True)
class BackupFile:
    """One automatic backup in the ``backups/`` folder."""

    path: Path
    stem: str
    taken: datetime
    reason: str
    sequence: int

    @property
    def order(self) -> tuple:
        return (self.taken, self.sequence)


def sqlite_file(database) -> Path | None:
    """The file of a SQLite ``Database`` (or engine, or URL string); None for a server or memory."""
    engine = getattr(database, "engine", database)
    url = getattr(engine, "url", None)
    if url is None:
        from sqlalchemy.engine import make_url

        url = make_url(str(database))
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    if url.database.startswith("file:"):
        return None  # a URI filename (e.g. an in-memory shared cache): not a plain file
    return Path(url.database)


def _uri(path: Path, mode: str) -> str:
    return "{0}?mode={1}".format(path.resolve().as_uri(), mode)


def copy_database(source: Path, destination: Path) -> Path:
    """Copy the SQLite database ``source`` into ``destination`` (replaced if it exists).

    The copy is a self-contained rollback-journal file, whatever the source's journal mode.
    """
    source, destination = Path(source), Path(destination)
    if not source.is_file():
        raise BackupError("База данных не найдена: {0}".format(source))
    partial = destination.with_name("{0}.{1}{2}".format(destination.name, os.getpid(), PARTIAL))
    try:
        src = sqlite3.connect(_uri(source, "rw"), uri=True, timeout=LOCK_TIMEOUT_SECONDS)
        try:
            dst = sqlite3.connect(str(partial))
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        os.replace(partial, destination)
    except sqlite3.Error as error:
        _remove(partial)
        raise BackupError("Не удалось сделать резервную копию базы {0}: {1}".format(source, error)) from error
    except OSError as error:
        _remove(partial)
        raise BackupError("Не удалось записать резервную копию {0}: {1}".format(
            destination, error.strerror or error)) from error
    return destination


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError as error:
        log.warning("Не удалось удалить %s: %s", path, error)


def backup_folder(database_file: Path) -> Path:
    return Path(database_file).parent / BACKUP_FOLDER


def _reason(text: str) -> str:
    cleaned = "-".join(re.findall(r"[a-z]+", text.lower()))
    return cleaned or "manual"


def _claim_name(folder: Path, stem: str, reason: str, now: datetime) -> Path:
    """A new file name, reserved by creating it empty (so two programs never share it)."""
    base = "{0}-{1:%Y%m%d-%H%M%S}".format(stem, now)
    taken = {item.sequence for item in _named(folder, stem, with_empty=True) if item.taken == now}
    sequence = max(taken, default=0) + 1
    while True:
        suffix = "" if sequence == 1 else "-{0}".format(sequence)
        path = folder / "{0}-{1}{2}{3}".format(base, reason, suffix, SUFFIX)
        try:
            with open(path, "x"):
                return path
        except FileExistsError:
            sequence += 1


def _named(folder: Path, stem: str, *, with_empty: bool = False) -> list[BackupFile]:
    found = []
    if not folder.is_dir():
        return found
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        if match is None or match["stem"] != stem or (not with_empty and _size(path) == 0):
            continue
        taken = datetime.strptime(match["day"] + match["time"], "%Y%m%d%H%M%S")
        found.append(BackupFile(path, stem, taken, match["reason"], int(match["n"] or 1)))
    return sorted(found, key=lambda item: (item.order, item.path.name))


def list_backups(folder: Path, stem: str) -> list[BackupFile]:
    """The complete automatic backups of the database named ``stem``, oldest first (an empty
    file is a name reserved by a copy still being written, or one a crash interrupted)."""
    return _named(folder, stem)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def rotate(folder: Path, stem: str, keep: int, *, spare: tuple[Path, ...] = ()) -> list[Path]:
    """Delete all but the newest ``keep`` backups of ``stem`` (and stale partial files); returns the deleted.

    ``spare`` are never deleted (the backup a restore is about to read)."""
    spared = {Path(path).resolve() for path in spare}
    backups = list_backups(folder, stem)
    excess = max(0, len(backups) - max(1, keep))
    doomed = [item.path for item in backups if item.path.resolve() not in spared][:excess]
    now = time.time()
    for path in folder.glob("{0}-*".format(glob_escape(stem))):  # left by a crash mid-copy
        try:
            stat = path.stat()
        except OSError:
            continue
        unfinished = path.name.endswith(PARTIAL) or (stat.st_size == 0 and _NAME.match(path.name))
        if unfinished and now - stat.st_mtime > STALE_PARTIAL_SECONDS:
            doomed.append(path)
    for path in doomed:
        _remove(path)
    return doomed


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def take_backup(database_file: Path, reason: str, *, keep: int | None = None,
                now: datetime | None = None, spare: tuple[Path, ...] = ()) -> Path:
    """Copy ``database_file`` into its ``backups/`` folder and rotate (never deleting ``spare``);
    returns the new file."""
    database_file = Path(database_file)
    if keep is None:
        from etm_desktop.config import backups_kept

        keep = backups_kept()
    folder = backup_folder(database_file)
    moment = (now or datetime.now()).replace(microsecond=0)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = _claim_name(folder, database_file.stem, _reason(reason), moment)
    except OSError as error:
        raise BackupError("Не удалось создать резервную копию в папке {0}: {1}".format(
            folder, error.strerror or error)) from error
    try:
        copy_database(database_file, target)
    except BackupError:
        _remove(target)
        raise
    rotate(folder, database_file.stem, keep, spare=(*spare, target))  # the new copy stays, whatever the clock says
    log.info("Резервная копия базы: %s", target)
    return target


def backup_before(database, reason: str) -> Path | None:
    """The automatic backup before a change: the new file, or None for a database that is
    not a SQLite file (PostgreSQL: backed up with pg_dump by the server's administrator).

    Raises :class:`BackupError` if the copy cannot be made; the caller then refuses the change.
    """
    path = sqlite_file(database)
    if path is None or not path.is_file():
        return None
    return take_backup(path, reason)
