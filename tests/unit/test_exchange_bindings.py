"""«Закрепления» is a full snapshot: missing bindings are closed (never deleted), with an audit trail."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select

from etm_desktop.db.models import AuditRecord, Binding, Client, Employee
from etm_desktop.exchange.importer import import_workbook
from tests.unit.test_exchange_support import TODAY, base_sheets, snapshot, write_book

LATER = date(2026, 12, 1)


def run(database, tmp_path, sheets, today=TODAY, name="book.xlsx"):
    return import_workbook(database, write_book(tmp_path / name, sheets), today=today)


def bindings(database) -> dict[tuple[str, str], list[tuple]]:
    """(client code, tab no) -> [(valid_from, valid_to, basis), …] oldest first."""
    with database.session() as session:
        found = session.execute(
            select(Client.code, Employee.tab_no, Binding.valid_from, Binding.valid_to, Binding.basis)
            .join(Client, Binding.client_id == Client.id).join(Employee, Binding.employee_id == Employee.id)
            .order_by(Binding.valid_from, Binding.id)).all()
    result: dict = {}
    for code, tab, start, end, basis in found:
        result.setdefault((code, tab), []).append((start, end, basis))
    return result


def audit(database) -> list[tuple]:
    with database.session() as session:
        return session.execute(select(AuditRecord.entity, AuditRecord.entity_key, AuditRecord.action,
                                      AuditRecord.who, AuditRecord.before, AuditRecord.after)
                               .order_by(AuditRecord.id)).all()


def test_new_bindings_open_on_their_date_or_today(database, tmp_path):
    run(database, tmp_path, base_sheets())
    found = bindings(database)
    assert found[("00123", "1001")] == [(date(2021, 2, 1), None, "СЗ-2021-001")]
    assert found[("K2", "1001")] == [(TODAY, None, None)]
    opened = [row for row in audit(database) if row[0] == "binding"]
    assert [(key, action, who) for _e, key, action, who, _b, _a in opened] == [
        ("00123", "open", "импорт"), ("K2", "open", "импорт"), ("K3", "open", "импорт")]
    after = json.loads(opened[0][5])
    assert after == {"client": "00123", "employee": "1001", "valid_from": "2021-02-01",
                     "valid_to": None, "basis": "СЗ-2021-001"}
    assert opened[0][4] is None


def test_a_binding_missing_from_the_next_snapshot_is_closed_not_deleted(database, tmp_path):
    run(database, tmp_path, base_sheets())
    sheets = base_sheets()
    del sheets["Закрепления"][2]  # K2 -> 1001 no longer listed
    sheets["Закрепления"].append(["K4", "2001", None, "СЗ-2026-050"])
    report = run(database, tmp_path, sheets, today=LATER, name="next.xlsx")
    counts = report["Закрепления"]
    assert (counts.inserted, counts.closed, counts.unchanged) == (1, 1, 2)
    found = bindings(database)
    assert found[("K2", "1001")] == [(TODAY, LATER, None)]  # kept, closed on the import day
    assert found[("K4", "2001")] == [(LATER, None, "СЗ-2026-050")]
    closing = [row for row in audit(database) if row[2] == "close"]
    assert len(closing) == 1 and closing[0][1] == "K2"
    assert json.loads(closing[0][4])["valid_to"] is None
    assert json.loads(closing[0][5])["valid_to"] == LATER.isoformat()


def test_a_closed_binding_listed_again_opens_a_new_one(database, tmp_path):
    run(database, tmp_path, base_sheets())
    sheets = base_sheets()
    del sheets["Закрепления"][2]
    run(database, tmp_path, sheets, today=LATER, name="next.xlsx")
    run(database, tmp_path, base_sheets(), today=date(2027, 1, 10), name="again.xlsx")
    assert bindings(database)[("K2", "1001")] == [(TODAY, LATER, None), (date(2027, 1, 10), None, None)]


def test_an_empty_snapshot_closes_everything_and_repeating_it_changes_nothing(database, tmp_path):
    run(database, tmp_path, base_sheets())
    empty = {"Закрепления": [["Код клиента", "Таб. номер"]]}
    assert run(database, tmp_path, empty, today=LATER, name="empty.xlsx")["Закрепления"].closed == 3
    assert all(end == LATER for periods in bindings(database).values() for _s, end, _b in periods)
    before = snapshot(database)
    assert not run(database, tmp_path, empty, today=LATER, name="empty.xlsx").changed
    assert snapshot(database) == before


def test_without_the_sheet_bindings_are_left_alone(database, tmp_path):
    run(database, tmp_path, base_sheets())
    sheets = base_sheets()
    del sheets["Закрепления"]
    run(database, tmp_path, sheets, today=LATER, name="no-bindings.xlsx")
    assert all(end is None for periods in bindings(database).values() for _s, end, _b in periods)
