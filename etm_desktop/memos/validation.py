"""``memo check``: what a memo would break or fix, judged as at its date.

The memo is judged on the latest completed month before its date, with the
norms in force on its date. Only what the memo creates or worsens is blamed:
a breach a manager already had is not the memo's fault unless the memo makes
it larger.
"""

from __future__ import annotations

import pandas as pd

from etm_desktop.compliance.engine import evaluate, manager_rows
from etm_desktop.compliance.result import UPPER_BOUND_NORMS, Breach, ManagerRow
from etm_desktop.compliance.service import prepared_inputs
from etm_desktop.compliance.staff import staff_on
from etm_desktop.domain.calendar import last_completed_month
from etm_desktop.domain.vocabulary import ApprovalStep
from etm_desktop.memos.draft import MemoDraft
from etm_desktop.memos.lines import MemoState
from etm_desktop.memos.problems import MemoCheck, Problem
from etm_desktop.norms.store import NormBook

#: Norms judged per client: blame the lines that brought the offending clients.
CLIENT_NORMS = {"off_profile", "forbidden_ckg", "territory", "potential", "new_universal_territory"}
#: Norms of a month's activity: a memo changes only what they require (50% of a
#: larger KB), not what the manager did, so the memo is warned, not blocked.
ACTIVITY_NORMS = {"meetings", "cold_calls", "head_meetings", "group_meetings"}
EPSILON = 1e-9


def _gap(breach: Breach) -> float:
    """How far from compliance: positive and growing as things get worse."""
    if breach.norm in UPPER_BOUND_NORMS:
        return breach.actual - breach.required
    return breach.required - breach.actual


def _route(extra: set[str], always: tuple[str, ...]) -> list[str]:
    order = [step.value for step in ApprovalStep]
    steps = set(always) | extra
    return sorted(steps, key=lambda s: order.index(s) if s in order else len(order))


def _worsened(before: ManagerRow | None, after: ManagerRow) -> list[tuple[Breach, set[str], float | None]]:
    """Breaches of ``after`` that are new or larger than in ``before``.

    Each comes with the clients it newly names and the figure it had before (if any).
    """
    old = {(b.norm, b.severity): b for b in (before.breaches if before else [])}
    out = []
    for breach in after.breaches:
        previous = old.get((breach.norm, breach.severity))
        if previous is None or _gap(breach) > _gap(previous) + EPSILON:
            new_clients = set(breach.clients) - set(previous.clients if previous else ())
            out.append((breach, new_clients, previous.actual if previous else None))
    return out


def check_memo(database, draft: MemoDraft) -> MemoCheck:
    """Validate ``draft`` against the current data (nothing is written)."""
    as_of = draft.memo_date
    month = last_completed_month(as_of)
    norms = NormBook.load(database).in_force(as_of)
    inputs = prepared_inputs(database, as_of, month, norms)
    staff = staff_on(inputs, norms.common)
    state = MemoState(inputs, staff, draft, norms)
    state.apply()
    result = MemoCheck(as_of=as_of, month=month, norm_set=norms.name,
                       approval=_route(state.approval_extra, norms.common.approval_always),
                       problems=list(state.problems))
    touched = state.touched_managers()
    if not touched:
        return result
    # the rows before the memo are the month's grid rows, judged once per data version
    before = {row.id: row for row in manager_rows(inputs, norms, touched).values() if row is not None}
    changed = inputs.with_changes(bindings=state.bindings_after(), clients=state.clients_after())
    after_rows = evaluate(changed, norms, touched, with_lists=False).managers
    code_of = inputs.clients["code"]
    tab_of = staff["tab_no"]
    lines_for_client: dict[str, set[int]] = {}
    lines_for_manager: dict[str, set[int]] = {}
    for effect in state.effects:
        lines_for_client.setdefault(code_of[effect.client_id], set()).add(effect.line_no)
        for employee in effect.managers:
            lines_for_manager.setdefault(tab_of[employee], set()).add(effect.line_no)
            lead = staff.at[employee, "lead_id"]  # his group lead is touched by the same line
            if pd.notna(lead):
                lines_for_manager.setdefault(tab_of[int(lead)], set()).add(effect.line_no)
    for row in after_rows:
        previous = before.get(row.id)
        result.effects.append({"manager": row.id, "before": previous.to_json() if previous else None,
                               "after": row.to_json()})
        for breach, new_clients, was in _worsened(previous, row):
            blamed: set[int] = set()
            if breach.norm in CLIENT_NORMS:
                blamed = {n for code in new_clients for n in lines_for_client.get(code, ())}
            blamed = sorted(blamed or lines_for_manager.get(row.id, set()))
            suffix = " (было {0:g})".format(was) if was is not None else ""
            severity = "warning" if breach.norm in ACTIVITY_NORMS else breach.severity
            result.problems.append(
                Problem(blamed[0] if blamed else None, breach.norm, severity,
                        f"{row.name} ({row.id}): {breach.message}{suffix}", manager=row.id, lines=tuple(blamed))
            )
    judged = {row.id for row in after_rows}
    result.effects.extend(_outside_grid_effects(inputs, changed, staff, touched, judged))
    result.problems.sort(key=lambda p: (p.line is None, p.line or 0, p.rule))
    return result


def _outside_grid_effects(inputs, changed, staff, touched: set[int], judged: set[str]) -> list[dict]:
    """Before/after KB size of touched holders the grid does not judge (a dismissed donor)."""

    def kb_size(frames, employee_id: int) -> int:
        held = frames.bindings.loc[frames.bindings["employee_id"] == employee_id, "client_id"]
        return int(frames.clients.loc[held, "group_id"].nunique())

    effects = []
    for employee_id in sorted(touched):
        if staff.at[employee_id, "tab_no"] in judged:
            continue
        person = staff.loc[employee_id]
        rows = []
        for frames in (inputs, changed):
            rows.append({"id": person["tab_no"], "name": person["full_name"], "position": person["position"],
                         "kb_size": kb_size(frames, employee_id), "breaches": [],
                         "note": "не оценивается в сетке (не работает на дату записки)"})
        effects.append({"manager": person["tab_no"], "before": rows[0], "after": rows[1]})
    return effects
