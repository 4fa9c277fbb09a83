"""Database errors that are not bugs: a refused privilege, a colleague holding a lock.

Both backends end here: SQLite says "database is locked" after its busy timeout,
PostgreSQL gives a SQLSTATE (``lock_timeout`` is set on every connection, so a
lock held by another analyst never freezes the program).
"""

from __future__ import annotations

INSUFFICIENT_PRIVILEGE = "42501"
LOCK_NOT_AVAILABLE = "55P03"
DEADLOCK_DETECTED = "40P01"
SERIALIZATION_FAILURE = "40001"
_BUSY_STATES = {LOCK_NOT_AVAILABLE, DEADLOCK_DETECTED, SERIALIZATION_FAILURE}

#: How long one statement waits for a row or table another user holds.
LOCK_WAIT_SECONDS = 10

BUSY = ("База данных занята другим пользователем (ожидание дольше {0} с); ничего не записано — "
        "повторите действие чуть позже").format(LOCK_WAIT_SECONDS)


def sqlstate(error: BaseException) -> str | None:
    """The PostgreSQL SQLSTATE of a driver error wrapped by SQLAlchemy (None elsewhere)."""
    return getattr(getattr(error, "orig", None), "sqlstate", None)


def busy_message(error: BaseException) -> str | None:
    """:data:`BUSY` when ``error`` is a wait for another user's lock that ran out, else None."""
    if sqlstate(error) in _BUSY_STATES:
        return BUSY
    text = str(getattr(error, "orig", error))
    if "database is locked" in text or "database table is locked" in text:
        return BUSY
    return None
