"""Shared fixtures: a fresh migrated database per test (template copied, not rebuilt).

The databases are SQLite files, or PostgreSQL databases when
``ETM_TEST_POSTGRES_URL`` is set (see ``tests/backends.py``).
"""

from __future__ import annotations

import os

import pytest

from tests import backends

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def pytest_report_header(config):
    url = backends.postgres_url()
    return "databases: " + ("PostgreSQL " + url.split("@")[-1] if url else "SQLite files")


def pytest_collection_modifyitems(config, items):
    if backends.postgres_url() is None:
        return
    skip = pytest.mark.skip(reason="о файле SQLite; прогон на PostgreSQL")
    for item in items:
        if "sqlite_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def backend(tmp_path_factory):
    store = backends.make_backend(tmp_path_factory.mktemp("databases"))
    yield store
    store.close()


@pytest.fixture(scope="session")
def _template_db(backend):
    """The target of a migrated database with the default norms (copied per test)."""
    from etm_desktop.db.database import open_database

    target = backend.new_target("template")
    database = open_database(target)
    backends.checkpoint(database)
    database.dispose()
    return target


@pytest.fixture
def fresh_target(backend, _template_db):
    """A function making a new copy of the migrated template; dropped after the test."""
    made = []

    def make(label: str = "db") -> str:
        made.append(backend.copy(_template_db, label))
        return made[-1]

    yield make
    for target in made:
        backend.drop(target)


@pytest.fixture
def database(fresh_target):
    """A migrated database with the default norms and nothing else."""
    from etm_desktop.db.database import open_database

    db = open_database(fresh_target("test"))
    yield db
    db.dispose()


@pytest.fixture(autouse=True)
def _fresh_inputs_cache(monkeypatch):
    """Every test starts with an empty cache of prepared grid frames."""
    from etm_desktop.compliance import service
    from etm_desktop.compliance.inputs import InputsCache

    monkeypatch.setattr(service, "_cache", InputsCache())


@pytest.fixture(scope="session")
def small_demo_path(backend, _template_db):
    """The target of the small demo centre as of 2026-12-03, generated once per test session."""
    from datetime import date

    from etm_desktop.db.database import open_database
    from etm_desktop.demo import generate

    target = backend.copy(_template_db, "demo")
    database = open_database(target)
    generate(database, scale="small", today=date(2026, 12, 3))
    backends.checkpoint(database)
    database.dispose()
    return target


@pytest.fixture
def small_demo(small_demo_path, backend):
    """A private copy of the small demo (a test may change it)."""
    from etm_desktop.db.database import open_database

    target = backend.copy(small_demo_path, "demo")
    db = open_database(target)
    yield db
    db.dispose()
    backend.drop(target)


@pytest.fixture
def centre(database):
    from tests.builders import CentreBuilder

    builder = CentreBuilder(database)
    yield builder
    builder.session.close()


@pytest.fixture(scope="session", autouse=True)
def _count_edit_conflicts():
    """Every optimistic-locking conflict raised during the run, counted for the summary."""
    from etm_desktop.db.conflicts import EditConflict
    from tests import tally

    original = EditConflict.__init__

    def counting(self, *args, **kwargs):
        tally.count("edit conflicts detected (second writer refused, nothing overwritten)", type(self).__name__)
        original(self, *args, **kwargs)

    EditConflict.__init__ = counting
    yield
    EditConflict.__init__ = original


def pytest_terminal_summary(terminalreporter):
    """The reliability figures of the run: conflicts, kills (tests/tally.py) and the malformed
    inputs the fuzz tests tried, by kind (tests/fuzz_support.py)."""
    import sys

    from tests import tally

    tally.write_summary(terminalreporter)
    support = sys.modules.get("tests.fuzz_support")
    if support is None or not support.TRIED:
        return
    terminalreporter.section("malformed inputs tried (profile {0})".format(support.profile_name()))
    for kind, count in sorted(support.TRIED.items()):
        terminalreporter.write_line("{0:>8}  {1}".format(count, kind))
    terminalreporter.write_line("{0:>8}  in all".format(sum(support.TRIED.values())))
