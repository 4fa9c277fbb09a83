"""Heads' own contribution (domain.md): НОП ≥ 15, НОПП ≥ 20 meetings outside the office;
старший группы: own KB ≥ 50% of its size and ≥ 15 meetings with his group's МОПП's clients.
Руководитель ВТЦ may hold clients: his KB is shown, no norm judged."""

from datetime import date

import pytest

from etm_desktop.compliance.service import month_grid
from tests.builders import grid_ids, manager_row, verdicts

OCT = date(2026, 10, 1)


@pytest.mark.parametrize(
    "position, meetings, expected",
    [
        ("НОП", 15, {}),
        ("НОП", 14, {("head_meetings", "breach"): (14, 15)}),
        ("НОП", 0, {("head_meetings", "breach"): (0, 15)}),
        ("НОПП", 20, {}),
        ("НОПП", 19, {("head_meetings", "breach"): (19, 20)}),
        ("НОПП", 15, {("head_meetings", "breach"): (15, 20)}),
    ],
)
def test_head_meetings(centre, database, position, meetings, expected):
    head = centre.employee("3001", position)
    centre.outside_meetings(head, OCT, meetings)
    centre.commit()
    grid = month_grid(database, OCT)
    row = manager_row(grid, "3001")
    assert (row.position, row.specialization, row.status, row.meetings) == (position, None, None, meetings)
    assert verdicts(grid, "3001") == expected


@pytest.mark.parametrize("position, required", [("НОП", 15), ("НОПП", 20)])
def test_head_meetings_in_the_office_or_another_month_do_not_count(centre, database, position, required):
    head = centre.employee("3001", position)
    centre.outside_meetings(head, OCT, required - 1)
    centre.meetings(head, date(2026, 10, 20), 10, outside=False)
    centre.meetings(head, date(2026, 9, 30), 10)
    centre.meetings(head, date(2026, 11, 1), 10)
    centre.commit()
    assert verdicts(month_grid(database, OCT), "3001") == {("head_meetings", "breach"): (required - 1, required)}


def test_head_meetings_count_with_anyones_clients(centre, database):
    head = centre.employee("3001", "НОП")
    m = centre.manager("1001", "МРС")
    client = centre.client(m, ckg="Сети", turnover={OCT: 20000})
    centre.outside_meetings(head, OCT, 10, client=client)
    centre.outside_meetings(head, OCT, 5)
    centre.commit()
    assert verdicts(month_grid(database, OCT), "3001") == {}


# --- старший группы -----------------------------------------------------------

def _group(centre):
    """A group lead (Универсальный veteran, 20 clients) and one МОПП of his group (20 clients)."""
    lead = centre.manager("2001", "Универсальный", position="Старший группы")
    own = centre.paying_clients(lead, 20, OCT)
    member = centre.manager("1002", "Универсальный", lead=lead)
    theirs = centre.paying_clients(member, 20, OCT)
    centre.outside_meetings(member, OCT, 10)
    return lead, own, member, theirs


@pytest.mark.parametrize(
    "own, group, expected",
    [
        (10, 15, {}),
        (9, 15, {("meetings", "breach"): (9, 10.0)}),
        (10, 14, {("group_meetings", "breach"): (14, 15)}),
        (0, 25, {("meetings", "breach"): (0, 10.0)}),  # group meetings are not his own KB's
        (25, 0, {("group_meetings", "breach"): (0, 15)}),
    ],
)
def test_group_lead_meetings(centre, database, own, group, expected):
    lead, own_clients, _, theirs = _group(centre)
    centre.outside_meetings(lead, OCT, own, client=own_clients[0])
    centre.outside_meetings(lead, OCT, group, client=theirs[3])
    centre.commit()
    grid = month_grid(database, OCT)
    row = manager_row(grid, "2001")
    assert (row.position, row.kb_size, row.meetings) == ("Старший группы", 20, own)
    assert verdicts(grid, "2001") == expected
    assert verdicts(grid, "1002") == {}


def test_group_lead_own_share_follows_his_kb_size(centre, database):
    lead = centre.manager("2001", "МРС", position="Старший группы")
    centre.paying_clients(lead, 7, OCT, ckg="Сети")
    member = centre.manager("1002", "МРС", lead=lead)
    theirs = centre.paying_clients(member, 2, OCT, ckg="Сети")
    centre.outside_meetings(member, OCT, 1)
    centre.outside_meetings(lead, OCT, 3)
    centre.outside_meetings(lead, OCT, 15, client=theirs[0])
    centre.commit()
    assert verdicts(month_grid(database, OCT), "2001") == {("meetings", "breach"): (3, 3.5)}


def test_meetings_with_clients_of_another_group_are_not_group_meetings(centre, database):
    lead, _, _, _ = _group(centre)
    stranger = centre.manager("1003", "Универсальный")  # not in his group
    others = centre.paying_clients(stranger, 20, OCT)
    centre.outside_meetings(stranger, OCT, 10)
    centre.outside_meetings(lead, OCT, 10)
    centre.outside_meetings(lead, OCT, 15, client=others[0])
    centre.commit()
    grid = month_grid(database, OCT)
    assert manager_row(grid, "2001").meetings == 25
    assert verdicts(grid, "2001") == {("group_meetings", "breach"): (0, 15)}


def test_the_members_own_meetings_are_not_the_leads(centre, database):
    lead, _, member, theirs = _group(centre)
    centre.outside_meetings(member, OCT, 20, client=theirs[0])
    centre.outside_meetings(lead, OCT, 10)
    centre.commit()
    assert verdicts(month_grid(database, OCT), "2001") == {("group_meetings", "breach"): (0, 15)}


def test_group_lead_has_the_kb_norms_of_his_specialization(centre, database):
    lead = centre.manager("2001", "Универсальный", position="Старший группы")
    centre.paying_clients(lead, 41, OCT)
    member = centre.manager("1002", "Универсальный", lead=lead)
    theirs = centre.paying_clients(member, 20, OCT)
    centre.outside_meetings(member, OCT, 10)
    centre.outside_meetings(lead, OCT, 21)
    centre.outside_meetings(lead, OCT, 15, client=theirs[0])
    centre.commit()
    assert verdicts(month_grid(database, OCT), "2001") == {("kb_size_max", "breach"): (41, 40)}


# --- Руководитель ВТЦ and who is in the grid ----------------------------------

def test_vtc_head_shows_his_kb_without_norms(centre, database):
    head = centre.employee("4001", "Руководитель ВТЦ")
    centre.territory("Z", in_city=False)
    centre.clients(head, 70, ckg="Сети", potential="C", territory="Z")
    centre.commit()
    grid = month_grid(database, OCT)
    row = manager_row(grid, "4001")
    assert (row.kb_size, row.specialization, row.status) == (70, None, None)
    assert verdicts(grid, "4001") == {}


def test_grid_positions(centre, database):
    for tab, position in (("1", "МОПП"), ("2", "Старший группы"), ("3", "НОП"), ("4", "НОПП"),
                          ("5", "Руководитель ВТЦ"), ("6", "МКА"), ("7", "ДП")):
        centre.employee(tab, position, specialization="Универсальный" if position in ("МОПП", "Старший группы")
                        else None)
    centre.commit()
    assert grid_ids(month_grid(database, OCT)) == {"1", "2", "3", "4", "5"}
