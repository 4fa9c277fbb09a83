"""Two analysts at once: a second connection to the test database and a small shop to fight over.

Backend-agnostic: the second analyst opens the fixture's own target (its URL), so the same
tests run against PostgreSQL when the ``database`` fixture points there.
"""

from __future__ import annotations

from datetime import date

import pytest

from etm_desktop.memos.lifecycle import approve, submit
from etm_desktop.memos.store import MemoStatus, get_memo, save_draft
from tests.memo_support import draft

SEP, OCT = date(2026, 9, 1), date(2026, 10, 1)
ON = date(2026, 10, 20)
ME, OTHER = "Фёдорова П.Д.", "ivanov"


def target(database) -> str:
    """The URL of the database, password included: what a second program would open."""
    return database.engine.url.render_as_string(hide_password=False)


def open_second(database):
    from etm_desktop.db.database import open_database

    return open_database(target(database), seed_norms=False)


@pytest.fixture
def other(database):
    """The second analyst: another Database (another engine, other connections) on the same target."""
    second = open_second(database)
    yield second
    second.dispose()


@pytest.fixture
def shop(centre):
    """ОП1: Универсальные 1001 and 1002 with 25 paying clients each; KO is with ООК (potential C)."""
    codes: dict[str, list[str]] = {}
    for tab in ("1001", "1002"):
        manager = centre.manager(tab, "Универсальный")
        codes[tab] = [c.code for c in centre.paying_clients(manager, 25, SEP, ckg="ЭМО")]
        centre.outside_meetings(manager, [SEP, OCT], 30)
    centre.client(None, code="KO", ckg="ЭМО", potential="C")
    centre.commit()
    return codes


def submitted(database, *lines) -> str:
    number = save_draft(database, draft(*lines), who=ME)
    submit(database, number, today=date(2026, 10, 6), who=ME)
    assert get_memo(database, number).state == MemoStatus.SUBMITTED
    return number


def approved(database, *lines) -> str:
    number = submitted(database, *lines)
    for step in get_memo(database, number).route:
        approve(database, number, step=step, name="Борисов М.Ю.", on=date(2026, 10, 7), who=ME)
    assert get_memo(database, number).state == MemoStatus.APPROVED
    return number


def retry_text(message: str) -> bool:
    return "данные обновлены, повторите действие" in message or "примените записку заново" in message
