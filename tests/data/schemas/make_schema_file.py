"""Save a database of the program's current schema revision as ``tests/data/schemas/<revision>.sqlite``.

    .venv/bin/python tests/data/schemas/make_schema_file.py [--force]

Run it once for every released schema revision (see README.txt here), with the
program of that release: the file is what a user of that release has on disk, and
``tests/unit/test_schema_files.py`` checks that today's program still opens and
upgrades it without losing a row. A saved file is never remade (``--force`` only
to repair a file of the revision the program is at).

The content: the small demo centre (fixed seed and day), trimmed to its last
six months of turnover and activity to keep the file small, plus memos in every
state (draft, submitted with an override, approved and applied, rejected), so
every table holds rows.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from etm_desktop.db.database import open_database  # noqa: E402
from etm_desktop.db.migrations import head_revision  # noqa: E402

TODAY = date(2026, 12, 3)
KEEP_FROM = date(2026, 6, 1)


def _memos(database) -> None:
    from sqlalchemy import select

    from etm_desktop.db.models import Binding, Client, Employee
    from etm_desktop.memos import lifecycle
    from etm_desktop.memos.draft import parse_memo
    from etm_desktop.memos.store import save_draft

    with database.session() as session:
        held = session.execute(
            select(Client.code, Employee.tab_no).join(Binding, Binding.client_id == Client.id)
            .join(Employee, Employee.id == Binding.employee_id).where(Binding.valid_to.is_(None))
            .order_by(Client.code).limit(4)).all()
        others = session.scalars(select(Employee.tab_no).where(Employee.position == "МОПП")
                                 .order_by(Employee.tab_no)).all()
    receiver = next(tab for tab in others if tab not in {holder for _, holder in held})

    def memo(client, holder, subject):
        line = {"action": "transfer", "client": client, "from": holder, "to": receiver, "reason": subject}
        return save_draft(database, parse_memo({"date": "2026-11-20", "subject": subject, "author": "схема",
                                                "lines": [line]}), who="схема")

    memo(*held[0], "Черновик")
    submitted = memo(*held[1], "На согласовании")
    lifecycle.submit(database, submitted, override="проверка схемы", who="схема")
    rejected = memo(*held[2], "Отклонена")
    lifecycle.submit(database, rejected, override="проверка схемы", who="схема")
    lifecycle.reject(database, rejected, name="Иванов И. И.", reason="проверка схемы", on=TODAY, who="схема")
    applied = memo(*held[3], "Исполнена")
    route = lifecycle.submit(database, applied, override="проверка схемы", who="схема").approval
    for step in route:
        lifecycle.approve(database, applied, step=step, name="Петров П. П.", on=TODAY, who="схема")
    try:
        lifecycle.apply(database, applied, on=TODAY, who="схема")
    except Exception as error:  # noqa: BLE001 - an approved memo that may not apply is still a state
        print("записка {0} не исполнена: {1}".format(applied, error))


def make(target: Path) -> None:
    from etm_desktop.demo import generate

    database = open_database(str(target))
    generate(database, scale="small", today=TODAY)
    _memos(database)
    database.dispose()
    connection = sqlite3.connect(target)
    with connection:
        connection.execute("DELETE FROM turnover WHERE month < ?", (KEEP_FROM.isoformat(),))
        connection.execute("DELETE FROM activity WHERE activity_date < ?", (KEEP_FROM.isoformat(),))
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    connection.execute("VACUUM")
    connection.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="remake the file of the current revision")
    args = parser.parse_args(argv)
    target = HERE / "{0}.sqlite".format(head_revision())
    if target.exists() and not args.force:
        print("{0} уже есть; сохранённый файл выпущенной схемы не переделывают".format(target.name))
        return 1
    for stale in (target, Path(str(target) + "-wal"), Path(str(target) + "-shm")):
        stale.unlink(missing_ok=True)
    make(target)
    shutil.rmtree(HERE / "backups", ignore_errors=True)  # the copy taken before the memo was applied
    print("{0}: {1:.1f} МБ".format(target, target.stat().st_size / 1024 ** 2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
