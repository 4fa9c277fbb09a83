"""The process the crash-safety test kills: ``python -m tests.crash_child import DB BOOK`` or
``python -m tests.crash_child apply DB NUMBER YYYY-MM-DD``.

It imports the program once, prints ``ready`` and then obeys its standard input:
``go`` forks a worker that runs the operation on DB once (and prints ``pid N``);
``reap`` waits for that worker and prints ``exit STATUS``; ``quit`` ends. A fork
costs milliseconds where a fresh interpreter costs a second, so the test can kill
many times. The worker writes markers as it goes: ``start`` (database open, the
operation begins), ``write`` (inside the transaction, the first write is next) and
``done`` (committed). The worker is not reaped until ``reap``, so its pid cannot be
reused while the test may still kill it.
"""

from __future__ import annotations

import os
import sys
import traceback
from datetime import date

TODAY = date(2026, 11, 20)


def mark(word: str) -> None:
    os.write(1, (word + "\n").encode())


def run_import(database_path: str, book: str) -> None:
    from etm_desktop.db.database import open_database
    from etm_desktop.exchange import bulk, importer

    bulk.REBUILD_AT = 100  # take the big-load path: indexes dropped and rebuilt inside the transaction
    write_all = importer._write_all

    def marked(*args, **kwargs):
        mark("write")
        return write_all(*args, **kwargs)

    importer._write_all = marked
    database = open_database(database_path)
    mark("start")
    importer.import_workbook(database, book, today=TODAY)
    mark("done")


def run_apply(database_path: str, number: str, on: str) -> None:
    from etm_desktop.db.database import open_database
    from etm_desktop.memos import apply_lines, lifecycle

    write_lines = apply_lines.write_lines

    def marked(*args, **kwargs):
        mark("write")
        return write_lines(*args, **kwargs)

    apply_lines.write_lines = marked
    database = open_database(database_path)
    mark("start")
    lifecycle.apply(database, number, on=date.fromisoformat(on))
    mark("done")


def _preload() -> None:
    """Everything the operations import, loaded before any fork."""
    import etm_desktop.compliance.service  # noqa: F401
    import etm_desktop.db.database  # noqa: F401
    import etm_desktop.exchange.importer  # noqa: F401
    import etm_desktop.memos.apply_lines  # noqa: F401
    import etm_desktop.memos.lifecycle  # noqa: F401
    import etm_desktop.memos.validation  # noqa: F401
    import etm_desktop.norms.store  # noqa: F401


def _worker(operation, arguments) -> None:
    try:
        operation(*arguments)
    except BaseException:  # noqa: BLE001 - reported to the test, which fails on it
        traceback.print_exc()
        sys.stderr.flush()
        os._exit(1)
    os._exit(0)


def main(argv: list[str]) -> int:
    operation = {"import": run_import, "apply": run_apply}[argv[0]]
    _preload()
    print("ready", flush=True)
    pid = None
    for line in sys.stdin:
        command = line.strip()
        if command == "go":
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                _worker(operation, argv[1:])
            print("pid", pid, flush=True)
        elif command == "reap" and pid is not None:
            _, status = os.waitpid(pid, 0)
            print("exit", os.waitstatus_to_exitcode(status), flush=True)
            pid = None
        elif command == "quit":
            break
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
