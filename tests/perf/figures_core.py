"""Figures 1–3 and 6 (part): the grid in-process, ``check`` as a whole process, the memo what-if."""

from __future__ import annotations

import json
import statistics
from datetime import date
from pathlib import Path

from tests.perf.common import TODAY, BenchAbort, python, row, run_measured, timed

REFERENCE_SAMPLE = 30  # managers the naive ORM loop walks; its time is extrapolated to the whole centre


def naive_orm_grid(database, month: date, tab_nos: list[str], paying_threshold: float) -> dict[str, tuple[int, int]]:
    """The reference: a per-manager ORM loop; KB size and paying groups of each of ``tab_nos``."""
    from sqlalchemy import select

    from etm_desktop.db.models import Binding, Client, Employee, Turnover
    from etm_desktop.domain.calendar import month_end

    day = month_end(month)
    answer = {}
    with database.session() as session:
        for employee in session.scalars(select(Employee).where(Employee.tab_no.in_(tab_nos))):
            bindings = session.scalars(select(Binding).where(Binding.employee_id == employee.id)).all()
            groups, paying = set(), 0
            for binding in bindings:
                if binding.valid_from > day or (binding.valid_to and binding.valid_to <= day):
                    continue
                client = session.get(Client, binding.client_id)
                group = client.head_id or client.id
                if group in groups:
                    continue
                groups.add(group)
                members = session.scalars(select(Client.id).where((Client.id == group) | (Client.head_id == group)))
                total = sum(t.amount for m in members for t in session.scalars(
                    select(Turnover).where(Turnover.client_id == m, Turnover.month == month)))
                paying += total > paying_threshold
            answer[employee.tab_no] = (len(groups), paying)
    return answer


def _sample(ids: list[str], size: int) -> list[str]:
    step = max(1, len(ids) // size)
    return ids[::step][:size]


def grid_figures(database, month: date, runs: int, *, label: str, with_reference: bool = True,
                 target: str = "≤ 100 ms", limit: float = 0.100) -> list[dict]:
    """Grid for ``month`` in-process: reference (naive loop), cold (fresh cache) and warm; answers compared."""
    from etm_desktop.compliance import service
    from etm_desktop.compliance.inputs import InputsCache
    from etm_desktop.domain.calendar import month_end
    from etm_desktop.norms.store import NormBook

    norms = NormBook.load(database).in_force(month_end(month))
    rows: list[dict] = []
    service._cache = InputsCache()
    grid = service.month_grid(database, month)
    reference = None
    if with_reference:
        ids = sorted(m.id for m in grid.managers)
        sample = _sample(ids, REFERENCE_SAMPLE)
        took = []
        answer = {}
        for _ in range(1):  # minutes at national scale; one pass is the reference's cost
            took += timed(lambda: answer.update(naive_orm_grid(database, month, sample,
                                                               norms.common.paying_threshold)), 1)
        fast = {m.id: (m.kb_size, m.paying) for m in grid.managers}
        wrong = {tab: (answer.get(tab), fast[tab]) for tab in sample if answer.get(tab) != fast[tab]}
        if wrong:
            raise BenchAbort("the grid's fast path disagrees with the naive ORM reference "
                             "(tab_no: (reference kb_size, paying), (fast kb_size, paying)): {0}".format(
                                 dict(list(wrong.items())[:10])))
        reference = took[0] * len(ids) / len(sample)
        rows.append(row(f"{label}: reference, naive ORM loop ({len(sample)} of {len(ids)} managers, "
                        "extrapolated; answers equal)", [reference]))

    def cold():
        service._cache = InputsCache()
        service.month_grid(database, month)

    rows.append(row(f"{label}: grid in-process, cold (fresh cache)", timed(cold, runs), reference,
                    target=target, limit=limit))
    service.month_grid(database, month)
    rows.append(row(f"{label}: grid in-process, warm (cached frames and grid)", timed(
        lambda: service.month_grid(database, month), runs), reference, target=target, limit=limit))
    return rows


def check_figures(db_path: Path, month: date, runs: int, *, label: str, target: str = "≤ 2 s",
                  limit: float | None = 2.0, memory_limit: float | None = 500.0) -> list[dict]:
    """``etm-desktop check --month M --json`` as a whole process; its peak memory too."""
    command = [python(), "-m", "etm_desktop", "--db", str(db_path), "check", "--month", f"{month:%Y-%m}", "--json"]
    times, peaks = [], []
    for _ in range(runs):
        took, peak, out = run_measured(command)
        json.loads(out)  # a whole answer, not an error text
        times.append(took)
        peaks.append(peak)
    rows = [row(f"{label}: etm-desktop check --json (whole process)", times, target=target, limit=limit)]
    rows.append(row(f"{label}: peak memory of check (ru_maxrss)", peaks, unit="MB",
                    target=f"≤ {memory_limit:.0f} MB" if memory_limit else "", limit=memory_limit))
    return rows


def memo_draft(database, grid, memo_date: date, lines: int = 10):
    """``lines`` transfers between active МОПП of one office and specialization, chosen from the data."""
    from sqlalchemy import select

    from etm_desktop.db.models import Binding, Client, Employee
    from etm_desktop.memos.draft import MemoDraft, MemoLineDraft

    pairs = []
    by_key: dict[tuple, list] = {}
    for manager in grid.managers:
        if manager.position == "МОПП" and manager.kb_size >= 5:
            by_key.setdefault((manager.office, manager.specialization), []).append(manager.id)
    for key in sorted(by_key, key=str):
        ids = sorted(by_key[key])
        if len(ids) >= 2:
            pairs.append((ids[0], ids[1]))
    if not pairs:
        raise BenchAbort("no two active МОПП of one office and specialization for the memo what-if")
    chosen: list = []
    with database.session() as session:
        for from_tab, to_tab in pairs:
            statement = (select(Client.code).join(Binding, Binding.client_id == Client.id)
                         .join(Employee, Employee.id == Binding.employee_id)
                         .where(Employee.tab_no == from_tab, Binding.valid_to.is_(None),
                                Binding.valid_from <= memo_date, Client.head_id.is_(None))
                         .order_by(Client.code).limit(1))
            code = session.scalars(statement).first()
            if code:
                chosen.append((code, from_tab, to_tab))
            if len(chosen) == lines:
                break
    if len(chosen) < lines:
        raise BenchAbort(f"only {len(chosen)} transfers found for the memo what-if")
    return MemoDraft(number="PERF-1", memo_date=memo_date, lines=tuple(
        MemoLineDraft(line_no=i, action="transfer", client=code, from_manager=src, to_manager=dst,
                      reason="замер производительности")
        for i, (code, src, dst) in enumerate(chosen, 1)))


def memo_mismatches(database, draft, check) -> list[str]:
    """The reference of the what-if: the whole centre judged before and after the memo, on fresh frames;
    returns the tab numbers (and side) where ``check``'s rows differ from it."""
    from etm_desktop.compliance import service
    from etm_desktop.compliance.engine import evaluate
    from etm_desktop.compliance.inputs import load_inputs
    from etm_desktop.compliance.staff import staff_on
    from etm_desktop.domain.calendar import last_completed_month
    from etm_desktop.memos.lines import MemoState
    from etm_desktop.norms.store import NormBook

    norms = NormBook.load(database).in_force(draft.memo_date)
    inputs = load_inputs(database, draft.memo_date, last_completed_month(draft.memo_date),
                         service.history_months(norms))
    state = MemoState(inputs, staff_on(inputs, norms.common), draft, norms)
    state.apply()
    changed = inputs.with_changes(bindings=state.bindings_after(), clients=state.clients_after())
    before = {row.id: row.to_json() for row in evaluate(inputs, norms).managers}
    after = {row.id: row.to_json() for row in evaluate(changed, norms).managers}
    wrong = []
    for effect in check.effects:
        if "note" in effect["after"]:
            continue
        tab = effect["manager"]
        wrong += [f"{tab} before"] if effect["before"] != before.get(tab) else []
        wrong += [f"{tab} after"] if effect["after"] != after.get(tab) else []
    return wrong


def memo_figures(database, month: date, runs: int) -> list[dict]:
    from etm_desktop.compliance import service
    from etm_desktop.compliance.inputs import InputsCache
    from etm_desktop.memos.validation import check_memo

    grid = service.month_grid(database, month)
    draft = memo_draft(database, grid, TODAY)
    check = check_memo(database, draft)  # warms the cache of prepared frames, as in the open program
    if not check.to_json().get("effects") and not check.to_json().get("problems"):
        raise BenchAbort("the memo what-if judged nothing: the transfers were not applied")
    wrong = memo_mismatches(database, draft, check)
    if wrong:
        raise BenchAbort("the memo what-if (cached rows before, touched managers re-judged after) disagrees with "
                         "a full re-evaluation of the centre: {0}".format(wrong[:5]))

    def cold():
        service._cache = InputsCache()
        check_memo(database, draft)

    reference = statistics.median(timed(lambda: _judge_touched_twice(database, draft), runs))
    return [
        row("large: memo what-if reference: the touched managers judged before and after, no cached rows",
            [reference]),
        row("large: memo what-if, 10 transfers (frames cached; answers equal to a full re-evaluation)",
            timed(lambda: check_memo(database, draft), runs), reference, target="≤ 20 ms", limit=0.020),
        row("large: memo what-if, 10 transfers (cold cache)", timed(cold, runs)),
    ]


def _judge_touched_twice(database, draft) -> None:
    """What the what-if did before the month's rows were cached: the touched managers judged on the
    frames as they are and again with the memo applied (frames cached; the same-run reference)."""
    from etm_desktop.compliance import service
    from etm_desktop.compliance.engine import evaluate
    from etm_desktop.compliance.staff import staff_on
    from etm_desktop.domain.calendar import last_completed_month
    from etm_desktop.memos.lines import MemoState
    from etm_desktop.norms.store import NormBook

    norms = NormBook.load(database).in_force(draft.memo_date)
    inputs = service.prepared_inputs(database, draft.memo_date, last_completed_month(draft.memo_date), norms)
    state = MemoState(inputs, staff_on(inputs, norms.common), draft, norms)
    state.apply()
    touched = state.touched_managers()
    evaluate(inputs, norms, touched, with_lists=False)
    evaluate(inputs.with_changes(bindings=state.bindings_after(), clients=state.clients_after()), norms, touched,
             with_lists=False)
