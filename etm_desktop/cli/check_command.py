"""``check``: the compliance grid of one month, as text, JSON or a formatted workbook."""

from __future__ import annotations

import argparse
from datetime import date

from etm_desktop.cli.common import EXIT_OK, CliError, open_target, out, output_file, print_json
from etm_desktop.cli.output import grid_lines
from etm_desktop.domain.calendar import parse_month_key

def month_argument(text: str) -> date:
    """``YYYY-MM`` → the month's first day (an argparse type with a Russian message)."""
    try:
        return parse_month_key(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            "месяц указывается как ГГГГ-ММ, например 2026-10; получено «{0}»".format(text)
        ) from None


def default_month(today: date | None = None) -> date:
    """The last month completed before today."""
    from etm_desktop.domain.calendar import last_completed_month

    return last_completed_month(today or date.today())


def run_check(args) -> int:
    """Compute the month's grid and print or write it."""
    from etm_desktop.compliance.service import month_grid

    month = args.month or default_month()
    target = output_file(args.out) if args.out else None
    database = open_target(args)
    try:
        grid = month_grid(database, month)
    finally:
        database.dispose()
    if target is not None:
        from etm_desktop.reports.grid_xlsx import write_grid_xlsx

        try:
            write_grid_xlsx(grid, target)
        except PermissionError as error:
            raise CliError("Не удалось записать файл {0}: нет доступа (файл открыт в Excel?)".format(target)) from error
    if args.json:
        print_json(grid.to_json())
    else:
        for line in grid_lines(grid):
            out(line)
        if target is not None:
            out("Сетка записана в {0}.".format(target))
    return EXIT_OK
