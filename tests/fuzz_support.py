"""What the bad-input (fuzz) tests share: example budgets, a tally, the CLI in-process, a database dump.

Budgets come from a Hypothesis profile named by ``$HYPOTHESIS_PROFILE``: ``ci`` (the
default, the whole fuzz set in well under a minute) or ``fuzz`` (many times more
examples, for a night run: ``HYPOTHESIS_PROFILE=fuzz pytest tests/unit/test_fuzz_*.py``).
Only the fuzz tests read it; the other property tests keep Hypothesis' defaults.

Every input a fuzz test tries is tallied by kind in :data:`TRIED`; the session's
tally is printed at the end of the run (see ``tests/conftest.py``) and every fuzz
test asserts that it tried at least its budget.
"""

from __future__ import annotations

import io
import os
import re
import sqlite3
from collections import Counter
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from hypothesis import HealthCheck, settings
from sqlalchemy.pool import NullPool

PROFILE_ENV = "HYPOTHESIS_PROFILE"
#: Examples per test in the ``fuzz`` profile, as a multiple of the ``ci`` budget.
FUZZ_FACTOR = 25
_QUIET = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large,
          HealthCheck.filter_too_much, HealthCheck.large_base_example]

settings.register_profile("ci", deadline=None, suppress_health_check=_QUIET, print_blob=True)
settings.register_profile("fuzz", deadline=None, suppress_health_check=_QUIET, print_blob=True)

#: Inputs tried in this session, by kind ("workbook: wrong cell type", "memo: deep nesting" …).
TRIED: Counter[str] = Counter()

_CYRILLIC = re.compile("[а-яА-ЯёЁ]")


def profile_name() -> str:
    name = os.environ.get(PROFILE_ENV, "ci")
    return name if name in ("ci", "fuzz") else "ci"


def budget(ci_examples: int) -> int:
    """How many examples a test with ``ci_examples`` in CI runs under the current profile."""
    return ci_examples * (FUZZ_FACTOR if profile_name() == "fuzz" else 1)


def fuzz_settings(ci_examples: int) -> settings:
    """Hypothesis settings for a fuzz test: the profile's base, the budget's example count."""
    return settings(settings.get_profile(profile_name()), max_examples=budget(ci_examples))


def tried(kind: str, count: int = 1) -> None:
    TRIED[kind] += count


def run_cli(*argv) -> tuple[int, str, str]:
    """The command line run in-process: (exit status, stdout, stderr)."""
    from etm_desktop.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = main([str(a) for a in argv])
    return status, out.getvalue(), err.getvalue()


def dump(target: str | Path) -> str:
    """The whole database as text (schema, every row, the data version): equal dumps, equal
    databases. A SQLite file is dumped read-only; a PostgreSQL URL table by table."""
    if "://" in str(target):
        return _server_dump(str(target))
    connection = sqlite3.connect("file:{0}?mode=ro".format(Path(target).resolve()), uri=True)
    try:
        return "\n".join(connection.iterdump())
    finally:
        connection.close()


def _server_dump(url: str) -> str:
    from sqlalchemy import create_engine, inspect

    from etm_desktop.db.database import database_url

    engine = create_engine(database_url(url), poolclass=NullPool)
    lines = []
    try:
        with engine.connect() as connection:
            inspector = inspect(connection)
            for table in sorted(inspector.get_table_names()):
                columns = [column["name"] for column in inspector.get_columns(table)]
                lines.append("{0}({1})".format(table, ", ".join(columns)))
                rows = connection.exec_driver_sql('SELECT * FROM "{0}"'.format(table)).all()
                lines += sorted(repr(tuple(row)) for row in rows)
    finally:
        engine.dispose()
    return "\n".join(lines)


def data_version(target: str | Path) -> int:
    if "://" in str(target):
        from sqlalchemy import create_engine

        from etm_desktop.db.database import database_url

        engine = create_engine(database_url(str(target)), poolclass=NullPool)
        try:
            with engine.connect() as connection:
                return int(connection.exec_driver_sql(
                    "SELECT counter FROM data_version WHERE id = 1").scalar() or 0)
        finally:
            engine.dispose()
    connection = sqlite3.connect("file:{0}?mode=ro".format(Path(target).resolve()), uri=True)
    try:
        found = connection.execute("SELECT counter FROM data_version WHERE id = 1").fetchone()
        return int(found[0]) if found else 0
    finally:
        connection.close()


def is_russian(text: str) -> bool:
    return bool(_CYRILLIC.search(text))


def assert_clean_refusal(status: int, err: str, *, before: str, after: str) -> None:
    """Exit 2, a Russian message, no traceback, the database as it was."""
    assert status == 2, (status, err[-2000:])
    assert "Traceback" not in err and is_russian(err), err[-2000:]
    assert "Непредвиденная ошибка" not in err, err[-2000:]
    assert after == before, "the database changed"


# -- importing a malformed workbook ----------------------------------------------------------------------

def db_file(database) -> str:
    """What ``dump`` takes: the database's file or URL."""
    return database.target


def _sheet_names() -> list[str]:
    from etm_desktop.exchange.sheets import SHEETS

    return [sheet.name for sheet in SHEETS]


def assert_refusal_is_located(error) -> None:
    """Every problem of a broken cell or row names its sheet and is in Russian."""
    assert error.problems, "a refusal without a problem"
    for problem in error.problems:
        assert problem.sheet in _sheet_names(), problem
        assert is_russian(problem.message), problem
    assert is_russian(str(error))


def import_or_refusal(database, path: Path, before: str, *, located: bool = True):
    """Import ``path``: a report, or an ImportFailed with (located) Russian problems and nothing changed."""
    from etm_desktop.exchange.errors import ImportFailed
    from etm_desktop.exchange.importer import import_workbook
    from tests.unit.test_exchange_support import TODAY

    try:
        return import_workbook(database, path, today=TODAY)
    except ImportFailed as error:
        if located or error.problems[0].sheet is not None:
            assert_refusal_is_located(error)
        assert is_russian(str(error))
        assert dump(db_file(database)) == before, "a refused import changed the database"
        return error


def import_or_refusal_any(database, path: Path) -> None:
    """Like :func:`import_or_refusal`, but a file-level problem (no sheet) is fine too."""
    from etm_desktop.exchange.errors import ImportFailed
    from etm_desktop.exchange.importer import import_workbook
    from tests.unit.test_exchange_support import TODAY

    before = dump(db_file(database))
    try:
        import_workbook(database, path, today=TODAY)
    except ImportFailed as error:
        assert all(is_russian(p.message) for p in error.problems)
        assert dump(db_file(database)) == before
