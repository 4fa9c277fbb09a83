"""``load_inputs`` reads the same frames as the plain set-based queries it replaced (issue 6).

The turnover is read one month at a time and put together in numpy, and the
clients' ``in_city`` is mapped from the territories in pandas; both must equal the
``GROUP BY`` pivot and the outer join they replaced, on the small demo.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from sqlalchemy import Float, case, cast, func, select

from etm_desktop.compliance.inputs import load_inputs
from etm_desktop.db.models import Client, Territory, Turnover
from etm_desktop.domain.calendar import month_end


def _pivot(database, months) -> pd.DataFrame:
    amount = cast(Turnover.amount, Float)
    statement = (
        select(Turnover.client_id,
               *[func.sum(case((Turnover.month == m, amount), else_=0.0)).label(f"m{i}") for i, m in enumerate(months)])
        .where(Turnover.month >= months[-1], Turnover.month <= months[0])
        .group_by(Turnover.client_id)
        .order_by(Turnover.client_id)  # PostgreSQL's GROUP BY (a hash) keeps no order
    )
    with database.engine.connect() as connection:
        rows = connection.execute(statement).all()
    frame = pd.DataFrame([tuple(r) for r in rows], columns=["client_id", *range(len(months))]).set_index("client_id")
    frame.columns = range(len(months))
    return frame


@pytest.mark.parametrize(("month", "history"), [(date(2026, 11, 1), 6), (date(2026, 6, 1), 3), (date(2025, 1, 1), 1)])
def test_turnover_equals_the_group_by_pivot(small_demo, month, history):
    inputs = load_inputs(small_demo, month_end(month), month, history)
    reference = _pivot(small_demo, inputs.months)
    assert len(reference) > 0
    pd.testing.assert_frame_equal(inputs.turnover, reference, check_dtype=True, check_exact=True)


def test_in_city_equals_the_outer_join(small_demo):
    inputs = load_inputs(small_demo, date(2026, 11, 30), date(2026, 11, 1), 6)
    statement = select(Client.id, Territory.in_city).outerjoin(Territory, Territory.id == Client.territory_id)
    with small_demo.engine.connect() as connection:
        joined = {client_id: in_city for client_id, in_city in connection.execute(statement)}
    assert set(joined) == set(inputs.clients.index)
    for client_id, in_city in inputs.clients["in_city"].items():
        expected = joined[client_id]
        assert (pd.isna(in_city) and expected is None) or in_city == expected, client_id


def test_distinct_turnover_ids_equal_numpy_unique():
    """The turnover table's client index: a presence table for dense ids, ``np.unique`` otherwise."""
    import numpy as np

    from etm_desktop.compliance.inputs import _distinct_ids

    rng = np.random.default_rng(7)
    cases = [rng.integers(1, 30_000, 200_000), np.array([], dtype=np.int64), np.array([9, 3, 9, 3]),
             np.array([5, 3, 10**12]), np.array([-1, 2, 2]), np.array([0])]
    for ids in cases:
        found, expected = _distinct_ids(ids.astype(np.int64)), np.unique(ids.astype(np.int64))
        assert found.dtype == expected.dtype and np.array_equal(found, expected)


def _months(month: date, history: int) -> tuple[date, ...]:
    from etm_desktop.domain.calendar import add_months

    return tuple(add_months(month, -i) for i in range(history))


@pytest.mark.sqlite_only
def test_sqlite_turnover_read_as_text_equals_the_row_by_row_read(small_demo):
    """SQLite's month read without a Python object per row gives the very ids and doubles, in order."""
    from etm_desktop.compliance.inputs import _month_turnover, _month_turnover_sqlite

    with small_demo.engine.connect() as connection:
        for month in _months(date(2026, 11, 1), 6) + (date(2001, 1, 1),):  # the last one has no rows
            fast = _month_turnover_sqlite(connection, month)
            ids, amounts = _month_turnover(connection, month)
            assert fast is not None
            assert fast[0].tolist() == ids.tolist() and fast[1].tobytes() == amounts.tobytes()


@pytest.mark.sqlite_only
def test_amounts_that_are_not_whole_kopecks_are_read_row_by_row(small_demo):
    """An amount that is not exactly its kopecks / 100 sends its month to the row-by-row read,
    and the frame holds the stored doubles exactly."""
    from sqlalchemy import update

    from etm_desktop.compliance.inputs import _month_turnover_sqlite

    month = date(2026, 11, 1)
    odd = [0.1 + 0.2, 1 / 3, 12.345, 1e-9]  # 0.30000000000000004 is not 0.3
    with small_demo.engine.begin() as connection:
        targets = connection.execute(select(Turnover.client_id).where(Turnover.month == month)
                                     .order_by(Turnover.client_id).limit(len(odd))).scalars().all()
        for client_id, amount in zip(targets, odd):
            connection.execute(update(Turnover).where(Turnover.client_id == client_id, Turnover.month == month)
                               .values(amount=amount))
    with small_demo.engine.connect() as connection:
        assert _month_turnover_sqlite(connection, month) is None
        assert _month_turnover_sqlite(connection, date(2026, 10, 1)) is not None
    inputs = load_inputs(small_demo, month_end(month), month, 6)
    for client_id, amount in zip(targets, odd):
        assert inputs.turnover.loc[client_id, 0] == amount
    pd.testing.assert_frame_equal(inputs.turnover, _pivot(small_demo, inputs.months), check_exact=True)


@pytest.mark.parametrize("day", [date(2026, 11, 30), date(2025, 3, 31), date(2020, 1, 1), date.max])
def test_bindings_in_force_read_through_the_table_equal_the_indexed_condition(small_demo, day):
    """``in_force(day, whole_table=True)`` (the grid's read) selects the very bindings ``in_force(day)`` does."""
    from etm_desktop.db.models import Binding
    from etm_desktop.queries.clients import in_force

    with small_demo.engine.connect() as connection:
        scanned = connection.execute(select(Binding.id).where(in_force(day, whole_table=True))).scalars().all()
        indexed = connection.execute(select(Binding.id).where(in_force(day))).scalars().all()
    assert sorted(scanned) == sorted(indexed)
    assert scanned or day in (date(2020, 1, 1), date.max)  # before the demo's first binding; the far end
