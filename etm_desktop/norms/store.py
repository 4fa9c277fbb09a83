"""Norm sets in the database: seeding from ``data/``, looking up the set in force."""

from __future__ import annotations

import json
import logging
from bisect import bisect_right
from functools import lru_cache
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from etm_desktop.db import conflicts
from etm_desktop.db.database import bump_data_version
from etm_desktop.db.models import AuditRecord, NormSet
from etm_desktop.norms.loader import load_norm_documents
from etm_desktop.norms.schema import NormError, NormSetView, parse_norm_set

log = logging.getLogger(__name__)


def _to_json(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, default=str, sort_keys=True)


def ensure_default_norms(database) -> int:
    """Add the sets of ``data/norms.toml`` whose dates the database lacks; returns how many.

    A login that may not write (a viewer on a PostgreSQL server) adds nothing and
    reads the sets that are there; the next analyst to open the database adds them.
    """
    from sqlalchemy.exc import DBAPIError

    from etm_desktop.db.errors import INSUFFICIENT_PRIVILEGE, sqlstate

    try:
        return _add_default_norms(database, load_norm_documents())
    except DBAPIError as error:
        if sqlstate(error) != INSUFFICIENT_PRIVILEGE:
            raise
        log.warning("нормы из data/norms.toml не добавлены: у пользователя нет права записи")
        return 0


def _add_default_norms(database, documents) -> int:
    with database.session() as session, session.begin():
        known = set(session.scalars(select(NormSet.effective_from)))
        added = 0
        for document in documents:
            if document["effective_from"] in known:
                continue
            session.add(
                NormSet(
                    name=document["name"],
                    effective_from=document["effective_from"],
                    note=document.get("note") or None,
                    body=_to_json(document),
                    created_by="data/norms.toml",
                )
            )
            added += 1
    return added


@lru_cache(maxsize=64)
def _parsed(body: str) -> NormSetView:
    """A stored set's view; a body parses the same every time, so each is parsed once (views are frozen)."""
    return parse_norm_set(json.loads(body))


class NormBook:
    """Every norm set of a database, answering "which norms hold on this day"."""

    def __init__(self, views: list[NormSetView]):
        self._views = sorted(views, key=lambda v: v.effective_from)
        self._dates = [v.effective_from for v in self._views]

    @classmethod
    def load(cls, database) -> NormBook:
        with database.session() as session:
            rows = session.execute(select(NormSet.effective_from, NormSet.body)).all()
        return cls([_parsed(body) for _effective, body in rows])

    @property
    def sets(self) -> list[NormSetView]:
        return list(self._views)

    def in_force(self, day: date) -> NormSetView:
        """The set in force on ``day``; NormError if none had started yet."""
        index = bisect_right(self._dates, day) - 1
        if index < 0:
            raise NormError("Нормы: на {0} не действует ни один набор норм".format(day.strftime("%d.%m.%Y")))
        return self._views[index]


class NormConflict(conflicts.EditConflict, NormError):
    """Another analyst changed the norm sets since this one opened them; nothing was stored."""


def _stamp(sets) -> str:
    return ";".join(f"{s.effective_from.isoformat()}:{s.version}" for s in sorted(sets, key=lambda s: s.effective_from))


def norms_stamp(database) -> str:
    """What an analyst saw of the norm sets (each set's date and version), for ``expected_stamp``."""
    with database.session() as session:
        return _stamp(session.execute(select(NormSet.effective_from, NormSet.version)).all())


def _norm_conflict(session) -> NormConflict:
    return conflicts.conflict_from(session, "Нормы", "norm_set", None, NormConflict)


#: Shown wherever a new set's date is chosen.
RETROACTIVE_RULE = ("Нормы прошедших месяцев не изменяются задним числом: изменение вводится новым полным "
                    "набором с даты позже начала действующего набора и не раньше начала текущего месяца.")


def earliest_new_set_date(in_force_from: date, today: date) -> date:
    """The first day a new set may start: after the set in force today, and not in a past month."""
    return max(in_force_from + timedelta(days=1), today.replace(day=1))


def add_norm_set(database, document: dict[str, Any], *, who: str | None = None,
                 today: date | None = None, expected_stamp: str | None = None) -> NormSetView:
    """Store a new complete set from its date (never an edit of an existing set or of the past).

    ``expected_stamp`` (:func:`norms_stamp` when the analyst opened the sets): refused with
    :class:`NormConflict` if another analyst stored a set meanwhile, since the new set, a
    copy of what this one saw, would silently drop the other's changes from its date on.
    """
    from etm_desktop.access import Action, require

    require(database, Action.NORMS_EDIT)
    view = parse_norm_set(document)
    today = today or date.today()
    with conflicts.stale_as_conflict(lambda: _norm_conflict_after(database), unique=True):
        _add(database, view, document, who, today, expected_stamp)
    return view


def _norm_conflict_after(database) -> NormConflict:
    with database.session() as session:
        return _norm_conflict(session)


def _add(database, view: NormSetView, document: dict[str, Any], who: str | None, today: date,
         expected_stamp: str | None) -> None:
    with database.session() as session, session.begin():
        sets = list(session.scalars(select(NormSet)))
        if expected_stamp is not None and _stamp(sets) != expected_stamp:
            raise _norm_conflict(session)
        clash = session.scalar(select(NormSet).where(NormSet.effective_from == view.effective_from))
        if clash is not None:
            raise NormError(
                "Нормы: набор с датой {0} уже есть; новые нормы вводятся новым набором с другой даты".format(
                    view.effective_from.strftime("%d.%m.%Y")
                )
            )
        earliest = earliest_new_set_date(NormBook.load(database).in_force(today).effective_from, today)
        if view.effective_from < earliest:
            raise NormError("{0} Новый набор может начинаться не раньше {1}.".format(
                RETROACTIVE_RULE, earliest.strftime("%d.%m.%Y")))
        session.add(
            NormSet(
                name=view.name,
                effective_from=view.effective_from,
                note=view.note or None,
                body=_to_json(document),
                created_by=who,
            )
        )
        session.add(
            AuditRecord(
                who=who,
                entity="norm_set",
                entity_key=view.effective_from.isoformat(),
                action="create",
                after=_to_json(document),
            )
        )
        if sets:  # two analysts storing sets at once: the second's UPDATE of the latest set fails
            conflicts.claim(max(sets, key=lambda s: s.effective_from), "name")
        bump_data_version(session)  # other windows re-judge their grids on the new norms
