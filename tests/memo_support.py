"""Small helpers for the memo tests: drafts and lines written the way the analyst writes them."""

from __future__ import annotations

from etm_desktop.memos.draft import parse_memo
from etm_desktop.memos.validation import check_memo

DAY = "2026-10-05"  # a memo of this date is judged on September 2026


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
