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


@pytest.fixture
def centre(database):
    from tests.builders import CentreBuilder

    builder = CentreBuilder(database)
    yield builder
    builder.session.close()
