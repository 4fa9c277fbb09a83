"""The memo what-if re-judges only the managers a memo touches (issue 6).

``check_memo`` takes the rows before the memo from the month's cached rows and
judges the touched managers alone after it. Both must equal a full re-evaluation
of the whole centre: here, on the small demo, for many random memos (seeded) of
transfers, unbinds, binds from nobody and from ООК (a potential change), multiple
classification and 140 links.
"""

from __future__ import annotations

import random
from datetime import date

import pytest

from etm_desktop.compliance import service
from etm_desktop.compliance.engine import evaluate, manager_rows
from etm_desktop.compliance.inputs import InputsCache, load_inputs
from etm_desktop.compliance.staff import staff_on
from etm_desktop.domain.calendar import last_completed_month
from etm_desktop.memos.draft import parse_memo
from etm_desktop.memos.lines import MemoState
from etm_desktop.memos.validation import check_memo
from etm_desktop.norms.store import NormBook

DAY = date(2026, 12, 3)
MEMOS = 60


def _holders(inputs, staff):
    judged = staff[staff["in_grid"] & staff["position"].isin(["МОПП", "Руководитель группы МОПП"])]
    return sorted(judged["tab_no"])


def _random_memo(rng: random.Random, inputs, staff, norms) -> dict:
    tabs = _holders(inputs, staff)
    tab_of = staff["tab_no"]
    bound = inputs.bindings[["client_id", "employee_id"]].itertuples(index=False)
    by_client: dict[int, list[int]] = {}
    for client_id, employee_id in bound:
        by_client.setdefault(client_id, []).append(employee_id)
    codes = inputs.clients["code"]
    bound_ids = sorted(by_client)
    free_ids = sorted(set(inputs.clients.index) - set(by_client))
    lone_ids = sorted(inputs.clients.index[inputs.clients["head_id"].isna()])
    potentials = sorted(norms.common.ook_transfer_potentials)
    lines = []
    for _ in range(rng.randint(1, 6)):
        action = rng.choice(["transfer", "transfer", "unbind", "to_ook", "bind", "from_ook", "multi_bind",
                             "link_140", "link_140"])
        if action in ("transfer", "unbind", "to_ook", "multi_bind"):
            client_id = rng.choice(bound_ids)
            line = {"action": action, "client": codes[client_id]}
            if action != "multi_bind":
                line["from"] = tab_of[rng.choice(by_client[client_id])]
            if action in ("transfer", "multi_bind"):
                line["to"] = rng.choice(tabs)
        elif action in ("bind", "from_ook"):
            line = {"action": action, "client": codes[rng.choice(free_ids or bound_ids)], "to": rng.choice(tabs)}
            if action == "from_ook":
                line.update(potential=rng.choice(potentials), reason="потенциал не реализуется в ООК")
        else:
            client_id, head_id = rng.sample(lone_ids, 2)
            if rng.random() < 0.7:  # mostly clients someone holds: the link regroups a KB
                client_id = rng.choice([c for c in bound_ids if c in set(lone_ids)] or [client_id])
            line = {"action": "link_140", "client": codes[client_id], "head": codes[head_id]}
        lines.append(line)
    return {"number": "СЗ-случайная", "date": DAY.isoformat(), "lines": lines}


def _reference(database, draft):
    """Rows before and after the memo, from full evaluations of the whole centre on fresh frames."""
    month = last_completed_month(draft.memo_date)
    norms = NormBook.load(database).in_force(draft.memo_date)
    inputs = load_inputs(database, draft.memo_date, month, service.history_months(norms))
    staff = staff_on(inputs, norms.common)
    state = MemoState(inputs, staff, draft, norms)
    state.apply()
    changed = inputs.with_changes(bindings=state.bindings_after(), clients=state.clients_after())
    before = {row.id: row.to_json() for row in evaluate(inputs, norms).managers}
    after = {row.id: row.to_json() for row in evaluate(changed, norms).managers}
    touched = {staff.at[e, "tab_no"] for e in state.touched_managers()}
    return before, after, touched


def test_incremental_what_if_equals_full_evaluation(small_demo, monkeypatch):
    database = small_demo
    month = last_completed_month(DAY)
    norms = NormBook.load(database).in_force(DAY)
    inputs = service.prepared_inputs(database, DAY, month, norms)
    staff = staff_on(inputs, norms.common)
    rng = random.Random(20261203)
    judged_any = regrouped = potentials = 0
    for number in range(MEMOS):
        draft = parse_memo(_random_memo(rng, inputs, staff, norms))
        if number % 3 == 0:  # sometimes the month's grid is cached first, sometimes only touched rows are
            service.month_grid(database, month)
        result = check_memo(database, draft)
        before, after, touched = _reference(database, draft)
        judged = {e["manager"] for e in result.effects if "note" not in e["after"]}
        assert judged == touched & set(after), draft
        for entry in result.effects:
            if "note" in entry["after"]:
                continue
            tab = entry["manager"]
            assert entry["before"] == before.get(tab), (number, tab, draft)
            assert entry["after"] == after[tab], (number, tab, draft)
        judged_any += bool(judged)
        regrouped += any(line.action == "link_140" for line in draft.lines) and bool(judged)
        potentials += any(line.action == "from_ook" for line in draft.lines) and bool(judged)
    assert judged_any > MEMOS // 2 and regrouped and potentials  # the random memos did reach the engine


def test_cached_rows_equal_a_whole_grid_and_a_restricted_evaluation(small_demo):
    database = small_demo
    month = last_completed_month(DAY)
    norms = NormBook.load(database).in_force(DAY)
    inputs = service.prepared_inputs(database, DAY, month, norms)
    staff = staff_on(inputs, norms.common)
    ids = sorted(staff.index[staff["in_grid"]])
    few = manager_rows(inputs, norms, ids[::7])  # judged alone, before the grid is cached
    grid = {row.id: row for row in evaluate(load_inputs(database, DAY, month, service.history_months(norms)),
                                             norms).managers}
    for employee_id, row in few.items():
        assert row == grid[staff.at[employee_id, "tab_no"]]
    rows = manager_rows(inputs, norms, ids)
    assert {row.id for row in rows.values()} == set(grid)
    for row in rows.values():
        assert row == grid[row.id]
    restricted = evaluate(inputs, norms, ids[1::5], with_lists=False).managers
    assert restricted == [grid[r.id] for r in restricted]


def test_the_cached_grid_is_a_copy_and_not_shared_with_a_what_if(small_demo):
    database = small_demo
    month = date(2026, 11, 1)
    first = service.month_grid(database, month)
    first.managers[0].breaches.clear()
    first.managers.pop()
    second = service.month_grid(database, month)
    assert len(second.managers) == len(first.managers) + 1
    service._cache = InputsCache()
    assert service.month_grid(database, month).to_json() == second.to_json()
    norms = NormBook.load(database).in_force(date(2026, 11, 30))
    inputs = service.prepared_inputs(database, date(2026, 11, 30), month, norms)
    changed = inputs.with_changes(bindings=inputs.bindings.iloc[: len(inputs.bindings) // 2])
    assert evaluate(changed, norms).to_json() != evaluate(inputs, norms).to_json()


@pytest.fixture(autouse=True)
def _no_leak(monkeypatch):
    monkeypatch.setattr(service, "_cache", InputsCache())
