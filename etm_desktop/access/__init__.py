"""Roles and permissions: who may import, draft, approve, apply (issue 7, item 8). No Qt."""

from etm_desktop.access.policy import Access, current_access, current_roles, require
from etm_desktop.access.roles import AccessDenied, Action, Role

__all__ = ["Access", "AccessDenied", "Action", "Role", "current_access", "current_roles", "require"]
