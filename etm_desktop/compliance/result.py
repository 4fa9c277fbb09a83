"""What the engine answers: the grid of one month (interfaces.md, ``check --json``)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import date

from etm_desktop.domain.calendar import month_key

NORM_CODES = (
    "kb_size_min",
    "kb_size_max",
    "paying_share",
    "off_profile",
    "forbidden_ckg",
    "meetings",
    "cold_calls",
    "territory",
    "potential",
    "new_universal_territory",
    "head_meetings",
    "group_meetings",
    "rebinding_overdue",
)

#: Norms where the actual figure must reach the required one (a minimum) …
MINIMUM_NORMS = frozenset({"kb_size_min", "paying_share", "meetings", "cold_calls", "head_meetings",
                           "group_meetings"})
#: … and those where it must not exceed it (a maximum; 0 for counts of offending clients).
UPPER_BOUND_NORMS = frozenset(NORM_CODES) - MINIMUM_NORMS

#: Russian names of the norms, for the GUI, the xlsx grid and messages.
NORM_TITLES = {
    "kb_size_min": "Размер КБ: минимум",
    "kb_size_max": "Размер КБ: максимум",
    "paying_share": "Доля платящих клиентов",
    "off_profile": "Непрофильные клиенты",
    "forbidden_ckg": "Запрещённые ЦКГ",
    "meetings": "Встречи вне ОП",
    "cold_calls": "Холодные звонки",
    "territory": "Территории",
    "potential": "Потенциал клиентов",
    "new_universal_territory": "Новый универсал: клиенты территориалов",
    "head_meetings": "Встречи руководителя",
    "group_meetings": "Встречи по КБ группы",
    "rebinding_overdue": "Перезакрепление просрочено",
}


@dataclass(frozen=True)
class Breach:
    """One norm a manager fails (``breach``) or deviates from tolerably (``warning``)."""

    norm: str
    severity: str  # "breach" | "warning"
    actual: float
    required: float
    message: str = ""
    clients: tuple[str, ...] = ()  # client codes behind the number, for drill-down

    def to_json(self) -> dict:
        return {"norm": self.norm, "severity": self.severity, "actual": self.actual,
                "required": self.required, "message": self.message}


@dataclass
class ManagerRow:
    id: str  # Таб. номер
    name: str
    position: str
    specialization: str | None
    status: str | None
    office: str | None
    kb_size: int
    paying: int
    paying_share: float | None
    meetings: int
    cold_calls: int
    breaches: list[Breach] = field(default_factory=list)
    judged: list[str] = field(default_factory=list)  # norm codes that apply to him this month

    def to_json(self) -> dict:
        data = {name: getattr(self, name) for name in _ROW_FIELDS}  # as ``asdict``, without its deep copies
        data["breaches"] = [b.to_json() for b in self.breaches]
        data["judged"] = list(self.judged)
        return data


_ROW_FIELDS = tuple(f.name for f in fields(ManagerRow))


@dataclass(frozen=True)
class BlacklistEntry:
    client: str
    manager: str
    reason: str


@dataclass(frozen=True)
class AutoUnbindEntry:
    client: str
    manager: str


@dataclass(frozen=True)
class OverdueRebinding:
    manager: str
    clients: int
    since: date
    deadline: date
    reason: str  # "увольнение" | "смена специализации"

    def to_json(self) -> dict:
        return {"manager": self.manager, "clients": self.clients, "since": self.since.isoformat(),
                "deadline": self.deadline.isoformat(), "reason": self.reason}


@dataclass
class Grid:
    """The compliance grid of one month for the whole centre."""

    month: date
    norm_set: str
    managers: list[ManagerRow]
    blacklist: list[BlacklistEntry]
    auto_unbind: list[AutoUnbindEntry]
    overdue_rebinding: list[OverdueRebinding]

    def to_json(self) -> dict:
        return {
            "month": month_key(self.month),
            "norm_set": self.norm_set,
            "managers": [m.to_json() for m in self.managers],
            "blacklist": [asdict(b) for b in self.blacklist],
            "auto_unbind": [asdict(a) for a in self.auto_unbind],
            "overdue_rebinding": [o.to_json() for o in self.overdue_rebinding],
        }
