"""``import``, ``export`` and ``demo``: moving whole data sets in and out of the database."""

from __future__ import annotations

from etm_desktop.cli.common import (
    EXIT_OK,
    EXIT_USER_ERROR,
    CliError,
    database_target,
    describe_target,
    err,
    existing_file,
    open_target,
    out,
    output_file,
)
from etm_desktop.cli.output import plural, summary_lines


def _problems_of(error: Exception) -> list:
    """The individual problems an ImportFailed carries (or none, then its own text counts)."""
    for name in ("problems", "errors", "issues"):
        value = getattr(error, name, None)
        if value and not isinstance(value, str):
            return list(value)
    return []


def run_import(args) -> int:
    """Import an exchange workbook, all or nothing; every problem on stderr and exit 2 on bad input."""
    path = existing_file(args.file, "Файл для импорта")
    from etm_desktop.exchange.errors import ImportFailed
    from etm_desktop.exchange.importer import import_workbook

    database = open_target(args)
    try:
        report = import_workbook(database, path)
    except ImportFailed as error:
        problems = _problems_of(error)
        if problems:
            total = max(getattr(error, "total", 0) or 0, len(problems))  # past the cap, counted not kept
            err("Импорт не выполнен, база не изменена: "
                + plural(total, "ошибка", "ошибки", "ошибок") + " в файле " + str(path))
            for problem in problems:
                err(str(problem))
        else:
            err("Импорт не выполнен, база не изменена: " + str(error))
        return EXIT_USER_ERROR
    finally:
        database.dispose()
    out("Импорт из {0} выполнен.".format(path))
    for line in summary_lines(report):
        out(line)
    return EXIT_OK


def run_export(args) -> int:
    """Write the whole database as an exchange workbook."""
    path = output_file(args.file)
    from etm_desktop.exchange.exporter import export_workbook

    database = open_target(args)
    try:
        try:
            export_workbook(database, path)
        except PermissionError as error:
            raise CliError("Не удалось записать файл {0}: нет доступа (файл открыт в Excel?)".format(path)) from error
    finally:
        database.dispose()
    out("Выгрузка записана в {0}.".format(path))
    return EXIT_OK


def run_demo(args) -> int:
    """Fill an empty database with a made-up regional centre."""
    from etm_desktop.demo import DemoError, generate

    database = open_target(args)
    try:
        options = {} if args.seed is None else {"seed": args.seed}
        summary = generate(database, scale=args.scale, **options)
    except DemoError as error:
        raise CliError("Демонстрационные данные не созданы: {0}".format(error)) from error
    finally:
        database.dispose()
    for line in summary_lines(summary):
        out(line)
    out("База данных: {0}".format(describe_target(database_target(args))))
    return EXIT_OK
