"""A hash of a database's table contents, for checking that a generator change keeps its output.

Rows are hashed in primary-key order, table by table; columns that record when
the rows were written (wall-clock times) are left out, since they differ from
run to run.
"""

from __future__ import annotations

import hashlib
import sqlite3

VOLATILE = {"created_at", "updated_at", "at", "timestamp", "written_at", "imported_at", "changed_at"}


def table_hashes(path) -> dict[str, str]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in connection.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        out = {}
        for table in tables:
            columns = [r[1] for r in connection.execute(f'PRAGMA table_info("{table}")')]
            kept = [c for c in columns if c.lower() not in VOLATILE]
            if not kept:
                continue
            digest = hashlib.sha256()
            select = ", ".join(f'"{c}"' for c in kept)
            for row in connection.execute(f'SELECT {select} FROM "{table}" ORDER BY {select}'):
                digest.update(repr(row).encode("utf-8"))
            out[table] = digest.hexdigest()
        return out
    finally:
        connection.close()


def contents_hash(path) -> str:
    digest = hashlib.sha256()
    for table, value in sorted(table_hashes(path).items()):
        digest.update(f"{table}:{value}\n".encode())
    return digest.hexdigest()
