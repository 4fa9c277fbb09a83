"""Where the test databases live: SQLite files (default) or a real PostgreSQL server.

Set ``ETM_TEST_POSTGRES_URL`` (a URL of a role allowed to create databases,
e.g. ``postgresql://etm:etm@127.0.0.1:5432/postgres``) and every fixture
database — ``database``, ``centre``, ``small_demo`` — is a PostgreSQL database
made from a migrated template (``CREATE DATABASE … TEMPLATE``), dropped after
the test. Tests that are about SQLite files themselves (paths, pragmas, the
backup API) keep making their own files and are marked ``sqlite_only``.
"""

from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

POSTGRES_URL_VAR = "ETM_TEST_POSTGRES_URL"


def postgres_url() -> str | None:
    return os.environ.get(POSTGRES_URL_VAR) or None


def checkpoint(database) -> None:
    """Fold SQLite's WAL into the file so that a plain file copy is complete."""
    if database.engine.dialect.name == "sqlite":
        with database.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


class SqliteFiles:
    """Each database is a file; a copy is a file copy."""

    name = "sqlite"

    def __init__(self, folder: Path):
        self.folder = folder
        self._names = itertools.count(1)

    def new_target(self, label: str) -> str:
        """A path in a folder of its own (a database's backups/ folder sits beside it)."""
        folder = self.folder / f"{label}-{next(self._names)}"
        folder.mkdir()
        return str(folder / f"{label}.sqlite")

    def copy(self, template: str, label: str) -> str:
        target = self.new_target(label)
        shutil.copyfile(template, target)
        return target

    def drop(self, target: str) -> None:
        shutil.rmtree(Path(target).parent, ignore_errors=True)

    def close(self) -> None:
        pass


class PostgresServer:
    """Each database is a database on one server; a copy is CREATE DATABASE … TEMPLATE."""

    name = "postgresql"

    def __init__(self, admin_url: str):
        url = make_url(admin_url)
        if url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        self.url = url
        self.admin = create_engine(url, isolation_level="AUTOCOMMIT", pool_size=1)
        self._names = itertools.count(1)
        self._prefix = f"etm_test_{os.getpid()}_"
        self._created: set[str] = set()

    def _name(self, label: str) -> str:
        return f"{self._prefix}{label}_{next(self._names)}".lower()

    def _target(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def new_target(self, label: str) -> str:
        name = self._name(label)
        with self.admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        self._created.add(name)
        return self._target(name)

    def copy(self, template: str, label: str) -> str:
        source = make_url(template).database
        name = self._name(label)
        with self.admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{source}" STRATEGY FILE_COPY')
        self._created.add(name)
        return self._target(name)

    def drop(self, target: str) -> None:
        name = make_url(target).database
        with self.admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._created.discard(name)

    def close(self) -> None:
        for name in sorted(self._created):
            with self.admin.connect() as connection:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.admin.dispose()


def make_backend(folder: Path):
    url = postgres_url()
    return PostgresServer(url) if url else SqliteFiles(folder)
