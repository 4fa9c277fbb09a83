"""The client list and the client card queries (etm_desktop.queries)."""

from __future__ import annotations

from datetime import date

import pytest

from etm_desktop.domain.calendar import add_months
from etm_desktop.memos.store import MemoNotFound
from etm_desktop.queries.client_card import client_card
from etm_desktop.queries.clients import CLIENT_FIELDS, client_list, row_tab_nos

DAY = date(2026, 11, 30)


@pytest.fixture
def small_centre(centre):
    ivanov = centre.manager("1001", "Универсальный")
    petrov = centre.manager("1002", "Универсальный", office="ОП1")
    head = centre.client(ivanov, code="H1", territory="T1", potential="S")
    related = centre.client(None, code="R1", head=head)
    centre.client(None, code="R2", head=head)
    both = centre.client(ivanov, code="B1")
    centre.bind(both, petrov)
    centre.client(petrov, code="OLD", bound_to=date(2026, 6, 1))
    centre.turnover(head, date(2026, 11, 1), 20000)
    centre.turnover(head, date(2024, 12, 1), 5000)
    centre.turnover(head, date(2024, 11, 1), 7000)  # 25 months back: outside the chart
    centre.receivable(head, date(2026, 10, 1), 1000)
    centre.receivable(head, date(2026, 11, 1), 2500)
    centre.meetings(ivanov, date(2026, 11, 10), 2, client=head)
    centre.meetings(ivanov, date(2026, 11, 11), 1, client=head, outside=False)
    centre.calls(ivanov, date(2026, 11, 12), 3)
    centre.commit()
    return {"head": head, "related": related}


def test_client_list_one_row_per_card(database, small_centre):
    rows = {r[0]: dict(zip(CLIENT_FIELDS, r)) for r in client_list(database, DAY)}
    assert set(rows) == {"H1", "R1", "R2", "B1", "OLD"}
    assert rows["H1"]["managers"] == "1001 Сотрудник 1."
    assert rows["H1"]["territory"] == "Территория T1" and rows["H1"]["potential"] == "S"
    assert rows["H1"]["in_ook"] is False and rows["H1"]["head"] == ""
    assert rows["R1"]["head"] == "H1" and rows["R1"]["in_ook"] is True
    assert row_tab_nos(rows["B1"]["managers"]) == ("1001", "1002")
    assert rows["OLD"]["in_ook"] is True and rows["OLD"]["managers"] == ""


def test_client_list_as_of_an_earlier_day(database, small_centre):
    rows = {r[0]: r for r in client_list(database, date(2026, 5, 31))}
    assert rows["OLD"][6] == "1002 Сотрудник 1."


def test_client_list_of_one_manager(database, small_centre):
    assert [r[0] for r in client_list(database, DAY, tab_no="1002")] == ["B1"]
    assert client_list(database, DAY, tab_no="9999") == []


def test_client_card(database, small_centre):
    card = client_card(database, "H1", DAY)
    assert card.head is None and card.is_head
    assert [c for c, _n in card.related] == ["R1", "R2"]
    assert [(t, f) for t, _n, f in card.bindings] == [("1001", date(2020, 1, 1))]
    assert [p.manager for p in card.history] == ["1001"]
    assert card.receivable == (date(2026, 11, 1), 2500.0)
    assert [m.outside for m in card.meetings] == [False, True, True]
    assert card.meetings[0].employee == "1001 Сотрудник 1."
    points = card.turnover_24(date(2026, 11, 1))
    assert len(points) == 24 and points[0] == (date(2024, 12, 1), 5000.0)
    assert points[-1] == (date(2026, 11, 1), 20000.0)
    assert sum(a for _m, a in points) == 25000.0


def test_card_of_a_related_client_points_to_its_group(database, small_centre):
    card = client_card(database, "R1", DAY)
    assert card.head == ("H1", "ООО Клиент 1") and not card.is_head
    assert [c for c, _n in card.related] == ["R2"]
    assert card.bindings == [] and card.receivable is None


def test_card_history_keeps_closed_bindings(database, small_centre):
    card = client_card(database, "OLD", DAY)
    assert [(p.manager, p.valid_to) for p in card.history] == [("1002", date(2026, 6, 1))]
    assert card.bindings == []


def test_unknown_client(database, small_centre):
    with pytest.raises(MemoNotFound):
        client_card(database, "NOPE", DAY)


def test_client_list_on_the_small_demo(small_demo):
    from sqlalchemy import func, select

    from etm_desktop.db.models import Client

    rows = client_list(small_demo, DAY)
    with small_demo.session() as session:
        assert len(rows) == session.scalar(select(func.count(Client.id)))
    one = next(r for r in rows if not r[7])
    card = client_card(small_demo, one[0], DAY)
    assert {t for t, _n, _f in card.bindings} == set(row_tab_nos(one[6]))
    assert len(card.turnover_24(add_months(DAY.replace(day=1), 0))) == 24
