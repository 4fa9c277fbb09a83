"""Memo drafts the program proposes: the distribution assistant and the auto-unbind list.

domain.md, "Limits that run by themselves" 2 and 4: a departing МОПП's KB is re-bound
to other МОПП or handed to ООК; a client with no turnover for 6 months and no ПДЗ is
unbound. ``departure_proposal`` (see its module docstring) places clients same office
first, never over a maximum, and sends to ООК, with the reason, whatever nobody may
take — so the donor always reaches zero.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import or_, select

from etm_desktop.db.models import Binding, Client, Employee
from etm_desktop.memos.lifecycle import apply, approve, submit
from etm_desktop.memos.proposals import auto_unbind_draft, departure_proposal
from etm_desktop.memos.store import MemoError, MemoStatus, get_memo, save_draft
from etm_desktop.memos.validation import check_memo

TODAY = date(2026, 12, 3)  # the demo's 1029 was dismissed on 05.09.2026 and still holds his KB
DAY = date(2026, 10, 5)  # the builder cases: judged on September 2026
SEP = date(2026, 9, 1)
DISMISSED = date(2026, 9, 20)


def open_cards(database, tab_no, day) -> set[str]:
    """Codes of the cards bound to ``tab_no`` on ``day``."""
    with database.session() as session:
        return set(session.scalars(
            select(Client.code).join(Binding, Binding.client_id == Client.id)
            .join(Employee, Employee.id == Binding.employee_id)
            .where(Employee.tab_no == tab_no, Binding.valid_from <= day,
                   or_(Binding.valid_to.is_(None), Binding.valid_to > day))))


def offices(database) -> dict[str, int]:
    with database.session() as session:
        return dict(session.execute(select(Employee.tab_no, Employee.office_id)).all())


def plan(proposal) -> list[tuple]:
    return [(l.action, l.client, l.from_manager, l.to_manager) for l in proposal.draft.lines]


# -- the small demo: the dismissed 1029 --------------------------------------------------------------

@pytest.fixture
def demo(small_demo):
    return small_demo


@pytest.fixture
def proposal_1029(demo):
    return departure_proposal(demo, "1029", TODAY)


def test_the_demo_donor_is_dismissed_and_still_holds_clients(demo):
    with demo.session() as session:
        dismissal = session.scalar(select(Employee.dismissal_date).where(Employee.tab_no == "1029"))
    assert dismissal is not None and dismissal < TODAY
    assert len(open_cards(demo, "1029", TODAY)) >= 20


def test_every_card_of_the_donor_is_in_exactly_one_line(demo, proposal_1029):
    cards = open_cards(demo, "1029", TODAY)
    lines = proposal_1029.draft.lines
    assert sorted(l.client for l in lines) == sorted(cards)  # each once, none missing, none extra
    assert {l.action for l in lines} <= {"transfer", "to_ook"}
    assert {l.from_manager for l in lines} == {"1029"}
    assert [l.line_no for l in lines] == list(range(1, len(lines) + 1))
    assert all(l.to_manager for l in lines if l.action == "transfer")
    assert proposal_1029.draft.memo_date == TODAY
    assert proposal_1029.draft.subject == "О перезакреплении клиентов"
    assert [(p.client, p.to_manager) for p in proposal_1029.placements] == [
        (l.client, l.to_manager) for l in lines]


def test_no_receiver_ends_with_a_new_breach(demo, proposal_1029):
    check = proposal_1029.check
    assert check.breaches == []
    assert check.ok
    # and the proposal's check is the memo check of the draft, not a kinder one
    assert check_memo(demo, proposal_1029.draft).to_json() == check.to_json()
    receivers = {l.to_manager for l in proposal_1029.draft.lines if l.to_manager}
    assert receivers <= {e["manager"] for e in check.effects}
    for effect in check.effects:
        if effect["manager"] in receivers:
            assert effect["after"]["kb_size"] > effect["before"]["kb_size"]
            assert not [b for b in effect["after"]["breaches"]
                        if b["norm"] == "kb_size_max" and b["severity"] == "breach"]


def test_same_office_receivers_first(demo, proposal_1029):
    office = offices(demo)
    receivers = {p.to_manager for p in proposal_1029.placements if p.to_manager}
    assert receivers and {office[t] for t in receivers} == {office["1029"]}
    assert all(p.why.startswith("тот же ОП") for p in proposal_1029.placements if p.to_manager)


def test_applying_the_proposal_leaves_the_donor_with_nothing(demo, proposal_1029):
    gained: dict[str, int] = {}
    for line in proposal_1029.draft.lines:
        if line.to_manager:
            gained[line.to_manager] = gained.get(line.to_manager, 0) + 1
    before = {tab: len(open_cards(demo, tab, TODAY)) for tab in gained}
    number = save_draft(demo, proposal_1029.draft, who="Фёдорова П.Д.")
    submit(demo, number, today=TODAY)
    for step in get_memo(demo, number).route:
        approve(demo, number, step=step, name="Борисов М.Ю.", on=TODAY)
    apply(demo, number, on=TODAY, who="Фёдорова П.Д.")
    assert get_memo(demo, number).state == MemoStatus.APPLIED
    assert open_cards(demo, "1029", TODAY) == set()
    assert {tab: len(open_cards(demo, tab, TODAY)) for tab in gained} == {
        tab: before[tab] + n for tab, n in gained.items()}


# -- built by hand ---------------------------------------------------------------------------------

def paying(centre, holder, n, amount=20000.0, **kw):
    return centre.paying_clients(holder, n, SEP, amount=amount, **kw)


def donor(centre, office="ОП1", specialization="Универсальный"):
    return centre.manager("1001", specialization, office=office, dismissed=DISMISSED)


def test_a_client_of_a_ckg_nobody_works_with_goes_to_ook_with_the_reason(database, centre):
    leaving = donor(centre)
    emo = paying(centre, leaving, 2, ckg="ЭМО")
    chain = paying(centre, leaving, 1, ckg="Сети", amount=50000.0)[0]  # the best turnover: placed first
    paying(centre, centre.manager("1002", "Универсальный"), 25)
    paying(centre, centre.manager("1003", "МРПП"), 25, ckg="ПП")
    centre.commit()
    proposal = departure_proposal(database, "1001", DAY)
    assert plan(proposal) == [
        ("to_ook", chain.code, "1001", None),
        ("transfer", emo[0].code, "1001", "1002"),
        ("transfer", emo[1].code, "1001", "1002"),
    ]
    assert "ЦКГ «Сети»" in proposal.draft.lines[0].reason
    assert [p.client for p in proposal.unplaced] == [chain.code]
    assert proposal.unplaced[0].why == "нет МОПП, работающих с ЦКГ «Сети»"
    assert proposal.check.breaches == []


def test_nobody_is_pushed_over_his_maximum(database, centre):
    """The only same-office colleague has room for one: the second client goes to the cluster."""
    centre.office("ОП2", "Куст 1")
    leaving = donor(centre)
    first = paying(centre, leaving, 1, amount=30000.0)[0]
    second = paying(centre, leaving, 1, amount=20000.0)[0]
    paying(centre, centre.manager("1002", "Универсальный"), 39)  # maximum 40
    paying(centre, centre.manager("1003", "Универсальный", office="ОП2"), 25)
    centre.commit()
    proposal = departure_proposal(database, "1001", DAY)
    assert plan(proposal) == [("transfer", first.code, "1001", "1002"), ("transfer", second.code, "1001", "1003")]
    assert [p.why for p in proposal.placements] == ["тот же ОП; КБ 40 из 40", "тот же куст; КБ 26 из 40"]
    assert proposal.check.breaches == []


def test_with_no_room_anywhere_the_rest_goes_to_ook(database, centre):
    leaving = donor(centre)
    first = paying(centre, leaving, 1, amount=30000.0)[0]
    second = paying(centre, leaving, 1, amount=20000.0)[0]
    paying(centre, centre.manager("1002", "Универсальный"), 39)
    paying(centre, centre.manager("1003", "Универсальный"), 40)  # full already
    centre.commit()
    proposal = departure_proposal(database, "1001", DAY)
    assert plan(proposal) == [("transfer", first.code, "1001", "1002"), ("to_ook", second.code, "1001", None)]
    assert proposal.unplaced[0].why == "у всех подходящих МОПП нет места в КБ, исчерпан предел клиентов этой ЦКГ или упала бы доля платящих"
    assert proposal.draft.lines[1].reason.endswith(proposal.unplaced[0].why)
    assert proposal.check.breaches == []


def test_an_allowed_ckg_is_not_placed_beyond_its_cap(database, centre):
    """An МРС may hold at most 5 dealers: with 3 already, he takes 2 of the 4; the rest go to ООК."""
    leaving = donor(centre, specialization="МРД")
    dealers = [paying(centre, leaving, 1, amount=amount, ckg="Дилеры")[0] for amount in (40000.0, 30000.0,
                                                                                           25000.0, 20000.0)]
    chains = centre.manager("1002", "МРС")
    paying(centre, chains, 3, ckg="Сети")
    paying(centre, chains, 3, ckg="Дилеры")
    centre.commit()
    proposal = departure_proposal(database, "1001", DAY)
    assert plan(proposal) == [("transfer", dealers[0].code, "1001", "1002"),
                              ("transfer", dealers[1].code, "1001", "1002"),
                              ("to_ook", dealers[2].code, "1001", None),
                              ("to_ook", dealers[3].code, "1001", None)]
    assert proposal.check.breaches == []


@pytest.mark.parametrize("last_day", [DAY, date(2026, 10, 30)])
def test_nobody_who_is_leaving_himself_receives_clients(database, centre, last_day):
    """1002 has handed in his notice (his last day is the memo date or later): 1003 takes the client."""
    leaving = donor(centre)
    client = paying(centre, leaving, 1)[0]
    paying(centre, centre.manager("1002", "Универсальный", dismissed=last_day), 21)
    paying(centre, centre.manager("1003", "Универсальный"), 30)
    centre.commit()
    assert plan(departure_proposal(database, "1001", DAY)) == [("transfer", client.code, "1001", "1003")]


def test_the_same_office_before_a_colleague_elsewhere_who_needs_clients(database, centre):
    centre.office("ОП2", "Куст 1")
    centre.office("ОП3", "Куст 2")
    leaving = donor(centre)
    client = paying(centre, leaving, 1)[0]
    paying(centre, centre.manager("1002", "Универсальный"), 35)
    paying(centre, centre.manager("1003", "Универсальный", office="ОП2"), 20)
    paying(centre, centre.manager("1004", "Универсальный", office="ОП3"), 18)  # under his minimum
    centre.commit()
    assert plan(departure_proposal(database, "1001", DAY)) == [("transfer", client.code, "1001", "1002")]


def test_within_the_office_the_one_under_his_minimum_first(database, centre):
    leaving = donor(centre)
    client = paying(centre, leaving, 1)[0]
    paying(centre, centre.manager("1002", "Универсальный"), 22)
    paying(centre, centre.manager("1003", "Универсальный"), 18)  # minimum 20
    centre.commit()
    assert plan(departure_proposal(database, "1001", DAY)) == [("transfer", client.code, "1001", "1003")]


def test_a_non_paying_client_does_not_pull_a_share_under_its_minimum(database, centre):
    """1002 has the most room but 7 paying of 20 (35%): one more non-paying would make 33%."""
    leaving = donor(centre)
    quiet = centre.client(leaving, ckg="ЭМО")  # no turnover
    receiver = centre.manager("1002", "Универсальный")
    paying(centre, receiver, 7)
    centre.clients(receiver, 13, ckg="ЭМО")
    paying(centre, centre.manager("1003", "Универсальный"), 30)
    centre.commit()
    proposal = departure_proposal(database, "1001", DAY)
    assert plan(proposal) == [("transfer", quiet.code, "1001", "1003")]
    assert proposal.check.breaches == []


def test_a_head_and_its_related_card_go_together_and_count_once(database, centre):
    leaving = donor(centre)
    head = paying(centre, leaving, 1)[0]
    related = centre.client(leaving, ckg="ЭМО", head=head)
    paying(centre, centre.manager("1002", "Универсальный"), 39)  # room for one client (one group)
    centre.commit()
    proposal = departure_proposal(database, "1001", DAY)
    assert plan(proposal) == [("transfer", head.code, "1001", "1002"), ("transfer", related.code, "1001", "1002")]
    assert proposal.check.breaches == []


def test_after_a_change_of_specialization_only_the_old_base_moves(database, centre):
    """A МРПП since August (was Универсальный): his ЭМО clients are forbidden now, the ПП stay."""
    changed = centre.manager("1001", "Универсальный")
    centre.respecialize(changed, "МРПП", date(2026, 8, 1))
    emo = paying(centre, changed, 5, ckg="ЭМО")
    paying(centre, changed, 20, ckg="ПП")
    paying(centre, centre.manager("1002", "Универсальный"), 25)
    centre.commit()
    proposal = departure_proposal(database, "1001", DAY)
    assert plan(proposal) == [("transfer", c.code, "1001", "1002") for c in emo]
    assert {l.reason for l in proposal.draft.lines} == {"Смена специализации МОПП"}
    assert proposal.check.breaches == []


def test_a_departure_proposal_needs_a_known_manager_with_clients(database, centre):
    centre.manager("1002", "Универсальный")
    centre.commit()
    with pytest.raises(MemoError, match="не найден"):
        departure_proposal(database, "9999", DAY)
    with pytest.raises(MemoError, match="нет клиентов"):
        departure_proposal(database, "1002", DAY)


# -- auto-unbind ---------------------------------------------------------------------------------------

def test_auto_unbind_draft_has_one_line_per_bound_card_from_the_right_manager(database, centre):
    """September 2026: six months without turnover are April–September."""
    ivanov = centre.manager("1001", "Универсальный")
    petrov = centre.manager("1002", "Универсальный")
    paying(centre, ivanov, 25)
    paying(centre, petrov, 25)
    old = {date(2026, 3, 1): 50000.0}  # the last purchase 7 months back
    centre.client(ivanov, code="KD1", turnover=old)
    centre.client(ivanov, code="KD2")
    owing = centre.client(ivanov, code="KD3")
    centre.receivable(owing, date(2026, 9, 15), 12000.0)  # ПДЗ: stays bound
    centre.client(ivanov, code="KD4", turnover={date(2026, 4, 1): 1000.0})  # bought within the window
    head = centre.client(ivanov, code="KH")
    centre.client(ivanov, code="KHR", head=head)
    centre.client(petrov, code="KHS", head=head)  # the same dormant organisation, another holder
    centre.client(None, code="KO")  # with ООК: nobody to unbind it from
    centre.commit()
    memo = auto_unbind_draft(database, SEP, on=DAY)
    assert [(l.line_no, l.action, l.client, l.from_manager) for l in memo.lines] == [
        (1, "unbind", "KD1", "1001"),
        (2, "unbind", "KD2", "1001"),
        (3, "unbind", "KH", "1001"),
        (4, "unbind", "KHR", "1001"),
        (5, "unbind", "KHS", "1002"),
    ]
    assert {l.reason for l in memo.lines} == {"Нет товарооборота 6 мес. и нет ПДЗ"}
    assert (memo.number, memo.memo_date, memo.subject) == (None, DAY, "Об откреплении клиентов без товарооборота")
    check = check_memo(database, memo)
    assert check.breaches == []
    assert {e["manager"]: (e["before"]["kb_size"], e["after"]["kb_size"]) for e in check.effects} == {
        "1001": (30, 27), "1002": (26, 25)}


def test_auto_unbind_with_nothing_to_unbind(database, centre):
    paying(centre, centre.manager("1001", "Универсальный"), 25)
    centre.commit()
    with pytest.raises(MemoError, match="нет клиентов"):
        auto_unbind_draft(database, SEP, on=DAY)
