"""Alembic migrations, run programmatically when a database is opened.

Alembic itself (with Mako and Pygments, ~0.1 s to import) is loaded only when a
database is not at this program's head: opening an up-to-date database reads its
``alembic_version`` row and compares it with :func:`head_revision_of_files`.
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import Engine, inspect, text

SCRIPT_LOCATION = Path(__file__).resolve().parent
VERSIONS = SCRIPT_LOCATION / "versions"
#: A migration file is ``NNNN_slug.py`` and its revision id is ``NNNN``; each one's
#: ``down_revision`` is the one before (a linear history; ``tests/unit/test_database.py`` checks it).
_MIGRATION_FILE = re.compile(r"^(\d{4})_\w+\.py$")


class SchemaTooNew(RuntimeError):
    """The database was written by a newer ETM Desktop; it is left untouched."""


def _config():
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    return config


def _script():
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config())


def head_revision() -> str:
    return _script().get_current_head()


def head_revision_of_files() -> str | None:
    """The head by the files' names (the naming rule above), without Alembic; None if no file is found."""
    try:
        found = [m.group(1) for m in map(_MIGRATION_FILE.match, (p.name for p in VERSIONS.iterdir())) if m]
    except OSError:
        return None
    return max(found) if found else None


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _at_head_without_alembic(engine: Engine) -> bool:
    """True when the database's one ``alembic_version`` row is the files' head (nothing to do)."""
    head = head_revision_of_files()
    if head is None:
        return False
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return False
        rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    return [tuple(r) for r in rows] == [(head,)]


def _known(script, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except Exception:  # alembic raises CommandError / ResolutionError for unknown ids
        return False


def refuse_newer(revision: str | None, script=None) -> None:
    """Raise :class:`SchemaTooNew` if ``revision`` is not one of this program's migrations."""
    script = script or _script()
    if revision is not None and not _known(script, revision):
        raise SchemaTooNew(
            "База данных создана более новой версией ETM Desktop (схема {0}); "
            "эта версия программы не может её открыть. Обновите программу.".format(revision)
        )


def upgrade(engine: Engine) -> None:
    """Bring the schema to this program's head, refusing a newer database."""
    if _at_head_without_alembic(engine):
        return
    from alembic import command

    script = _script()
    current = current_revision(engine)
    refuse_newer(current, script)
    if current == script.get_current_head():
        return
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
