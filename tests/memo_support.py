"""Small helpers for the memo tests: drafts and lines written the way the analyst writes them."""

from __future__ import annotations

from datetime import date

from etm_desktop.memos.draft import parse_memo
from etm_desktop.memos.validation import check_memo

DAY = "2026-10-05"  # a memo of this date is judged on September 2026
SEP = date(2026, 9, 1)


def draft(*lines, day=DAY, **fields):
    return parse_memo({"date": day, "lines": list(lines), **fields})


def transfer(client, giver, receiver, **extra) -> dict:
    """A transfer line; ``client`` is a code or a Client row."""
    return {"action": "transfer", "client": getattr(client, "code", client), "from": giver, "to": receiver, **extra}


def check(database, *lines, day=DAY):
    return check_memo(database, parse_memo({"number": "СЗ-тест", "date": day, "lines": list(lines)}))


def found(result) -> list[tuple[int | None, str, str]]:
    """(line, rule, severity) of every problem."""
    return [(p.line, p.rule, p.severity) for p in result.problems]


def effect(result, tab_no) -> tuple[dict, dict]:
    rows = [e for e in result.effects if e["manager"] == tab_no]
    assert len(rows) == 1, f"{tab_no}: {len(rows)} effect rows"
    return rows[0]["before"], rows[0]["after"]


def kb_sizes(result) -> dict[str, tuple[int, int]]:
    return {e["manager"]: (e["before"]["kb_size"], e["after"]["kb_size"]) for e in result.effects}


def norms_of(row: dict) -> set[tuple[str, str]]:
    return {(b["norm"], b["severity"]) for b in row["breaches"]}


def sound(centre, tab_no, n, specialization="Универсальный", *, months=SEP, ckg="ЭМО", territory=None, **kw):
    """A manager with ``n`` clients paying in ``months`` and meetings enough for 2n clients."""
    manager = centre.manager(tab_no, specialization, **kw)
    clients = centre.paying_clients(manager, n, months, ckg=ckg, territory=territory)
    centre.outside_meetings(manager, months, max(n, 20))
    return manager, clients
