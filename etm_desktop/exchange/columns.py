"""Parsing a whole column of a sheet at once, reporting every bad cell.

Sheets repeat values a lot (a client code on every turnover row, twelve months),
so a column is parsed once per distinct value and mapped back with one dict
lookup per row; a parser may therefore also resolve references (code -> known?).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any

from etm_desktop.exchange import messages as msg
from etm_desktop.exchange.errors import Problems
from etm_desktop.exchange.parsing import display
from etm_desktop.exchange.reader import SheetTable


class _Bad:
    """A cell the parser refused; ``message`` says why."""

    __slots__ = ("message",)

    def __init__(self, message: str):
        self.message = message


def _parse_one(value: Any, parse: Callable[[Any], Any], required: bool) -> Any:
    if value == "" or (value.__class__ is str and not value.strip()):
        return _Bad(msg.EMPTY) if required else None
    try:
        return parse(value)
    except ValueError as error:
        return _Bad(str(error) or msg.TEXT_EXPECTED)


def convert_column(table: SheetTable, key: str, parse: Callable[[Any], Any], problems: Problems,
                   *, cached: bool = True) -> list | None:
    """The parsed values of column ``key``, aligned with ``table.rows``.

    Empty cells give None (a problem too when the column is required); refused cells
    give None and a problem naming sheet, row, column and value. A column the sheet
    does not have gives None — or, when it is a required one (already reported as
    missing), a list of Nones so the checks can go on.
    """
    column = table.sheet.column(key)
    raw = table.cells.get(key)
    if raw is None:
        return [None] * len(table) if column.required else None
    required = column.required
    if cached:
        distinct = set(raw)
        if any(value.__class__ is bool for value in distinct):
            cached = False  # True == 1.0 would share a cache entry
    if cached:
        results = {value: _parse_one(value, parse, required) for value in distinct}
        values = [results[value] for value in raw]
        bad = any(result.__class__ is _Bad for result in results.values())
    else:
        values = [_parse_one(value, parse, required) for value in raw]
        bad = any(result.__class__ is _Bad for result in values)
    if not bad:
        return values
    for index, result in enumerate(values):
        if result.__class__ is _Bad:
            value = raw[index]
            problems.add(result.message, sheet=table.sheet.name, row=table.rows[index],
                         column=column.header, value=None if value == "" else display(value))
            values[index] = None
    return values


def resolver(parse: Callable[[Any], Any], known: Callable[[Any], bool], message: str):
    """A parser that also checks the parsed code is one of the known ones
    (``message`` may name the code as ``{0}``)."""

    def resolve(value: Any) -> Any:
        code = parse(value)
        if not known(code):
            raise ValueError(message.format(code))
        return code

    return resolve


def report_duplicates(table: SheetTable, keys: list[Hashable], problems: Problems,
                      column_keys: Iterable[str]) -> set[int]:
    """Report every row whose key repeats an earlier row's; returns their indexes.

    Keys holding None (a cell already reported as bad) are never duplicates.
    """
    if len(set(keys)) == len(keys):
        return set()
    first: dict[Hashable, int] = {}
    repeated = set()
    header = ", ".join(table.sheet.header(key) for key in column_keys)
    for index, key in enumerate(keys):
        if key is None or (isinstance(key, tuple) and None in key):
            continue
        earlier = first.setdefault(key, index)
        if earlier != index:
            repeated.add(index)
            shown = " / ".join(display(part) for part in key) if isinstance(key, tuple) else display(key)
            problems.add(msg.DUPLICATE_ROW.format(table.rows[earlier]), sheet=table.sheet.name,
                         row=table.rows[index], column=header, value=shown)
    return repeated
