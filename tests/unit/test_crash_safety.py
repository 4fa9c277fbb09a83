"""Crash safety (issue 7): an import or a memo apply killed at any moment leaves the
database intact and exactly as before or exactly as after.

A child process (``tests/crash_child.py``) forks a worker per attempt that runs the
real operation on a fresh copy of the database; the test SIGKILLs it after a random
delay (seeded), half of the time counted from the fork and half from the worker's
``write`` marker (it is inside the transaction, about to write), so that many kills
land mid-write. After each kill: ``PRAGMA integrity_check`` is ok, the canonical dump
of every table (schema included, wall-clock timestamps left out) equals the dump
before or the dump after — before if the worker had not started, after if it had
reported ``done`` — every backup listed in ``backups/`` is exactly the before-state
(a copy interrupted by the kill is never listed), and the program's ``open_database``
opens the file. ``ETM_CRASH_KILLS`` changes the number of kills (default 30 each).
"""

from __future__ import annotations

import hashlib
import os
import queue
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from etm_desktop.db.backup import list_backups
from etm_desktop.db.database import open_database
from tests import tally
from tests.crash_child import TODAY
from tests.memo_support import transfer
from tests.unit.test_memo_apply import ON, approved

#: Kills per operation (import, apply); each costs a fork, a file copy and the checks.
KILLS = int(os.environ.get("ETM_CRASH_KILLS", "30"))
#: Of them, at least this many must land while the worker was writing (after ``write``, before ``done``).
MID_WRITE_AT_LEAST = 5
SEED = 20261203
#: Columns holding the wall-clock time of a write (differ from run to run, not data).
CLOCK_COLUMNS = {"at", "created_at"}
REPO = Path(__file__).resolve().parents[2]
SEP, OCT = date(2026, 9, 1), date(2026, 10, 1)

pytestmark = [pytest.mark.skipif(not hasattr(os, "fork") or not hasattr(signal, "SIGKILL"),
                                 reason="needs fork and SIGKILL (POSIX)"),
              pytest.mark.sqlite_only]  # the file after a kill; a server's recovery is PostgreSQL's own


# -- the state of a database file ---------------------------------------------------------------

def canonical_dump(path: Path) -> dict[str, tuple[int, str]]:
    """{table: (rows, sha256 of the sorted rows)} plus the schema, read with plain sqlite3."""
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        schema = sorted(connection.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall(),
                        key=repr)
        dump = {"<schema>": (len(schema), hashlib.sha256(repr(schema).encode()).hexdigest())}
        for (table,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                           "AND name NOT LIKE 'sqlite_%'").fetchall():
            columns = [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')
                       if row[1] not in CLOCK_COLUMNS]
            rows = connection.execute('SELECT {0} FROM "{1}"'.format(
                ", ".join(f'"{c}"' for c in columns), table)).fetchall()
            rows.sort(key=repr)
            dump[table] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
        return dump
    finally:
        connection.close()


def fresh_copy(template: Path, work: Path) -> None:
    if work.parent.exists():
        shutil.rmtree(work.parent)
    work.parent.mkdir(parents=True)
    shutil.copyfile(template, work)


def settle(database) -> Path:
    """Checkpoint the WAL into the file and close: the file alone is the database."""
    with database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    path = Path(database.engine.url.database)
    database.dispose()
    return path


# -- the child ------------------------------------------------------------------------------------

class Child:
    """The forking child process and the lines it prints, each with its arrival time."""

    def __init__(self, *argv: str):
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen([sys.executable, "-m", "tests.crash_child", *argv], cwd=REPO, env=env,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        assert self.expect("ready", 60)

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put((time.monotonic(), line.strip()))
        self.lines.put((time.monotonic(), "<eof>"))

    def send(self, command: str) -> None:
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()

    def next(self, timeout: float) -> tuple[float, str]:
        return self.lines.get(timeout=timeout)

    def expect(self, prefix: str, timeout: float) -> str | None:
        """Lines until one starting with ``prefix`` (returned), or None at the deadline."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                _, line = self.next(max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                return None
            assert line != "<eof>", "the crash child ended unexpectedly"
            if line.startswith(prefix):
                return line

    def attempt(self, delay_from_fork: float | None, delay_from_write: float | None) -> tuple[list[str], int]:
        """Fork one worker, kill it after the delay (None: let it finish); its markers and exit status."""
        self.send("go")
        pid = int(self.expect("pid", 30).split()[1])
        started = time.monotonic()
        markers: list[str] = []
        if delay_from_fork is not None:
            time.sleep(max(0.0, started + delay_from_fork - time.monotonic()))
        elif delay_from_write is not None:
            while "write" not in markers and "done" not in markers:
                try:
                    markers.append(self.next(30)[1])
                except queue.Empty:
                    break
            time.sleep(delay_from_write)
        else:
            while "done" not in markers:
                markers.append(self.next(60)[1])
        os.kill(pid, signal.SIGKILL)  # not reaped yet: the pid is still this worker's
        self.send("reap")
        while True:
            line = self.next(30)[1]
            if line.startswith("exit"):
                return markers, int(line.split()[1])
            markers.append(line)

    def close(self) -> None:
        self.send("quit")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def phase_of(markers: list[str]) -> str:
    if "done" in markers:
        return "after done"
    if "write" in markers:
        return "writing"
    if "start" in markers:
        return "checking"
    return "before start"


def timing(child: Child, template: Path, work: Path) -> tuple[float, float, dict]:
    """An undisturbed run: seconds from the fork to ``write`` and to ``done``, and the after-state."""
    fresh_copy(template, work)
    child.send("go")
    forked = time.monotonic()
    child.expect("pid", 30)
    seen = {}
    while "done" not in seen:
        at, line = child.next(120)
        assert line != "<eof>"
        seen[line] = at - forked
    child.send("reap")
    assert child.expect("exit", 30) == "exit 0", "the undisturbed run failed (see stderr)"
    return seen["write"], seen["done"], canonical_dump(work)


def hammer(child: Child, template: Path, work: Path, rng: random.Random, case: str = "") -> Counter:
    """KILLS kill attempts; asserts the database after each; returns how many landed in each phase."""
    before = canonical_dump(template)
    to_write, to_done, after = timing(child, template, work)
    assert after != before
    phases: Counter = Counter()
    outcomes: Counter = Counter()
    for attempt in range(KILLS):
        fresh_copy(template, work)
        if attempt % 2 == 0:
            markers, status = child.attempt(rng.uniform(0, to_done * 1.15), None)
        else:
            markers, status = child.attempt(None, rng.uniform(0, (to_done - to_write) * 1.1))
        phase = phase_of(markers)
        phases[phase] += 1
        assert status in (0, -signal.SIGKILL), f"attempt {attempt}: the worker failed ({status}), see stderr"
        state = canonical_dump(work)  # integrity_check included
        if phase in ("before start", "checking"):
            assert state == before, f"attempt {attempt}: killed before writing, yet the data changed"
        elif phase == "after done":
            assert state == after, f"attempt {attempt}: killed after the commit, yet the data is not the result"
        else:
            assert state in (before, after), f"attempt {attempt}: killed while writing: neither before nor after"
        outcomes[phase + (": before" if state == before else ": after")] += 1
        for backup in list_backups(work.parent / "backups", work.stem):  # a finished copy is the before-state
            assert canonical_dump(backup.path) == before, f"attempt {attempt}: a backup differs from the data before"
        open_database(str(work)).dispose()
        tally.count("SIGKILLs survived (integrity ok, data exactly before or after)",
                    "{0}: killed {1}, found {2}".format(case, phase, "before" if state == before else "after"))
    print("\n{0} kills: {1}; undisturbed run: write at {2:.3f} s, done at {3:.3f} s".format(
        KILLS, dict(sorted(outcomes.items())), to_write, to_done))
    assert sum(phases.values()) == KILLS
    assert phases["writing"] >= MID_WRITE_AT_LEAST, phases
    return phases


# -- the two operations ---------------------------------------------------------------------------

@pytest.fixture(params=["whole book into an empty database", "turnover only into a database with clients"])
def exchange_book(request, tmp_path, centre, database):
    """An exchange workbook of a made-up centre (exported) and the database to import it into.

    The second case loads the turnover sheet alone, so the first write of the import is
    the big load that drops turnover's indexes (the durability bug this test found)."""
    from etm_desktop.exchange.exporter import export_workbook
    from etm_desktop.exchange.importer import import_workbook
    from tests.unit.test_exchange_support import read_back, write_book

    for n in range(8):
        manager = centre.manager(str(1001 + n), "Универсальный")
        centre.paying_clients(manager, 30, [date(2026, m, 1) for m in range(1, 11)], amount=15000.0 + n)
        centre.outside_meetings(manager, [SEP, OCT], 10)
    centre.commit()
    book = tmp_path / "centre.xlsx"
    export_workbook(database, book)
    target = open_database(str(tmp_path / "before.sqlite"))
    if request.param.startswith("turnover"):
        sheets = read_back(book)
        turnover = sheets.pop("Товарооборот")
        import_workbook(target, write_book(tmp_path / "rest.xlsx", sheets), today=TODAY)
        book = write_book(tmp_path / "turnover.xlsx", {"Товарооборот": turnover})
    shutil.rmtree(tmp_path / "backups", ignore_errors=True)
    return book, settle(target)


def test_a_killed_import_leaves_the_database_before_or_after(exchange_book, tmp_path):
    book, before = exchange_book
    work = tmp_path / "work" / "etm.sqlite"
    child = Child("import", str(work), str(book))
    try:
        hammer(child, before, work, random.Random(SEED), "import")
    finally:
        child.close()


@pytest.fixture
def approved_memo(database, centre):
    """Two Универсальные swapping 20 clients each: a 40-line memo, approved."""
    held = {}
    for tab in ("1001", "1002"):
        manager = centre.manager(tab, "Универсальный")
        held[tab] = [c.code for c in centre.paying_clients(manager, 30, SEP)]
        centre.outside_meetings(manager, [SEP, OCT], 30)
    centre.commit()
    lines = [transfer(code, "1001", "1002") for code in held["1001"][:20]]
    lines += [transfer(code, "1002", "1001") for code in held["1002"][:20]]
    number = approved(database, *lines, override="проверка устойчивости к сбоям")
    return number, settle(database)


def test_a_killed_memo_apply_leaves_the_database_before_or_after(approved_memo, tmp_path):
    number, template = approved_memo
    work = tmp_path / "work" / "etm.sqlite"
    child = Child("apply", str(work), number, ON.isoformat())
    try:
        hammer(child, template, work, random.Random(SEED + 1), "memo apply (40 lines)")
    finally:
        child.close()


# -- the durability bug this test found ------------------------------------------------------------

def test_an_interrupted_big_load_keeps_the_indexes(database, tmp_path, monkeypatch):
    """The importer drops and recreates turnover's indexes around a big load. The sqlite3 driver
    opened no transaction before DDL, so the DROP INDEX was committed on its own: a crash or an
    error afterwards left the table without its index. Now the write transaction is opened first."""
    from sqlalchemy import Index

    from etm_desktop.exchange import bulk
    from tests.unit.test_exchange_support import base_sheets, run

    def indexes() -> list[str]:
        with sqlite3.connect(database.engine.url.database) as connection:
            return sorted(r[0] for r in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'turnover'"))

    run(database, tmp_path, base_sheets())
    before = indexes()
    assert "ix_turnover_month" in before
    monkeypatch.setattr(bulk, "REBUILD_AT", 1)

    def crash(*_args, **_kwargs):
        raise RuntimeError("сбой посреди загрузки")

    monkeypatch.setattr(Index, "create", crash)
    rows = [["Код клиента", "Месяц", "Сумма"]] + [
        [code, month, 100] for code in ("00123", "K2", "K3", "K4") for month in ("2025-01", "2025-02", "2025-03")]
    with pytest.raises(RuntimeError):
        run(database, tmp_path, {"Товарооборот": rows}, name="turnover.xlsx")
    assert indexes() == before
