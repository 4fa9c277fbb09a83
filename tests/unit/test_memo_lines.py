"""Memo lines: the rules each line must keep before it can be applied (interfaces.md, ``memo check``).

The centre is sound before every memo here (every manager within his norms), so
the problems a test expects are exactly the line rules it provokes; each test
has a twin one step on the other side that passes.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from etm_desktop.memos.problems import LINE_RULES
from tests.memo_support import check, found

DAY = "2026-10-05"  # judged on September 2026
SEP = date(2026, 9, 1)


def kb_sizes(result) -> dict[str, tuple[int, int]]:
    return {e["manager"]: (e["before"]["kb_size"], e["after"]["kb_size"]) for e in result.effects}


def sound(centre, tab_no, n=25, specialization="Универсальный", **kw):
    """A veteran with ``n`` clients paying in September and enough meetings for 2n clients."""
    manager = centre.manager(tab_no, specialization, **kw)
    centre.paying_clients(manager, n, SEP)
    centre.outside_meetings(manager, SEP, n)
    return manager


@pytest.fixture
def world(centre):
    centre.office("ОП2", "Куст 1")
    w = SimpleNamespace()
    w.ivanov = sound(centre, "1001")
    w.petrov = sound(centre, "1002")
    w.sidorov = sound(centre, "1003", office="ОП2")
    centre.employee("2001", "НОП")
    centre.employee("2002", "МКА")
    centre.employee("2003", "ДП")
    centre.manager("1009", "Универсальный", dismissed=date(2026, 10, 4))
    centre.outside_meetings(centre.manager("1010", "Универсальный", dismissed=date(2026, 10, 30)), SEP, 5)
    centre.manager("1011", "Универсальный", hired=date(2026, 10, 6), novice=None)
    centre.employee("3001", "Руководитель ВТЦ")
    lead = centre.employee("3002", "Старший группы", specialization="Универсальный")
    centre.outside_meetings(lead, SEP, 20)
    for code, holder in (("KI", w.ivanov), ("KP", w.petrov), ("KX", w.ivanov)):
        centre.client(holder, code=code, turnover={SEP: 20000})
    centre.client(None, code="KO", potential=None, turnover={SEP: 20000})  # with ООК
    head = centre.client(w.ivanov, code="KH", turnover={SEP: 20000})
    centre.client(w.ivanov, code="KR", head=head)
    shared = centre.client(w.ivanov, code="KM", turnover={SEP: 20000})
    centre.bind(shared, w.sidorov)  # multiple classification across offices already
    centre.commit()
    return w


def test_every_line_rule_has_a_russian_title():
    assert set(LINE_RULES) == {
        "unknown_client", "unknown_manager", "no_manager", "bind_to_ook", "not_bound", "already_bound",
        "justification_required", "potential_required", "multi_same_office", "invalid_140",
    }


def test_a_sound_memo_has_no_problems(database, world):
    result = check(database, {"action": "transfer", "client": "KI", "from": "1001", "to": "1002"})
    assert result.ok
    assert found(result) == []
    assert kb_sizes(result) == {"1001": (29, 28), "1002": (26, 27)}


# -- unknown_client --------------------------------------------------------------------

def test_unknown_client(database, world):
    result = check(database,
                   {"action": "transfer", "client": "KI", "from": "1001", "to": "1002"},
                   {"action": "bind", "client": "K-НЕТ", "to": "1002"})
    assert found(result) == [(2, "unknown_client", "breach")]
    assert not result.ok
    assert result.problems[0].message.startswith("Строка 2: ")
    assert "«K-НЕТ»" in result.problems[0].message
    assert kb_sizes(result) == {"1001": (29, 28), "1002": (26, 27)}  # line 1 still applies


def test_unknown_head_of_a_140_link(database, world):
    assert found(check(database, {"action": "link_140", "client": "KX", "head": "K-НЕТ"})) == \
        [(1, "unknown_client", "breach")]
    assert found(check(database, {"action": "link_140", "client": "KX", "head": "KI"})) == []


# -- unknown_manager -------------------------------------------------------------------

def test_unknown_receiver(database, world):
    result = check(database, {"action": "transfer", "client": "KI", "from": "1001", "to": "9999"})
    assert found(result) == [(1, "unknown_manager", "breach")]
    assert "«9999»" in result.problems[0].message
    assert result.effects == []


def test_unknown_giver(database, world):
    result = check(database, {"action": "transfer", "client": "KI", "from": "9999", "to": "1002"})
    assert found(result) == [(1, "unknown_manager", "breach")]
    assert result.effects == []


# -- no_manager ------------------------------------------------------------------------

@pytest.mark.parametrize("action", ["bind", "from_ook"])
def test_no_receiver_named(database, world, action):
    result = check(database, {"action": action, "client": "KO", "potential": "A", "reason": "тендер"})
    assert found(result) == [(1, "no_manager", "breach")]
    assert "«to»" in result.problems[0].message


def test_transfer_without_a_receiver(database, world):
    assert found(check(database, {"action": "transfer", "client": "KI", "from": "1001"})) == \
        [(1, "no_manager", "breach")]


@pytest.mark.parametrize("tab_no", ["2001", "2002", "2003"])  # НОП, МКА, ДП
def test_receiver_who_cannot_hold_clients(database, world, tab_no):
    result = check(database, {"action": "bind", "client": "KO", "to": tab_no})
    assert found(result) == [(1, "no_manager", "breach")]
    assert "нельзя закреплять" in result.problems[0].message


@pytest.mark.parametrize("tab_no", ["3001", "3002"])  # Руководитель ВТЦ, Старший группы
def test_heads_of_trade_counters_and_group_leads_may_hold_clients(database, world, tab_no):
    result = check(database, {"action": "bind", "client": "KO", "to": tab_no})
    assert found(result) == []
    assert kb_sizes(result)[tab_no] == (0, 1)


def test_receiver_dismissed_before_the_memo_date(database, world):
    result = check(database, {"action": "bind", "client": "KO", "to": "1009"})
    assert found(result) == [(1, "no_manager", "breach")]
    assert "не работает" in result.problems[0].message


def test_receiver_still_employed_on_the_memo_date(database, world):
    assert found(check(database, {"action": "bind", "client": "KO", "to": "1010"})) == []


def test_receiver_not_hired_yet_on_the_memo_date(database, world):
    assert found(check(database, {"action": "bind", "client": "KO", "to": "1011"})) == [(1, "no_manager", "breach")]
    assert found(check(database, {"action": "bind", "client": "KO", "to": "1011"}, day="2026-10-06")) == []


# -- bind_to_ook -----------------------------------------------------------------------

@pytest.mark.parametrize("holder", ["ООК", "НООК", "оок", " НООК "])
@pytest.mark.parametrize("line", [
    {"action": "bind", "client": "KO"},
    {"action": "transfer", "client": "KI", "from": "1001"},
    {"action": "from_ook", "client": "KO", "potential": "A", "reason": "тендер"},
])
def test_binding_to_the_service_desk_is_forbidden(database, world, holder, line):
    result = check(database, dict(line, to=holder))
    assert found(result) == [(1, "bind_to_ook", "breach")]
    assert "to_ook" in result.problems[0].message
    assert result.effects == []


def test_handing_a_client_to_the_service_desk_is_to_ook(database, world):
    result = check(database, {"action": "to_ook", "client": "KI", "from": "1001"})
    assert found(result) == []
    assert kb_sizes(result) == {"1001": (29, 28)}


# -- not_bound -------------------------------------------------------------------------

@pytest.mark.parametrize("action", ["transfer", "unbind", "to_ook"])
def test_client_not_bound_to_the_giver(database, world, action):
    result = check(database, {"action": action, "client": "KP", "from": "1001", "to": "1003"})
    assert found(result) == [(1, "not_bound", "breach")]
    assert "не закреплён за 1001" in result.problems[0].message
    assert result.effects == []


@pytest.mark.parametrize("action", ["transfer", "unbind", "to_ook"])
def test_client_bound_to_the_giver(database, world, action):
    result = check(database, {"action": action, "client": "KP", "from": "1002", "to": "1003"})
    assert found(result) == []
    assert kb_sizes(result)["1002"] == (26, 25)


@pytest.mark.parametrize("action", ["unbind", "to_ook", "transfer"])
def test_client_bound_to_nobody(database, world, action):
    result = check(database, {"action": action, "client": "KO", "to": "1002"})
    assert found(result) == [(1, "not_bound", "breach")]
    assert "ни за кем" in result.problems[0].message


def test_the_only_holder_is_the_giver_when_from_is_omitted(database, world):
    result = check(database, {"action": "unbind", "client": "KI"})
    assert found(result) == []
    assert kb_sizes(result) == {"1001": (29, 28)}


def test_a_client_of_several_managers_needs_from(database, world):
    result = check(database, {"action": "unbind", "client": "KM"})
    assert found(result) == [(1, "not_bound", "breach")]
    assert "«from»" in result.problems[0].message
    assert found(check(database, {"action": "unbind", "client": "KM", "from": "1003"})) == []


def test_multi_bind_of_a_client_bound_to_nobody(database, world):
    assert found(check(database, {"action": "multi_bind", "client": "KO", "to": "1003"})) == \
        [(1, "not_bound", "breach")]


# -- already_bound ---------------------------------------------------------------------

def test_bind_of_a_bound_client(database, world):
    result = check(database, {"action": "bind", "client": "KI", "to": "1002"})
    assert found(result) == [(1, "already_bound", "breach")]
    assert "transfer" in result.problems[0].message
    assert result.effects == []
    assert found(check(database, {"action": "bind", "client": "KO", "to": "1002"})) == []


def test_transfer_to_the_current_holder(database, world):
    result = check(database, {"action": "transfer", "client": "KI", "from": "1001", "to": "1001"})
    assert found(result) == [(1, "already_bound", "breach")]
    assert result.effects == []


def test_transfer_to_a_manager_who_already_holds_the_client(database, world):
    assert found(check(database, {"action": "transfer", "client": "KM", "from": "1001", "to": "1003"})) == \
        [(1, "already_bound", "breach")]


def test_multi_bind_to_a_manager_who_already_holds_the_client(database, world):
    assert found(check(database, {"action": "multi_bind", "client": "KM", "to": "1003"})) == \
        [(1, "already_bound", "breach")]


def test_from_ook_of_a_bound_client(database, world):
    result = check(database, {"action": "from_ook", "client": "KI", "to": "1002", "potential": "A", "reason": "тендер"})
    assert found(result) == [(1, "already_bound", "breach")]
    assert "не в ООК" in result.problems[0].message
    assert result.effects == []


def test_a_line_sees_what_the_lines_before_it_did(database, world):
    """Binding the same client twice: the second line finds it bound by the first."""
    result = check(database, {"action": "bind", "client": "KO", "to": "1002"},
                   {"action": "bind", "client": "KO", "to": "1001"})
    assert found(result) == [(2, "already_bound", "breach")]
    assert kb_sizes(result) == {"1002": (26, 27)}


# -- from_ook: potential_required, justification_required ------------------------------

def from_ook(**fields):
    return dict({"action": "from_ook", "client": "KO", "to": "1002"}, **fields)


@pytest.mark.parametrize("potential", ["S", "A", "B", "a", "А", "В", " А "])  # Cyrillic "А", "В" too
def test_from_ook_with_potential_and_reason(database, world, potential):
    result = check(database, from_ook(potential=potential, reason="тендер на 2 млн, нужен персональный МОПП"))
    assert found(result) == []
    assert kb_sizes(result) == {"1002": (26, 27)}


def test_from_ook_justified_by_basis(database, world):
    assert found(check(database, from_ook(potential="S", basis="строит завод"))) == []


def test_from_ook_without_reason(database, world):
    result = check(database, from_ook(potential="A"))
    assert found(result) == [(1, "justification_required", "breach")]
    assert result.effects == []


def test_from_ook_without_potential(database, world):
    result = check(database, from_ook(reason="тендер"))
    assert found(result) == [(1, "potential_required", "breach")]
    assert all(letter in result.problems[0].message for letter in ("S", "A", "B"))
    assert result.effects == []


@pytest.mark.parametrize("potential", ["C", "С", "D", "высокий"])  # Latin C, Cyrillic С, nonsense
def test_from_ook_with_a_potential_that_is_not_s_a_b(database, world, potential):
    assert found(check(database, from_ook(potential=potential, reason="тендер"))) == \
        [(1, "potential_required", "breach")]


def test_from_ook_without_potential_nor_reason(database, world):
    result = check(database, from_ook())
    assert sorted(found(result)) == [(1, "justification_required", "breach"), (1, "potential_required", "breach")]


# -- multi_same_office -----------------------------------------------------------------

def test_multiple_classification_in_one_office(database, world):
    result = check(database, {"action": "multi_bind", "client": "KI", "to": "1002"})
    assert found(result) == [(1, "multi_same_office", "breach")]
    assert result.effects == []


def test_multiple_classification_in_another_office(database, world):
    result = check(database, {"action": "multi_bind", "client": "KI", "to": "1003"})
    assert found(result) == []
    assert kb_sizes(result) == {"1003": (26, 27)}  # the first holder keeps the client


def test_multiple_classification_where_any_holder_shares_the_office(database, world):
    """KM is bound to 1001 (ОП1) and 1003 (ОП2): a third holder from ОП1 is refused."""
    assert found(check(database, {"action": "multi_bind", "client": "KM", "to": "1002"})) == \
        [(1, "multi_same_office", "breach")]


# -- invalid_140 -----------------------------------------------------------------------

def test_link_to_a_valid_head(database, world):
    result = check(database, {"action": "link_140", "client": "KX", "head": "KH"})
    assert found(result) == []
    assert kb_sizes(result) == {"1001": (29, 28)}


def test_link_to_a_head_that_has_a_head(database, world):
    result = check(database, {"action": "link_140", "client": "KX", "head": "KR"})
    assert found(result) == [(1, "invalid_140", "breach")]
    assert "«KR»" in result.problems[0].message
    assert result.effects == []


def test_link_to_itself(database, world):
    assert found(check(database, {"action": "link_140", "client": "KX", "head": "KX"})) == \
        [(1, "invalid_140", "breach")]


def test_link_of_a_client_that_is_itself_a_head(database, world):
    result = check(database, {"action": "link_140", "client": "KH", "head": "KX"})
    assert found(result) == [(1, "invalid_140", "breach")]
    assert "свои связанные" in result.problems[0].message


def test_link_without_a_head(database, world):
    assert found(check(database, {"action": "link_140", "client": "KX"})) == [(1, "invalid_140", "breach")]


def test_link_to_a_head_linked_by_an_earlier_line(database, world):
    """Line 1 makes KX related to KH; line 2 may not make KX a head."""
    result = check(database, {"action": "link_140", "client": "KX", "head": "KH"},
                   {"action": "link_140", "client": "KI", "head": "KX"})
    assert found(result) == [(2, "invalid_140", "breach")]


def test_link_of_a_client_made_a_head_by_an_earlier_line(database, world):
    """Line 1 makes KI related to KX; line 2 may not hang KX (now a head) under KH."""
    result = check(database, {"action": "link_140", "client": "KI", "head": "KX"},
                   {"action": "link_140", "client": "KX", "head": "KH"})
    assert found(result) == [(2, "invalid_140", "breach")]


# -- every line is judged, in order ----------------------------------------------------

def test_problems_of_several_lines_are_listed_by_line(database, world):
    result = check(database,
                   {"action": "bind", "client": "KI", "to": "1002"},
                   {"action": "transfer", "client": "KP", "from": "1002", "to": "1003"},
                   {"action": "transfer", "client": "KX", "from": "1001", "to": "ООК"},
                   {"action": "bind", "client": "K-НЕТ", "to": "1002"})
    assert found(result) == [(1, "already_bound", "breach"), (3, "bind_to_ook", "breach"),
                             (4, "unknown_client", "breach")]
    assert [p.message.split(":")[0] for p in result.problems] == ["Строка 1", "Строка 3", "Строка 4"]
    assert kb_sizes(result) == {"1002": (26, 25), "1003": (26, 27)}
