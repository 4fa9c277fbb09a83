"""The window's side of the roles: grey out what the core policy would refuse, and say why.

The rule itself is ``etm_desktop.access`` (the services refuse anyway); this only
keeps the user from starting an action that cannot succeed.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from etm_desktop.access import Action, Role
from etm_desktop.access.policy import SQLITE_WARNING


def permit(target, context, action: Action) -> bool:
    """Disable ``target`` (a QAction or widget) with the refusal as tooltip when ``action`` is not allowed."""
    reason = context.access().denial(action)
    if reason is not None:
        target.setEnabled(False)
        target.setToolTip(reason)
    return reason is None


def role_label(context, parent: QWidget | None = None) -> QLabel:
    """The status-bar label: who works and in which roles; on SQLite, what the file's folder must protect."""
    access = context.access()
    roles = ", ".join(role.value for role in Role if role in access.roles)
    label = QLabel("{0}: {1}".format(access.user, roles), parent)
    label.setObjectName("role_label")
    tip = access.describe() + "."
    if access.backend == "sqlite":
        tip += "\n\n" + SQLITE_WARNING
    label.setToolTip(tip)
    return label
