"""What every command shares: the user-error type, exit codes, opening the database."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

EXIT_OK = 0
EXIT_BREACHES = 1
EXIT_USER_ERROR = 2
EXIT_UNEXPECTED = 3


class CliError(Exception):
    """A user error with a Russian message: printed without a traceback, exit 2."""

    def __init__(self, message: str, exit_code: int = EXIT_USER_ERROR):
        super().__init__(message)
        self.exit_code = exit_code


def out(text: str = "") -> None:
    """Print a line to standard output (looked up now, so tests can capture it)."""
    print(text, file=sys.stdout)


def err(text: str) -> None:
    """Print a line to standard error."""
    print(text, file=sys.stderr)


def print_json(data: Any) -> None:
    """Print ``data`` as indented UTF-8 JSON (dates as text)."""
    out(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def database_target(args) -> str:
    """The database named by ``--db``, else ``$ETM_DESKTOP_DB``, else the per-user file."""
    if getattr(args, "db", None):
        return args.db
    from etm_desktop.paths import default_database

    return default_database()


def describe_target(target: str) -> str:
    """A database target fit to show: a path made absolute, a URL without its password."""
    if "://" not in target:
        return str(Path(target).expanduser().resolve())
    try:
        from sqlalchemy.engine import make_url

        return make_url(target).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - only for display
        return target.split("@")[-1]


def open_target(args):
    """Open (creating or upgrading) the database of ``args``; CliError if it cannot be opened."""
    from sqlalchemy.exc import SQLAlchemyError

    from etm_desktop.db.database import open_database

    target = database_target(args)
    try:
        return open_database(target)
    except SQLAlchemyError as error:
        detail = str(getattr(error, "orig", None) or error).splitlines()[0]
        raise CliError(
            "Не удалось открыть базу данных «{0}»: {1}".format(describe_target(target), detail)
        ) from error
    except ModuleNotFoundError as error:
        raise CliError(
            "Не удалось открыть базу данных «{0}»: не установлен драйвер {1}".format(
                describe_target(target), error.name
            )
        ) from error
    except PermissionError as error:
        raise CliError(
            "Нет доступа к базе данных «{0}»: {1}".format(describe_target(target), error.strerror)
        ) from error


def existing_file(path: str, what: str) -> Path:
    """``path`` as a Path; CliError in Russian if it is missing or not a file."""
    file = Path(path).expanduser()
    if not file.exists():
        raise CliError("{0} не найден: {1}".format(what, file))
    if not file.is_file():
        raise CliError("{0} — не файл: {1}".format(what, file))
    if not os.access(file, os.R_OK):
        raise CliError("{0} нельзя прочитать: {1}".format(what, file))
    return file


def output_file(path: str) -> Path:
    """An output path whose folder exists; CliError otherwise."""
    file = Path(path).expanduser()
    if file.is_dir():
        raise CliError("Вместо файла указана папка: {0}".format(file))
    if not file.resolve().parent.is_dir():
        raise CliError("Папка для файла не существует: {0}".format(file.resolve().parent))
    return file
