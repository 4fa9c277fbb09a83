"""``etm-desktop backup [--out FILE]`` and ``etm-desktop restore FILE`` (added to interfaces.md, section 2).

Exit status: 0 done; 2 a user error (not a SQLite database, a damaged or foreign
file, a schema newer than the program, a server database) — with nothing changed.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from etm_desktop.cli import main as cli_main
from etm_desktop.cli.main import main
from etm_desktop.db.backup import list_backups
from tests.unit.test_exchange_support import base_sheets, write_book

pytestmark = pytest.mark.sqlite_only  # SQLite files and their backups/ folder


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    """No test touches the user's own database, and no GUI opens."""
    monkeypatch.setenv("ETM_DESKTOP_DB", str(tmp_path / "env-default.sqlite"))
    monkeypatch.setattr(cli_main, "find_main_window", lambda: None)


def run(capsys, *argv):
    status = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def clients(path) -> int:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT count(*) FROM client").fetchone()[0]


@pytest.fixture
def db(database, tmp_path, capsys) -> Path:
    """The test database after importing the small exchange workbook (4 clients)."""
    path = Path(database.engine.url.database)
    database.dispose()
    status, _, err = run(capsys, "import", write_book(tmp_path / "base.xlsx", base_sheets()), "--db", path)
    assert status == 0, err
    return path


def run_plain(*argv):
    return main([str(a) for a in argv])


def test_help_lists_backup_and_restore(capsys):
    status, out, _ = run(capsys, "--help")
    assert status == 0
    assert "backup [--out ФАЙЛ]" in out and "restore ФАЙЛ" in out


def test_import_on_the_command_line_leaves_a_backup_of_the_state_before(capsys, db):
    [copy] = [b.path for b in list_backups(db.parent / "backups", db.stem) if b.reason == "import"]
    assert clients(copy) == 0 and clients(db) == 4


def test_backup_prints_the_file_written(capsys, db):
    status, out, err = run(capsys, "backup", "--db", db)
    assert (status, err) == (0, "")
    written = Path(out.strip())
    assert written.parent == db.parent / "backups"
    assert re.fullmatch(re.escape(db.stem) + r"-\d{8}-\d{6}-manual(-\d+)?\.sqlite", written.name), written.name
    assert clients(written) == 4


def test_backup_out_writes_the_named_file(capsys, db, tmp_path):
    target = tmp_path / "копии" / "сегодня.sqlite"
    target.parent.mkdir()
    status, out, _ = run(capsys, "--db", db, "backup", "--out", target)
    assert status == 0
    assert Path(out.strip()) == target.resolve()
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert clients(target) == 4
    assert [p for p in target.parent.iterdir()] == [target]  # no partial file left beside it


@pytest.mark.parametrize("argv, words", [
    (["backup", "--db", "postgresql+psycopg://etm@server/etm"], "pg_dump"),
    (["backup", "--db", "{tmp}/нет/такой.sqlite"], "База данных не найдена"),
    (["restore", "{tmp}/нет-такого.sqlite"], "Файл резервной копии не найден"),
])
def test_backup_and_restore_refusals_exit_2(capsys, tmp_path, argv, words):
    status, _, err = run(capsys, *[a.format(tmp=tmp_path) for a in argv])
    assert status == 2
    assert words in err


def test_restore_of_a_server_database_names_pg_dump(capsys, db):
    status, _, err = run(capsys, "restore", db, "--db", "postgresql+psycopg://etm@server/etm")
    assert status == 2 and "pg_dump" in err


def test_restore_round_trip(capsys, db, tmp_path):
    status, out, _ = run(capsys, "backup", "--db", db, "--out", tmp_path / "saved.sqlite")
    assert status == 0
    sheets = base_sheets()
    sheets["Клиенты"].append(["K9", None, "ООО Новый", "ЭМО", "A", None, None])
    assert run_plain("import", write_book(tmp_path / "more.xlsx", sheets), "--db", db) == 0
    capsys.readouterr()
    assert clients(db) == 5

    status, out, err = run(capsys, "restore", tmp_path / "saved.sqlite", "--db", db)

    assert (status, err) == (0, "")
    assert "восстановлена" in out and "Прежняя база сохранена в" in out
    assert clients(db) == 4
    [saved] = [b.path for b in list_backups(db.parent / "backups", db.stem) if b.reason == "before-restore"]
    assert clients(saved) == 5
    status, out, err = run(capsys, "--db", db, "history", "00123")  # the program opens it as usual
    assert (status, err) == (0, "")


def test_restore_refuses_a_file_that_is_not_a_database(capsys, db, tmp_path):
    text = tmp_path / "отчёт.sqlite"
    text.write_text("это не база", encoding="utf-8")
    before = db.read_bytes()
    status, out, err = run(capsys, "restore", text, "--db", db)
    assert (status, out) == (2, "")
    assert "не база данных SQLite" in err and "база не изменена" in err
    assert db.read_bytes() == before
    assert not list((db.parent / "backups").glob("*before-restore*"))


def test_restore_refuses_a_newer_schema(capsys, db, tmp_path):
    newer = tmp_path / "newer.sqlite"
    assert run_plain("backup", "--db", db, "--out", newer) == 0
    with sqlite3.connect(newer) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'f9e8d7c6b5a4'")
    capsys.readouterr()
    status, _, err = run(capsys, "restore", newer, "--db", db)
    assert status == 2
    assert "более новой версией ETM Desktop" in err and "f9e8d7c6b5a4" in err
    assert clients(db) == 4
