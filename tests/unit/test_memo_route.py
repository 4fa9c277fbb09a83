"""The approval route of a memo (domain.md, "Binding, unbinding, transfer", rules 2 and 5).

ДП approves every memo; ЦП also when a line gives or takes a client of a МРД or
МРС; multiple classification across offices of one cluster goes to ДП РЦ, across
clusters to УП ЦП. The route is always in the order ДП, ЦП, ДП РЦ, УП ЦП.
"""

from __future__ import annotations

from datetime import date

import pytest

from etm_desktop.memos.draft import parse_memo
from etm_desktop.memos.validation import check_memo

DAY = "2026-10-05"
SEP = date(2026, 9, 1)


def route(database, *lines) -> list[str]:
    return check_memo(database, parse_memo({"date": DAY, "lines": list(lines)})).approval


@pytest.fixture
def centre_with_clusters(centre):
    """ОП1 and ОП2 in Куст 1, ОП3 in Куст 2; the МРД and МРС work in ОП1."""
    centre.office("ОП2", "Куст 1")
    centre.office("ОП3", "Куст 2")
    people = {
        "1001": ("Универсальный", "ОП1"), "1002": ("Универсальный", "ОП1"),
        "1003": ("Универсальный", "ОП2"), "1004": ("Универсальный", "ОП3"),
        "1005": ("МРД", "ОП1"), "1006": ("МРС", "ОП1"), "1007": ("МРД", "ОП3"),
    }
    managers = {tab: centre.manager(tab, spec, office=office) for tab, (spec, office) in people.items()}
    centre.employee("3001", "Руководитель ВТЦ")
    centre.client(managers["1001"], code="KU", ckg="ЭМО", turnover={SEP: 20000})
    centre.client(managers["1005"], code="KD", ckg="Дилеры", turnover={SEP: 20000})
    centre.client(managers["1006"], code="KS", ckg="Сети", turnover={SEP: 20000})
    centre.client(None, code="KO", ckg="Дилеры")
    centre.client(None, code="KH", ckg="ЭМО")
    centre.commit()
    return managers


# -- ДП, always -----------------------------------------------------------------------

@pytest.mark.parametrize("line", [
    {"action": "transfer", "client": "KU", "from": "1001", "to": "1002"},
    {"action": "unbind", "client": "KU"},
    {"action": "to_ook", "client": "KU", "from": "1001"},
    {"action": "bind", "client": "KO", "to": "1002"},
    {"action": "from_ook", "client": "KO", "to": "1002", "potential": "A", "reason": "тендер"},
    {"action": "link_140", "client": "KU", "head": "KH"},
    {"action": "transfer", "client": "KU", "from": "1001", "to": "3001"},  # a head of a trade counter
])
def test_dp_alone_for_universal_managers(database, centre_with_clusters, line):
    assert route(database, line) == ["ДП"]


def test_dp_even_when_a_line_is_refused(database, centre_with_clusters):
    assert route(database, {"action": "bind", "client": "K-НЕТ", "to": "1002"}) == ["ДП"]


# -- ЦП: a line's from or to is a МРД or МРС ---------------------------------------------

@pytest.mark.parametrize("line", [
    {"action": "transfer", "client": "KU", "from": "1001", "to": "1005"},  # to МРД
    {"action": "transfer", "client": "KU", "from": "1001", "to": "1006"},  # to МРС
    {"action": "transfer", "client": "KD", "from": "1005", "to": "1001"},  # from МРД
    {"action": "transfer", "client": "KS", "from": "1006", "to": "1001"},  # from МРС
    {"action": "unbind", "client": "KS", "from": "1006"},
    {"action": "to_ook", "client": "KD", "from": "1005"},
    {"action": "bind", "client": "KO", "to": "1005"},
    {"action": "from_ook", "client": "KO", "to": "1006", "potential": "B", "reason": "сеть из 40 магазинов"},
    {"action": "transfer", "client": "KD", "from": "1005", "to": "1007"},  # МРД to МРД
])
def test_cp_for_clients_of_dealer_and_chain_managers(database, centre_with_clusters, line):
    assert route(database, line) == ["ДП", "ЦП"]


def test_cp_once_for_several_such_lines(database, centre_with_clusters):
    assert route(database,
                 {"action": "transfer", "client": "KD", "from": "1005", "to": "1001"},
                 {"action": "bind", "client": "KO", "to": "1006"},
                 {"action": "transfer", "client": "KU", "from": "1001", "to": "1002"}) == ["ДП", "ЦП"]


# -- multiple classification ------------------------------------------------------------

def test_multi_bind_in_another_office_of_the_cluster_goes_to_dp_rc(database, centre_with_clusters):
    assert route(database, {"action": "multi_bind", "client": "KU", "to": "1003"}) == ["ДП", "ДП РЦ"]


def test_multi_bind_in_another_cluster_goes_to_up_cp(database, centre_with_clusters):
    assert route(database, {"action": "multi_bind", "client": "KU", "to": "1004"}) == ["ДП", "УП ЦП"]


def test_multi_bind_in_the_same_office_adds_no_step(database, centre_with_clusters):
    """Refused (multi_same_office), so nobody above the ДП is asked."""
    assert route(database, {"action": "multi_bind", "client": "KU", "to": "1002"}) == ["ДП"]


def test_multi_bind_to_a_dealer_manager_of_another_cluster(database, centre_with_clusters):
    assert route(database, {"action": "multi_bind", "client": "KU", "to": "1007"}) == ["ДП", "ЦП", "УП ЦП"]


def test_route_order_does_not_follow_line_order(database, centre_with_clusters):
    assert route(database,
                 {"action": "multi_bind", "client": "KU", "to": "1004"},       # УП ЦП (ОП3 vs ОП1)
                 {"action": "multi_bind", "client": "KU", "to": "1003"},       # ДП РЦ (ОП1), УП ЦП (ОП3)
                 {"action": "transfer", "client": "KD", "from": "1005", "to": "1002"},  # ЦП
                 ) == ["ДП", "ЦП", "ДП РЦ", "УП ЦП"]


def test_route_in_the_json_answer(database, centre_with_clusters):
    answer = check_memo(database, parse_memo({"date": DAY, "lines": [
        {"action": "multi_bind", "client": "KD", "to": "1007"}]})).to_json()
    assert answer["approval"] == ["ДП", "ЦП", "УП ЦП"]
