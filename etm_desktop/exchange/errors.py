"""What goes wrong in an import: one :class:`ImportProblem` per fault, all raised at once."""

from __future__ import annotations

from dataclasses import dataclass

from etm_desktop.exchange import messages as msg

#: ``str(ImportFailed)`` lists at most this many problems (``.problems`` keeps them all).
LISTED_PROBLEMS = 500
#: Problems kept per sheet; beyond it they are counted (see :class:`Problems`).
KEPT_PER_SHEET = 10_000


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """One fault: where it is (sheet, Excel row with the header as row 1, column), the
    offending value as the analyst typed it, and what is wrong, in Russian."""

    sheet: str | None
    row: int | None
    column: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.sheet is not None:
            where.append(msg.WHERE_SHEET.format(self.sheet))
        if self.row is not None:
            where.append(msg.WHERE_ROW.format(self.row))
        if self.column is not None:
            where.append(msg.WHERE_COLUMN.format(self.column))
        if self.value is not None:
            where.append(msg.WHERE_VALUE.format(self.value))
        if not where:
            return self.message
        text = ", ".join(where)
        return text[0].upper() + text[1:] + ": " + self.message


class ImportFailed(Exception):
    """The workbook was not imported; the database is exactly as it was before."""

    def __init__(self, problems: list[ImportProblem], total: int | None = None):
        self.problems = list(problems)
        self.total = len(self.problems) if total is None else total  # counted, not only kept
        super().__init__(self.problems)

    def __str__(self) -> str:
        lines = [msg.FAILED_HEADER.format(self.total)]
        lines.extend(str(problem) for problem in self.problems[:LISTED_PROBLEMS])
        if len(self.problems) > LISTED_PROBLEMS:
            lines.append(msg.MORE_PROBLEMS.format(len(self.problems) - LISTED_PROBLEMS))
        return "\n".join(lines)


class Problems:
    """Collects every problem of one import; :meth:`raise_if_any` ends the checking phase.

    Checking never stops early, but past :data:`KEPT_PER_SHEET` problems on one sheet
    (a million turnover rows naming a client that is missing) the rest are only
    counted, and one closing problem per sheet says how many more there are.
    """

    def __init__(self, sheet_order: list[str] | None = None):
        self._items: list[ImportProblem] = []
        self._order = {name: index for index, name in enumerate(sheet_order or [])}
        self._per_sheet: dict[str | None, int] = {}

    def add(self, message: str, *, sheet: str | None = None, row: int | None = None,
            column: str | None = None, value: str | None = None) -> None:
        seen = self._per_sheet[sheet] = self._per_sheet.get(sheet, 0) + 1
        if seen <= KEPT_PER_SHEET:
            self._items.append(ImportProblem(sheet, row, column, value, message))

    def __len__(self) -> int:
        return sum(self._per_sheet.values())

    def __bool__(self) -> bool:
        return bool(self._items)

    def sorted(self) -> list[ImportProblem]:
        """Problems in workbook order: by sheet, then row (file-level problems first)."""
        def key(problem: ImportProblem):
            sheet_rank = -1 if problem.sheet is None else self._order.get(problem.sheet, len(self._order))
            return (sheet_rank, problem.row or 0)

        found = sorted(self._items, key=key)  # stable: a row's problems keep their column order
        for sheet, seen in self._per_sheet.items():
            if seen > KEPT_PER_SHEET:  # after the sheet's last kept problem
                last = max(i for i, problem in enumerate(found) if problem.sheet == sheet)
                found.insert(last + 1, ImportProblem(
                    sheet, None, None, None, msg.MORE_ON_SHEET.format(seen - KEPT_PER_SHEET, KEPT_PER_SHEET)))
        return found

    def raise_if_any(self) -> None:
        if self._items:
            raise ImportFailed(self.sorted(), total=len(self))


def failed(message: str) -> ImportFailed:
    """An ImportFailed with one problem about the whole file."""
    return ImportFailed([ImportProblem(None, None, None, None, message)])
