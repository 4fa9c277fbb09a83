"""Shared fixtures: a fresh migrated database per test (template copied, not rebuilt)."""

from __future__ import annotations

import os
import shutil

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory):
    from etm_desktop.db.database import open_database

    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    database = open_database(str(path))
    with database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.dispose()
    return path


@pytest.fixture
def database(_template_db, tmp_path):
    """A migrated database with the default norms and nothing else."""
    from etm_desktop.db.database import open_database

    path = tmp_path / "test.sqlite"
    shutil.copyfile(_template_db, path)
    db = open_database(str(path))
    yield db
    db.dispose()


@pytest.fixture(autouse=True)
def _fresh_inputs_cache(monkeypatch):
    """Every test starts with an empty cache of prepared grid frames."""
    from etm_desktop.compliance import service
    from etm_desktop.compliance.inputs import InputsCache

    monkeypatch.setattr(service, "_cache", InputsCache())


@pytest.fixture(scope="session")
def small_demo_path(_template_db, tmp_path_factory):
    """The small demo centre as of 2026-12-03, generated once per test session."""
    from datetime import date

    from etm_desktop.db.database import open_database
    from etm_desktop.demo import generate

    path = tmp_path_factory.mktemp("demo") / "small.sqlite"
    shutil.copyfile(_template_db, path)
    database = open_database(str(path))
    generate(database, scale="small", today=date(2026, 12, 3))
    with database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.dispose()
    return path


@pytest.fixture
def small_demo(small_demo_path, tmp_path):
    """A private copy of the small demo (a test may change it)."""
    from etm_desktop.db.database import open_database

    path = tmp_path / "demo.sqlite"
    shutil.copyfile(small_demo_path, path)
    db = open_database(str(path))
    yield db
    db.dispose()


@pytest.fixture
def centre(database):
    from tests.builders import CentreBuilder

    builder = CentreBuilder(database)
    yield builder
    builder.session.close()


def pytest_terminal_summary(terminalreporter):
    """How many malformed inputs the fuzz tests tried, by kind (tests/fuzz_support.py)."""
    import sys

    support = sys.modules.get("tests.fuzz_support")
    if support is None or not support.TRIED:
        return
    terminalreporter.section("malformed inputs tried (profile {0})".format(support.profile_name()))
    for kind, count in sorted(support.TRIED.items()):
        terminalreporter.write_line("{0:>8}  {1}".format(count, kind))
    terminalreporter.write_line("{0:>8}  in all".format(sum(support.TRIED.values())))
