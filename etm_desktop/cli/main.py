"""Entry point of ``etm-desktop`` / ``python -m etm_desktop``: parse, dispatch, map errors to exit codes."""

from __future__ import annotations

import os
import sys
import traceback
from contextlib import suppress
from datetime import date

from etm_desktop.cli.common import (
    EXIT_OK,
    EXIT_UNEXPECTED,
    EXIT_USER_ERROR,
    CliError,
    database_target,
    describe_target,
    err,
    open_target,
    out,
)
from etm_desktop.cli.parser import COMMANDS, build_parser
from etm_desktop.user_errors import user_error_message


def find_main_window():
    """``etm_desktop.gui.open_main_window(database)``, or None while the GUI does not provide it."""
    try:
        import etm_desktop.gui as gui  # the main window arrives with a later issue
    except ModuleNotFoundError as error:
        if error.name == "etm_desktop.gui":
            return None
        raise
    return getattr(gui, "open_main_window", None)


def print_database_summary(database, where: str) -> None:
    """What stands in for the main window today: where the database is, what it holds, the commands."""
    from sqlalchemy import func, or_, select

    from etm_desktop.db.models import Binding, Client, Employee

    today = date.today()
    with database.session() as session:
        clients = session.scalar(select(func.count()).select_from(Client)) or 0
        employees = session.scalar(select(func.count()).select_from(Employee)) or 0
        bindings = session.scalar(
            select(func.count()).select_from(Binding)
            .where(Binding.valid_from <= today, or_(Binding.valid_to.is_(None), Binding.valid_to > today))
        ) or 0
    out("ETM Desktop")
    out("База данных: {0}".format(where))
    out("Клиентов: {0}, сотрудников: {1}, действующих закреплений: {2}".format(clients, employees, bindings))
    if clients == 0:
        out("База пуста: загрузите книгу обмена (import) или демонстрационные данные (demo).")
    out("")
    out("Главное окно недоступно (нет графического дисплея); доступны команды:")
    width = max(len(usage) for usage, _ in COMMANDS)
    for usage, text in COMMANDS:
        out("  etm-desktop {0}  {1}".format(usage.ljust(width), text))
    out("Подробнее: etm-desktop --help")


def _has_display() -> bool:
    """False on a Linux machine without X or Wayland (e.g. over SSH) unless a Qt platform is named."""
    if not sys.platform.startswith("linux"):
        return True
    return any(os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def run_without_command(args) -> int:
    """No command given: open the main window if the GUI exists, else print the database summary."""
    database = open_target(args)
    try:
        opener = find_main_window() if _has_display() else None
        if opener is None:
            print_database_summary(database, describe_target(database_target(args)))
            return EXIT_OK
        from etm_desktop.gui.crash_dialog import install_excepthook
        from etm_desktop.logging_setup import log_path

        install_excepthook(log_path())
        result = opener(database)
        return result if isinstance(result, int) else EXIT_OK
    finally:
        database.dispose()


def _prepare_streams() -> None:
    """Never fail on a character the console cannot show; JSON piped on Windows stays UTF-8."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue
        try:
            if sys.platform == "win32" and not stream.isatty():
                reconfigure(encoding="utf-8")
            reconfigure(errors="replace")
        except (ValueError, OSError):
            pass


def _stored_user_database() -> str | None:
    """The database chosen in Файл → Настройки… (None without Qt or a setting)."""
    try:
        from etm_desktop.gui.settings_dialog import stored_database
    except ImportError:
        return None
    return stored_database()


def _start_logging() -> None:
    """Safe streams and the rotating log file, before anything can print or fail."""
    from etm_desktop.logging_setup import guard_streams, setup_logging

    guard_streams()
    with suppress(Exception):
        setup_logging()


def _unexpected(error: BaseException, debug: bool) -> int:
    import logging

    logging.getLogger("etm_desktop").error("Непредвиденная ошибка", exc_info=error)
    if debug:
        traceback.print_exception(error, file=sys.stderr)
    detail = (str(error).strip().splitlines() or [""])[0][:300]
    err("Непредвиденная ошибка ({0}{1}).{2}".format(
        type(error).__name__, ": " + detail if detail else "",
        "" if debug else " Подробности: запустите ту же команду с --debug.",
    ))
    return EXIT_UNEXPECTED


def main(argv: list[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: sys.argv[1:]); returns the exit status."""
    _start_logging()
    _prepare_streams()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # --help, or a Russian usage error already printed
        return stop.code if isinstance(stop.code, int) else EXIT_USER_ERROR
    debug = bool(getattr(args, "debug", False))
    try:
        if getattr(args, "smoke", False):
            from etm_desktop.gui.smoke import run_smoke

            return run_smoke()
        if not getattr(args, "db", None):
            from etm_desktop.paths import default_database

            args.db = default_database(user_setting=_stored_user_database)
        if args.handler is None:
            return run_without_command(args)
        return args.handler(args)
    except CliError as error:
        err(str(error))
        return error.exit_code
    except KeyboardInterrupt:
        err("Прервано.")
        return 130
    except BrokenPipeError:  # output piped into a reader that stopped early (| head)
        with suppress(OSError, ValueError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - kept open until exit on purpose
        return EXIT_OK
    except Exception as error:  # noqa: BLE001 - the one place that turns errors into exit codes
        try:
            message = user_error_message(error)
        except Exception:  # noqa: BLE001 - classifying must not hide the real error
            message = None
        if message is not None:
            err(message)
            return EXIT_USER_ERROR
        return _unexpected(error, debug)


if __name__ == "__main__":
    raise SystemExit(main())
