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
        .order_by(Turnover.client_id)  # the program's frame is ascending; a server's GROUP BY is in no order
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
