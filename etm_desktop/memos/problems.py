"""What a memo check answers: problems, approval route, before/after effects."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from etm_desktop.domain.calendar import month_key

#: Rule codes that belong to memo lines, beyond the grid's norm codes (interfaces.md).
LINE_RULES = {
    "unknown_client": "Неизвестный клиент",
    "unknown_manager": "Неизвестный сотрудник",
    "no_manager": "Не указан МОПП",
    "bind_to_ook": "Закрепление за ООК / НООК",
    "not_bound": "Клиент не закреплён",
    "already_bound": "Клиент уже закреплён",
    "justification_required": "Нужно обоснование",
    "potential_required": "Нужен потенциал S, A или B",
    "multi_same_office": "Множественная классификация в одном ОП",
    "invalid_140": "Неверная связь по признаку 140",
}


@dataclass(frozen=True)
class Problem:
    line: int | None
    rule: str
    severity: str  # "breach" | "warning"
    message: str
    manager: str | None = None
    lines: tuple[int, ...] = ()

    def to_json(self) -> dict:
        data = {"line": self.line, "rule": self.rule, "severity": self.severity, "message": self.message}
        if self.manager is not None:
            data["manager"] = self.manager
        if self.lines:
            data["lines"] = list(self.lines)
        return data


@dataclass
class MemoCheck:
    """The what-if of a memo: ``ok`` is false when any problem is a breach."""

    as_of: date
    month: date
    norm_set: str
    approval: list[str]
    problems: list[Problem] = field(default_factory=list)
    effects: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.severity == "breach" for p in self.problems)

    @property
    def breaches(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "breach"]

    def to_json(self) -> dict:
        return {
            "ok": self.ok,
            "as_of": self.as_of.isoformat(),
            "month": month_key(self.month),
            "norm_set": self.norm_set,
            "approval": list(self.approval),
            "problems": [p.to_json() for p in self.problems],
            "effects": list(self.effects),
        }
