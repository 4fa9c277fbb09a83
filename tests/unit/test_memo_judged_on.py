"""The what-if of a memo, continued: which month and which norms it is judged on, and its JSON answer."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.memo_support import check, effect, found, kb_sizes, sound, transfer

AUG, SEP, OCT = date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1)


# -- the month and the norms a memo is judged on ---------------------------------------------

@pytest.fixture
def at_the_share(centre):
    """1002: 20 clients, 7 paying in September (35%, exactly the minimum), 10 meetings (50%)."""
    petrov = centre.manager("1002", "Универсальный")
    centre.paying_clients(petrov, 7, SEP)
    centre.clients(petrov, 13, turnover={OCT: 50000, AUG: 50000})
    centre.outside_meetings(petrov, SEP, 10)
    centre.outside_meetings(petrov, OCT, 30)  # the memo's own month: not counted
    ivanov, _ = sound(centre, "1001", 25)
    centre.client(ivanov, code="KSEP", turnover={SEP: 20000})
    centre.client(ivanov, code="KOCT", turnover={OCT: 20000})
    centre.client(ivanov, code="KAUG", turnover={AUG: 20000})
    centre.commit()
    return petrov


def move(code):
    return {"action": "transfer", "client": code, "from": "1001", "to": "1002"}


def test_the_memo_is_judged_on_the_month_before_its_date(database, at_the_share):
    result = check(database, move("KSEP"))
    assert (result.as_of, result.month) == (date(2026, 10, 5), SEP)
    assert result.to_json()["month"] == "2026-09"
    before, after = effect(result, "1002")
    assert (before["paying"], after["paying"]) == (7, 8)


@pytest.mark.parametrize("code", ["KOCT", "KAUG"])
def test_turnover_outside_the_judged_month_does_not_pay(database, at_the_share, code):
    """8 of 21 pay with the September client; 7 of 21 (33.3%) with one that paid in October or August."""
    result = check(database, move(code))
    paying = [p for p in result.problems if p.rule == "paying_share"]
    assert [(p.line, p.severity, p.manager) for p in paying] == [(1, "breach", "1002")]
    assert not result.ok
    assert effect(result, "1002")[1]["paying_share"] == 0.333


def test_a_memo_dated_next_month_is_judged_on_october(database, at_the_share):
    """Dated in November, October is judged: there 13 of 1002's 20 clients pay, and KOCT too."""
    result = check(database, move("KOCT"), day="2026-11-02")
    assert result.month == OCT
    before, after = effect(result, "1002")
    assert (before["paying"], after["paying"]) == (13, 14)
    assert [p.rule for p in result.problems if p.manager == "1002"] == []  # 30 meetings held in October


def test_activity_norms_are_warnings(database, at_the_share):
    """21 clients need 10.5 meetings; 10 were held in September (the 30 of October do not count)."""
    result = check(database, move("KSEP"))
    assert found(result) == [(1, "meetings", "warning")]
    assert result.ok
    assert result.problems[0].manager == "1002"


def test_enough_meetings_no_warning(database, centre, at_the_share):
    centre.outside_meetings(at_the_share, SEP, 1)
    centre.commit()
    assert found(check(database, move("KSEP"))) == []


PHASE_OUT = [date(2009, 11, 1), date(2009, 12, 1), date(2010, 1, 1), date(2010, 7, 1)]


@pytest.mark.parametrize(("day", "norm_set", "expected"), [
    ("2009-12-15", "Регламент «Ведение клиентской базы»", []),
    ("2010-02-15", "Непрофильные клиенты: запрет новых закреплений", [(1, "off_profile", "breach")]),
    # judged on December 2009, but with the norms of the memo's own date
    ("2010-01-15", "Непрофильные клиенты: запрет новых закреплений", [(1, "off_profile", "breach")]),
    ("2010-08-16", "Непрофильные клиенты: 0; запрещённые ЦКГ", [(1, "forbidden_ckg", "breach")]),
])
def test_the_norms_in_force_on_the_memo_date(database, centre, day, norm_set, expected):
    """I3: binding an ЭМО client to a МРПП, through the 2010 phase-out of off-profile clients."""
    old = dict(hired=date(2005, 1, 1), novice=date(2005, 2, 1))
    mrpp = centre.manager("1005", "МРПП", **old)
    centre.paying_clients(mrpp, 25, PHASE_OUT, ckg="ПП", bound_from=date(2005, 3, 1))
    centre.outside_meetings(mrpp, PHASE_OUT, 25)
    centre.client(None, code="KE", ckg="ЭМО", turnover={m: 20000 for m in PHASE_OUT})
    centre.commit()
    result = check(database, {"action": "bind", "client": "KE", "to": "1005"}, day=day)
    assert result.norm_set == norm_set
    assert found(result) == expected
    assert kb_sizes(result) == {"1005": (25, 26)}


# -- the answer as JSON ----------------------------------------------------------------------

def test_the_json_answer(database, centre):
    _, ivanov = sound(centre, "1001", 25)
    sound(centre, "1002", 40)
    centre.commit()
    answer = check(database, transfer(ivanov[0], "1001", "1002")).to_json()
    assert json.loads(json.dumps(answer, ensure_ascii=False)) == answer
    assert {"ok", "approval", "problems", "effects"} <= set(answer)
    assert answer["ok"] is False
    assert answer["approval"] == ["ДП"]
    assert len(answer["problems"]) == 1
    problem = answer["problems"][0]
    assert {"line", "rule", "severity", "message"} <= set(problem)
    assert (problem["line"], problem["rule"], problem["severity"]) == (1, "kb_size_max", "breach")
    assert isinstance(problem["message"], str) and problem["message"]
    assert [e["manager"] for e in answer["effects"]] == ["1001", "1002"]
    for row in answer["effects"]:
        assert set(row) == {"manager", "before", "after"}
        for side in ("before", "after"):
            assert {"id", "kb_size", "paying", "paying_share", "meetings", "breaches"} <= set(row[side])
    after = answer["effects"][1]["after"]
    assert after["breaches"] == [{"norm": "kb_size_max", "severity": "breach", "actual": 41, "required": 40,
                                  "message": "В КБ 41 клиентов, максимум 40"}]


def test_an_ok_answer(database, centre):
    _, ivanov = sound(centre, "1001", 25)
    sound(centre, "1002", 25)
    centre.commit()
    answer = check(database, transfer(ivanov[0], "1001", "1002")).to_json()
    assert (answer["ok"], answer["problems"]) == (True, [])


def test_a_dismissed_donor_is_in_the_effects_going_to_zero(database, centre):
    """The printed summary needs every touched manager's KB before → after, the departed one too."""
    from etm_desktop.memos.draft import parse_memo
    from etm_desktop.memos.validation import check_memo

    gone = centre.manager("1000", "Универсальный", dismissed=date(2026, 10, 15))
    taker = centre.manager("1001", "Универсальный")
    clients = centre.clients(gone, 2)
    centre.clients(taker, 20)
    centre.commit()
    draft = parse_memo({"date": "2026-11-05", "lines": [
        {"action": "transfer", "client": c.code, "from": "1000", "to": "1001"} for c in clients]})
    effects = {e["manager"]: e for e in check_memo(database, draft).to_json()["effects"]}
    assert (effects["1000"]["before"]["kb_size"], effects["1000"]["after"]["kb_size"]) == (2, 0)
    assert (effects["1001"]["before"]["kb_size"], effects["1001"]["after"]["kb_size"]) == (20, 22)
