"""Applying an approved memo: classifier 37 changes exactly as the memo says, in one transaction.

domain.md, "Binding, unbinding, transfer"; interfaces.md ``memo apply``: bindings are
never overwritten — a change closes a row (``valid_to`` = the apply date, the closing
memo) and opens another (``valid_from`` = the apply date, the opening memo). The memo
is re-validated as at the apply date and refused, with nothing written, when a step of
its route is missing, when it was applied already, or when the data changed so that it
now breaks a norm it did not break at submission.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select, update

from etm_desktop.compliance.service import month_grid
from etm_desktop.db.models import AuditRecord, Binding, Client, Employee, Memo
from etm_desktop.memos import lifecycle
from etm_desktop.memos.apply_lines import StaleData
from etm_desktop.memos.history import HoldingPeriod, client_history
from etm_desktop.memos.lifecycle import MemoRefused, apply, approve, reject, submit, withdraw
from etm_desktop.memos.store import MemoError, MemoNotReady, MemoStatus, get_memo, save_draft
from tests.memo_support import draft, transfer

DAY = "2026-10-05"
SEP, OCT = date(2026, 9, 1), date(2026, 10, 1)
ON = date(2026, 10, 20)
EPOCH = date(2020, 1, 1)  # when the builder's bindings start
MKA = "Фёдорова П.Д."


# -- helpers -------------------------------------------------------------------------------

def approved(database, *lines, override=None) -> str:
    """A memo saved, submitted and approved on every step of its route."""
    number = save_draft(database, draft(*lines), who=MKA)
    submit(database, number, override=override, today=date(2026, 10, 6))
    for step in get_memo(database, number).route:
        approve(database, number, step=step, name="Борисов Михаил Юрьевич", on=date(2026, 10, 7))
    assert get_memo(database, number).state == MemoStatus.APPROVED
    return number


def bindings(database) -> list[tuple]:
    """The whole binding table, every column, in id order."""
    with database.session() as session:
        return [tuple(r) for r in session.execute(
            select(Binding.id, Binding.client_id, Binding.employee_id, Binding.valid_from, Binding.valid_to,
                   Binding.basis, Binding.memo_id, Binding.closed_by_memo_id, Binding.version)
            .order_by(Binding.id)).all()]


def clients(database) -> list[tuple]:
    with database.session() as session:
        return [tuple(r) for r in session.execute(
            select(Client.id, Client.code, Client.ckg, Client.potential, Client.head_id).order_by(Client.id)).all()]


def audit_trail(database) -> list[tuple]:
    with database.session() as session:
        return [tuple(r) for r in session.execute(
            select(AuditRecord.id, AuditRecord.entity, AuditRecord.entity_key, AuditRecord.action,
                   AuditRecord.memo_id, AuditRecord.before, AuditRecord.after).order_by(AuditRecord.id)).all()]


def ids(database) -> tuple[dict[str, int], dict[str, int]]:
    """{client code: id}, {tab no: id}."""
    with database.session() as session:
        return (dict(session.execute(select(Client.code, Client.id)).all()),
                dict(session.execute(select(Employee.tab_no, Employee.id)).all()))


def memo_id(database, number) -> int:
    with database.session() as session:
        return session.scalar(select(Memo.id).where(Memo.number == number))


def nothing_written(database, number, state, before_bindings, before_audit, version):
    memo = get_memo(database, number)
    assert memo.state == state
    assert (memo.applied_on, memo.applied_by) == (None, None)
    assert bindings(database) == before_bindings
    assert audit_trail(database) == before_audit
    assert database.data_version() == version


def kb_size(grid, tab_no) -> int:
    return [m.kb_size for m in grid.managers if m.id == tab_no][0]


@pytest.fixture
def shop(centre):
    """ОП1: 1001 and 1002, ОП2 (same cluster): 1004 — Универсальные with 25 paying clients each;
    1005 and 1007 — МРД of ОП1 with 20 dealers each; KO and KF are with ООК."""
    centre.office("ОП2", "Куст 1")
    codes: dict[str, list[str]] = {}
    for tab, spec, n, ckg, office in (("1001", "Универсальный", 25, "ЭМО", "ОП1"),
                                      ("1002", "Универсальный", 25, "ЭМО", "ОП1"),
                                      ("1004", "Универсальный", 25, "ЭМО", "ОП2"),
                                      ("1005", "МРД", 20, "Дилеры", "ОП1"),
                                      ("1007", "МРД", 20, "Дилеры", "ОП1")):
        manager = centre.manager(tab, spec, office=office)
        codes[tab] = [c.code for c in centre.paying_clients(manager, n, SEP, ckg=ckg)]
        centre.outside_meetings(manager, [SEP, OCT], 30)
    centre.client(None, code="KO", ckg="ЭМО", potential="C")
    centre.client(None, code="KF", ckg="ЭМО", potential="B")
    centre.commit()
    return codes


# -- what apply writes ---------------------------------------------------------------------------

@pytest.fixture
def full_memo(database, shop):
    """Every kind of line once; route ДП + ДП РЦ (multiple classification within the cluster)."""
    c = shop["1001"]
    lines = [
        transfer(c[0], "1001", "1002", reason="по просьбе клиента"),
        {"action": "to_ook", "client": c[1], "from": "1001"},
        {"action": "from_ook", "client": "KO", "to": "1002", "potential": "А", "reason": "тендер на 2 млн"},
        {"action": "bind", "client": "KF", "to": "1001"},
        {"action": "link_140", "client": c[23], "head": c[24]},
        {"action": "multi_bind", "client": c[2], "to": "1004", "reason": "объекты в зоне ОП2"},
    ]
    number = approved(database, *lines)
    assert get_memo(database, number).route == ("ДП", "ДП РЦ")
    return number


def test_apply_writes_exactly_the_memos_bindings(database, shop, full_memo):
    code, tab = ids(database)
    c = shop["1001"]
    before = bindings(database)
    memo = memo_id(database, full_memo)

    apply(database, full_memo, on=ON, who=MKA)

    def closed(row):
        row_id, client_id, employee_id, valid_from, _to, basis, opened, _closed, version = row
        return (row_id, client_id, employee_id, valid_from, ON, basis, opened, memo, version + 1)

    closing = {code[c[0]], code[c[1]]}
    expected = [closed(r) if r[1] in closing else r for r in before]
    next_id = before[-1][0] + 1
    default_basis = f"Служебная записка {full_memo}"
    expected += [
        (next_id, code[c[0]], tab["1002"], ON, None, "по просьбе клиента", memo, None, 1),
        (next_id + 1, code["KO"], tab["1002"], ON, None, "тендер на 2 млн", memo, None, 1),
        (next_id + 2, code["KF"], tab["1001"], ON, None, default_basis, memo, None, 1),
        (next_id + 3, code[c[2]], tab["1004"], ON, None, "объекты в зоне ОП2", memo, None, 1),
    ]
    assert bindings(database) == expected
    stored = get_memo(database, full_memo)
    assert (stored.state, stored.applied_on, stored.applied_by) == (MemoStatus.APPLIED, ON, MKA)


def test_apply_links_140_and_sets_the_potential_and_nothing_else(database, shop, full_memo):
    code, _ = ids(database)
    c = shop["1001"]
    before = clients(database)
    apply(database, full_memo, on=ON, who=MKA)
    expected = []
    for row_id, client_code, ckg, potential, head in before:
        if client_code == "KO":
            potential = "A"  # the Cyrillic А of the memo, stored as the Latin letter
        if client_code == c[23]:
            head = code[c[24]]
        expected.append((row_id, client_code, ckg, potential, head))
    assert clients(database) == expected


def test_apply_appends_an_audit_record_for_each_change(database, shop, full_memo):
    c = shop["1001"]
    memo = memo_id(database, full_memo)
    before = audit_trail(database)
    apply(database, full_memo, on=ON, who=MKA)
    after = audit_trail(database)
    assert after[:len(before)] == before  # append-only
    added = after[len(before):]
    assert [(entity, key, action, mid) for _, entity, key, action, mid, _, _ in added] == [
        ("binding", c[0], "close", memo),
        ("binding", c[0], "open", memo),
        ("binding", c[1], "close", memo),
        ("binding", "KO", "open", memo),
        ("client", "KO", "potential", memo),
        ("binding", "KF", "open", memo),
        ("link_140", c[23], "link", memo),
        ("binding", c[2], "open", memo),
        ("memo", full_memo, "apply", memo),
    ]
    payload = {(key, action): (json.loads(b) if b else None, json.loads(a) if a else None)
               for _, _, key, action, _, b, a in added}
    assert payload[(c[0], "close")] == ({"manager": "1001", "from": "2020-01-01"},
                                        {"manager": "1001", "from": "2020-01-01", "to": "2026-10-20"})
    assert payload[(c[0], "open")] == (None, {"manager": "1002", "from": "2026-10-20"})
    assert payload[("KO", "potential")] == ("C", "A")
    assert payload[(c[23], "link")] == ({"head": None}, {"head": c[24]})
    with database.session() as session:
        whos = set(session.scalars(select(AuditRecord.who).where(AuditRecord.id > before[-1][0])))
    assert whos == {MKA}


def test_apply_bumps_the_data_version_once(database, full_memo):
    version = database.data_version()
    apply(database, full_memo, on=ON, who=MKA)
    assert database.data_version() == version + 1


def test_the_grid_of_the_apply_month_shows_the_new_kb_sizes(database, full_memo):
    before = month_grid(database, OCT)
    assert {t: kb_size(before, t) for t in ("1001", "1002", "1004")} == {"1001": 25, "1002": 25, "1004": 25}
    apply(database, full_memo, on=ON, who=MKA)
    # 1001: 25 − transfer − to_ook + bind − (two cards now one group) = 23; the multi_bind keeps his card
    after = month_grid(database, OCT)
    assert {t: kb_size(after, t) for t in ("1001", "1002", "1004")} == {"1001": 23, "1002": 27, "1004": 26}
    september = month_grid(database, SEP)  # bindings' history is not rewritten (140 links are not dated)
    assert {t: kb_size(september, t) for t in ("1002", "1004")} == {"1002": 25, "1004": 25}


def test_client_history_shows_who_held_the_client_and_by_which_memo(database, shop, full_memo):
    c = shop["1001"]
    apply(database, full_memo, on=ON, who=MKA)
    name = "Сотрудник {0}".format
    assert client_history(database, c[0]) == [
        HoldingPeriod("1001", name("1001"), EPOCH, ON, None, full_memo, None),
        HoldingPeriod("1002", name("1002"), ON, None, full_memo, None, "по просьбе клиента"),
    ]
    assert client_history(database, c[1]) == [HoldingPeriod("1001", name("1001"), EPOCH, ON, None, full_memo, None)]
    assert client_history(database, "KO") == [
        HoldingPeriod("1002", name("1002"), ON, None, full_memo, None, "тендер на 2 млн")]
    assert [(p.manager, p.valid_to) for p in client_history(database, c[2])] == [("1001", None), ("1004", None)]
    assert client_history(database, c[0])[1].to_json() == {
        "manager": "1002", "manager_name": name("1002"), "valid_from": "2026-10-20", "valid_to": None,
        "memo": full_memo, "closed_by": None, "basis": "по просьбе клиента"}


# -- refusals: nothing is written ---------------------------------------------------------------------

def test_apply_with_a_step_missing_is_not_ready(database, shop):
    number = save_draft(database, draft(transfer(shop["1005"][0], "1005", "1007")))
    submit(database, number, today=date(2026, 10, 6))
    approve(database, number, step="ДП", name="Борисов М.Ю.", on=date(2026, 10, 7))
    snapshot = bindings(database), audit_trail(database), database.data_version()
    with pytest.raises(MemoNotReady, match="нет согласования ЦП"):
        apply(database, number, on=ON)
    nothing_written(database, number, MemoStatus.SUBMITTED, *snapshot)


def test_apply_before_any_approval_is_not_ready(database, shop):
    number = save_draft(database, draft(transfer(shop["1001"][0], "1001", "1002")))
    submit(database, number, today=date(2026, 10, 6))
    snapshot = bindings(database), audit_trail(database), database.data_version()
    with pytest.raises(MemoNotReady, match="ДП"):
        apply(database, number, on=ON)
    nothing_written(database, number, MemoStatus.SUBMITTED, *snapshot)


def test_apply_twice_is_not_ready(database, shop):
    number = approved(database, transfer(shop["1001"][0], "1001", "1002"))
    apply(database, number, on=ON, who=MKA)
    snapshot = bindings(database), audit_trail(database), database.data_version()
    with pytest.raises(MemoNotReady, match="уже применена 20.10.2026"):
        apply(database, number, on=date(2026, 10, 21))
    after = get_memo(database, number)
    assert (after.state, after.applied_on) == (MemoStatus.APPLIED, ON)
    assert (bindings(database), audit_trail(database), database.data_version()) == snapshot


@pytest.mark.parametrize("end", ["draft", "rejected", "withdrawn"])
def test_only_an_approved_memo_is_applied(database, shop, end):
    number = save_draft(database, draft(transfer(shop["1001"][0], "1001", "1002")))
    if end != "draft":
        submit(database, number, today=date(2026, 10, 6))
        if end == "rejected":
            reject(database, number, name="Борисов М.Ю.", reason="нет")
        else:
            withdraw(database, number)
    state = get_memo(database, number).state
    snapshot = bindings(database), audit_trail(database), database.data_version()
    with pytest.raises(MemoError):
        apply(database, number, on=ON)
    nothing_written(database, number, state, *snapshot)


def test_data_changed_after_approval_so_the_memo_now_breaks_a_maximum(database, centre, shop):
    """1002 had room for one more (39 → 40); then a client was bound to him directly."""
    receiver = centre.session.scalar(select(Employee).where(Employee.tab_no == "1002"))
    centre.paying_clients(receiver, 14, SEP)  # 25 + 14 = 39, the maximum is 40
    centre.commit()
    number = approved(database, transfer(shop["1001"][0], "1001", "1002"))
    assert get_memo(database, number).submitted_check["ok"] is True

    centre.session.expire_all()
    centre.paying_clients(receiver, 1, SEP, bound_from=date(2026, 10, 10))  # 40 now
    centre.commit()
    snapshot = bindings(database), audit_trail(database), database.data_version()
    with pytest.raises(MemoRefused, match="Данные изменились") as refused:
        apply(database, number, on=ON)
    assert [(p["line"], p["rule"], p["severity"], p["manager"]) for p in refused.value.new_breaches] == [
        (1, "kb_size_max", "breach", "1002")]
    assert "41" in refused.value.new_breaches[0]["message"]
    nothing_written(database, number, MemoStatus.APPROVED, *snapshot)


def test_the_change_before_the_apply_date_is_what_counts(database, centre, shop):
    """A binding that starts after the apply date does not stand in the memo's way."""
    receiver = centre.session.scalar(select(Employee).where(Employee.tab_no == "1002"))
    centre.paying_clients(receiver, 14, SEP)
    centre.commit()
    number = approved(database, transfer(shop["1001"][0], "1001", "1002"))
    centre.session.expire_all()
    centre.paying_clients(receiver, 1, SEP, bound_from=date(2026, 10, 25))
    centre.commit()
    apply(database, number, on=ON, who=MKA)
    assert get_memo(database, number).state == MemoStatus.APPLIED


def test_a_breach_accepted_with_an_override_does_not_stop_the_apply(database, centre, shop):
    receiver = centre.session.scalar(select(Employee).where(Employee.tab_no == "1002"))
    centre.paying_clients(receiver, 15, SEP)  # 40: the transfer makes 41
    centre.commit()
    number = approved(database, transfer(shop["1001"][0], "1001", "1002"), override="клиент настаивает")
    assert [p["rule"] for p in get_memo(database, number).submitted_check["problems"]
            if p["severity"] == "breach"] == ["kb_size_max"]
    check = apply(database, number, on=ON, who=MKA)
    assert [p.rule for p in check.breaches] == ["kb_size_max"]
    assert get_memo(database, number).state == MemoStatus.APPLIED
    assert [(p.manager, p.valid_to) for p in client_history(database, shop["1001"][0])] == [
        ("1001", ON), ("1002", None)]


def test_a_client_moved_by_another_memo_is_refused(database, shop):
    """Two approved memos for the same client: the second finds him gone."""
    client = shop["1001"][0]
    first = approved(database, transfer(client, "1001", "1002"))
    second = approved(database, transfer(client, "1001", "1004"))
    apply(database, first, on=ON, who=MKA)
    snapshot = bindings(database), audit_trail(database), database.data_version()
    with pytest.raises(MemoRefused) as refused:
        apply(database, second, on=ON)
    assert [(p["line"], p["rule"]) for p in refused.value.new_breaches] == [(1, "not_bound")]
    nothing_written(database, second, MemoStatus.APPROVED, *snapshot)


def test_a_binding_closed_while_the_memo_is_applied_is_stale_and_nothing_is_written(
        database, shop, monkeypatch):
    """Between the re-validation and the writing someone closes the binding of line 2:
    line 1 is already written in the transaction — and must be rolled back with it."""
    first, second = shop["1001"][:2]
    number = approved(database, transfer(first, "1001", "1002"), transfer(second, "1001", "1002"))
    code, _ = ids(database)
    real_check = lifecycle.check_memo

    def check_then_close(db, memo_draft):
        result = real_check(db, memo_draft)
        with db.engine.begin() as connection:  # another user, another connection, committed
            connection.execute(update(Binding).where(Binding.client_id == code[second], Binding.valid_to.is_(None))
                               .values(valid_to=date(2026, 10, 19), version=Binding.version + 1))
        return result

    monkeypatch.setattr(lifecycle, "check_memo", check_then_close)
    before = bindings(database)
    snapshot = audit_trail(database), database.data_version()
    with pytest.raises(StaleData, match=second):
        apply(database, number, on=ON)
    closed_by_other = [r[:4] + (date(2026, 10, 19),) + r[5:8] + (r[8] + 1,) if r[1] == code[second] else r
                       for r in before]
    nothing_written(database, number, MemoStatus.APPROVED, closed_by_other, *snapshot)
    assert [(p.manager, p.valid_to, p.closed_by) for p in client_history(database, first)] == [
        ("1001", None, None)]


def test_a_binding_closed_between_reading_and_writing_it_is_stale_too(database, shop, monkeypatch):
    """The race is narrower still: the binding is read open, then closed by someone else before
    this transaction writes it (the row's version no longer matches)."""
    import etm_desktop.memos.apply_lines as apply_lines

    client = shop["1001"][0]
    number = approved(database, transfer(client, "1001", "1002"))
    real_read = apply_lines._open_bindings

    def read_then_someone_closes(session, card):
        found = real_read(session, card)
        with database.engine.begin() as connection:
            connection.execute(update(Binding).where(Binding.id.in_([b.id for b in found]))
                               .values(valid_to=date(2026, 10, 19), version=Binding.version + 1))
        return found

    monkeypatch.setattr(apply_lines, "_open_bindings", read_then_someone_closes)
    code, _ = ids(database)
    before = bindings(database)
    snapshot = audit_trail(database), database.data_version()
    with pytest.raises(StaleData, match=number):
        apply(database, number, on=ON)
    closed_by_other = [r[:4] + (date(2026, 10, 19),) + r[5:8] + (r[8] + 1,) if r[1] == code[client] else r
                       for r in before]
    nothing_written(database, number, MemoStatus.APPROVED, closed_by_other, *snapshot)
