"""Importing the exchange workbook: files that are not workbooks, broken sheets, caps, rollback."""

from __future__ import annotations

import zipfile

import pytest

from etm_desktop.exchange.errors import ImportFailed
from etm_desktop.exchange.importer import import_workbook
from tests.unit.test_exchange_support import TODAY, base_sheets, run, snapshot, write_book


@pytest.mark.parametrize("content", [b"this is not a workbook", b"PK\x03\x04broken zip", b""])
def test_a_file_that_is_not_a_workbook_is_refused_without_a_traceback(database, tmp_path, content):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(content)
    with pytest.raises(ImportFailed) as caught:
        import_workbook(database, path)
    [problem] = caught.value.problems
    assert problem.sheet is None and "не удалось прочитать" in problem.message


def test_a_zip_that_is_not_a_workbook_and_a_missing_file_are_refused(database, tmp_path):
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ImportFailed):
        import_workbook(database, path)
    with pytest.raises(ImportFailed) as caught:
        import_workbook(database, tmp_path / "nowhere.xlsx")
    assert "не найден" in str(caught.value)


def test_a_workbook_without_exchange_sheets_is_refused(database, tmp_path):
    with pytest.raises(ImportFailed) as caught:
        run(database, tmp_path, {"Лист1": [["a"], ["b"]]})
    assert "Офисы" in str(caught.value)


# -- robustness -------------------------------------------------------------------------------

def test_a_broken_sheet_is_named_and_nothing_else_is_piled_on(database, tmp_path):
    good = write_book(tmp_path / "good.xlsx", base_sheets())
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet4.xml":  # «Клиенты»
                data = data[: len(data) // 2]
            target.writestr(item, data)
    with pytest.raises(ImportFailed) as caught:
        import_workbook(database, broken, today=TODAY)
    [problem] = caught.value.problems
    assert problem.sheet == "Клиенты" and "не удалось прочитать" in problem.message


def test_past_the_cap_problems_are_counted_not_kept(database, tmp_path, monkeypatch):
    from etm_desktop.exchange import errors

    monkeypatch.setattr(errors, "KEPT_PER_SHEET", 3)
    sheets = {"Товарооборот": [["Код клиента", "Месяц", "Сумма"]]
              + [["X{0}".format(i), "2024-01", 1] for i in range(7)]}
    with pytest.raises(ImportFailed) as caught:
        run(database, tmp_path, sheets)
    problems = caught.value.problems
    assert [p.row for p in problems] == [2, 3, 4, None]
    assert "4" in problems[-1].message and caught.value.total == 7
    assert "Ошибок: 7" in str(caught.value)


def test_a_database_error_while_writing_rolls_everything_back(database, tmp_path, monkeypatch):
    from sqlalchemy import text

    from etm_desktop.exchange import importer

    run(database, tmp_path, base_sheets())
    before = snapshot(database)

    def failing_write(ctx, plan):
        ctx.session.execute(text("INSERT INTO no_such_table VALUES (1)"))

    monkeypatch.setitem(importer.STEPS, "Активность", (importer.STEPS["Активность"][0], failing_write))
    sheets = base_sheets()
    sheets["Товарооборот"].append(["K4", "2024-06", 77])  # written (by the driver) before the failure
    sheets["Закрепления"].pop()
    with pytest.raises(ImportFailed) as caught:
        run(database, tmp_path, sheets, name="second.xlsx")
    assert "ошибка базы данных" in str(caught.value)
    assert snapshot(database) == before


def test_the_portable_core_path_writes_the_same_rows_as_the_sqlite_fast_path(database, tmp_path, monkeypatch):
    from etm_desktop.db.database import open_database
    from etm_desktop.exchange import bulk

    changed = base_sheets()
    changed["Товарооборот"][1][2] = 4321.5  # an update
    changed["ПДЗ"][1][2] = 600  # an update by id
    changed["Активность"].pop()  # a deletion
    changed["Закрепления"].pop()  # a closing

    def both_imports(db):
        run(db, tmp_path, base_sheets(), name="first.xlsx")
        run(db, tmp_path, changed, name="second.xlsx")
        found = snapshot(db)
        found["audit_record"] = [row[2:] for row in found["audit_record"]]  # without id and time
        del found["norm_set"]  # seeded when each database was created, not by the import
        return found

    fast = both_imports(database)
    monkeypatch.setattr(bulk, "_is_sqlite", lambda session: False)
    portable = open_database(str(tmp_path / "portable.sqlite"))
    try:
        assert both_imports(portable) == fast
    finally:
        portable.dispose()


@pytest.mark.parametrize("count", [1, 49, 50, 51, 130, 257])
def test_bulk_insert_many_rows_to_a_statement_keeps_every_row_in_order(database, monkeypatch, count):
    """SQLite inserts ``ROWS_PER_STATEMENT`` rows to a statement, the rest one by one, per chunk
    (the portable path one row at a time): every row, in order, with its values."""
    from sqlalchemy import text

    from etm_desktop.db.models import Territory
    from etm_desktop.exchange import bulk

    monkeypatch.setattr(bulk, "CHUNK", 120)  # chunk ends that are not multiples of a statement's rows
    ticks = []
    columns = {"code": [f"T{i:04d}" for i in range(count)], "name": [f"Территория {i}" for i in range(count)],
               "in_city": [i % 3 == 0 for i in range(count)], "version": [1] * count}
    with database.session() as session, session.begin():
        assert bulk.insert_rows(session, Territory.__table__, columns, ticks.append) == count
        rows = session.execute(text("SELECT code, name, in_city FROM territory ORDER BY id")).all()
    assert [tuple(r) for r in rows] == list(zip(columns["code"], columns["name"], columns["in_city"]))
    assert ticks[-1] == count
