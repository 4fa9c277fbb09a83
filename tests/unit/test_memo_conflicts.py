"""Two analysts on one memo: the second gets a Russian message naming the first, never an overwrite.

Every memo action takes the version of the memo the analyst looked at; another analyst's
action in between (through another Database on the same target) refuses it with
MemoConflict («Записку … изменил другой пользователь (ivanov, …) в 14:02; данные
обновлены, повторите действие») and nothing is written. A write that lands between this
transaction's read and its write (the row's version moved) is refused the same way.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select, update

from etm_desktop.db.models import AuditRecord, Binding, Client, MemoApproval
from etm_desktop.memos import apply_lines, lifecycle
from etm_desktop.memos.apply_lines import StaleData
from etm_desktop.memos.lifecycle import apply, approve, reject, submit, withdraw
from etm_desktop.memos.store import MemoConflict, MemoError, MemoStatus, get_memo, save_draft, store_draft
from tests.conflict_support import ME, ON, OTHER, approved, other, retry_text, shop, submitted  # noqa: F401
from tests.memo_support import draft, transfer


def snapshot(database):
    with database.session() as session:
        return (session.scalar(select(func.count()).select_from(AuditRecord)),
                session.scalar(select(func.count()).select_from(MemoApproval)),
                [tuple(r) for r in session.execute(select(Binding.id, Binding.valid_to, Binding.version))],
                database.data_version())


def assert_conflict(error, number, *words):
    text = str(error)
    assert text.startswith(f"Записку {number} изменил другой пользователь ({OTHER}"), text
    assert retry_text(text)
    for word in words:
        assert word in text
    assert error.who == OTHER and error.at is not None


# -- the version the analyst saw is out of date ---------------------------------------------------

def test_every_action_moves_the_version_on(database, shop):
    c = shop["1001"]
    number, v1 = store_draft(database, draft(transfer(c[0], "1001", "1002")), who=ME)
    number, v2 = store_draft(database, draft(transfer(c[1], "1001", "1002"), number=number), expected_version=v1)
    assert v2 == v1 + 1 == get_memo(database, number).version
    submit(database, number, today=date(2026, 10, 6), expected_version=v2)
    v3 = get_memo(database, number).version
    step = get_memo(database, number).route[0]
    approve(database, number, step=step, name="Борисов М.Ю.", on=date(2026, 10, 7), expected_version=v3)
    assert get_memo(database, number).version == v3 + 1  # once per action


def test_saving_over_another_analysts_edit_is_refused(database, other, shop):
    c = shop["1001"]
    number = save_draft(database, draft(transfer(c[0], "1001", "1002")), who=ME)
    seen = get_memo(database, number).version
    save_draft(other, draft(transfer(c[1], "1001", "1002"), number=number), who=OTHER, expected_version=seen)
    before = snapshot(database)
    with pytest.raises(MemoConflict) as conflict:
        save_draft(database, draft(transfer(c[2], "1001", "1002"), number=number), who=ME, expected_version=seen)
    assert_conflict(conflict.value, number, "правка")
    assert isinstance(conflict.value, MemoError)  # the memo code's own catch still applies
    assert [l.client for l in get_memo(database, number).draft.lines] == [c[1]]  # the other's edit stays
    assert snapshot(database) == before


def test_saving_a_draft_another_analyst_submitted_says_so(database, other, shop):
    number = save_draft(database, draft(transfer(shop["1001"][0], "1001", "1002")), who=ME)
    seen = get_memo(database, number).version
    submit(other, number, who=OTHER, today=date(2026, 10, 6))
    with pytest.raises(MemoConflict) as conflict:
        save_draft(database, draft(transfer(shop["1001"][1], "1001", "1002"), number=number),
                   expected_version=seen)
    assert_conflict(conflict.value, number, "отправка на согласование")
    assert get_memo(database, number).state == MemoStatus.SUBMITTED


def _other_acts(action, other, number):
    if action == "edit":
        memo = get_memo(other, number)
        save_draft(other, draft(*[transfer(l.client, "1001", "1002") for l in memo.draft.lines[:1]],
                                number=number), who=OTHER)
    elif action == "approve":
        approve(other, number, step=get_memo(other, number).route[0], name="Петров", who=OTHER)
    elif action == "withdraw":
        withdraw(other, number, who=OTHER)
    elif action == "reject":
        reject(other, number, name="Петров", reason="нет", who=OTHER)


@pytest.mark.parametrize("mine, theirs, state, word", [
    ("submit", "edit", MemoStatus.DRAFT, "правка"),
    ("approve", "approve", MemoStatus.SUBMITTED, "согласование"),
    ("approve", "withdraw", MemoStatus.SUBMITTED, "отзыв"),
    ("reject", "approve", MemoStatus.SUBMITTED, "согласование"),
    ("withdraw", "reject", MemoStatus.SUBMITTED, "отклонение"),
    ("apply", "withdraw", MemoStatus.APPROVED, "отзыв"),
    ("apply", "reject", MemoStatus.APPROVED, "отклонение"),
])
def test_an_action_on_a_memo_another_analyst_changed_is_refused(database, other, shop, mine, theirs, state, word):
    """7 scenarios: my action on the memo as I saw it, after the other analyst's action."""
    lines = [transfer(shop["1001"][0], "1001", "1002"), transfer(shop["1001"][1], "1001", "1002")]
    number = {MemoStatus.DRAFT: lambda: save_draft(database, draft(*lines), who=ME),
              MemoStatus.SUBMITTED: lambda: submitted(database, *lines),
              MemoStatus.APPROVED: lambda: approved(database, *lines)}[state]()
    seen = get_memo(database, number)
    _other_acts(theirs, other, number)
    before = snapshot(database)
    call = {"submit": lambda: submit(database, number, today=date(2026, 10, 6), expected_version=seen.version),
            "approve": lambda: approve(database, number, step=seen.route[-1], name="Борисов",
                                       expected_version=seen.version),
            "reject": lambda: reject(database, number, name="Борисов", reason="нет", expected_version=seen.version),
            "withdraw": lambda: withdraw(database, number, expected_version=seen.version),
            "apply": lambda: apply(database, number, on=ON, expected_version=seen.version)}[mine]
    with pytest.raises(MemoConflict) as conflict:
        call()
    assert_conflict(conflict.value, number, word)
    assert snapshot(database) == before


# -- the other analyst writes between this transaction's read and its write ---------------------------

def test_a_draft_saved_by_another_while_submitting_refuses_the_submission(database, other, shop, monkeypatch):
    c = shop["1001"]
    number = save_draft(database, draft(transfer(c[0], "1001", "1002")), who=ME)
    real_check = lifecycle.check_memo

    def check_then_other_saves(db, memo_draft):
        result = real_check(db, memo_draft)
        save_draft(other, draft(transfer(c[1], "1001", "1002"), number=number), who=OTHER)
        return result

    monkeypatch.setattr(lifecycle, "check_memo", check_then_other_saves)
    with pytest.raises(MemoConflict) as conflict:
        submit(database, number, today=date(2026, 10, 6))  # no version given: the race alone refuses it
    assert_conflict(conflict.value, number, "правка")
    memo = get_memo(database, number)
    assert memo.state == MemoStatus.DRAFT and [l.client for l in memo.draft.lines] == [c[1]]


def test_two_approvals_of_one_step_at_once_record_one(database, other, shop, monkeypatch):
    """Both read the memo with the step missing; the second's write finds the memo moved on."""
    number = submitted(database, transfer(shop["1001"][0], "1001", "1002"))
    step = get_memo(database, number).route[0]
    real_stored = lifecycle.stored
    raced = []

    def stored_then_other_approves(session, memo):
        view = real_stored(session, memo)
        if not raced:
            raced.append(True)
            approve(other, number, step=step, name="Петров", who=OTHER)
        return view

    monkeypatch.setattr(lifecycle, "stored", stored_then_other_approves)
    with pytest.raises(MemoConflict) as conflict:
        approve(database, number, step=step, name="Борисов")
    assert_conflict(conflict.value, number, "согласование")
    assert [(s, n) for s, n, *_ in get_memo(database, number).approvals] == [(step, "Петров")]


def test_a_potential_changed_while_applying_is_stale_and_nothing_is_written(database, other, shop, monkeypatch):
    number = approved(database, {"action": "from_ook", "client": "KO", "to": "1002", "potential": "A",
                                 "reason": "тендер на 2 млн"})
    real_client = apply_lines._client

    def read_then_other_sets_potential(session, code):
        client = real_client(session, code)
        with other.session() as second, second.begin():
            second.scalar(select(Client).where(Client.code == code)).potential = "B"
        return client

    monkeypatch.setattr(apply_lines, "_client", read_then_other_sets_potential)
    before = snapshot(database)
    with pytest.raises(StaleData) as stale:
        apply(database, number, on=ON)
    assert isinstance(stale.value, MemoConflict) and number in str(stale.value) and retry_text(str(stale.value))
    assert get_memo(database, number).state == MemoStatus.APPROVED
    assert snapshot(database) == before
    with database.session() as session:
        assert session.scalar(select(Client.potential).where(Client.code == "KO")) == "B"  # the other's value


def test_a_memo_applied_by_another_meanwhile_is_applied_once(database, other, shop, monkeypatch):
    client = shop["1001"][0]
    number = approved(database, transfer(client, "1001", "1002"))
    real_check = lifecycle.check_memo
    raced = []

    def check_then_other_applies(db, memo_draft):
        result = real_check(db, memo_draft)
        if not raced:
            monkeypatch.setattr(lifecycle, "check_memo", real_check)
            raced.append(apply(other, number, on=ON, who=OTHER))
        return result

    monkeypatch.setattr(lifecycle, "check_memo", check_then_other_applies)
    with pytest.raises(MemoConflict):
        apply(database, number, on=ON)
    with database.session() as session:
        open_rows = session.scalar(select(func.count()).select_from(Binding).join(Client)
                                   .where(Client.code == client, Binding.valid_to.is_(None)))
    assert open_rows == 1
    assert get_memo(database, number).applied_by == OTHER


def test_a_stale_data_error_never_leaks(database, other, shop, monkeypatch):
    """A raw version bump by another connection (no audit record) still gives the Russian message."""
    number = save_draft(database, draft(transfer(shop["1001"][0], "1001", "1002")), who=ME)
    real_check = lifecycle.check_memo

    def check_then_bump(db, memo_draft):
        result = real_check(db, memo_draft)
        from etm_desktop.db.models import Memo

        with other.engine.begin() as connection:
            connection.execute(update(Memo).where(Memo.number == number).values(version=Memo.version + 1))
        return result

    monkeypatch.setattr(lifecycle, "check_memo", check_then_bump)
    with pytest.raises(MemoConflict) as conflict:
        submit(database, number, today=date(2026, 10, 6))
    assert f"Записку {number} изменил другой пользователь" in str(conflict.value)
    assert retry_text(str(conflict.value))
