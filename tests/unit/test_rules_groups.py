"""I9: a head organisation and its related entities (признак 140) are one client — in KB size,
paying over 15,000 ₽, the blacklist, six months without turnover and ПДЗ (summed)."""

from datetime import date

import pytest

from etm_desktop.compliance.service import month_grid
from tests.builders import blacklisted, manager_row, unbind_candidates, verdicts

OCT = date(2026, 10, 1)
SEP = date(2026, 9, 1)
JUL = date(2026, 7, 1)


def test_kb_size_counts_a_group_once(centre, database):
    m = centre.manager("1001", "МРС")
    head = centre.client(m, ckg="Сети")
    centre.client(m, ckg="Сети", head=head)
    centre.client(m, ckg="Сети", head=head)
    centre.client(m, ckg="Сети")
    lone_head = centre.client(None, ckg="Сети")
    centre.client(m, ckg="Сети", head=lone_head)  # only the related payer is bound
    centre.commit()
    assert manager_row(month_grid(database, OCT), "1001").kb_size == 3


def test_kb_maximum_counts_groups_not_cards(centre, database):
    m = centre.manager("1001", "Универсальный")
    clients = centre.paying_clients(m, 40, OCT)
    centre.client(m, head=clients[0])
    centre.client(m, head=clients[1])
    centre.outside_meetings(m, OCT, 20)
    centre.commit()
    grid = month_grid(database, OCT)
    assert manager_row(grid, "1001").kb_size == 40
    assert verdicts(grid, "1001") == {}


@pytest.mark.parametrize(
    "head_amount, related_amount, head_bound, paying",
    [
        (10000.0, 6000.0, True, 1),  # 16,000 together
        (10000.0, 5000.0, True, 0),  # 15,000 together is not over 15,000
        (10000.0, 6000.0, False, 1),  # the head's turnover counts though only the related payer is bound
        (0.0, 14000.0, True, 0),
    ],
)
def test_paying_on_the_groups_summed_turnover(centre, database, head_amount, related_amount, head_bound, paying):
    m = centre.manager("1001", "МРС")
    head = centre.client(m if head_bound else None, ckg="Сети", turnover={OCT: head_amount})
    centre.client(m, ckg="Сети", head=head, turnover={OCT: related_amount})
    centre.commit()
    row = manager_row(month_grid(database, OCT), "1001")
    assert (row.kb_size, row.paying) == (1, paying)


@pytest.mark.parametrize(
    "head_amount, related_amount, listed",
    [(10000.0, 6000.0, False), (7000.0, 7000.0, True), (7500.0, 7500.0, False)],
)
def test_blacklist_on_the_groups_summed_turnover(centre, database, head_amount, related_amount, listed):
    m = centre.manager("1001", "Универсальный")
    head = centre.client(m, turnover={OCT: head_amount, SEP: head_amount})
    centre.client(m, head=head, turnover={OCT: related_amount, SEP: related_amount})
    centre.commit()
    assert blacklisted(month_grid(database, OCT)) == ({(head.code, "1001")} if listed else set())


@pytest.mark.parametrize("related_amount, listed", [(100000.0, False), (99999.0, True)])
def test_blacklist_by_potential_on_the_groups_summed_turnover(centre, database, related_amount, listed):
    m = centre.manager("1001", "МРЩ")
    head = centre.client(m, ckg="Щитовики", potential="S", turnover={OCT: 200000.0})
    centre.client(None, ckg="Щитовики", potential="S", head=head, turnover={OCT: related_amount})
    centre.commit()
    assert blacklisted(month_grid(database, OCT)) == ({(head.code, "1001")} if listed else set())


@pytest.mark.parametrize("related_bound", [True, False])
def test_auto_unbind_on_the_groups_turnover(centre, database, related_bound):
    m = centre.manager("1001", "Универсальный")
    head = centre.client(m)
    centre.client(m if related_bound else None, head=head, turnover={JUL: 100.0})
    idle_head = centre.client(m)
    centre.client(m, head=idle_head)
    centre.commit()
    assert unbind_candidates(month_grid(database, OCT)) == {(idle_head.code, "1001")}


def test_auto_unbind_on_the_groups_receivables(centre, database):
    m = centre.manager("1001", "Универсальный")
    head = centre.client(m)
    related = centre.client(m, head=head)
    centre.receivable(head, date(2026, 6, 30), 800.0)
    centre.receivable(head, date(2026, 9, 30), 0.0)  # the head's latest snapshot: no ПДЗ
    centre.receivable(related, date(2026, 10, 5), 500.0)  # but the related payer owes
    paid_up = centre.client(m)
    centre.client(m, head=paid_up)
    centre.receivable(paid_up, date(2026, 6, 30), 800.0)
    centre.receivable(paid_up, date(2026, 9, 30), 0.0)
    centre.commit()
    assert unbind_candidates(month_grid(database, OCT)) == {(paid_up.code, "1001")}


def test_a_credit_on_one_entity_does_not_cancel_overdue_debt_of_another(database, centre):
    """R5: ПДЗ summed over a group counts only positive amounts."""
    from etm_desktop.compliance.service import month_grid

    holder = centre.manager("1001", "Универсальный")
    head = centre.client(holder, code="H1")
    related = centre.client(None, code="R1", head=head)
    centre.receivable(head, date(2026, 10, 20), 50_000)
    centre.receivable(related, date(2026, 10, 20), -80_000)
    centre.commit()
    grid = month_grid(database, date(2026, 10, 1))
    assert ("H1", "1001") not in {(e.client, e.manager) for e in grid.auto_unbind}
