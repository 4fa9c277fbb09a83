"""The what-if of a memo: which norms it breaks or fixes for the managers it touches.

interfaces.md, ``memo check``: judged as at the memo date, on the latest completed
month's turnover, with the norms in force on that date; a memo is blamed only for
breaches it creates or makes larger; activity norms are warnings in a memo check.
Unless a test says otherwise every manager is a sound Универсальный ветеран
(clients paying in September 2026, enough meetings) and memos are dated 5 October 2026.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.memo_support import check, effect, found, kb_sizes, norms_of, sound, transfer

SEP = date(2026, 9, 1)


# -- kb_size_max / kb_size_min ----------------------------------------------------------

@pytest.mark.parametrize(("receiver_size", "expected"), [
    (39, []),                                   # 40 after: exactly the maximum
    (40, [(1, "kb_size_max", "breach")]),       # 41 after
])
def test_a_transfer_that_pushes_the_receiver_over_his_maximum(database, centre, receiver_size, expected):
    _, clients = sound(centre, "1001", 25)
    sound(centre, "1002", receiver_size)
    centre.commit()
    result = check(database, transfer(clients[0], "1001", "1002"))
    assert found(result) == expected
    assert result.ok is (not expected)
    assert kb_sizes(result) == {"1001": (25, 24), "1002": (receiver_size, receiver_size + 1)}
    if expected:
        problem = result.problems[0]
        assert (problem.manager, problem.lines) == ("1002", (1,))
        assert "В КБ 41 клиентов, максимум 40" in problem.message
        assert "было" not in problem.message


@pytest.mark.parametrize(("giver_size", "expected"), [
    (21, []),                                   # 20 after: exactly the minimum
    (20, [(1, "kb_size_min", "breach")]),       # 19 after
])
def test_a_transfer_that_takes_the_giver_under_his_minimum(database, centre, giver_size, expected):
    _, clients = sound(centre, "1001", giver_size)
    sound(centre, "1002", 25)
    centre.commit()
    result = check(database, transfer(clients[0], "1001", "1002"))
    assert found(result) == expected
    if expected:
        assert result.problems[0].manager == "1001"
        assert "минимум 20" in result.problems[0].message


@pytest.mark.parametrize("action", ["unbind", "to_ook"])
def test_unbinding_counts_against_the_giver(database, centre, action):
    _, clients = sound(centre, "1001", 20)
    centre.commit()
    result = check(database, {"action": action, "client": clients[0].code, "from": "1001"})
    assert found(result) == [(1, "kb_size_min", "breach")]
    assert kb_sizes(result) == {"1001": (20, 19)}


# -- only what the memo creates or worsens ------------------------------------------------

def test_an_over_maximum_manager_whose_kb_does_not_grow_is_not_blamed(database, centre):
    _, ivanov = sound(centre, "1001", 25)
    sound(centre, "1002", 25)
    _, sidorov = sound(centre, "1003", 45)
    centre.commit()
    result = check(database, transfer(sidorov[0], "1003", "1002"), transfer(ivanov[0], "1001", "1003"))
    assert found(result) == []
    assert result.ok
    before, after = effect(result, "1003")
    assert (before["kb_size"], after["kb_size"]) == (45, 45)
    assert norms_of(before) == norms_of(after) == {("kb_size_max", "breach")}


def test_an_over_maximum_manager_untouched_by_the_memo_is_not_judged(database, centre):
    _, ivanov = sound(centre, "1001", 25)
    sound(centre, "1002", 25)
    sound(centre, "1003", 45)
    centre.commit()
    result = check(database, transfer(ivanov[0], "1001", "1002"))
    assert found(result) == []
    assert set(kb_sizes(result)) == {"1001", "1002"}


def test_a_breach_the_memo_eases_is_not_blamed(database, centre):
    """1001 has 15 clients (minimum 20), 3 of them paying (20% < 35%); he gets one paying client."""
    ivanov = centre.manager("1001", "Универсальный")
    centre.paying_clients(ivanov, 3, SEP)
    centre.clients(ivanov, 12, turnover={SEP: 1000})
    centre.outside_meetings(ivanov, SEP, 20)
    _, petrov = sound(centre, "1002", 25)
    centre.commit()
    result = check(database, transfer(petrov[0], "1002", "1001"))
    assert found(result) == []
    before, after = effect(result, "1001")
    assert (before["kb_size"], before["paying"], after["kb_size"], after["paying"]) == (15, 3, 16, 4)
    assert norms_of(before) == norms_of(after) == {("kb_size_min", "breach"), ("paying_share", "breach")}


def test_a_breach_the_memo_makes_larger_is_blamed(database, centre):
    _, clients = sound(centre, "1001", 25)
    sound(centre, "1002", 41)
    centre.commit()
    result = check(database, transfer(clients[0], "1001", "1002"))
    assert found(result) == [(1, "kb_size_max", "breach")]
    assert "В КБ 42 клиентов, максимум 40 (было 41)" in result.problems[0].message


def test_a_paying_share_the_memo_lowers_further_is_blamed(database, centre):
    """1001: 6 of 20 paying (30% < 35%); giving away a paying client makes it 5 of 19."""
    ivanov = centre.manager("1001", "Универсальный")
    paying = centre.paying_clients(ivanov, 6, SEP)
    centre.clients(ivanov, 14)
    centre.outside_meetings(ivanov, SEP, 20)
    sound(centre, "1002", 25)
    centre.commit()
    result = check(database, transfer(paying[0], "1001", "1002"))
    assert [(p.line, p.rule, p.severity, p.manager) for p in result.problems] == [
        (1, "kb_size_min", "breach", "1001"), (1, "paying_share", "breach", "1001")]


def test_a_memo_that_fixes_a_breach(database, centre):
    sound(centre, "1001", 25)
    _, petrov = sound(centre, "1002", 41)
    centre.commit()
    result = check(database, transfer(petrov[0], "1002", "1001"))
    assert result.ok
    assert found(result) == []
    before, after = effect(result, "1002")
    assert (before["kb_size"], after["kb_size"]) == (41, 40)
    assert norms_of(before) == {("kb_size_max", "breach")}
    assert norms_of(after) == set()


# -- per-client norms, blamed on the line that brings the client ---------------------------

def test_an_off_profile_client_is_blamed_on_the_line_that_binds_it(database, centre):
    _, ivanov = sound(centre, "1001", 25)
    sound(centre, "1002", 25)
    centre.client(None, code="KD", ckg="Дилеры", turnover={SEP: 20000})
    centre.commit()
    result = check(database, transfer(ivanov[0], "1001", "1002"), {"action": "bind", "client": "KD", "to": "1002"})
    assert found(result) == [(2, "off_profile", "breach")]
    problem = result.problems[0]
    assert (problem.manager, problem.lines) == ("1002", (2,))


def test_an_allowed_client_is_no_off_profile_client(database, centre):
    sound(centre, "1002", 25)
    centre.client(None, code="KP", ckg="ПП", turnover={SEP: 20000})
    centre.commit()
    assert found(check(database, {"action": "bind", "client": "KP", "to": "1002"})) == []


def test_two_off_profile_clients_blame_both_their_lines(database, centre):
    _, ivanov = sound(centre, "1001", 25)
    sound(centre, "1002", 25)
    centre.client(None, code="KD", ckg="Дилеры", turnover={SEP: 20000})
    centre.client(None, code="KS", ckg="Сети", turnover={SEP: 20000})
    centre.commit()
    result = check(database, {"action": "bind", "client": "KD", "to": "1002"},
                   transfer(ivanov[0], "1001", "1002"),
                   {"action": "bind", "client": "KS", "to": "1002"})
    assert found(result) == [(1, "off_profile", "breach")]
    assert result.problems[0].lines == (1, 3)
    assert result.to_json()["problems"][0]["lines"] == [1, 3]


def test_an_off_profile_breach_made_larger_is_blamed_on_the_new_client_only(database, centre):
    _, ivanov = sound(centre, "1001", 25)
    petrov, _ = sound(centre, "1002", 25)
    centre.client(petrov, code="KOLD", ckg="Дилеры", turnover={SEP: 20000})
    centre.client(None, code="KD", ckg="Дилеры", turnover={SEP: 20000})
    centre.commit()
    unchanged = check(database, transfer(ivanov[0], "1001", "1002"))
    assert found(unchanged) == []
    result = check(database, transfer(ivanov[0], "1001", "1002"), {"action": "bind", "client": "KD", "to": "1002"})
    assert found(result) == [(2, "off_profile", "breach")]
    assert result.problems[0].lines == (2,)
    assert "(было 1)" in result.problems[0].message


def test_a_forbidden_ckg_client(database, centre):
    sound(centre, "1005", 25, "МРПП", ckg="ПП")
    centre.client(None, code="KE", ckg="ЭМО", turnover={SEP: 20000})
    centre.client(None, code="KW", ckg="Щитовики", turnover={SEP: 20000})
    centre.commit()
    result = check(database, {"action": "bind", "client": "KW", "to": "1005"},
                   {"action": "bind", "client": "KE", "to": "1005"})
    assert found(result) == [(2, "forbidden_ckg", "breach")]
    assert (result.problems[0].manager, result.problems[0].lines) == ("1005", (2,))


@pytest.mark.parametrize(("potential", "expected"), [
    ("B", []),
    ("C", [(1, "potential", "breach")]),
    ("С", [(1, "potential", "breach")]),  # Cyrillic С, as NS2000 exports it
    (None, []),                           # an empty potential is not judged
])
def test_the_potential_of_a_bound_client(database, centre, potential, expected):
    sound(centre, "1002", 25)
    centre.client(None, code="KC", potential=potential, turnover={SEP: 20000})
    centre.commit()
    assert found(check(database, {"action": "bind", "client": "KC", "to": "1002"})) == expected


def test_from_ook_records_the_potential_of_the_memo(database, centre):
    """A client with potential C in the card, taken from ООК as A: the memo's A is judged."""
    sound(centre, "1002", 25)
    centre.client(None, code="KC", potential="C", turnover={SEP: 20000})
    centre.commit()
    taken = check(database, {"action": "from_ook", "client": "KC", "to": "1002", "potential": "A",
                             "reason": "тендер на 2 млн"})
    assert found(taken) == []
    bound = check(database, {"action": "bind", "client": "KC", "to": "1002"})
    assert found(bound) == [(1, "potential", "breach")]


def test_a_tolerated_potential_is_a_warning(database, centre):
    """Территориальный: A and B are the target, S is tolerated."""
    sound(centre, "1004", 35, "Территориальный", territory="T1", territories=("T1",))
    centre.client(None, code="KS", potential="S", territory="T1", turnover={SEP: 20000})
    centre.commit()
    result = check(database, {"action": "bind", "client": "KS", "to": "1004"})
    assert found(result) == [(1, "potential", "warning")]
    assert result.ok


@pytest.mark.parametrize(("territory", "expected"), [
    ("T1", []),
    ("T2", [(1, "territory", "breach")]),
])
def test_a_territorial_manager_strictly_on_his_territories(database, centre, territory, expected):
    sound(centre, "1004", 35, "Территориальный", territory="T1", territories=("T1",))
    centre.client(None, code="KT", territory=territory, turnover={SEP: 20000})
    centre.commit()
    result = check(database, {"action": "bind", "client": "KT", "to": "1004"})
    assert found(result) == expected
    assert result.ok is (not expected)


def test_a_universal_manager_outside_the_city_is_a_warning(database, centre):
    centre.territory("Z", in_city=False)
    sound(centre, "1002", 25)
    centre.client(None, code="KZ", territory="Z", turnover={SEP: 20000})
    centre.commit()
    result = check(database, {"action": "bind", "client": "KZ", "to": "1002"})
    assert found(result) == [(1, "territory", "warning")]
    assert result.ok


# -- признак 140 ----------------------------------------------------------------------------

def test_a_link_makes_two_cards_one_client_and_sums_their_turnover(database, centre):
    ivanov = centre.manager("1001", "Универсальный")
    centre.paying_clients(ivanov, 23, SEP)
    centre.outside_meetings(ivanov, SEP, 25)
    centre.client(ivanov, code="KH", turnover={SEP: 10000})
    centre.client(ivanov, code="KR", turnover={SEP: 10000})
    centre.commit()
    result = check(database, {"action": "link_140", "client": "KR", "head": "KH"})
    assert found(result) == []
    before, after = effect(result, "1001")
    assert (before["kb_size"], before["paying"]) == (25, 23)
    assert (after["kb_size"], after["paying"]) == (24, 24)  # 10,000 + 10,000 > 15,000


def test_a_link_that_takes_a_manager_under_his_minimum_is_blamed(database, centre):
    ivanov, _ = sound(centre, "1001", 18)
    centre.client(ivanov, code="KH", turnover={SEP: 20000})
    centre.client(ivanov, code="KR", turnover={SEP: 20000})
    centre.commit()
    result = check(database, {"action": "link_140", "client": "KR", "head": "KH"})
    assert found(result) == [(1, "kb_size_min", "breach")]
    assert kb_sizes(result) == {"1001": (20, 19)}


def test_a_link_between_clients_of_two_managers(database, centre):
    """Each keeps one client; each client is now the group, paying on the summed turnover."""
    ivanov, _ = sound(centre, "1001", 22)
    petrov, _ = sound(centre, "1002", 22)
    centre.client(ivanov, code="KH", turnover={SEP: 9000})
    centre.client(petrov, code="KR", turnover={SEP: 9000})
    centre.commit()
    result = check(database, {"action": "link_140", "client": "KR", "head": "KH"})
    assert found(result) == []
    for tab_no in ("1001", "1002"):
        before, after = effect(result, tab_no)
        assert (before["kb_size"], before["paying"], after["kb_size"], after["paying"]) == (23, 22, 23, 23)


# -- lines in order, effects -----------------------------------------------------------------

def test_lines_apply_in_order(database, centre):
    _, ivanov = sound(centre, "1001", 25)
    sound(centre, "1002", 25)
    sound(centre, "1003", 25)
    centre.commit()
    result = check(database, transfer(ivanov[0], "1001", "1002"), transfer(ivanov[0], "1002", "1003"))
    assert found(result) == []
    assert kb_sizes(result) == {"1001": (25, 24), "1002": (25, 25), "1003": (25, 26)}


def test_lines_in_the_other_order_do_not_apply(database, centre):
    _, ivanov = sound(centre, "1001", 25)
    sound(centre, "1002", 25)
    sound(centre, "1003", 25)
    centre.commit()
    result = check(database, transfer(ivanov[0], "1002", "1003"), transfer(ivanov[0], "1001", "1002"))
    assert found(result) == [(1, "not_bound", "breach")]
    assert kb_sizes(result) == {"1001": (25, 24), "1002": (25, 26)}


def test_effects_list_every_touched_manager_and_his_group_lead(database, centre):
    lead = centre.employee("3002", "Старший группы", specialization="Универсальный")
    centre.outside_meetings(lead, SEP, 20)
    _, ivanov = sound(centre, "1001", 25)
    _, petrov = sound(centre, "1002", 25, lead=lead)
    sound(centre, "1003", 25)
    sound(centre, "1004", 25)  # not in the memo
    centre.commit()
    result = check(database, transfer(ivanov[0], "1001", "1003"),
                   {"action": "unbind", "client": petrov[0].code, "from": "1002"})
    assert kb_sizes(result) == {"1001": (25, 24), "1002": (25, 24), "1003": (25, 26), "3002": (0, 0)}
    for row in result.effects:
        assert row["before"]["id"] == row["after"]["id"] == row["manager"]


def test_a_group_lead_is_blamed_on_the_line_that_touched_his_group(database, centre):
    """3002 met KG (a client of his МОПП 1002) 15 times; KG leaves the group: a warning of line 2."""
    lead = centre.employee("3002", "Старший группы", specialization="Универсальный")
    _, ivanov = sound(centre, "1001", 25)
    petrov, _ = sound(centre, "1002", 25, lead=lead)
    sound(centre, "1003", 25)
    group_client = centre.client(petrov, code="KG", turnover={SEP: 20000})
    centre.meetings(lead, date(2026, 9, 12), 15, client=group_client)
    centre.commit()
    kept = check(database, transfer(ivanov[0], "1001", "1003"), transfer(ivanov[1], "1001", "1002"))
    assert found(kept) == []
    result = check(database, transfer(ivanov[0], "1001", "1003"),
                   {"action": "transfer", "client": "KG", "from": "1002", "to": "1001"})
    assert found(result) == [(2, "group_meetings", "warning")]
    assert (result.problems[0].manager, result.problems[0].lines) == ("3002", (2,))
    assert result.ok


def test_clients_of_a_dismissed_manager_can_be_rebound(database, centre):
    """Limits rule 4: the KB of one who left goes to others; he is no longer judged himself."""
    _, gone = sound(centre, "1009", 25, dismissed=date(2026, 9, 30))
    sound(centre, "1002", 25)
    centre.commit()
    result = check(database, transfer(gone[0], "1009", "1002"), {"action": "to_ook", "client": gone[1].code})
    assert found(result) == []
    # he is shown going down (for the printed summary) but not judged: no breaches on his row
    assert kb_sizes(result) == {"1002": (25, 26), "1009": (25, 23)}
    donor = next(e for e in result.effects if e["manager"] == "1009")
    assert donor["after"]["breaches"] == [] and "не оценивается" in donor["after"]["note"]


def test_multiple_classification_adds_to_the_receiver_only(database, centre):
    centre.office("ОП2", "Куст 1")
    _, ivanov = sound(centre, "1001", 25)
    sound(centre, "1003", 25, office="ОП2")
    centre.commit()
    result = check(database, {"action": "multi_bind", "client": ivanov[0].code, "to": "1003"})
    assert found(result) == []
    assert kb_sizes(result) == {"1003": (25, 26)}


def test_nothing_applied_nothing_judged(database, centre):
    sound(centre, "1001", 45)
    centre.commit()
    result = check(database, {"action": "bind", "client": "K-НЕТ", "to": "1001"})
    assert found(result) == [(1, "unknown_client", "breach")]
    assert result.effects == []
