"""The prepared-frames cache never answers one database's grid with another's data.

CPython reuses the id of a freed object, so a database opened after another one was
closed may get the same id and the same data version; the grid must still be its own.
"""

from datetime import date

from etm_desktop.compliance import inputs as inputs_module
from etm_desktop.compliance.service import month_grid
from etm_desktop.db.database import open_database
from tests.builders import CentreBuilder, manager_row

OCT = date(2026, 10, 1)


def _centre(path, kb):
    database = open_database(str(path))
    builder = CentreBuilder(database)
    m = builder.manager("1001", "Универсальный")
    builder.clients(m, kb)
    builder.commit()
    builder.session.close()
    return database


def test_same_id_and_data_version_of_another_database(tmp_path, monkeypatch):
    monkeypatch.setattr(inputs_module, "id", lambda obj: 4242, raising=False)  # an id reused
    first = _centre(tmp_path / "first.sqlite", 3)
    second = _centre(tmp_path / "second.sqlite", 5)
    try:
        assert first.data_version() == second.data_version()
        assert manager_row(month_grid(first, OCT), "1001").kb_size == 3
        assert manager_row(month_grid(second, OCT), "1001").kb_size == 5
        assert manager_row(month_grid(first, OCT), "1001").kb_size == 3
    finally:
        first.dispose()
        second.dispose()


def test_a_write_is_seen_by_the_next_grid(centre, database):
    m = centre.manager("1001", "Универсальный")
    centre.clients(m, 3)
    centre.commit()
    assert manager_row(month_grid(database, OCT), "1001").kb_size == 3
    centre.clients(m, 2)
    centre.commit()
    assert manager_row(month_grid(database, OCT), "1001").kb_size == 5
