"""``backup`` and ``restore``: copies of a SQLite database file (a PostgreSQL server has pg_dump)."""

from __future__ import annotations

from pathlib import Path

from etm_desktop.cli.common import EXIT_OK, CliError, database_target, describe_target, existing_file, out, output_file

SERVER_BACKUP = ("База данных «{0}» — не файл SQLite: резервные копии сервера PostgreSQL делает его "
                 "администратор (pg_dump / pg_restore)")


def register(command) -> None:
    """Add both commands through the parser's ``command(name, help, handler)`` helper."""
    p = command("backup", "резервная копия базы SQLite (по умолчанию — в папку backups рядом с базой)", run_backup)
    p.add_argument("--out", metavar="ФАЙЛ",
                   help="куда записать копию (иначе backups/<имя>-ГГГГММДД-ЧЧММСС-manual.sqlite)")
    p = command("restore", "заменить содержимое базы резервной копией (текущая база сначала копируется в backups)",
                run_restore)
    p.add_argument("file", metavar="ФАЙЛ", help="резервная копия (файл SQLite)")


def _database_file(args) -> Path:
    """The SQLite file of the current database; CliError for a server."""
    from etm_desktop.db.backup import sqlite_file
    from etm_desktop.db.database import database_url

    target = database_target(args)
    path = sqlite_file(database_url(target))
    if path is None:
        raise CliError(SERVER_BACKUP.format(describe_target(target)))
    return path


def run_backup(args) -> int:
    """Copy the database online; prints the file written."""
    from etm_desktop.db.backup import BackupError, copy_database, take_backup

    path = _database_file(args)
    if not path.is_file():
        raise CliError("База данных не найдена: {0}".format(path))
    try:
        written = copy_database(path, output_file(args.out)) if args.out else take_backup(path, "manual")
    except BackupError as error:
        raise CliError(str(error)) from error
    out(str(Path(written).resolve()))
    return EXIT_OK


def run_restore(args) -> int:
    """Replace the database with a checked backup; the current one is saved first."""
    from etm_desktop.db.backup import BackupError
    from etm_desktop.db.restore import restore_database

    source = existing_file(args.file, "Файл резервной копии")
    path = _database_file(args)
    try:
        restored = restore_database(path, source)
    except BackupError as error:
        raise CliError(str(error)) from error
    out("База {0} восстановлена из {1}.".format(path, source))
    if restored.saved_as is not None:
        out("Прежняя база сохранена в {0}.".format(restored.saved_as))
    return EXIT_OK
