"""Backups of a SQLite database (issue 7): before every import and memo apply, rotation, restore.

The promise is "a copy before every change": an import or an apply that cannot be
backed up is refused with nothing written. A restore checks the file first and
changes nothing when it is refused.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from etm_desktop import config
from etm_desktop.db import backup as backup_module
from etm_desktop.db import migrations
from etm_desktop.db.backup import BackupError, backup_before, list_backups, rotate, sqlite_file, take_backup
from etm_desktop.db.database import open_database
from etm_desktop.db.models import Binding, Client
from etm_desktop.db.restore import check_backup_file, restore_database
from etm_desktop.exchange.errors import ImportFailed
from etm_desktop.memos.lifecycle import apply
from etm_desktop.memos.store import MemoError, MemoStatus, get_memo
from tests.memo_support import transfer
from tests.unit.test_exchange_support import base_sheets, run, snapshot
from tests.unit.test_memo_apply import ON, approved, shop  # noqa: F401 - shop is a fixture

pytestmark = pytest.mark.sqlite_only  # SQLite files and their backups/ folder

NOON = datetime(2026, 12, 3, 12, 0, 0)


def db_file(database) -> Path:
    return Path(database.engine.url.database)


def count_clients(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT count(*) FROM client").fetchone()[0]


def backups_of(database) -> list:
    path = db_file(database)
    return list_backups(path.parent / "backups", path.stem)


# -- before an import ------------------------------------------------------------------------------

def test_import_backs_up_the_database_as_it_was_before(database, tmp_path):
    run(database, tmp_path, base_sheets())
    [first] = backups_of(database)
    assert first.reason == "import"
    assert first.path.name.startswith(db_file(database).stem + "-")
    assert count_clients(first.path) == 0  # the copy is the state before the import
    sheets = base_sheets()
    sheets["Клиенты"].append(["K9", None, "ООО Новый", "ЭМО", "A", None, None])
    run(database, tmp_path, sheets, name="second.xlsx")
    second = backups_of(database)[-1]
    assert count_clients(second.path) == 4 and count_clients(db_file(database)) == 5


def test_a_refused_workbook_makes_no_backup(database, tmp_path):
    sheets = base_sheets()
    sheets["Клиенты"][1][3] = "Непонятно"
    with pytest.raises(ImportFailed):
        run(database, tmp_path, sheets)
    assert backups_of(database) == []


def test_no_backup_no_import(database, tmp_path, monkeypatch):
    def broken(*_args, **_kw):
        raise BackupError("Не удалось записать резервную копию: нет места на диске")

    monkeypatch.setattr(backup_module, "copy_database", broken)
    before = snapshot(database)
    with pytest.raises(ImportFailed) as raised:
        run(database, tmp_path, base_sheets())
    assert "резервная копия базы перед импортом не создана" in str(raised.value)
    assert "нет места на диске" in str(raised.value)
    assert snapshot(database) == before


# -- before a memo apply -----------------------------------------------------------------------------

def test_apply_backs_up_the_database_as_it_was_before(database, shop):  # noqa: F811
    number = approved(database, transfer(shop["1001"][0], "1001", "1002"))
    apply(database, number, on=ON)
    [copy] = [b for b in backups_of(database) if b.reason == "memo-apply"]
    saved = open_database(str(copy.path), seed_norms=False)
    try:
        with saved.session() as session:
            assert get_memo(saved, number).state == MemoStatus.APPROVED
            assert session.scalar(select(func.count()).select_from(Binding)
                                  .where(Binding.memo_id.is_not(None))) == 0
    finally:
        saved.dispose()
    assert get_memo(database, number).state == MemoStatus.APPLIED


def test_no_backup_no_apply(database, shop, monkeypatch):  # noqa: F811
    number = approved(database, transfer(shop["1001"][0], "1001", "1002"))
    monkeypatch.setattr(backup_module, "copy_database",
                        lambda *_a, **_k: (_ for _ in ()).throw(BackupError("диск только для чтения")))
    with pytest.raises(MemoError, match="записка не применена: диск только для чтения"):
        apply(database, number, on=ON)
    assert get_memo(database, number).state == MemoStatus.APPROVED


def test_a_server_database_is_not_copied():
    """PostgreSQL is backed up with pg_dump by its administrator: skipped, no error."""
    engine = create_engine("postgresql+psycopg://etm@server/etm")
    assert sqlite_file(engine) is None
    assert backup_before(engine, "import") is None
    assert sqlite_file("sqlite:///:memory:") is None


# -- names and rotation ------------------------------------------------------------------------------

def test_names_are_unique_within_one_second_and_rotation_keeps_the_newest(database):
    path = db_file(database)
    made = [take_backup(path, reason, keep=3, now=NOON) for reason in ("import", "memo-apply", "import", "manual")]
    assert len(set(made)) == 4
    assert made[0].name == "{0}-20261203-120000-import.sqlite".format(path.stem)
    assert made[1].name == "{0}-20261203-120000-memo-apply-2.sqlite".format(path.stem)
    kept = backups_of(database)
    assert [b.path for b in kept] == made[1:]  # the oldest went
    later = take_backup(path, "import", keep=3, now=datetime(2026, 12, 3, 12, 0, 1))
    assert [b.path for b in backups_of(database)] == made[2:] + [later]


def test_rotation_leaves_other_databases_and_strangers_alone(database, tmp_path):
    path = db_file(database)
    folder = path.parent / "backups"
    take_backup(path, "import", keep=1, now=NOON)
    other = folder / "other-20200101-000000-import.sqlite"
    stranger = folder / "notes.txt"
    other.write_bytes(b"x")
    stranger.write_text("мои заметки", encoding="utf-8")
    take_backup(path, "import", keep=1, now=datetime(2026, 12, 4, 9, 0, 0))
    assert other.exists() and stranger.exists()
    assert len(backups_of(database)) == 1
    assert rotate(folder, path.stem, 1) == []


def test_a_copy_cut_short_is_never_listed_and_is_cleared_later(database):
    path = db_file(database)
    folder = path.parent / "backups"
    folder.mkdir()
    reserved = folder / "{0}-20261203-115959-import.sqlite".format(path.stem)  # name taken, copy not written
    partial = folder / "{0}-20261203-115959-import.sqlite.4242.partial".format(path.stem)
    fresh = folder / "{0}-20261203-120000-import.sqlite.4343.partial".format(path.stem)
    reserved.touch()
    partial.write_bytes(b"SQLite format 3\x00")
    fresh.write_bytes(b"SQLite format 3\x00")
    hours_ago = time.time() - 2 * 3600
    for stale in (reserved, partial):
        os.utime(stale, (hours_ago, hours_ago))
    assert list_backups(folder, path.stem) == []
    made = take_backup(path, "import", keep=5, now=NOON)
    assert [b.path for b in list_backups(folder, path.stem)] == [made]
    assert not reserved.exists() and not partial.exists()
    assert fresh.exists()  # perhaps another program's copy in progress


def test_the_number_kept_comes_from_the_config_file(tmp_path, monkeypatch):
    ini = tmp_path / "etm-desktop.ini"
    assert config.backups_kept(ini) == config.DEFAULT_BACKUPS_KEPT == 10
    ini.write_text("[backup]\nkeep = 3\n", encoding="utf-8")
    assert config.backups_kept(ini) == 3
    ini.write_text("[backup]\nkeep = много\n", encoding="utf-8")
    assert config.backups_kept(ini) == 10
    ini.write_text("[backup]\nkeep = 3\n", encoding="utf-8")
    monkeypatch.setattr(config, "config_path", lambda: ini)
    source = tmp_path / "db" / "base.sqlite"
    source.parent.mkdir()
    sqlite3.connect(source).execute("CREATE TABLE t (x)").connection.close()
    for second in range(5):
        take_backup(source, "manual", now=datetime(2026, 1, 1, 0, 0, second))
    assert len(list_backups(source.parent / "backups", "base")) == 3


def test_a_copy_is_consistent_while_another_program_is_writing(database):
    """WAL: the copy does not wait for an open write transaction and does not see it."""
    path = db_file(database)
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA cache_size=5")  # so the open transaction spills pages into the WAL
    writer.execute("BEGIN IMMEDIATE")
    writer.executemany("INSERT INTO client (code, name, ckg, version) VALUES (?, 'Незавершённый', 'ЭМО', 1)",
                       [("W%d" % i,) for i in range(2000)])
    result: dict = {}
    thread = threading.Thread(target=lambda: result.update(path=take_backup(path, "manual", keep=5)))
    thread.start()
    thread.join(timeout=20)
    assert not thread.is_alive(), "the copy waited for the writer"
    writer.execute("COMMIT")
    writer.close()
    assert count_clients(result["path"]) == 0 and count_clients(path) == 2000
    with sqlite3.connect(result["path"]) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # one self-contained file


# -- restore -----------------------------------------------------------------------------------------

def test_restore_round_trip(database, tmp_path):
    run(database, tmp_path, base_sheets())
    path = db_file(database)
    saved = take_backup(path, "manual", keep=10)
    before = snapshot(database)
    sheets = base_sheets()
    sheets["Клиенты"].append(["K9", None, "ООО Новый", "ЭМО", "A", None, None])
    run(database, tmp_path, sheets, name="more.xlsx")
    version = database.data_version()

    restored = restore_database(path, saved)

    assert restored.saved_as is not None and "before-restore" in restored.saved_as.name
    assert count_clients(restored.saved_as) == 5  # the replaced data is kept
    after = snapshot(database)
    assert database.data_version() > version  # caches built on the replaced data are dropped
    after.pop("data_version"), before.pop("data_version")
    assert after == before
    with database.session() as session:
        assert session.scalar(select(Client.id).where(Client.code == "K9")) is None
    database.dispose()
    reopened = open_database(str(path))
    reopened.dispose()


def test_restoring_the_oldest_backup_does_not_rotate_it_away(database, tmp_path, monkeypatch):
    monkeypatch.setattr(config, "backups_kept", lambda: 2)
    run(database, tmp_path, base_sheets())
    path = db_file(database)
    shutil.rmtree(path.parent / "backups")
    oldest = take_backup(path, "manual", now=datetime.now() - timedelta(days=2))
    take_backup(path, "manual", now=datetime.now() - timedelta(days=1))
    assert [b.path for b in backups_of(database)][0] == oldest
    restore_database(path, oldest)
    assert oldest.exists()
    assert count_clients(path) == 4


def test_restore_of_a_file_with_another_page_size(database, tmp_path):
    run(database, tmp_path, base_sheets())
    path = db_file(database)
    saved = take_backup(path, "manual", keep=10)
    with sqlite3.connect(saved) as copy:
        copy.execute("PRAGMA page_size=8192")
        copy.execute("VACUUM")
        assert copy.execute("PRAGMA page_size").fetchone() == (8192,)
    database.dispose()
    current = sqlite3.connect(path)
    with current:
        current.execute("DELETE FROM activity")
    current.close()  # leaving WAL for another page size needs the database to itself
    restore_database(path, saved)
    with sqlite3.connect(path) as restored:
        assert restored.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert restored.execute("SELECT count(*) FROM activity").fetchone() == (3,)
    open_database(str(path)).dispose()


def test_restore_of_an_older_schema_is_upgraded_on_next_open(tmp_path):
    from alembic import command

    old = tmp_path / "old.sqlite"
    engine = create_engine("sqlite:///" + str(old))
    with engine.begin() as connection:
        settings = migrations._config()
        settings.attributes["connection"] = connection
        command.upgrade(settings, "0001")
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0001'")
    engine.dispose()
    target = tmp_path / "current.sqlite"
    open_database(str(target)).dispose()
    restore_database(target, old)
    open_database(str(target)).dispose()


def _corrupt(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE filler (x TEXT)")
    connection.executemany("INSERT INTO filler VALUES (?)", [("строка %d" % i * 20,) for i in range(3000)])
    connection.execute("CREATE INDEX filler_x ON filler (x)")
    connection.commit()
    connection.execute("PRAGMA journal_mode=DELETE")
    connection.close()
    data = bytearray(path.read_bytes())
    middle = len(data) // 2 // 4096 * 4096
    data[middle + 8: middle + 4096] = b"\x07" * (4096 - 8)
    path.write_bytes(bytes(data))


def _newer(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'f9e8d7c6b5a4'")


def _foreign(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("DROP TABLE alembic_version")


@pytest.mark.parametrize("spoil, words", [
    (lambda p: p.write_text("Код клиента;Сумма\n", encoding="utf-8"), "не база данных SQLite"),
    (lambda p: p.write_bytes(b""), "не база данных SQLite"),
    (_corrupt, "повреждён"),
    (_newer, "более новой версией ETM Desktop"),
    (_foreign, "не база ETM Desktop"),
])
def test_restore_refuses_a_bad_file_and_changes_nothing(database, tmp_path, spoil, words):
    path = db_file(database)
    with database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    bad = tmp_path / "bad.sqlite"
    shutil.copyfile(path, bad)
    spoil(bad)
    before = path.read_bytes()
    with pytest.raises(BackupError) as refused:
        restore_database(path, bad)
    message = str(refused.value)
    assert words in message, message
    assert str(bad) in message
    assert path.read_bytes() == before
    assert not (path.parent / "backups").exists()


def test_restore_from_the_database_itself_is_refused(database):
    path = db_file(database)
    with pytest.raises(BackupError, match="сама текущая база"):
        restore_database(path, path)
    assert check_backup_file(path) == migrations.head_revision()
