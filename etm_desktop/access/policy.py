"""The current user's roles and the one guard every write service calls.

``require(database, Action.MEMO_APPLY)`` raises :class:`AccessDenied` (Russian)
unless the user may. The rule lives here once; the window and the command line
only ask :func:`current_access` to grey out what would be refused anyway.

Where the roles come from:

- SQLite: the ``user_role`` table, keyed on the OS user name
  (``audit.current_user()``). While it is empty, every user holds every role —
  a single-user install works as before. A user missing from a non-empty
  table is a viewer. The file itself is only as safe as its folder: whoever
  can write the file can change anything in it, roles included.
- PostgreSQL: the server's roles ``etm_viewer``, ``etm_analyst``, ``etm_head``
  (``etm-desktop role setup-postgres``), read with ``pg_has_role``; the owner of
  the schema and superusers hold every role. The server enforces the same rules
  with GRANTs, so another client cannot do more than the program allows.
"""

from __future__ import annotations

from dataclasses import dataclass

from etm_desktop.access.roles import ALL_ROLES, AccessDenied, Action, Role, allowed, denial_text, role_names

SQLITE_WARNING = ("База SQLite — обычный файл: роли в нём упорядочивают работу, но не защищают данные. "
                  "Файл защищён ровно настолько, насколько защищена его папка: кто может записать файл, "
                  "тот может изменить в нём всё, включая роли. Ограничьте права на папку с базой или "
                  "используйте PostgreSQL.")


@dataclass(frozen=True)
class Access:
    """Who the current user is and which roles they hold in this database."""

    user: str
    roles: frozenset[Role]
    backend: str  # "sqlite" or "postgresql"
    everyone_all: bool = False  # SQLite with an empty role table

    def may(self, action: Action) -> bool:
        return allowed(self.roles, action)

    def denial(self, action: Action) -> str | None:
        """Why ``action`` is refused (Russian), or None when it is allowed."""
        return None if self.may(action) else denial_text(self.roles, action, self.user)

    def describe(self) -> str:
        """Пользователь «ivanov»: роли «аналитик», «руководитель продаж»."""
        word = "роль" if len(self.roles) == 1 else "роли"
        text = "Пользователь «{0}»: {1} {2}".format(self.user, word, role_names(self.roles))
        if self.everyone_all:
            text += " (роли не назначены: пока таблица ролей пуста, каждому пользователю доступно всё)"
        return text


def _sqlite_access(database) -> Access:
    from sqlalchemy import select

    from etm_desktop.access.roles import ROLE_KEYS
    from etm_desktop.db.models import UserRole
    from etm_desktop.memos import audit

    user = audit.current_user()
    by_key = {key: role for role, key in ROLE_KEYS.items()}
    with database.session() as session:
        rows = session.execute(select(UserRole.user_name, UserRole.role)).all()
    if not rows:
        return Access(user, ALL_ROLES, "sqlite", everyone_all=True)
    mine = frozenset(by_key[role] for name, role in rows if name == user and role in by_key)
    return Access(user, mine or frozenset({Role.VIEWER}), "sqlite")


def current_access(database) -> Access:
    """The current user's :class:`Access` to ``database`` (one small query)."""
    if database.engine.dialect.name == "postgresql":
        from etm_desktop.access.postgres import server_access

        return server_access(database)
    return _sqlite_access(database)


def current_roles(database) -> frozenset[Role]:
    """The roles the current user holds in ``database``."""
    return current_access(database).roles


def require(database, action: Action) -> Access:
    """Raise :class:`AccessDenied` unless the current user may do ``action``; returns the access."""
    access = current_access(database)
    reason = access.denial(action)
    if reason is not None:
        raise AccessDenied(reason, action)
    return access


def server_refusal(error: BaseException) -> str | None:
    """The Russian text for a write the PostgreSQL server refused on privileges (None for other errors)."""
    from etm_desktop.db.errors import INSUFFICIENT_PRIVILEGE, sqlstate

    orig = getattr(error, "orig", None)
    if sqlstate(error) == INSUFFICIENT_PRIVILEGE:
        detail = (str(orig).strip().splitlines() or [""])[0]
        return ("Сервер PostgreSQL отказал в доступе: {0}. Роль пользователя не позволяет это действие; "
                "роли выдаёт владелец базы (etm-desktop role grant).".format(detail))
    return None
