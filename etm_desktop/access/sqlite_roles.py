"""SQLite: granting and revoking roles in the ``user_role`` table (by OS user name).

The first grant into an empty table also records the granting user with every
role, so whoever starts assigning roles keeps the control they had. The last
administrator cannot lose the role: someone must always be able to manage roles.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select

from etm_desktop.access.policy import require
from etm_desktop.access.roles import ALL_ROLES, ROLE_KEYS, AccessDenied, Action, Role
from etm_desktop.db.database import bump_data_version
from etm_desktop.db.models import UserRole
from etm_desktop.memos import audit

_BY_KEY = {key: role for role, key in ROLE_KEYS.items()}


def list_grants(database) -> list[tuple[str, Role, str | None, datetime | None]]:
    """(user, role, granted by, granted on) of every row, by user then role."""
    with database.session() as session:
        rows = session.execute(select(UserRole.user_name, UserRole.role, UserRole.granted_by,
                                      UserRole.granted_on).order_by(UserRole.user_name)).all()
    order = list(Role)
    found = [(user, _BY_KEY[key], by, on) for user, key, by, on in rows if key in _BY_KEY]
    return sorted(found, key=lambda row: (row[0], order.index(row[1])))


def grant(database, user: str, role: Role, *, by: str | None = None) -> bool:
    """Give ``user`` the ``role``; False when they already had it."""
    require(database, Action.MANAGE_ROLES)
    user, by = user.strip(), by or audit.current_user()
    if not user:
        raise ValueError("Укажите имя пользователя")
    with database.session() as session, session.begin():
        if not session.scalar(select(func.count()).select_from(UserRole)):
            for own in ALL_ROLES:
                session.add(UserRole(user_name=by, role=own.key, granted_by=by))
            session.flush()
        if session.get(UserRole, (user, role.key)) is not None:
            return False
        session.add(UserRole(user_name=user, role=role.key, granted_by=by))
        audit.record(session, "user_role", user, "grant", after={"role": role.key}, who=by)
        bump_data_version(session)
    return True


def revoke(database, user: str, role: Role | None = None, *, by: str | None = None) -> int:
    """Take ``role`` (or every role) from ``user``; returns how many were taken."""
    require(database, Action.MANAGE_ROLES)
    by = by or audit.current_user()
    with database.session() as session, session.begin():
        loses_admin = role in (None, Role.ADMIN) and session.get(UserRole, (user, Role.ADMIN.key)) is not None
        query = delete(UserRole).where(UserRole.user_name == user)
        if role is not None:
            query = query.where(UserRole.role == role.key)
        taken = session.execute(query).rowcount
        admins = session.scalar(select(func.count()).select_from(UserRole)
                                .where(UserRole.role == Role.ADMIN.key))
        if loses_admin and not admins:
            raise AccessDenied("Нельзя отозвать роль «{0}» у последнего администратора «{1}»: "
                               "сначала назначьте другого".format(Role.ADMIN.value, user), Action.MANAGE_ROLES)
        if taken:
            audit.record(session, "user_role", user, "revoke", after={"role": role.key if role else "все"}, who=by)
            bump_data_version(session)
    return taken
