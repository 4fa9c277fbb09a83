"""Alembic migrations, run programmatically when a database is opened."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

SCRIPT_LOCATION = Path(__file__).resolve().parent


class SchemaTooNew(RuntimeError):
    """The database was written by a newer ETM Desktop; it is left untouched."""


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except Exception:  # alembic raises CommandError / ResolutionError for unknown ids
        return False


def refuse_newer(revision: str | None, script: ScriptDirectory | None = None) -> None:
    """Raise :class:`SchemaTooNew` if ``revision`` is not one of this program's migrations."""
    script = script or ScriptDirectory.from_config(_config())
    if revision is not None and not _known(script, revision):
        raise SchemaTooNew(
            "База данных создана более новой версией ETM Desktop (схема {0}); "
            "эта версия программы не может её открыть. Обновите программу.".format(revision)
        )


def upgrade(engine: Engine) -> None:
    """Bring the schema to this program's head, refusing a newer database."""
    script = ScriptDirectory.from_config(_config())
    current = current_revision(engine)
    refuse_newer(current, script)
    if current == script.get_current_head():
        return
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
