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


def _require_on_file(path: Path, action) -> None:
    """The role guard on the file as it is (no migration, no seeding): a copy must not
    change what it copies. A file that cannot be read for roles — damaged, foreign,
    older than roles — is left to the checks that follow: restoring is how it is mended."""
    from sqlalchemy import create_engine, inspect
    from sqlalchemy.exc import SQLAlchemyError
    from sqlalchemy.orm import sessionmaker

    from etm_desktop.access import require
    from etm_desktop.db.database import Database, database_url

    if not path.is_file():
        return
    engine = create_engine(database_url(str(path)))
    try:
        try:
            if "user_role" not in inspect(engine).get_table_names():
                return
        except SQLAlchemyError:
            return
        require(Database(engine=engine, sessions=sessionmaker(engine)), action)
    finally:
        engine.dispose()


def run_backup(args) -> int:
    """Copy the database online; prints the file written."""
    from etm_desktop.db.backup import BackupError, copy_database, take_backup

    from etm_desktop.access import Action

    path = _database_file(args)
    if not path.is_file():
        raise CliError("База данных не найдена: {0}".format(path))
    _require_on_file(path, Action.BACKUP)
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

    from etm_desktop.access import Action

    source = existing_file(args.file, "Файл резервной копии")
    path = _database_file(args)
    _require_on_file(path, Action.RESTORE)
    try:
        restored = restore_database(path, source)
    except BackupError as error:
        raise CliError(str(error)) from error
    out("База {0} восстановлена из {1}.".format(path, source))
    if restored.saved_as is not None:
        out("Прежняя база сохранена в {0}.".format(restored.saved_as))
    return EXIT_OK
