"""A memo's life: черновик → на согласовании → утверждена → применена, or отклонена / отозвана.

interfaces.md, section 2 (``memo new|submit|approve|reject``) and domain.md, "Binding,
unbinding, transfer": numbering per year, drafts editable until submitted, submission
refused while the what-if shows breaches unless an override reason is recorded (never
for a line that cannot be carried out), approval along the route fixed at submission.
Every manager is a sound ветеран paying in September 2026; memos are dated 5 October 2026.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from etm_desktop.db.models import AuditRecord, Binding, Memo, MemoApproval, MemoLine
from etm_desktop.memos.lifecycle import MemoRefused, approve, reject, submit, withdraw
from etm_desktop.memos.store import (
    MemoError,
    MemoNotFound,
    MemoStatus,
    get_memo,
    list_memos,
    next_number,
    save_draft,
)
from tests.memo_support import draft, transfer

DAY = "2026-10-05"
SEP = date(2026, 9, 1)
TODAY = date(2026, 10, 6)


@pytest.fixture
def shop(centre):
    """ОП1: Универсальные 1001 and 1002 (25 paying clients each), 1003 at his minimum (20),
    МРД 1005 and 1007 (20 dealers each); K-codes are the clients' codes by holder."""
    codes: dict[str, list[str]] = {}
    for tab, spec, n, ckg in (("1001", "Универсальный", 25, "ЭМО"), ("1002", "Универсальный", 25, "ЭМО"),
                              ("1003", "Универсальный", 20, "ЭМО"), ("1005", "МРД", 20, "Дилеры"),
                              ("1007", "МРД", 20, "Дилеры")):
        manager = centre.manager(tab, spec)
        codes[tab] = [c.code for c in centre.paying_clients(manager, n, SEP, ckg=ckg)]
        centre.outside_meetings(manager, SEP, 30)
    centre.client(None, code="KO", ckg="ЭМО", potential="C")
    centre.commit()
    return codes


def state_of(database, number):
    memo = get_memo(database, number)
    return memo.state


def audit_actions(database, number) -> list[str]:
    with database.session() as session:
        memo_id = session.scalar(select(Memo.id).where(Memo.number == number))
        return list(session.scalars(select(AuditRecord.action).where(
            AuditRecord.entity == "memo", AuditRecord.memo_id == memo_id).order_by(AuditRecord.id)))


def binding_rows(database) -> list[tuple]:
    with database.session() as session:
        return [tuple(r) for r in session.execute(
            select(Binding.id, Binding.client_id, Binding.employee_id, Binding.valid_from, Binding.valid_to,
                   Binding.memo_id, Binding.closed_by_memo_id).order_by(Binding.id)).all()]


# -- numbering and drafts ----------------------------------------------------------------------

def test_drafts_are_numbered_per_year_after_the_highest_number(database, shop):
    line = transfer(shop["1001"][0], "1001", "1002")
    assert save_draft(database, draft(line)) == "СЗ-2026-001"
    assert save_draft(database, draft(line)) == "СЗ-2026-002"
    assert save_draft(database, draft(line, day="2025-12-30")) == "СЗ-2025-001"
    assert save_draft(database, draft(line, number="СЗ-2026-041")) == "СЗ-2026-041"
    assert save_draft(database, draft(line)) == "СЗ-2026-042"  # after the maximum, not the count
    assert save_draft(database, draft(line, day="2025-01-10")) == "СЗ-2025-002"
    with database.session() as session:
        assert next_number(session, 2027) == "СЗ-2027-001"
    numbers = sorted(number for number, *_ in list_memos(database))
    assert numbers == ["СЗ-2025-001", "СЗ-2025-002", "СЗ-2026-001", "СЗ-2026-002", "СЗ-2026-041", "СЗ-2026-042"]


def test_a_saved_draft_comes_back_as_written(database, shop):
    lines = [transfer(shop["1001"][0], "1001", "1002", reason="по просьбе клиента"),
             {"action": "from_ook", "client": "KO", "to": "1002", "potential": "A", "reason": "тендер на 2 млн"}]
    number = save_draft(database, draft(*lines, subject="О перезакреплении клиентов"), who="Фёдорова П.Д.")
    memo = get_memo(database, number)
    assert (memo.state, memo.route, memo.approvals, memo.submitted_check, memo.applied_on) == (
        MemoStatus.DRAFT, (), (), None, None)
    assert memo.draft.memo_date == date(2026, 10, 5)
    assert memo.draft.author == "Фёдорова П.Д."
    assert memo.draft.subject == "О перезакреплении клиентов"
    assert [(l.line_no, l.action, l.client, l.from_manager, l.to_manager, l.potential, l.reason)
            for l in memo.draft.lines] == [
        (1, "transfer", shop["1001"][0], "1001", "1002", None, "по просьбе клиента"),
        (2, "from_ook", "KO", None, "1002", "A", "тендер на 2 млн"),
    ]
    assert audit_actions(database, number) == ["create"]


def test_re_saving_a_draft_replaces_its_lines(database, shop):
    a, b, c = shop["1001"][:3]
    number = save_draft(database, draft(transfer(a, "1001", "1002"), transfer(b, "1001", "1002")))
    version = database.data_version()
    again = save_draft(database, draft(transfer(c, "1001", "1003"), number=number, override_reason="срочно"))
    assert again == number
    memo = get_memo(database, number)
    assert memo.state == MemoStatus.DRAFT
    assert [(l.line_no, l.client, l.to_manager) for l in memo.draft.lines] == [(1, c, "1003")]
    assert memo.draft.override_reason == "срочно"
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(MemoLine)) == 1
        assert session.scalar(select(func.count()).select_from(Memo)) == 1
    assert audit_actions(database, number) == ["create", "edit"]
    assert database.data_version() == version + 1


def test_a_submitted_memo_cannot_be_edited(database, shop):
    a, b = shop["1001"][:2]
    number = save_draft(database, draft(transfer(a, "1001", "1002")))
    submit(database, number, today=TODAY)
    with pytest.raises(MemoError, match="уже не черновик"):
        save_draft(database, draft(transfer(b, "1001", "1002"), number=number))
    memo = get_memo(database, number)
    assert memo.state == MemoStatus.SUBMITTED
    assert [l.client for l in memo.draft.lines] == [a]


def test_an_unknown_number_is_not_found(database, shop):
    for action in (lambda: get_memo(database, "СЗ-2026-999"),
                   lambda: submit(database, "СЗ-2026-999"),
                   lambda: approve(database, "СЗ-2026-999", step="ДП", name="Борисов М.Ю."),
                   lambda: reject(database, "СЗ-2026-999", name="Борисов М.Ю.", reason="нет"),
                   lambda: withdraw(database, "СЗ-2026-999")):
        with pytest.raises(MemoNotFound):
            action()


# -- submission ----------------------------------------------------------------------------

def test_submit_fixes_the_route_and_the_check(database, shop):
    number = save_draft(database, draft(transfer(shop["1001"][0], "1001", "1002")))
    check = submit(database, number, today=TODAY)
    assert check.ok and check.approval == ["ДП"]
    memo = get_memo(database, number)
    assert memo.state == MemoStatus.SUBMITTED
    assert memo.route == ("ДП",)
    assert memo.missing_steps == ["ДП"]
    assert memo.submitted_check["ok"] is True
    assert memo.submitted_check["problems"] == []
    assert {e["manager"]: (e["before"]["kb_size"], e["after"]["kb_size"])
            for e in memo.submitted_check["effects"]} == {"1001": (25, 24), "1002": (25, 26)}
    assert memo.draft.override_reason is None
    with database.session() as session:
        assert session.scalar(select(Memo.submitted_on).where(Memo.number == number)) == TODAY
    assert audit_actions(database, number) == ["create", "submit"]


def test_a_dealer_memo_goes_to_dp_and_cp(database, shop):
    number = save_draft(database, draft(transfer(shop["1005"][0], "1005", "1007")))
    submit(database, number, today=TODAY)
    assert get_memo(database, number).route == ("ДП", "ЦП")


def test_submit_with_breaches_and_no_override_is_refused_and_changes_nothing(database, shop):
    number = save_draft(database, draft(transfer(shop["1003"][0], "1003", "1002")))  # 1003: 20 → 19
    version = database.data_version()
    with pytest.raises(MemoRefused, match="--override") as refused:
        submit(database, number, today=TODAY)
    assert [(p.line, p.rule, p.manager) for p in refused.value.check.breaches] == [(1, "kb_size_min", "1003")]
    memo = get_memo(database, number)
    assert (memo.state, memo.route, memo.submitted_check, memo.draft.override_reason) == (
        MemoStatus.DRAFT, (), None, None)
    assert audit_actions(database, number) == ["create"]
    assert database.data_version() == version


@pytest.mark.parametrize("blank", ["", "   "])
def test_a_blank_override_is_no_override(database, shop, blank):
    number = save_draft(database, draft(transfer(shop["1003"][0], "1003", "1002")))
    with pytest.raises(MemoRefused):
        submit(database, number, override=blank, today=TODAY)
    assert state_of(database, number) == MemoStatus.DRAFT


def test_submit_with_an_override_records_the_reason(database, shop):
    number = save_draft(database, draft(transfer(shop["1003"][0], "1003", "1002")))
    check = submit(database, number, override="Клиент просит сменить менеджера", today=TODAY)
    assert not check.ok
    memo = get_memo(database, number)
    assert memo.state == MemoStatus.SUBMITTED
    assert memo.draft.override_reason == "Клиент просит сменить менеджера"
    assert memo.submitted_check["ok"] is False
    assert [(p["line"], p["rule"], p["severity"]) for p in memo.submitted_check["problems"]] == [
        (1, "kb_size_min", "breach")]
    with database.session() as session:
        after = session.scalar(select(AuditRecord.after).where(AuditRecord.action == "submit"))
    assert json.loads(after) == {"breaches": 1, "override": "Клиент просит сменить менеджера", "route": ["ДП"]}


def test_an_override_written_in_the_draft_counts(database, shop):
    number = save_draft(database, draft(transfer(shop["1003"][0], "1003", "1002"), override_reason="так надо"))
    submit(database, number, today=TODAY)
    memo = get_memo(database, number)
    assert (memo.state, memo.draft.override_reason) == (MemoStatus.SUBMITTED, "так надо")


@pytest.mark.parametrize("bad_line, rule", [
    ({"action": "transfer", "client": "K-NONE", "from": "1001", "to": "1002"}, "unknown_client"),
    ({"action": "transfer", "client": "KO", "from": "1001", "to": "1002"}, "not_bound"),
    ({"action": "bind", "client": "KO", "to": "9999"}, "unknown_manager"),
    ({"action": "bind", "client": "KO", "to": "ООК"}, "bind_to_ook"),
])
def test_line_problems_are_refused_even_with_an_override(database, shop, bad_line, rule):
    number = save_draft(database, draft(transfer(shop["1001"][0], "1001", "1002"), bad_line))
    with pytest.raises(MemoRefused, match="обоснование здесь не поможет") as refused:
        submit(database, number, override="очень нужно", today=TODAY)
    assert [(p.line, p.rule) for p in refused.value.check.breaches] == [(2, rule)]
    memo = get_memo(database, number)
    assert (memo.state, memo.route, memo.draft.override_reason) == (MemoStatus.DRAFT, (), None)


def test_a_memo_is_submitted_once(database, shop):
    number = save_draft(database, draft(transfer(shop["1001"][0], "1001", "1002")))
    submit(database, number, today=TODAY)
    with pytest.raises(MemoError, match="на согласовании"):
        submit(database, number, today=TODAY)
    assert audit_actions(database, number) == ["create", "submit"]


# -- approval ------------------------------------------------------------------------------

def test_approved_only_when_every_step_of_the_route_is(database, shop):
    number = save_draft(database, draft(transfer(shop["1005"][0], "1005", "1007")))
    submit(database, number, today=TODAY)
    assert approve(database, number, step="ЦП", name="Орлов Пётр Ильич", on=date(2026, 10, 7)) == ["ДП"]
    memo = get_memo(database, number)
    assert memo.state == MemoStatus.SUBMITTED
    assert memo.missing_steps == ["ДП"]
    assert approve(database, number, step="ДП", name="Борисов Михаил Юрьевич", on=date(2026, 10, 8)) == []
    memo = get_memo(database, number)
    assert memo.state == MemoStatus.APPROVED
    assert memo.missing_steps == []
    assert memo.approvals == (("ЦП", "Орлов Пётр Ильич", "approved", date(2026, 10, 7), None),
                              ("ДП", "Борисов Михаил Юрьевич", "approved", date(2026, 10, 8), None))
    assert audit_actions(database, number) == ["create", "submit", "approve", "approve"]


def test_a_step_not_in_the_route_is_refused(database, shop):
    number = save_draft(database, draft(transfer(shop["1001"][0], "1001", "1002")))
    submit(database, number, today=TODAY)
    with pytest.raises(MemoError, match="не входит в маршрут"):
        approve(database, number, step="ЦП", name="Орлов П.И.")
    memo = get_memo(database, number)
    assert (memo.state, memo.approvals) == (MemoStatus.SUBMITTED, ())


def test_a_step_approved_twice_is_refused(database, shop):
    number = save_draft(database, draft(transfer(shop["1005"][0], "1005", "1007")))
    submit(database, number, today=TODAY)
    approve(database, number, step="ДП", name="Борисов М.Ю.", on=TODAY)
    with pytest.raises(MemoError, match="уже согласован"):
        approve(database, number, step="ДП", name="Другой Д.Д.", on=TODAY)
    memo = get_memo(database, number)
    assert memo.state == MemoStatus.SUBMITTED
    assert [(step, name) for step, name, *_ in memo.approvals] == [("ДП", "Борисов М.Ю.")]


def test_after_the_last_step_no_more_approvals(database, shop):
    number = save_draft(database, draft(transfer(shop["1001"][0], "1001", "1002")))
    submit(database, number, today=TODAY)
    approve(database, number, step="ДП", name="Борисов М.Ю.", on=TODAY)
    with pytest.raises(MemoError):
        approve(database, number, step="ДП", name="Борисов М.Ю.", on=TODAY)
    assert len(get_memo(database, number).approvals) == 1


def test_a_draft_cannot_be_approved(database, shop):
    number = save_draft(database, draft(transfer(shop["1001"][0], "1001", "1002")))
    with pytest.raises(MemoError, match="черновик"):
        approve(database, number, step="ДП", name="Борисов М.Ю.")
    memo = get_memo(database, number)
    assert (memo.state, memo.approvals) == (MemoStatus.DRAFT, ())


# -- rejection and withdrawal ------------------------------------------------------------------

@pytest.mark.parametrize("reason", ["", "  "])
def test_a_rejection_needs_a_reason(database, shop, reason):
    number = save_draft(database, draft(transfer(shop["1001"][0], "1001", "1002")))
    submit(database, number, today=TODAY)
    with pytest.raises(MemoError, match="причину"):
        reject(database, number, name="Борисов М.Ю.", reason=reason)
    memo = get_memo(database, number)
    assert (memo.state, memo.approvals) == (MemoStatus.SUBMITTED, ())


def test_reject_ends_the_memo(database, shop):
    number = save_draft(database, draft(transfer(shop["1005"][0], "1005", "1007")))
    submit(database, number, today=TODAY)
    approve(database, number, step="ДП", name="Борисов М.Ю.", on=TODAY)
    reject(database, number, name="Орлов П.И.", reason="МРД без места", on=date(2026, 10, 9))
    memo = get_memo(database, number)
    assert memo.state == MemoStatus.REJECTED
    assert memo.approvals[-1] == ("—", "Орлов П.И.", "rejected", date(2026, 10, 9), "МРД без места")
    with pytest.raises(MemoError):
        approve(database, number, step="ЦП", name="Орлов П.И.")
    with pytest.raises(MemoError):
        save_draft(database, draft(transfer(shop["1005"][1], "1005", "1007"), number=number))
    assert get_memo(database, number).state == MemoStatus.REJECTED
    assert audit_actions(database, number) == ["create", "submit", "approve", "reject"]


def test_an_approved_memo_can_still_be_rejected(database, shop):
    number = save_draft(database, draft(transfer(shop["1001"][0], "1001", "1002")))
    submit(database, number, today=TODAY)
    approve(database, number, step="ДП", name="Борисов М.Ю.", on=TODAY)
    reject(database, number, name="Борисов М.Ю.", reason="передумали")
    assert state_of(database, number) == MemoStatus.REJECTED


def test_a_draft_cannot_be_rejected(database, shop):
    number = save_draft(database, draft(transfer(shop["1001"][0], "1001", "1002")))
    with pytest.raises(MemoError):
        reject(database, number, name="Борисов М.Ю.", reason="нет")
    assert state_of(database, number) == MemoStatus.DRAFT


@pytest.mark.parametrize("steps", [0, 1, 2])  # черновик, на согласовании, утверждена
def test_withdraw_before_application(database, shop, steps):
    number = save_draft(database, draft(transfer(shop["1001"][0], "1001", "1002")))
    if steps >= 1:
        submit(database, number, today=TODAY)
    if steps >= 2:
        approve(database, number, step="ДП", name="Борисов М.Ю.", on=TODAY)
    before = binding_rows(database)
    withdraw(database, number)
    assert state_of(database, number) == MemoStatus.WITHDRAWN
    assert audit_actions(database, number)[-1] == "withdraw"
    assert binding_rows(database) == before
    with pytest.raises(MemoError):
        withdraw(database, number)
    with pytest.raises(MemoError):
        submit(database, number, today=TODAY)


def test_a_rejected_memo_cannot_be_withdrawn(database, shop):
    number = save_draft(database, draft(transfer(shop["1001"][0], "1001", "1002")))
    submit(database, number, today=TODAY)
    reject(database, number, name="Борисов М.Ю.", reason="нет")
    with pytest.raises(MemoError):
        withdraw(database, number)
    assert state_of(database, number) == MemoStatus.REJECTED


def test_no_transition_touches_the_bindings(database, shop):
    before = binding_rows(database)
    number = save_draft(database, draft(transfer(shop["1005"][0], "1005", "1007")))
    submit(database, number, today=TODAY)
    approve(database, number, step="ДП", name="Борисов М.Ю.", on=TODAY)
    approve(database, number, step="ЦП", name="Орлов П.И.", on=TODAY)
    assert binding_rows(database) == before
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(MemoApproval)) == 2


# -- the list ------------------------------------------------------------------------------

def test_list_newest_first_with_line_counts_and_a_state_filter(database, shop):
    a, b, c = shop["1001"][:3]
    first = save_draft(database, draft(transfer(a, "1001", "1002"), day="2026-10-01"), who="Фёдорова П.Д.")
    second = save_draft(database, draft(transfer(b, "1001", "1002"), transfer(c, "1001", "1002")),
                        who="Фёдорова П.Д.")
    submit(database, second, today=TODAY)
    assert list_memos(database) == [
        (second, date(2026, 10, 5), MemoStatus.SUBMITTED, "Фёдорова П.Д.", 2),
        (first, date(2026, 10, 1), MemoStatus.DRAFT, "Фёдорова П.Д.", 1),
    ]
    assert [row[0] for row in list_memos(database, MemoStatus.DRAFT)] == [first]
    assert list_memos(database, MemoStatus.APPLIED) == []
