"""What an import did, sheet by sheet."""

from __future__ import annotations

from dataclasses import dataclass, field

from etm_desktop.exchange import messages as msg


@dataclass
class SheetCounts:
    """Rows of one sheet: added, changed, already equal, closed (bindings), deleted (activities)."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    closed: int = 0
    deleted: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.updated or self.closed or self.deleted)

    def __str__(self) -> str:
        text = msg.REPORT_COUNTS.format(self.inserted, self.updated, self.unchanged)
        if self.closed:
            text += msg.REPORT_CLOSED.format(self.closed)
        if self.deleted:
            text += msg.REPORT_DELETED.format(self.deleted)
        return text


@dataclass
class ImportReport:
    """Counts per sheet name (only the sheets the workbook carried, plus implied ones)."""

    sheets: dict[str, SheetCounts] = field(default_factory=dict)

    def counts(self, sheet: str) -> SheetCounts:
        """The counts of ``sheet``, created empty on first use."""
        return self.sheets.setdefault(sheet, SheetCounts())

    @property
    def changed(self) -> bool:
        return any(counts.changed for counts in self.sheets.values())

    def __getitem__(self, sheet: str) -> SheetCounts:
        return self.sheets[sheet]

    def __str__(self) -> str:
        lines = ["{0}: {1}".format(name, counts) for name, counts in self.sheets.items()]
        if not self.changed:
            lines.append(msg.REPORT_NOTHING)
        return "\n".join(lines)
