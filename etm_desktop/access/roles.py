"""Who may do what: the roles, the guarded actions and the permission of each (no Qt, no database).

The roles follow the regulation's people: the МКА (аналитик) keeps the data and
the memos, the НОП / ДП (руководитель продаж) decide on memos, anyone else reads.
A fourth role, администратор, only manages the roles themselves (on SQLite;
on PostgreSQL the server's own role administration does that).
"""

from __future__ import annotations

from enum import Enum


class Role(str, Enum):
    """A role; the value is its Russian name as shown and accepted on the command line."""

    VIEWER = "просмотр"
    ANALYST = "аналитик"
    HEAD = "руководитель продаж"
    ADMIN = "администратор"

    @property
    def key(self) -> str:
        """The English key (``viewer``, ``analyst``, ``head``, ``admin``): stored in ``user_role.role``."""
        return ROLE_KEYS[self]


ROLE_KEYS = {Role.VIEWER: "viewer", Role.ANALYST: "analyst", Role.HEAD: "head", Role.ADMIN: "admin"}

#: The roles of a single-user install (an empty role table, a PostgreSQL owner); reading needs no role.
ALL_ROLES = frozenset({Role.ANALYST, Role.HEAD, Role.ADMIN})


def parse_role(text: str) -> Role:
    """A role from its English key, Russian name or a short Russian alias; ValueError otherwise."""
    wanted = text.strip().casefold()
    aliases = {"руководитель": Role.HEAD, "просмотрщик": Role.VIEWER}
    for role in Role:
        if wanted in (role.key, role.value):
            return role
    if wanted in aliases:
        return aliases[wanted]
    raise ValueError("Неизвестная роль «{0}»: возможны {1}".format(
        text, ", ".join("{0} ({1})".format(r.value, r.key) for r in Role)))


class Action(str, Enum):
    """A guarded write; the value completes "Роль … не позволяет <value>"."""

    IMPORT = "импортировать данные"
    DEMO = "заполнять базу демонстрационными данными"
    NORMS_EDIT = "вводить новые наборы норм"
    MEMO_SAVE = "сохранять служебные записки"
    MEMO_SUBMIT = "отправлять записки на согласование"
    MEMO_APPROVE = "согласовывать записки"
    MEMO_REJECT = "отклонять записки"
    MEMO_WITHDRAW = "отзывать записки"
    MEMO_APPLY = "применять записки"
    MANAGE_ROLES = "назначать роли"
    # Hooks for the backup / restore services (another change): they call
    # ``require(database, Action.BACKUP)`` / ``require(database, Action.RESTORE)``.
    BACKUP = "создавать резервные копии"
    RESTORE = "восстанавливать базу из резервной копии"


#: The one table of permissions. Norm sets: the regulation has the head office set
#: the norms; in the program the МКА enters the sets it issues, so it is the analyst's.
PERMISSIONS: dict[Action, frozenset[Role]] = {
    Action.IMPORT: frozenset({Role.ANALYST}),
    Action.DEMO: frozenset({Role.ANALYST}),
    Action.NORMS_EDIT: frozenset({Role.ANALYST}),
    Action.MEMO_SAVE: frozenset({Role.ANALYST}),
    Action.MEMO_SUBMIT: frozenset({Role.ANALYST}),
    Action.MEMO_WITHDRAW: frozenset({Role.ANALYST}),
    Action.MEMO_APPLY: frozenset({Role.ANALYST}),
    Action.MEMO_APPROVE: frozenset({Role.HEAD}),
    Action.MEMO_REJECT: frozenset({Role.HEAD}),
    Action.MANAGE_ROLES: frozenset({Role.ADMIN}),
    Action.BACKUP: frozenset({Role.ANALYST, Role.ADMIN}),
    Action.RESTORE: frozenset({Role.ADMIN}),
}


def allowed(roles: frozenset[Role], action: Action) -> bool:
    """True when one of ``roles`` may do ``action``."""
    return bool(PERMISSIONS[action] & roles)


def role_names(roles: frozenset[Role]) -> str:
    """«аналитик», «руководитель продаж» in the order of :class:`Role`."""
    return ", ".join("«{0}»".format(r.value) for r in Role if r in roles)


def denial_text(roles: frozenset[Role], action: Action, user: str | None = None) -> str:
    """Роль «просмотр» не позволяет применять записки (пользователь «ivanov»)."""
    subject = "Роль {0} не позволяет" if len(roles) == 1 else "Роли {0} не позволяют"
    text = (subject + " {1}").format(role_names(roles), action.value)
    if user:
        text += " (пользователь «{0}»)".format(user)
    needed = " или ".join("«{0}»".format(r.value) for r in Role if r in PERMISSIONS[action])
    return text + ". Нужна роль {0}.".format(needed)


class AccessDenied(Exception):
    """The current user's roles do not allow an action; the message is Russian and says which."""

    def __init__(self, message: str, action: Action | None = None):
        super().__init__(message)
        self.action = action
