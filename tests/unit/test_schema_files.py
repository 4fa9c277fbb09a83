"""Databases of every released schema revision (tests/data/schemas/*.sqlite) open and upgrade intact;
a database stamped by a newer program is refused, through the API and the command line, untouched.

The files are found by globbing, so a new release only adds its file (see README.txt there).
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from etm_desktop.db import migrations
from etm_desktop.db.database import open_database
from tests.fuzz_support import run_cli

pytestmark = pytest.mark.sqlite_only  # saved SQLite files of each schema version

SCHEMAS = Path(__file__).resolve().parents[1] / "data" / "schemas"
SCHEMA_FILES = sorted(SCHEMAS.glob("*.sqlite"))
#: Tables the program may add rows to when it opens a database (the default norm sets of
#: data/norms.toml are added when missing; that is not a change of the user's data).
MAY_GROW = {"norm_set", "alembic_version"}


def _counts(path: Path) -> dict[str, int]:
    connection = sqlite3.connect("file:{0}?mode=ro".format(path), uri=True)
    try:
        tables = [name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        return {name: connection.execute('SELECT count(*) FROM "{0}"'.format(name)).fetchone()[0]
                for name in tables}
    finally:
        connection.close()


def _revision(path: Path) -> str:
    connection = sqlite3.connect("file:{0}?mode=ro".format(path), uri=True)
    try:
        return connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        connection.close()


def _rows(path: Path, sql: str) -> list[tuple]:
    connection = sqlite3.connect("file:{0}?mode=ro".format(path), uri=True)
    try:
        return sorted(connection.execute(sql).fetchall())
    finally:
        connection.close()


def test_there_is_a_file_for_the_first_revision_and_names_are_revisions():
    assert (SCHEMAS / "0001.sqlite") in SCHEMA_FILES
    for path in SCHEMA_FILES:
        assert _revision(path) == path.stem, path.name


@pytest.mark.parametrize("saved", SCHEMA_FILES, ids=[p.stem for p in SCHEMA_FILES])
def test_a_saved_database_upgrades_to_head_with_its_data_intact(saved, tmp_path):
    copy = tmp_path / saved.name
    shutil.copyfile(saved, copy)
    before = _counts(copy)
    clients = _rows(copy, "SELECT code, name FROM client")
    memos = _rows(copy, "SELECT number, state FROM memo")
    assert before["client"] and before["binding"] and before["memo"]  # a non-trivial database

    database = open_database(str(copy))
    try:
        assert migrations.current_revision(database.engine) == migrations.head_revision()
    finally:
        database.dispose()

    after = _counts(copy)
    for table, count in before.items():
        if table in MAY_GROW:
            assert after.get(table, 0) >= count, table
        else:
            assert after.get(table) == count, (table, count, after.get(table))
    assert _rows(copy, "SELECT code, name FROM client") == clients
    assert _rows(copy, "SELECT number, state FROM memo") == memos
    assert saved.read_bytes() != b""  # the saved file itself is only ever copied


@pytest.mark.parametrize("saved", SCHEMA_FILES, ids=[p.stem for p in SCHEMA_FILES])
def test_the_upgraded_database_works(saved, tmp_path):
    """The grid of its last month and a memo's history are computed on the upgraded copy."""
    copy = tmp_path / saved.name
    shutil.copyfile(saved, copy)
    status, out, err = run_cli("--db", copy, "check", "--month", "2026-11", "--json")
    assert status in (0, 1), err
    assert '"managers"' in out
    [(client,)] = _rows(copy, "SELECT client_code FROM memo_line ORDER BY id LIMIT 1")
    status, out, err = run_cli("--db", copy, "history", client)
    assert status == 0, err


def _stamped_newer(tmp_path: Path) -> Path:
    """A copy of the first saved database stamped with a revision no program of ours has made yet."""
    target = tmp_path / "newer.sqlite"
    shutil.copyfile(SCHEMA_FILES[0], target)
    connection = sqlite3.connect(target)
    with connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_from_a_newer_program'")
    connection.close()
    return target


def test_a_newer_database_is_refused_byte_for_byte_unchanged(tmp_path):
    """Also a file in rollback-journal mode (as saved here): switching it to WAL before the
    check used to rewrite its header and leave -wal/-shm files beside it."""
    target = _stamped_newer(tmp_path)
    before = target.read_bytes()
    with pytest.raises(migrations.SchemaTooNew, match="более новой версией"):
        open_database(str(target))
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["newer.sqlite"]


@pytest.mark.parametrize("argv", [[], ["check", "--month", "2026-11"], ["export", "OUT"], ["import", "IN"],
                                  ["memo", "list"], ["history", "K1"]],
                         ids=["no command", "check", "export", "import", "memo list", "history"])
def test_the_command_line_refuses_a_newer_database_with_exit_2(tmp_path, argv):
    target = _stamped_newer(tmp_path)
    before = target.read_bytes()
    source = tmp_path / "in.xlsx"
    source.write_bytes(b"not read")
    argv = [str(tmp_path / "out.xlsx") if a == "OUT" else str(source) if a == "IN" else a for a in argv]
    status, out, err = run_cli("--db", target, *argv)
    assert status == 2, (status, err)
    assert "более новой версией" in err and "Обновите программу" in err
    assert "Traceback" not in err and "Непредвиденная" not in err
    assert target.read_bytes() == before
    assert not (tmp_path / "out.xlsx").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.xlsx", "newer.sqlite"]


def test_a_newer_database_in_a_real_process(tmp_path):
    import os
    import subprocess
    import sys

    target = _stamped_newer(tmp_path)
    before = target.read_bytes()
    done = subprocess.run([sys.executable, "-m", "etm_desktop", "--db", str(target), "check"],
                          cwd=Path(__file__).resolve().parents[2], capture_output=True, text=True,
                          encoding="utf-8", env=dict(os.environ, QT_QPA_PLATFORM="offscreen"), timeout=120)
    assert done.returncode == 2
    assert "более новой версией" in done.stderr and "Traceback" not in done.stderr
    assert target.read_bytes() == before
