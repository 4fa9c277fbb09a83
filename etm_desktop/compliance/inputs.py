"""Loading what a month's judgement needs, in a handful of set-based queries.

:class:`GridInputs` holds plain pandas frames for the whole centre as at one day
(``as_of``) with the turnover of the months that end with ``month``. The
evaluator works on these frames only, so a memo's what-if can swap the bindings
(or client attributes) and re-judge a few managers without touching the database.
"""

from __future__ import annotations

import gc
import threading
import weakref
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import chain

import numpy as np
import pandas as pd
from sqlalchemy import Float, and_, cast, func, select, text

from etm_desktop.db.models import (
    Activity,
    Binding,
    Client,
    Employee,
    EmployeeTerritory,
    Office,
    Receivable,
    SpecializationPeriod,
    Territory,
    Turnover,
)
from etm_desktop.domain.calendar import add_months, month_start
from etm_desktop.domain.vocabulary import ActivityKind
from etm_desktop.queries.clients import in_force


@dataclass(frozen=True)
class GridInputs:
    """Frames for one judgement day; ``months[0]`` is the judged month, then back in time."""

    as_of: date
    months: tuple[date, ...]
    employees: pd.DataFrame  # id, tab_no, full_name, position, office, cluster_id, hire, novice, dismissal, lead_id
    specializations: pd.DataFrame  # employee_id, specialization, start_date (all periods)
    territories_assigned: pd.DataFrame  # employee_id, territory_id
    clients: pd.DataFrame  # index id: code, name, ckg, potential, territory_id, head_id, group_id, in_city
    bindings: pd.DataFrame  # binding_id, client_id, employee_id, valid_from (in force on as_of)
    turnover: pd.DataFrame  # index client_id; columns 0..n-1 = months[i]
    receivables: pd.Series  # client_id → latest ПДЗ amount on or before as_of
    activity: pd.DataFrame  # employee_id, kind, client_id, outside_office (dated in months[0])
    derived: dict = field(default_factory=dict, compare=False, repr=False)  # frames computed once per day

    def with_changes(self, *, bindings: pd.DataFrame | None = None, clients: pd.DataFrame | None = None) -> GridInputs:
        """A copy with other bindings and/or client attributes (for a what-if).

        Of the frames computed once per day, the copy keeps only those that do not
        depend on bindings or clients (:data:`UNCHANGED_BY_MEMOS`); judged grids and
        rows are the original data's and must not answer for the copy.
        """
        return replace(
            self,
            bindings=self.bindings if bindings is None else bindings,
            clients=self.clients if clients is None else clients,
            derived={k: v for k, v in self.derived.items() if k[0] in UNCHANGED_BY_MEMOS},
        )


#: Kinds of ``GridInputs.derived`` entries (the key's first item) that depend on
#: neither bindings nor client attributes: a what-if copy may reuse them.
UNCHANGED_BY_MEMOS = frozenset({"staff", "activity"})


def _frame(connection, statement, dates: tuple[str, ...] = ()) -> pd.DataFrame:
    """A frame of the statement's rows, read from the DB-API cursor directly.

    Handing SQLAlchemy ``Row`` objects to pandas costs ~5x more (pandas probes
    each row's attributes); the raw tuples skip SQLAlchemy's type processing,
    so the ``dates`` columns are converted here (SQLite returns ISO text).
    """
    result = connection.execute(statement)
    columns = list(result.keys())
    frame = pd.DataFrame(result.cursor.fetchall(), columns=columns)
    for column in dates:
        values = frame[column].tolist()  # plain objects: iterating a pandas string column costs ~1 µs a cell
        parsed = {v: date.fromisoformat(v) for v in set(values) if isinstance(v, str)}  # few distinct days
        frame[column] = [parsed[v] if isinstance(v, str) else v for v in values]
    return frame


def _turnover(connection, months: tuple[date, ...]) -> pd.DataFrame:
    """Per client (index, ascending), the turnover of each month (columns 0..n-1 = ``months[i]``, 0.0 where
    there is none); clients with no turnover in the window are absent.

    One query per month, each a range of the (month, client_id, amount) index, and
    the table put together in numpy: a GROUP BY pivot in SQLite costs twice as much
    (a temporary B-tree), and the rows' Python objects are most of the cost — which
    SQLite avoids altogether where it can (:func:`_month_turnover_sqlite`).
    """
    ids, values = [], []
    sqlite = connection.dialect.name == "sqlite"
    for month in months:
        found = _month_turnover_sqlite(connection, month) if sqlite else None
        month_ids, month_values = found if found is not None else _month_turnover(connection, month)
        ids.append(month_ids)
        values.append(month_values)
    index = _distinct_ids(np.concatenate(ids)) if ids else np.array([], dtype=np.int64)
    table = np.zeros((len(index), len(months)))
    for column, (month_ids, month_values) in enumerate(zip(ids, values)):
        table[np.searchsorted(index, month_ids), column] = month_values
    return pd.DataFrame(table, index=pd.Index(index, name="client_id"), columns=range(len(months)))


def _month_turnover(connection, month: date) -> tuple[np.ndarray, np.ndarray]:
    """A month's (client ids, amounts) through the driver's rows (every database)."""
    statement = select(Turnover.client_id, cast(Turnover.amount, Float)).where(Turnover.month == month)
    rows = connection.execute(statement).cursor.fetchall()
    pairs = np.fromiter(chain.from_iterable(rows), dtype=np.float64, count=2 * len(rows)).reshape(-1, 2)
    return pairs[:, 0].astype(np.int64), pairs[:, 1]  # ids are far below 2**53: exact through float64


#: A month's turnover as two texts SQLite writes in C: the client ids and the amounts in kopecks
#: (integers, so written exactly), and how many amounts are *not* exactly their kopecks / 100 (in
#: IEEE doubles, as numpy divides): any such amount, and the month is read row by row instead.
_MONTH_AS_TEXT = text(
    "SELECT count(*), group_concat(client_id), group_concat(CAST(round(amount * 100) AS INTEGER)), "
    "total(CAST(round(amount * 100) AS INTEGER) / 100.0 IS NOT amount) FROM turnover WHERE month = :month")


def _month_turnover_sqlite(connection, month: date) -> tuple[np.ndarray, np.ndarray] | None:
    """A month's (client ids, amounts) on SQLite without a Python object per row, or None when the
    amounts cannot be carried exactly as kopecks (then :func:`_month_turnover` reads them).

    Both texts come from one scan, so their items are in the same order. The amounts are the very
    doubles stored (checked in the query), except that a stored -0.0 is read as 0.0 (equal in every
    sum and comparison; the importer stores 0.0).
    """
    count, id_text, kopeck_text, inexact = connection.execute(_MONTH_AS_TEXT, {"month": month.isoformat()}).one()
    if inexact:
        return None
    if not count:
        return np.array([], dtype=np.int64), np.array([], dtype=np.float64)
    ids = np.fromstring(id_text, dtype=np.int64, sep=",")
    kopecks = np.fromstring(kopeck_text, dtype=np.int64, sep=",")
    if len(ids) != count or len(kopecks) != count:
        return None
    return ids, kopecks / 100.0


def _distinct_ids(ids: np.ndarray) -> np.ndarray:
    """The distinct ids, ascending (as ``np.unique``): marked in a table as long as the ids
    are dense enough (database keys are), which costs a tenth of ``np.unique``'s hashing and sort
    on the 1.7 million turnover rows of a national centre's window."""
    if not len(ids) or ids.min() < 0 or ids.max() > 4 * len(ids) + 1_000_000:
        return np.unique(ids)
    seen = np.zeros(int(ids.max()) + 1, dtype=bool)
    seen[ids] = True
    return np.flatnonzero(seen).astype(np.int64)


@contextmanager
def gc_paused():
    """No cyclic garbage collection inside: reading and judging the centre allocates hundreds of
    thousands of short-lived, acyclic objects (row tuples, strings), on which the collector's
    passes cost 15–25 ms per grid and a full pass up to 90 ms; refcounting still frees them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_inputs(database, as_of: date, month: date, history_months: int) -> GridInputs:
    """Read the frames for judging ``month`` as at ``as_of`` (one short read transaction)."""
    with gc_paused():
        return _load_inputs(database, as_of, month, history_months)


def _load_inputs(database, as_of: date, month: date, history_months: int) -> GridInputs:
    month = month_start(month)
    months = tuple(add_months(month, -i) for i in range(history_months))
    with database.engine.connect() as connection:
        employees = _frame(
            connection,
            select(
                Employee.id, Employee.tab_no, Employee.full_name, Employee.position,
                Office.name.label("office"), Office.cluster_id, Employee.office_id,
                Employee.hire_date.label("hire"), Employee.novice_date.label("novice"),
                Employee.dismissal_date.label("dismissal"), Employee.group_lead_id.label("lead_id"),
            ).outerjoin(Office, Office.id == Employee.office_id),
            dates=("hire", "novice", "dismissal"),
        )
        specializations = _frame(
            connection,
            select(SpecializationPeriod.employee_id, SpecializationPeriod.specialization, SpecializationPeriod.start_date),
            dates=("start_date",),
        )
        territories_assigned = _frame(connection, select(EmployeeTerritory.employee_id, EmployeeTerritory.territory_id))
        clients = _frame(
            connection,
            select(Client.id, Client.code, Client.name, Client.ckg, Client.potential, Client.territory_id,
                   Client.head_id),
        )
        # the few territories are mapped in pandas: a join per client row costs SQLite more
        in_city = _frame(connection, select(Territory.id, Territory.in_city))
        bindings = _frame(
            connection,
            select(Binding.id.label("binding_id"), Binding.client_id, Binding.employee_id, Binding.valid_from).where(
                in_force(as_of, whole_table=True)
            ),
            dates=("valid_from",),
        )
        turnover = _turnover(connection, months)
        latest = (
            select(Receivable.client_id, func.max(Receivable.as_of).label("as_of"))
            .where(Receivable.as_of <= as_of)
            .group_by(Receivable.client_id)
            .subquery()
        )
        receivables = _frame(
            connection,
            select(Receivable.client_id, cast(Receivable.amount, Float).label("amount")).join(
                latest, and_(latest.c.client_id == Receivable.client_id, latest.c.as_of == Receivable.as_of)
            ),
        )
        activity = _frame(
            connection,
            select(Activity.employee_id, Activity.kind, Activity.client_id, Activity.outside_office).where(
                Activity.activity_date >= months[0], Activity.activity_date < add_months(months[0], 1)
            ),
        )
    clients = clients.set_index("id")
    clients["in_city"] = clients["territory_id"].map(in_city.set_index("id")["in_city"])
    clients["group_id"] = clients["head_id"].fillna(pd.Series(clients.index, index=clients.index)).astype("int64")
    return GridInputs(
        as_of=as_of,
        months=months,
        employees=employees,
        specializations=specializations,
        territories_assigned=territories_assigned,
        clients=clients,
        bindings=bindings,
        turnover=turnover,
        receivables=receivables.set_index("client_id")["amount"] if len(receivables) else pd.Series(dtype=float),
        activity=activity,
    )


class InputsCache:
    """Prepared frames keyed on (data version, day, month): re-checking costs nothing."""

    def __init__(self, size: int = 4):
        self._size = size
        self._items: dict[tuple, tuple[weakref.ref, GridInputs]] = {}
        self._lock = threading.Lock()

    def get(self, database, as_of: date, month: date, history_months: int) -> GridInputs:
        key = (id(database), database.data_version(), as_of, month_start(month), history_months)
        with self._lock:
            found = self._items.get(key)
        # an id is reused once its object is freed: the entry must be this very database's
        if found is not None and found[0]() is database:
            return found[1]
        inputs = load_inputs(database, as_of, month, history_months)
        with self._lock:
            if key not in self._items and len(self._items) >= self._size:
                self._items.pop(next(iter(self._items)))
            self._items[key] = (weakref.ref(database), inputs)
        return inputs


MEETING = ActivityKind.MEETING.value
COLD_CALL = ActivityKind.COLD_CALL.value
