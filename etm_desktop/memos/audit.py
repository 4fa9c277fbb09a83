"""The append-only audit trail: who changed what, when, before/after, by which memo."""

from __future__ import annotations

import getpass
import json
from typing import Any

from sqlalchemy.orm import Session

from etm_desktop.db.models import AuditRecord


def current_user() -> str:
    """The OS user name, the default author and actor of a change."""
    try:
        return getpass.getuser()
    except Exception:  # no user database entry (containers)
        return "неизвестный пользователь"


def _json(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)


def record(session: Session, entity: str, key: str, action: str, *, before: Any = None, after: Any = None,
           who: str | None = None, memo_id: int | None = None) -> None:
    """Append one audit record in the caller's transaction."""
    session.add(AuditRecord(who=who or current_user(), entity=entity, entity_key=key, action=action,
                            before=_json(before), after=_json(after), memo_id=memo_id))
