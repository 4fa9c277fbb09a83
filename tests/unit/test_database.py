"""Opening, migrating and refusing databases."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import inspect, select

from etm_desktop.db import migrations
from etm_desktop.db.database import bump_data_version, database_url, open_database
from etm_desktop.db.models import NormSet


def test_new_path_gets_a_migrated_database_with_default_norms(tmp_path):
    path = tmp_path / "sub" / "new.sqlite"
    database = open_database(str(path))
    assert path.exists()
    assert migrations.current_revision(database.engine) == migrations.head_revision()
    tables = set(inspect(database.engine).get_table_names())
    assert {"client", "binding", "employee", "turnover", "norm_set", "memo", "audit_record"} <= tables
    with database.session() as session:
        assert session.scalar(select(NormSet).limit(1)) is not None
    database.dispose()


@pytest.mark.sqlite_only
def test_sqlite_pragmas_are_set(database):
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_reopening_does_not_duplicate_norms(tmp_path):
    path = str(tmp_path / "db.sqlite")
    first = open_database(path)
    with first.session() as session:
        count = len(session.scalars(select(NormSet)).all())
    first.dispose()
    second = open_database(path)
    with second.session() as session:
        assert len(session.scalars(select(NormSet)).all()) == count
    second.dispose()


def test_database_from_a_newer_program_is_refused_untouched(tmp_path):
    path = tmp_path / "newer.sqlite"
    open_database(str(path)).dispose()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    before = path.read_bytes()
    with pytest.raises(migrations.SchemaTooNew, match="более новой версией"):
        open_database(str(path))
    assert path.read_bytes() == before


def test_data_version_is_bumped_by_writes(database):
    start = database.data_version()
    with database.session() as session, session.begin():
        bump_data_version(session)
    assert database.data_version() == start + 1


def test_database_url_passes_urls_and_resolves_paths(tmp_path):
    assert database_url("postgresql+psycopg://u@localhost/etm") == "postgresql+psycopg://u@localhost/etm"
    assert database_url(str(tmp_path / "x.sqlite")).startswith("sqlite:////")


def test_environment_variable_names_the_default_database(monkeypatch, tmp_path):
    from etm_desktop.paths import default_database

    monkeypatch.setenv("ETM_DESKTOP_DB", str(tmp_path / "env.sqlite"))
    assert default_database() == str(tmp_path / "env.sqlite")
    monkeypatch.delenv("ETM_DESKTOP_DB")
    assert default_database().endswith("etm-desktop.sqlite")


def test_two_writers_never_end_on_the_same_data_version(database):
    """The bump is one atomic UPDATE, not read-then-write."""
    first, second = database.session(), database.session()
    start = database.data_version()
    with first.begin():
        bump_data_version(first)
    with second.begin():
        bump_data_version(second)
    assert database.data_version() == start + 2
    first.close()
    second.close()


def test_migration_files_follow_the_naming_rule_the_fast_open_relies_on():
    """``upgrade`` skips Alembic when the database is at the head found by the files' names:
    every file ``NNNN_slug.py`` has revision ``NNNN``, after the previous one (a linear history)."""
    import ast

    files = sorted(p for p in migrations.VERSIONS.glob("*.py") if p.name != "__init__.py")
    assert files and all(migrations._MIGRATION_FILE.match(p.name) for p in files)
    previous = None
    for path in files:
        values = {}
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
                if node.targets[0].id in ("revision", "down_revision"):
                    values[node.targets[0].id] = ast.literal_eval(node.value)
        assert values == {"revision": path.name[:4], "down_revision": previous}, path.name
        previous = values["revision"]
    assert migrations.head_revision_of_files() == migrations.head_revision() == previous


def test_opening_a_database_at_head_does_not_load_alembic(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "db.sqlite"
    open_database(str(path)).dispose()
    code = ("import sys; from etm_desktop.db.database import open_database; "
            f"open_database({str(path)!r}).dispose(); print(any(m.startswith('alembic') for m in sys.modules))")
    answer = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert answer.stdout.strip() == "False"


def test_a_database_behind_the_head_is_still_upgraded(tmp_path):
    from alembic import command
    from sqlalchemy import create_engine

    path = tmp_path / "old.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    config = migrations._config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    engine.dispose()
    database = open_database(str(path))
    assert migrations.current_revision(database.engine) == migrations.head_revision()
    database.dispose()
