"""Client and employee codes with names, for completion (read once, in the background)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from etm_desktop.db.models import Client, Employee


@dataclass
class Lookups:
    """Codes → names of clients and employees."""

    clients: dict[str, str] = field(default_factory=dict)
    employees: dict[str, str] = field(default_factory=dict)


def load_lookups(database) -> Lookups:
    """Every client code and employee tab number with its name (runs on the worker)."""
    with database.session() as session:
        clients = dict(session.execute(select(Client.code, Client.name).order_by(Client.code)).all())
        employees = dict(session.execute(select(Employee.tab_no, Employee.full_name).order_by(Employee.tab_no)).all())
    return Lookups(clients=clients, employees=employees)


def choices(names: dict[str, str]) -> list[str]:
    """«code — name» strings the completer offers."""
    return ["{0} — {1}".format(code, name) for code, name in names.items()]


def code_of(text: str) -> str:
    """The code from a completer choice («K001 — ООО …» → «K001»), or the text itself."""
    return text.split(" — ", 1)[0].strip()
