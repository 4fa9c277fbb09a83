"""Opening a database: SQLite file (default) or a PostgreSQL URL, migrated on open."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, select, update
from sqlalchemy.orm import Session, sessionmaker

from etm_desktop.db import migrations
from etm_desktop.db.errors import LOCK_WAIT_SECONDS
from etm_desktop.db.models import DataVersion

SQLITE_BUSY_TIMEOUT_MS = LOCK_WAIT_SECONDS * 1000


def database_url(target: str) -> str:
    """A SQLAlchemy URL for ``target``: a URL, or a path to a SQLite file.

    A plain ``postgresql://`` URL (as psql and the administrators write it)
    gets the psycopg 3 driver the program ships with.
    """
    if "://" in target:
        scheme, rest = target.split("://", 1)
        if scheme in ("postgresql", "postgres"):
            return "postgresql+psycopg://" + rest
        return target
    return "sqlite:///" + str(Path(target).expanduser().resolve())


def _configure_sqlite(engine: Engine) -> dict[str, bool]:
    """Pragmas for every new connection; returns the switch that turns WAL on.

    Switching to WAL writes the file's header, so it waits until the schema was
    found to be one this program knows: a database of a newer program is left
    byte for byte as it was (see :func:`open_database`).
    """
    wal = {"on": False}

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # noqa: ANN001 - DBAPI objects
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        if wal["on"]:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return wal


@dataclass
class Database:
    """An open, migrated database: the one object every service is handed."""

    engine: Engine
    sessions: sessionmaker[Session]

    def session(self) -> Session:
        return self.sessions()

    def _rendered(self, *, hide_password: bool) -> str:
        url = self.engine.url
        if url.get_backend_name() == "sqlite":
            return str(url.database)
        return url.render_as_string(hide_password=hide_password)

    @property
    def target(self) -> str:
        """What ``open_database`` was given: the SQLite file's path or the full URL."""
        return self._rendered(hide_password=False)

    @property
    def display_name(self) -> str:
        """The target as shown to a user: a PostgreSQL URL without its password."""
        return self._rendered(hide_password=True)

    def data_version(self) -> int:
        """A counter bumped by every write; caches of prepared frames key on it."""
        with self.session() as session:
            value = session.scalar(select(DataVersion.counter).where(DataVersion.id == 1))
            return int(value or 0)

    def dispose(self) -> None:
        self.engine.dispose()


def bump_data_version(session: Session) -> None:
    """Mark the data as changed (call inside the writing transaction).

    One atomic ``UPDATE … SET counter = counter + 1``: two writers never end on
    the same number, so no cache keeps data older than the last write.
    """
    bumped = session.execute(update(DataVersion).where(DataVersion.id == 1)
                             .values(counter=DataVersion.counter + 1))
    if bumped.rowcount == 0:
        session.add(DataVersion(id=1, counter=1))
        session.flush()


def begin_sqlite_write(session: Session) -> None:
    """On SQLite, open the session's write transaction now (a no-op elsewhere or when open).

    The sqlite3 driver begins a transaction only before INSERT, UPDATE or DELETE: a
    DDL statement run first (the importer drops and recreates indexes around a big
    load) would be committed on its own at once, and a rollback or a crash after it
    would leave the schema changed. ``BEGIN IMMEDIATE`` also takes the write lock,
    waiting for another writer up to the busy timeout.
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    driver = connection.connection.driver_connection
    if not driver.in_transaction:
        driver.execute("BEGIN IMMEDIATE")


def open_database(target: str, *, seed_norms: bool = True) -> Database:
    """Open (creating or upgrading as needed) the database at ``target``.

    A new SQLite path gets a new empty database with the default norms of
    ``data/norms.toml``. A file made by a newer program is refused with
    :class:`migrations.SchemaTooNew`, never touched.
    """
    url = database_url(target)
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    options = {}
    if url.startswith("postgresql"):
        # a row another analyst holds is waited for as long as SQLite's busy timeout, then refused
        options["connect_args"] = {"options": f"-c lock_timeout={LOCK_WAIT_SECONDS}s"}
    engine = create_engine(url, future=True, **options)
    wal = _configure_sqlite(engine) if engine.dialect.name == "sqlite" else None
    migrations.upgrade(engine)  # SchemaTooNew before anything is written
    if wal is not None:
        wal["on"] = True
        engine.dispose()  # connections from now on are in WAL mode
    database = Database(engine=engine, sessions=sessionmaker(engine, expire_on_commit=False))
    if seed_norms:
        from etm_desktop.norms.store import ensure_default_norms

        ensure_default_norms(database)
    return database
